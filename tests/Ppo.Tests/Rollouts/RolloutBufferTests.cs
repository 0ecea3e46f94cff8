using Ppo.Rollouts;

namespace Ppo.Tests.Rollouts;

public sealed class RolloutBufferTests
{
    private static readonly float[] TwoObservations = [0.1f, 0.2f, 0.3f, 0.4f];

    private static void AddStep(RolloutBuffer buffer, float[] rewards, bool[] terminated, bool[] truncated) =>
        buffer.Add(TwoObservations, [0f, 1f], rewards, terminated, truncated, [0.5f, 0.6f], [-0.7f, -0.8f]);

    [Fact]
    public void Add_StoresRowsAtStepTimesEnvironmentsPlusEnvironment()
    {
        var buffer = new RolloutBuffer(steps: 2, environmentCount: 2, observationSize: 2, actionSize: 1);

        AddStep(buffer, [1f, 2f], [false, false], [false, false]);
        buffer.Add([5f, 6f, 7f, 8f], [1f, 0f], [3f, 4f], [true, false], [false, true], [0.1f, 0.2f], [-1f, -2f]);

        Assert.True(buffer.IsFull);
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f, 5f, 6f, 7f, 8f], buffer.Observations.ToArray());
        Assert.Equal([0f, 1f, 1f, 0f], buffer.Actions.ToArray());
        Assert.Equal([1f, 2f, 3f, 4f], buffer.Rewards.ToArray());
        Assert.Equal([0f, 0f, 1f, 1f], buffer.Dones.ToArray());
        Assert.Equal([0.5f, 0.6f, 0.1f, 0.2f], buffer.Values.ToArray());
        Assert.Equal([-0.7f, -0.8f, -1f, -2f], buffer.LogProbabilities.ToArray());
    }

    [Fact]
    public void Add_WhenFull_Throws()
    {
        var buffer = new RolloutBuffer(1, 2, 2, 1);
        AddStep(buffer, [1f, 2f], [false, false], [false, false]);

        Assert.Throws<InvalidOperationException>(() => AddStep(buffer, [1f, 2f], [false, false], [false, false]));
    }

    [Fact]
    public void Clear_AllowsANewRollout()
    {
        var buffer = new RolloutBuffer(1, 2, 2, 1);
        AddStep(buffer, [1f, 2f], [false, false], [false, false]);

        buffer.Clear();
        AddStep(buffer, [9f, 9f], [false, false], [false, false]);

        Assert.Equal([9f, 9f], buffer.Rewards.ToArray());
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Add_NonFiniteObservation_ThrowsNamingEnvironmentStepAndElement(float bad)
    {
        var buffer = new RolloutBuffer(2, 2, 2, 1);
        AddStep(buffer, [1f, 2f], [false, false], [false, false]);

        var exception = Assert.Throws<ArgumentException>(() =>
            buffer.Add([0f, 0f, 0f, bad], [0f, 0f], [1f, 1f], [false, false], [false, false], [0f, 0f], [0f, 0f]));

        Assert.Equal("observations", exception.ParamName);
        Assert.Contains("environment 1 at rollout step 1, element 1", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, buffer.StepCount);
    }

    [Fact]
    public void Add_NonFiniteReward_ThrowsNamingEnvironmentAndStep()
    {
        var buffer = new RolloutBuffer(2, 2, 2, 1);

        var exception = Assert.Throws<ArgumentException>(() => AddStep(buffer, [float.NaN, 1f], [false, false], [false, false]));

        Assert.Equal("rewards", exception.ParamName);
        Assert.Contains("reward of environment 0 at rollout step 0 is NaN", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_WrongLength_ThrowsWithExpectedAndActual()
    {
        var buffer = new RolloutBuffer(2, 2, 2, 1);

        var exception = Assert.Throws<ArgumentException>(() =>
            buffer.Add([0f, 0f, 0f], [0f, 0f], [1f, 1f], [false, false], [false, false], [0f, 0f], [0f, 0f]));

        Assert.Equal("observations", exception.ParamName);
        Assert.Contains("length 4 (was 3)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddBootstrap_AddsToTheLastStepOfThatEnvironment()
    {
        var buffer = new RolloutBuffer(2, 2, 2, 1);
        AddStep(buffer, [1f, 2f], [false, false], [false, false]);
        AddStep(buffer, [3f, 4f], [false, false], [false, true]);

        buffer.AddBootstrap(1, 0.5f);

        Assert.Equal([1f, 2f, 3f, 4.5f], buffer.Rewards.ToArray());
    }

    [Fact]
    public void AddBootstrap_InvalidArguments_Throw()
    {
        var buffer = new RolloutBuffer(2, 2, 2, 1);
        Assert.Throws<InvalidOperationException>(() => buffer.AddBootstrap(0, 1f));
        AddStep(buffer, [1f, 2f], [false, false], [false, false]);

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.AddBootstrap(2, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.AddBootstrap(0, float.NaN));
    }

    [Fact]
    public void ComputeAdvantages_BeforeFull_Throws()
    {
        var buffer = new RolloutBuffer(2, 2, 2, 1);
        AddStep(buffer, [1f, 2f], [false, false], [false, false]);

        Assert.Throws<InvalidOperationException>(() => buffer.ComputeAdvantages([0f, 0f], 0.99f, 0.95f));
    }

    [Fact]
    public void ComputeAdvantages_TruncatedStepWithBootstrap_MatchesHandWorkedValues()
    {
        // One environment, two steps, γ = 0.5, λ = 1, values 0: the first episode is truncated at step 0 with
        // V(final) = 4, so the stored reward becomes 1 + 0.5·4 = 3 and nothing flows back from step 1.
        var buffer = new RolloutBuffer(2, 1, 1, 1);
        buffer.Add([0f], [0f], [1f], [false], [true], [0f], [0f]);
        buffer.AddBootstrap(0, 0.5f * 4f);
        buffer.Add([0f], [0f], [1f], [false], [false], [0f], [0f]);

        buffer.ComputeAdvantages([2f], gamma: 0.5f, lambda: 1f);

        // Step 1: δ = 1 + 0.5·2 = 2 → A = 2. Step 0: δ = 3 (done cuts the rest) → A = 3.
        Assert.Equal([3f, 2f], buffer.Advantages.ToArray());
        Assert.Equal([3f, 2f], buffer.Returns.ToArray());
        Assert.Equal([2f], buffer.LastValues.ToArray());
    }
}
