namespace Ppo.Environments.Tests.Contract;

/// <summary>
/// What every environment promises, whatever it simulates (Gymnasium's <c>Env</c> contract as this library states it
/// on <see cref="IEnvironment"/>): consistent spaces, reset determinism by seed, terminated kept apart from truncated,
/// the final observation of an episode kept on auto-reset, finite observations and rewards, and rejection of bad calls.
/// </summary>
public sealed class EnvironmentContractTests
{
    private const int Seed = 20_260_101;

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Spaces_AfterReset_DescribeTheObservationAndTheActions(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).Create();
        float[] observation = new float[environment.ObservationSpace.Size];

        environment.Reset(observation, Seed);

        Assert.True(environment.ObservationSpace.Size > 0);
        Assert.True(environment.ActionSpace.FlatSize > 0);
        Assert.True(environment.ObservationSpace.Contains(observation), $"The reset observation [{string.Join(", ", observation)}] lies outside {environment.ObservationSpace}.");
        var random = new Random(Seed);
        for (int i = 0; i < 100; i++)
            Assert.True(environment.ActionSpace.Contains(RandomAction(environment.ActionSpace, random)));
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Reset_SameSeed_GivesBitIdenticalTrajectories(string name)
    {
        EnvironmentCase environment = EnvironmentCases.Get(name);

        Assert.Equal(Trajectory(environment, Seed), Trajectory(environment, Seed));
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Reset_DifferentSeeds_GiveDifferentFirstObservations(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).Create();
        float[] first = new float[environment.ObservationSpace.Size], other = new float[first.Length];
        environment.Reset(first, Seed);

        // Some environments start from a few states only (MinAtar's Breakout from two), so one other seed may repeat it.
        bool anyDiffers = false;
        for (int seed = Seed + 1; seed <= Seed + 10 && !anyDiffers; seed++)
        {
            environment.Reset(other, seed);
            anyDiffers = !first.AsSpan().SequenceEqual(other);
        }

        Assert.True(anyDiffers, $"Seeds {Seed} to {Seed + 10} all give the same first observation.");
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Step_RandomActions_KeepObservationsInSpaceAndRewardsFinite(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).Create();
        float[] observation = new float[environment.ObservationSpace.Size];
        var random = new Random(Seed);

        for (int episode = 0; episode < 3; episode++)
        {
            environment.Reset(observation, Seed + episode);
            int length = 0;
            StepResult result;
            do
            {
                result = environment.Step(RandomAction(environment.ActionSpace, random), observation);
                length++;
                Assert.True(float.IsFinite(result.Reward), $"Step {length} returned reward {result.Reward}.");
                Assert.All(observation, value => Assert.True(float.IsFinite(value), $"Step {length} returned observation [{string.Join(", ", observation)}]."));
                Assert.True(environment.ObservationSpace.Contains(observation), $"Step {length} returned [{string.Join(", ", observation)}], outside {environment.ObservationSpace}.");
            }
            while (!result.Terminated && !result.Truncated);

            Assert.InRange(length, 1, EnvironmentCases.Get(name).DefaultMaxEpisodeSteps);
        }
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Step_ReachingTheStepLimit_TruncatesOnThatStepOnly(string name)
    {
        const int Limit = 5;
        using IEnvironment environment = EnvironmentCases.Get(name).CreateWithStepLimit(Limit);
        float[] observation = new float[environment.ObservationSpace.Size];
        float[] action = NeutralAction(environment.ActionSpace);
        environment.Reset(observation, Seed);

        for (int step = 1; step < Limit; step++)
        {
            StepResult early = environment.Step(action, observation);
            Assert.False(early.Truncated, $"Step {step} of {Limit} was truncated.");
            Assert.False(early.Terminated, $"Step {step} of {Limit} terminated.");
        }

        StepResult last = environment.Step(action, observation);
        Assert.True(last.Truncated);
        Assert.False(last.Terminated);
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Step_AfterTheEpisodeEnded_ThrowsUntilReset(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).CreateWithStepLimit(2);
        float[] observation = new float[environment.ObservationSpace.Size];
        float[] action = NeutralAction(environment.ActionSpace);
        environment.Reset(observation, Seed);
        environment.Step(action, observation);
        Assert.True(environment.Step(action, observation).Truncated);

        Assert.Throws<InvalidOperationException>(() => environment.Step(action, observation));
        environment.Reset(observation);
        environment.Step(action, observation);
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Step_BeforeReset_ThrowsInvalidOperationException(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).Create();

        Assert.Throws<InvalidOperationException>(() => environment.Step(NeutralAction(environment.ActionSpace), new float[environment.ObservationSpace.Size]));
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void StepAndReset_SpansOfWrongLength_ThrowArgumentException(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).Create();
        int size = environment.ObservationSpace.Size;
        float[] observation = new float[size];
        float[] action = NeutralAction(environment.ActionSpace);

        Assert.ThrowsAny<ArgumentException>(() => environment.Reset(new float[size + 1], Seed));
        environment.Reset(observation, Seed);
        Assert.ThrowsAny<ArgumentException>(() => environment.Step(action, new float[size - 1]));
        Assert.ThrowsAny<ArgumentException>(() => environment.Step(new float[action.Length + 1], observation));
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Step_NaNAction_ThrowsArgumentException(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).Create();
        float[] observation = new float[environment.ObservationSpace.Size];
        environment.Reset(observation, Seed);
        float[] action = NeutralAction(environment.ActionSpace);
        action[0] = float.NaN;

        Assert.ThrowsAny<ArgumentException>(() => environment.Step(action, observation));
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void VectorStep_EpisodeEnd_KeepsTheFinalObservationAndResetsInPlace(string name)
    {
        const int Limit = 3;
        EnvironmentCase environment = EnvironmentCases.Get(name);
        using var vector = SyncVectorEnvironment.Create(2, _ => environment.CreateWithStepLimit(Limit));
        vector.PoisonObservations = true;   // an observation written only in part fails, naming the environment and the element
        using IEnvironment twin = environment.CreateWithStepLimit(Limit);
        float[] twinObservation = new float[twin.ObservationSpace.Size];
        float[] action = NeutralAction(twin.ActionSpace);
        float[] actions = [.. action, .. action];

        vector.Reset(Seed);
        twin.Reset(twinObservation, Seed + 1);
        VectorStep step = vector.Step(actions);
        for (int t = 1; t < Limit; t++)
        {
            twin.Step(action, twinObservation);
            step = vector.Step(actions);
        }

        twin.Step(action, twinObservation);
        Assert.True(step.Truncated[1]);
        Assert.Equal(twinObservation, step.FinalObservation(1).ToArray());
        twin.Reset(twinObservation);
        Assert.Equal(twinObservation, step.Observation(1).ToArray());
        Assert.Equal(Limit, step.EpisodeLengths[1]);
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Step_AfterWarmUp_AllocatesNothing(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).CreateWithStepLimit(100_000);
        float[] observation = new float[environment.ObservationSpace.Size];
        float[] action = NeutralAction(environment.ActionSpace);
        environment.Reset(observation, Seed);
        environment.Step(action, observation);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            if (environment.Step(action, observation) is { Terminated: true } or { Truncated: true })
                environment.Reset(observation);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static List<float> Trajectory(EnvironmentCase environmentCase, int seed)
    {
        using IEnvironment environment = environmentCase.Create();
        float[] observation = new float[environment.ObservationSpace.Size];
        var random = new Random(seed);
        var trajectory = new List<float>();
        environment.Reset(observation, seed);
        trajectory.AddRange(observation);
        for (int i = 0; i < 20; i++)
        {
            StepResult result = environment.Step(RandomAction(environment.ActionSpace, random), observation);
            trajectory.AddRange(observation);
            trajectory.Add(result.Reward);
            if (result.Terminated || result.Truncated)
                break;
        }

        return trajectory;
    }

    private static float[] RandomAction(Space space, Random random) => space switch
    {
        DiscreteSpace discrete => [random.Next(discrete.Count)],
        MultiDiscreteSpace multiDiscrete => [.. multiDiscrete.CategoryCounts.ToArray().Select(count => (float)random.Next(count))],
        BoxSpace box => RandomBoxAction(box, random),
        _ => throw new NotSupportedException($"No random action for {space}."),
    };

    private static float[] RandomBoxAction(BoxSpace box, Random random)
    {
        float[] action = new float[box.Size];
        for (int i = 0; i < action.Length; i++)
            action[i] = box.Low[i] + (random.NextSingle() * (box.High[i] - box.Low[i]));
        return action;
    }

    /// <summary>Action 0 of a discrete space, or the centre of a box: an action every environment accepts.</summary>
    private static float[] NeutralAction(Space space) => space switch
    {
        DiscreteSpace => [0f],
        MultiDiscreteSpace multiDiscrete => new float[multiDiscrete.ComponentCount],
        BoxSpace box => CentreOf(box),
        _ => throw new NotSupportedException($"No neutral action for {space}."),
    };

    private static float[] CentreOf(BoxSpace box)
    {
        float[] action = new float[box.Size];
        for (int i = 0; i < action.Length; i++)
            action[i] = 0.5f * (box.Low[i] + box.High[i]);
        return action;
    }
}
