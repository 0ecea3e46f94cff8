using Orleans.TestingHost;

namespace Ppo.Orleans.Tests.Infrastructure;

/// <summary>An in-process cluster of three worker silos whose membership lives in a real Redis (<see cref="RedisServer"/>).</summary>
public sealed class RedisTestCluster : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[RedisMembershipConfigurator.EndpointKey] = _redis.Endpoint;
        builder.AddSiloBuilderConfigurator<RedisMembershipConfigurator>();
        builder.AddClientBuilderConfigurator<RedisMembershipConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
