using System.Text;
using Ppo.Orleans.Tests.Infrastructure;
using Ppo.Orleans.Workers;
using Ppo.Policies;

namespace Ppo.Orleans.Tests.Workers;

public sealed class RolloutSliceTests
{
    [Fact]
    public void LoadState_SavedAfterACollection_NextChunkMatchesTheOriginalBitForBit()
    {
        ActorCritic policy = WorkerLayouts.CreatePolicy(TestEnvironments.CartPole);
        RolloutWorkerSettings settings = WorkerLayouts.Settings(TestEnvironments.CartPole, policy, workerIndex: 1, environmentsPerWorker: 3, numSteps: 40);
        using RolloutSlice original = WorkerLayouts.LocalSlice(settings);
        original.Collect(WorkerLayouts.Parameters(policy, 0));
        using RolloutSlice moved = WorkerLayouts.LocalSlice(settings);

        using (BinaryReader state = Saved(original))
            moved.LoadState(state);

        RolloutChunk expected = original.Collect(WorkerLayouts.Parameters(policy, 1));
        RolloutChunk actual = moved.Collect(WorkerLayouts.Parameters(policy, 1));
        WorkerLayouts.AssertSameChunk(expected, actual);
        Assert.False(actual.SliceCreated);
        Assert.True(actual.CanSaveState);
    }

    [Fact]
    public void LoadState_SliceOfAnotherSize_ThrowsInvalidData()
    {
        ActorCritic policy = WorkerLayouts.CreatePolicy(TestEnvironments.CartPole);
        using RolloutSlice three = WorkerLayouts.LocalSlice(WorkerLayouts.Settings(TestEnvironments.CartPole, policy, workerIndex: 0, environmentsPerWorker: 3, numSteps: 4));
        using RolloutSlice two = WorkerLayouts.LocalSlice(WorkerLayouts.Settings(TestEnvironments.CartPole, policy, workerIndex: 0, environmentsPerWorker: 2, numSteps: 4));
        three.Collect(WorkerLayouts.Parameters(policy));

        using BinaryReader state = Saved(three);
        Assert.Throws<InvalidDataException>(() => two.LoadState(state));
    }

    [Fact]
    public void SaveState_LunarLander_ThrowsNotSupportedNamingTheEnvironments()
    {
        ActorCritic policy = WorkerLayouts.CreatePolicy(TestEnvironments.LunarLander);
        using RolloutSlice slice = WorkerLayouts.LocalSlice(WorkerLayouts.Settings(TestEnvironments.LunarLander, policy, workerIndex: 0, environmentsPerWorker: 1, numSteps: 4));
        using var writer = new BinaryWriter(Stream.Null);

        var exception = Assert.Throws<NotSupportedException>(() => slice.SaveState(writer));

        Assert.False(slice.CanSaveState);
        Assert.Contains(TestEnvironments.LunarLander, exception.Message, StringComparison.Ordinal);
    }

    private static BinaryReader Saved(RolloutSlice slice)
    {
        var state = new MemoryStream();
        using (var writer = new BinaryWriter(state, Encoding.UTF8, leaveOpen: true))
            slice.SaveState(writer);
        state.Position = 0;
        return new BinaryReader(state);
    }
}
