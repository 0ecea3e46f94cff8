using Orleans.TestingHost;

namespace Ppo.Orleans.Tests.Infrastructure;

/// <summary>An in-process cluster of two worker silos, shared by the tests of a class.</summary>
public sealed class TwoSiloCluster : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>Starts a cluster of two worker silos of its own, for a test that changes the cluster; the caller disposes it.</summary>
    public static async Task<TestCluster> StartAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<WorkerSiloConfigurator>();
        TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public async Task InitializeAsync() => Cluster = await StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
