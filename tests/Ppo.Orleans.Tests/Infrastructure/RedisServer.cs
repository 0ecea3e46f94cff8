using Ppo.Samples.Distributed;

namespace Ppo.Orleans.Tests.Infrastructure;

/// <summary>
/// A real Redis on loopback for the clustering tests: the one named by <c>PPO_REDIS</c> (host:port), else the sample's
/// <see cref="LocalRedis"/>: the one answering on 127.0.0.1:6379, or a <c>redis-server</c> started on a free port and
/// stopped when the tests end.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private LocalRedis? _local;

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

        _local = await LocalRedis.FindOrStartAsync();
        Endpoint = _local.Endpoint;
    }

    public async Task DisposeAsync()
    {
        if (_local is not null)
            await _local.DisposeAsync();
    }
}
