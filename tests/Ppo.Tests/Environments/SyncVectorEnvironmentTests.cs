using Ppo.Environments;
using Ppo.Environments.ClassicControl;

namespace Ppo.Tests.Environments;

/// <summary>Checks <see cref="SyncVectorEnvironment"/> with <see cref="CartPole"/> against Gymnasium's vector semantics.</summary>
public sealed class SyncVectorEnvironmentTests
{
    [Fact]
    public void Reset_WithSeed_SeedsEnvironmentIWithSeedPlusI()
    {
        using var vector = SyncVectorEnvironment.Create(3, _ => new CartPole());

        VectorStep step = vector.Reset(seed: 7);

        for (int i = 0; i < 3; i++)
        {
            using var standalone = new CartPole();
            var expected = new float[4];
            standalone.Reset(expected, seed: 7 + i);
            Assert.Equal(expected, step.Observation(i).ToArray());
            Assert.Equal(0f, step.Rewards[i]);
            Assert.False(step.Terminated[i]);
            Assert.False(step.Truncated[i]);
        }
    }

    [Fact]
    public void Step_EpisodeTruncated_ResetsWithinStepAndKeepsFinalObservation()
    {
        const int Limit = 3;
        using var vector = SyncVectorEnvironment.Create(2, _ => new CartPole(maxEpisodeSteps: Limit));
        using var standalone = new CartPole(maxEpisodeSteps: Limit);
        var expected = new float[4];
        standalone.Reset(expected, seed: 21);   // mirrors environment 1 of the vector, seeded with 20 + 1
        float[] actions = [0f, 1f];

        vector.Reset(seed: 20);
        VectorStep step = vector.Step(actions);
        standalone.Step([1f], expected);
        Assert.Equal(expected, step.Observation(1).ToArray());
        Assert.False(step.EpisodeEnded(1));

        step = vector.Step(actions);
        standalone.Step([1f], expected);
        step = vector.Step(actions);
        StepResult last = standalone.Step([1f], expected);

        Assert.True(last.Truncated);
        Assert.Equal(expected, step.FinalObservation(1).ToArray());
        Assert.Equal(1f, step.Rewards[1]);
        Assert.True(step.Truncated[1]);
        Assert.False(step.Terminated[1]);
        Assert.Equal(3.0, step.EpisodeReturns[1]);
        Assert.Equal(3, step.EpisodeLengths[1]);

        standalone.Reset(expected);   // the next episode continues the seeded sequence
        Assert.Equal(expected, step.Observation(1).ToArray());
        Assert.NotEqual(step.FinalObservation(1).ToArray(), step.Observation(1).ToArray());
    }

    [Fact]
    public void Step_EpisodeTerminated_ReportsReturnAndLengthOfFinishedEpisode()
    {
        using var vector = SyncVectorEnvironment.Create(2, _ => new CartPole());
        using var standalone = new CartPole();
        var expected = new float[4];
        standalone.Reset(expected, seed: 100);   // mirrors environment 0
        int expectedLength = 0;
        StepResult result;
        do
        {
            result = standalone.Step([1f], expected);
            expectedLength++;
        }
        while (!result.Terminated);

        vector.Reset(seed: 100);
        VectorStep step;
        int length = 0;
        do
        {
            step = vector.Step([1f, 0f]);
            length++;
        }
        while (!step.EpisodeEnded(0));

        Assert.Equal(expectedLength, length);
        Assert.True(step.Terminated[0]);
        Assert.False(step.Truncated[0]);
        Assert.Equal(expectedLength, step.EpisodeLengths[0]);
        Assert.Equal(expectedLength, step.EpisodeReturns[0]);   // reward 1 on every step, the terminating one included
        Assert.Equal(expected, step.FinalObservation(0).ToArray());
        Assert.All(step.Observation(0).ToArray(), value => Assert.InRange(value, -0.05f, 0.05f));
    }

    [Fact]
    public void Step_AfterAutomaticReset_StartsCountingNewEpisodeFromZero()
    {
        using var vector = SyncVectorEnvironment.Create(1, _ => new CartPole(maxEpisodeSteps: 2));
        vector.Reset(seed: 0);

        vector.Step([0f]);
        VectorStep step = vector.Step([1f]);
        Assert.Equal(2, step.EpisodeLengths[0]);

        vector.Step([0f]);
        step = vector.Step([1f]);
        Assert.True(step.Truncated[0]);
        Assert.Equal(2, step.EpisodeLengths[0]);
        Assert.Equal(2.0, step.EpisodeReturns[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Step_WrongActionLength_ThrowsArgumentException(int length)
    {
        using var vector = SyncVectorEnvironment.Create(2, _ => new CartPole());
        vector.Reset(seed: 0);

        var exception = Assert.Throws<ArgumentException>(() => vector.Step(new float[length]));

        Assert.Equal("actions", exception.ParamName);
        Assert.Contains($"was {length}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_InvalidAction_ThrowsArgumentException()
    {
        using var vector = SyncVectorEnvironment.Create(2, _ => new CartPole());
        vector.Reset(seed: 0);

        Assert.Throws<ArgumentException>(() => vector.Step([2f, 0f]));
    }

    [Fact]
    public void Step_InvalidActionOfLaterEnvironment_StepsNoEnvironment()
    {
        using var rejected = SyncVectorEnvironment.Create(2, _ => new CartPole(maxEpisodeSteps: 2));
        using var untouched = SyncVectorEnvironment.Create(2, _ => new CartPole(maxEpisodeSteps: 2));
        rejected.Reset(seed: 5);
        untouched.Reset(seed: 5);

        var exception = Assert.Throws<ArgumentException>(() => rejected.Step([0f, 2f]));
        VectorStep afterRejection = rejected.Step([0f, 1f]);
        VectorStep expected = untouched.Step([0f, 1f]);

        Assert.Equal("actions", exception.ParamName);
        Assert.Contains("environment 1", exception.Message, StringComparison.Ordinal);
        Assert.Equal(expected.Observations.ToArray(), afterRejection.Observations.ToArray());
        Assert.False(afterRejection.Truncated[0]);
    }

    [Fact]
    public void Step_BeforeReset_ThrowsInvalidOperationException()
    {
        using var vector = SyncVectorEnvironment.Create(2, _ => new CartPole());

        Assert.Throws<InvalidOperationException>(() => vector.Step([0f, 1f]));
    }

    [Fact]
    public void Constructor_DifferentObservationSpaces_ThrowsArgumentException()
    {
        using var cartPole = new CartPole();
        using var pendulum = new Pendulum();

        var exception = Assert.Throws<ArgumentException>(() => new SyncVectorEnvironment([cartPole, pendulum]));

        Assert.Equal("environments", exception.ParamName);
    }

    [Fact]
    public void Constructor_DifferentActionSpaces_ThrowsArgumentException()
    {
        using var cartPole = new CartPole();
        using var threeActions = new SpacesOnlyEnvironment(cartPole.ObservationSpace, new DiscreteSpace(3));

        var exception = Assert.Throws<ArgumentException>(() => new SyncVectorEnvironment([cartPole, threeActions]));

        Assert.Equal("environments", exception.ParamName);
        Assert.Contains("action space", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyList_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new SyncVectorEnvironment([]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_CartPoles_AllocatesNothing(bool stepInParallel)
    {
        using var vector = SyncVectorEnvironment.Create(4, _ => new CartPole(maxEpisodeSteps: 20));
        vector.StepInParallel = stepInParallel;
        float[] actions = [0f, 1f, 1f, 0f];
        vector.Reset(seed: 3);
        vector.Step(actions);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
            vector.Step(actions);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void Step_InParallel_MatchesSteppingOneAfterAnother(int count)
    {
        using var sequential = SyncVectorEnvironment.Create(count, _ => new CartPole(maxEpisodeSteps: 30));
        using var parallel = SyncVectorEnvironment.Create(count, _ => new CartPole(maxEpisodeSteps: 30));
        parallel.StepInParallel = true;
        var random = new Random(11);
        var actions = new float[count];
        sequential.Reset(seed: 5);
        parallel.Reset(seed: 5);

        for (int t = 0; t < 400; t++)
        {
            for (int i = 0; i < count; i++)
                actions[i] = random.Next(2);
            VectorStep expected = sequential.Step(actions);
            VectorStep actual = parallel.Step(actions);

            Assert.Equal(expected.Observations.ToArray(), actual.Observations.ToArray());
            Assert.Equal(expected.FinalObservations.ToArray(), actual.FinalObservations.ToArray());
            Assert.Equal(expected.Rewards.ToArray(), actual.Rewards.ToArray());
            Assert.Equal(expected.Terminated.ToArray(), actual.Terminated.ToArray());
            Assert.Equal(expected.Truncated.ToArray(), actual.Truncated.ToArray());
            Assert.Equal(expected.EpisodeReturns.ToArray(), actual.EpisodeReturns.ToArray());
            Assert.Equal(expected.EpisodeLengths.ToArray(), actual.EpisodeLengths.ToArray());
        }
    }

    [Fact]
    public void Step_InParallelAndAnEnvironmentOfTheFirstHalfThrows_RethrowsOnTheCaller()
    {
        using var vector = new SyncVectorEnvironment([new ThrowingEnvironment(), new CartPole(), new CartPole(), new CartPole()]) { StepInParallel = true };
        vector.Reset(seed: 1);

        var exception = Assert.Throws<InvalidOperationException>(() => vector.Step([0f, 0f, 0f, 0f]));

        Assert.Equal(ThrowingEnvironment.Message, exception.Message);
    }

    /// <summary>A CartPole-shaped environment whose every step fails.</summary>
    private sealed class ThrowingEnvironment : IEnvironment
    {
        public const string Message = "the simulation failed";

        public BoxSpace ObservationSpace { get; } = new CartPole().ObservationSpace;

        public Space ActionSpace { get; } = new DiscreteSpace(2);

        public void Reset(Span<float> observation, int? seed = null) => observation.Clear();

        public StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => throw new InvalidOperationException(Message);

        public void Dispose()
        {
        }
    }

    /// <summary>An environment that only declares spaces, to build vectors with mismatched action spaces.</summary>
    private sealed class SpacesOnlyEnvironment(BoxSpace observationSpace, Space actionSpace) : IEnvironment
    {
        public BoxSpace ObservationSpace { get; } = observationSpace;

        public Space ActionSpace { get; } = actionSpace;

        public void Reset(Span<float> observation, int? seed = null) => observation.Clear();

        public StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => default;

        public void Dispose()
        {
        }
    }
}
