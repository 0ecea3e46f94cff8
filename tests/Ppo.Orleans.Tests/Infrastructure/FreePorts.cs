using System.Net;
using System.Net.Sockets;

namespace Ppo.Orleans.Tests.Infrastructure;

/// <summary>Loopback ports that nothing listens on.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
