using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Ppo.Environments.ClassicControl;
using Ppo.Orleans.Hosting;
using Ppo.Orleans.Policies;
using Ppo.Orleans.Workers;
using Ppo.Policies;

namespace Ppo.Orleans.Benchmarks;

/// <summary>
/// The per-update cost of a remote worker beside the same worker in process: one worker of 8 CartPole environments
/// collecting <see cref="NumSteps"/> steps with the [64, 64] policy, through a grain on a silo reached over loopback TCP
/// (parameters out, chunk back), and the serialization of one such chunk alone. CartPole steps cost next to nothing,
/// so the difference between <see cref="Local"/> and <see cref="Orleans"/> is the distribution's overhead, and the
/// difference between <see cref="Orleans"/> and <see cref="OrleansFixedPlacement"/> what reading the live silos before
/// each update (to spread the workers over silos that joined) costs.
/// </summary>
[MemoryDiagnoser]
public class UpdateOverheadBenchmarks : IDisposable
{
    private const int Environments = 8;
    private IHost _silo = null!;
    private IHost _client = null!;
    private OrleansRolloutWorkers _remote = null!;
    private OrleansRolloutWorkers _fixed = null!;
    private LocalRolloutWorkers _local = null!;
    private RolloutWorkerSettings[] _layout = null!;
    private PolicyParameters _parameters = null!;
    private Serializer<RolloutChunk> _serializer = null!;
    private RolloutChunk _chunk = null!;
    private long _version;

    /// <summary>Gets or sets the steps per environment and update (rl-baselines3-zoo's LunarLander rollout is 1024).</summary>
    [Params(128, 1024)]
    public int NumSteps { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        int siloPort = 11_111 + NumSteps % 1000, gatewayPort = 30_000 + NumSteps % 1000;
        _silo = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo => silo
                .UseLocalhostClustering(siloPort, gatewayPort)
                .AddRolloutWorkers(registry => registry.Register("CartPole-v1", () => new CartPole())))
            .Build();
        await _silo.StartAsync();
        _client = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort))
            .Build();
        await _client.StartAsync();

        var policy = new ActorCritic(4, new Ppo.Environments.DiscreteSpace(2), seed: 1);
        _layout = [new RolloutWorkerSettings { EnvironmentName = "CartPole-v1", WorkerIndex = 0, FirstEnvironment = 0, EnvironmentCount = Environments, Seed = 1, NumSteps = NumSteps, Policy = ManagedPolicyDescription.Of(policy) }];
        _parameters = new PolicyParameters(0, policy.Parameters.Values.ToArray());
        _remote = new OrleansRolloutWorkers(_client.Services.GetRequiredService<IClusterClient>(), new OrleansRolloutWorkerOptions { Run = "benchmark" });
        _fixed = new OrleansRolloutWorkers(_client.Services.GetRequiredService<IClusterClient>(), new OrleansRolloutWorkerOptions { Run = "benchmark-fixed", Rebalance = false });
        var registry = new Environments.EnvironmentRegistry().Register("CartPole-v1", () => new CartPole());
        _local = new LocalRolloutWorkers(registry);
        _chunk = (await _local.CollectAsync(_layout, _parameters))[0];
        _serializer = _silo.Services.GetRequiredService<Serializer<RolloutChunk>>();
    }

    private async Task CleanupAsync()
    {
        Dispose();
        await _client.StopAsync();
        await _silo.StopAsync();
        _client.Dispose();
        _silo.Dispose();
    }

    /// <summary>Collects the chunk in process (the stand-in).</summary>
    [Benchmark(Baseline = true)]
    public async Task<RolloutChunk[]> Local() => await _local.CollectAsync(_layout, _parameters with { Version = ++_version });

    /// <summary>Collects the same chunk through the worker grain.</summary>
    [Benchmark]
    public async Task<RolloutChunk[]> Orleans() => await _remote.CollectAsync(_layout, _parameters with { Version = ++_version });

    /// <summary>Collects the same chunk through the worker grain without reading the live silos first.</summary>
    [Benchmark]
    public async Task<RolloutChunk[]> OrleansFixedPlacement() => await _fixed.CollectAsync(_layout, _parameters with { Version = ++_version });

    /// <summary>Serializes one chunk and reads it back with Orleans' serializer.</summary>
    [Benchmark]
    public RolloutChunk SerializeChunk() => _serializer.Deserialize(_serializer.SerializeToArray(_chunk)) ?? throw new InvalidOperationException("The chunk did not deserialize.");

    /// <summary>Disposes the workers.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the workers.</summary>
    /// <param name="disposing">Called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        _local?.Dispose();
        _remote?.Dispose();
        _fixed?.Dispose();
    }
}
