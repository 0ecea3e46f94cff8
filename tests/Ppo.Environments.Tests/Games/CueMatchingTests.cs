using Ppo.Environments.Games;

namespace Ppo.Environments.Tests.Games;

/// <summary>Checks the rules of <see cref="CueMatching"/>, the MultiDiscrete task.</summary>
public sealed class CueMatchingTests
{
    [Fact]
    public void Spaces_DefaultCounts_AreMultiDiscreteThreeFourAndSevenCells()
    {
        using var task = new CueMatching();

        Assert.Equal([3, 4], task.ActionSpace.CategoryCounts.ToArray());
        Assert.Equal(7, task.ObservationSpace.Size);
        Assert.Equal(20, task.MaxEpisodeSteps);
    }

    [Fact]
    public void Step_Actions_RewardIsTheFractionOfMatchedCuesAndObservationIsOneHot()
    {
        using var task = new CueMatching([3, 4, 2]);
        float[] observation = new float[9];
        task.Reset(observation, seed: 3);
        AssertOneHot(task, observation);

        int[] cues = task.Cues.ToArray();
        float allMatched = task.Step([cues[0], cues[1], cues[2]], observation).Reward;
        AssertOneHot(task, observation);
        cues = task.Cues.ToArray();
        float oneMatched = task.Step([cues[0], (cues[1] + 1) % 4, (cues[2] + 1) % 2], observation).Reward;

        Assert.Equal(1f, allMatched);
        Assert.Equal(1f / 3, oneMatched);
    }

    [Fact]
    public void Step_AtTheStepLimit_TruncatesAndNeverTerminates()
    {
        using var task = new CueMatching(maxEpisodeSteps: 3);
        float[] observation = new float[7];
        task.Reset(observation, seed: 1);

        StepResult[] results = [task.Step([0, 0], observation), task.Step([0, 0], observation), task.Step([0, 0], observation)];

        Assert.Equal([false, false, true], results.Select(result => result.Truncated));
        Assert.All(results, result => Assert.False(result.Terminated));
        Assert.Throws<InvalidOperationException>(() => task.Step([0, 0], observation));
    }

    [Fact]
    public void Reset_SameSeed_ShowsTheSameCues()
    {
        using CueMatching first = new(), second = new();
        float[] a = new float[7], b = new float[7];
        first.Reset(a, seed: 8);
        second.Reset(b, seed: 8);

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(a, b);
            first.Step([1, 2], a);
            second.Step([1, 2], b);
        }
    }

    [Fact]
    public void ConstructorAndStep_InvalidInput_Throw()
    {
        Assert.Throws<ArgumentException>(() => new CueMatching([3, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CueMatching(maxEpisodeSteps: 0));
        using var task = new CueMatching();
        float[] observation = new float[7];
        task.Reset(observation);
        Assert.Throws<ArgumentException>(() => task.Step([3, 0], observation));
        Assert.Throws<ArgumentException>(() => task.Step([0], observation));
        Assert.Throws<ArgumentException>(() => task.Step([0, 0], new float[6]));
    }

    private static void AssertOneHot(CueMatching task, float[] observation)
    {
        int offset = 0;
        for (int c = 0; c < task.ActionSpace.ComponentCount; c++)
        {
            int count = task.ActionSpace.CategoryCounts[c];
            for (int i = 0; i < count; i++)
                Assert.Equal(i == task.Cues[c] ? 1f : 0f, observation[offset + i]);
            offset += count;
        }
    }
}
