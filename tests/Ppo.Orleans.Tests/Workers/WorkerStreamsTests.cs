using Ppo.Orleans.Workers;

namespace Ppo.Orleans.Tests.Workers;

public sealed class WorkerStreamsTests
{
    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(1, 8, 9)]
    [InlineData(int.MaxValue, 1, int.MinValue)]
    public void EnvironmentSeed_FirstIncarnation_IsSeedPlusFirstEnvironmentAsOneVectorWouldBe(int seed, int firstEnvironment, int expected)
    {
        Assert.Equal(expected, WorkerStreams.EnvironmentSeed(seed, firstEnvironment, incarnation: 0));
    }

    [Fact]
    public void Seeds_OtherWorkerOrIncarnation_Differ()
    {
        var actionSeeds = new HashSet<ulong>();
        var environmentSeeds = new HashSet<int>();
        for (int worker = 0; worker < 16; worker++)
        {
            for (int incarnation = 0; incarnation < 16; incarnation++)
            {
                Assert.True(actionSeeds.Add(WorkerStreams.ActionSeed(1, worker, incarnation)));
                Assert.True(environmentSeeds.Add(WorkerStreams.EnvironmentSeed(1, worker * 1_000, incarnation)));
                Assert.True(WorkerStreams.EnvironmentSeed(1, worker, incarnation) >= 0 || incarnation == 0);
            }
        }

        Assert.NotEqual(WorkerStreams.ActionSeed(1, 0, 0), WorkerStreams.ActionSeed(2, 0, 0));
    }

    [Fact]
    public void ActionSeed_NegativeWorker_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>("workerIndex", () => WorkerStreams.ActionSeed(1, -1, 0));
    }
}
