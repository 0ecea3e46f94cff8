using Ppo.Orleans.Tests.Infrastructure;
using Ppo.Orleans.Workers;
using Ppo.Policies;

namespace Ppo.Orleans.Tests.Workers;

public sealed class RolloutWorkerGrainTests(TwoSiloCluster fixture) : IClassFixture<TwoSiloCluster>
{
    [Theory]
    [InlineData(TestEnvironments.CartPole, 64)]
    [InlineData(TestEnvironments.LunarLander, 128)]
    public async Task CollectAsync_TwoCallsOnCluster_MatchLocalSliceBitForBit(string environmentName, int numSteps)
    {
        ActorCritic policy = WorkerLayouts.CreatePolicy(environmentName);
        RolloutWorkerSettings settings = WorkerLayouts.Settings(environmentName, policy, workerIndex: 1, environmentsPerWorker: 3, numSteps);
        IRolloutWorkerGrain grain = fixture.Cluster.GrainFactory.GetGrain<IRolloutWorkerGrain>(RolloutWorkerKeys.For($"match-{environmentName}", 1, 0));
        using RolloutSlice local = WorkerLayouts.LocalSlice(settings);

        for (int version = 0; version < 2; version++)
        {
            RolloutChunk remote = await grain.CollectAsync(settings, WorkerLayouts.Parameters(policy, version));
            RolloutChunk expected = local.Collect(WorkerLayouts.Parameters(policy, version));

            WorkerLayouts.AssertSameChunk(expected, remote);
            Assert.Equal(version == 0, remote.SliceCreated);
            Assert.NotEqual("local", remote.CollectedBy);
            Assert.Contains(fixture.Cluster.GetActiveSilos(), silo => silo.SiloAddress.ToString() == remote.CollectedBy);
            policy.Parameters.Values.AsSpan()[0] += 0.25f; // the next update ships other parameters
        }
    }

    [Fact]
    public async Task CollectAsync_SettingsOfAnotherWorker_ThrowsNamingBoth()
    {
        ActorCritic policy = WorkerLayouts.CreatePolicy(TestEnvironments.CartPole);
        RolloutWorkerSettings first = WorkerLayouts.Settings(TestEnvironments.CartPole, policy, workerIndex: 0, environmentsPerWorker: 2, numSteps: 4);
        IRolloutWorkerGrain grain = fixture.Cluster.GrainFactory.GetGrain<IRolloutWorkerGrain>(RolloutWorkerKeys.For("mismatch", 0, 0));
        await grain.CollectAsync(first, WorkerLayouts.Parameters(policy));

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => grain.CollectAsync(first with { WorkerIndex = 1, FirstEnvironment = 2 }, WorkerLayouts.Parameters(policy)));

        Assert.Contains("worker 0", exception.Message, StringComparison.Ordinal);
        Assert.Contains("worker 1", exception.Message, StringComparison.Ordinal);
    }
}
