using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ppo.Orleans.Tests.Infrastructure;

/// <summary>
/// A real Redis on loopback for the clustering tests: the one named by <c>PPO_REDIS</c> (host:port) or answering on
/// 127.0.0.1:6379 when there is one, else a <c>redis-server</c> (Debian's package) started on a free port, without
/// persistence, and stopped when the tests end.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _started;

    /// <summary>Gets the <c>host:port</c> to connect to.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        string? configured = Environment.GetEnvironmentVariable("PPO_REDIS");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Endpoint = configured;
            return;
        }

        if (await AnswersPingAsync(6379))
        {
            Endpoint = "127.0.0.1:6379";
            return;
        }

        int port = FreePorts.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _started = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("The Orleans clustering tests need Redis: install Debian's redis-server (apt-get install redis-server) or set PPO_REDIS=host:port.", exception);
        }

        _started.OutputDataReceived += (_, _) => { };
        _started.BeginOutputReadLine();
        _started.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!await AnswersPingAsync(port))
        {
            if (_started.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
                throw new InvalidOperationException($"redis-server did not answer on port {port} within 10 s.");
            await Task.Delay(50);
        }

        Endpoint = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
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
