using Ppo.Orleans.Policies;
using Ppo.Orleans.Workers;
using Ppo.Policies;

namespace Ppo.Orleans.Tests.Infrastructure;

/// <summary>Settings, a policy and its parameters for worker tests.</summary>
internal static class WorkerLayouts
{
    public static ActorCritic CreatePolicy(string environmentName, ulong seed = 7)
    {
        using var probe = TestEnvironments.CreateRegistry().Create(environmentName, 1);
        return new ActorCritic(probe.ObservationSpace.Size, probe.ActionSpace, seed: seed);
    }

    public static RolloutWorkerSettings Settings(string environmentName, ActorCritic policy, int workerIndex, int environmentsPerWorker, int numSteps, int seed = 1, int incarnation = 0) => new()
    {
        EnvironmentName = environmentName,
        WorkerIndex = workerIndex,
        FirstEnvironment = workerIndex * environmentsPerWorker,
        EnvironmentCount = environmentsPerWorker,
        Seed = seed,
        Incarnation = incarnation,
        NumSteps = numSteps,
        Policy = ManagedPolicyDescription.Of(policy),
    };

    public static PolicyParameters Parameters(ActorCritic policy, long version = 0) => new(version, policy.Parameters.Values.ToArray());

    public static RolloutSlice LocalSlice(RolloutWorkerSettings settings) => new(settings, TestEnvironments.CreateRegistry());

    public static void AssertSameChunk(RolloutChunk expected, RolloutChunk actual)
    {
        Assert.Equal(expected.WorkerIndex, actual.WorkerIndex);
        Assert.Equal(expected.Incarnation, actual.Incarnation);
        Assert.Equal(expected.PolicyVersion, actual.PolicyVersion);
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.EnvironmentCount, actual.EnvironmentCount);
        Assert.Equal(expected.Observations, actual.Observations);
        Assert.Equal(expected.Actions, actual.Actions);
        Assert.Equal(expected.Rewards, actual.Rewards);
        Assert.Equal(expected.Terminated, actual.Terminated);
        Assert.Equal(expected.Truncated, actual.Truncated);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.LogProbabilities, actual.LogProbabilities);
        Assert.Equal(expected.DistributionParameters, actual.DistributionParameters);
        Assert.Equal(expected.BootstrapRows, actual.BootstrapRows);
        Assert.Equal(expected.BootstrapValues, actual.BootstrapValues);
        Assert.Equal(expected.LastValues, actual.LastValues);
        Assert.Equal(expected.EpisodeRows, actual.EpisodeRows);
        Assert.Equal(expected.EpisodeReturns, actual.EpisodeReturns);
        Assert.Equal(expected.EpisodeLengths, actual.EpisodeLengths);
        Assert.Equal(expected.SliceCreated, actual.SliceCreated);
    }
}
