using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ppo.Samples.Distributed;

/// <summary>
/// A Redis on loopback for cluster membership: the one answering on 127.0.0.1:6379 when there is one, else a
/// <c>redis-server</c> (Debian's package) started on a free port without persistence, stopped on disposal.
/// </summary>
public sealed class LocalRedis : IAsyncDisposable
{
    private readonly Process? _started;

    private LocalRedis(string endpoint, Process? started)
    {
        Endpoint = endpoint;
        _started = started;
    }

    /// <summary>Gets the <c>host:port</c> to connect to.</summary>
    public string Endpoint { get; }

    /// <summary>Gets a value indicating whether this object started the server (and stops it).</summary>
    public bool StartedHere => _started is not null;

    /// <summary>Finds a running Redis on 127.0.0.1:6379 or starts one on a free port.</summary>
    /// <returns>The server.</returns>
    /// <exception cref="InvalidOperationException">redis-server is not installed or did not answer within 10 s.</exception>
    public static async Task<LocalRedis> FindOrStartAsync()
    {
        if (await AnswersPingAsync(6379))
            return new LocalRedis("127.0.0.1:6379", null);

        int port = FreePort();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("Cluster membership needs Redis: install Debian's redis-server (apt-get install redis-server).", exception);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new LocalRedis(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"), process);
        var clock = Stopwatch.StartNew();
        while (!await AnswersPingAsync(port))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                await redis.DisposeAsync();
                throw new InvalidOperationException($"redis-server did not answer on port {port} within 10 s.");
            }

            await Task.Delay(50);
        }

        return redis;
    }

    /// <summary>Returns a loopback port that nothing listens on.</summary>
    /// <returns>The port.</returns>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the server if this object started it.</summary>
    /// <returns>A task that completes when it has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_started is null)
            return;
        if (!_started.HasExited)
        {
            _started.Kill();
            await _started.WaitForExitAsync();
        }

        _started.Dispose();
    }

    private static async Task<bool> AnswersPingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            byte[] reply = new byte[7];
            int read = await stream.ReadAsync(reply, timeout.Token);
            return read >= 5 && reply.AsSpan(0, 5).SequenceEqual("+PONG"u8);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
