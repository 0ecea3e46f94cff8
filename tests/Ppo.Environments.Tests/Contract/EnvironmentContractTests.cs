namespace Ppo.Environments.Tests.Contract;

/// <summary>
/// What every environment promises, whatever it simulates (Gymnasium's <c>Env</c> contract as this library states it
/// on <see cref="IEnvironment"/>): consistent spaces, reset determinism by seed, terminated kept apart from truncated,
/// the final observation of an episode kept on auto-reset, finite observations and rewards, and rejection of bad calls.
/// Where environments differ, each case says what it promises (<see cref="EnvironmentCase"/>): a first observation that
/// depends on the seed or not, a step limit or episodes that end by themselves, and, for one that masks, its legal
/// actions, which its mask must match (<see cref="IMaskableEnvironment"/>).
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

        Assert.Equal(Trajectory(environment, Seed, Seed), Trajectory(environment, Seed, Seed));
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Reset_DifferentSeeds_GiveDifferentTrajectoriesUnderTheSameActions(string name)
    {
        EnvironmentCase environment = EnvironmentCases.Get(name);
        List<float> first = Trajectory(environment, Seed, actionSeed: Seed);

        // The seed, not the actions, must make the difference: every trajectory here takes the same action sequence.
        bool anyDiffers = false;
        for (int seed = Seed + 1; seed <= Seed + 10 && !anyDiffers; seed++)
            anyDiffers = !first.SequenceEqual(Trajectory(environment, seed, actionSeed: Seed));

        Assert.True(anyDiffers, $"Seeds {Seed} to {Seed + 10} all give the same trajectory under the same actions.");
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.SeedDependentFirstObservationNames), MemberType = typeof(EnvironmentCases))]
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
    [MemberData(nameof(EnvironmentCases.FixedFirstObservationNames), MemberType = typeof(EnvironmentCases))]
    public void Reset_AnySeed_GivesTheSameFirstObservation(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).Create();
        float[] first = new float[environment.ObservationSpace.Size], other = new float[first.Length];
        float[] action = NeutralAction(environment.ActionSpace);
        environment.Reset(first, Seed);

        for (int seed = Seed + 1; seed <= Seed + 10; seed++)
        {
            environment.Step(action, other);
            environment.Reset(other, seed);
            Assert.Equal(first, other);
        }

        environment.Step(action, other);
        environment.Reset(other);
        Assert.Equal(first, other);
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

            Assert.InRange(length, 1, EnvironmentCases.Get(name).LongestEpisode);
        }
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.StepLimitedNames), MemberType = typeof(EnvironmentCases))]
    public void Step_ReachingTheStepLimit_TruncatesOnThatStepOnly(string name)
    {
        const int Limit = 5;
        using IEnvironment environment = EnvironmentCases.Get(name).CreateWithStepLimit!(Limit);
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
    [MemberData(nameof(EnvironmentCases.SelfEndingNames), MemberType = typeof(EnvironmentCases))]
    public void Step_WithoutAStepLimit_EndsEveryEpisodeByItselfWithinItsLongestAndNeverTruncates(string name)
    {
        EnvironmentCase environmentCase = EnvironmentCases.Get(name);
        using IEnvironment environment = environmentCase.Create();
        float[] observation = new float[environment.ObservationSpace.Size];
        bool[]? mask = environment is IMaskableEnvironment ? new bool[ActionMasks.Length(environment.ActionSpace)] : null;
        var random = new Random(Seed);
        int longest = 0;

        // Valid actions only, where the environment masks, so that episodes run their full course instead of ending on an illegal move.
        for (int episode = 0; episode < 200; episode++)
        {
            environment.Reset(observation, Seed + episode);
            int length = 0;
            StepResult result;
            do
            {
                float[] action = mask is null ? RandomAction(environment.ActionSpace, random) : RandomValidAction((IMaskableEnvironment)environment, environment.ActionSpace, mask, random);
                result = environment.Step(action, observation);
                length++;
                Assert.False(result.Truncated, $"Episode {episode} was truncated at step {length}.");
                Assert.True(length <= environmentCase.LongestEpisode, $"Episode {episode} lasted more than {environmentCase.LongestEpisode} steps.");
            }
            while (!result.Terminated);

            longest = Math.Max(longest, length);
        }

        Assert.True(longest > 1, "Every episode ended on its first step.");
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Step_AfterTheEpisodeEnded_ThrowsUntilReset(string name)
    {
        EnvironmentCase environmentCase = EnvironmentCases.Get(name);
        using IEnvironment environment = environmentCase.CreateWithShortEpisodes(2);
        float[] observation = new float[environment.ObservationSpace.Size];
        float[] action = NeutralAction(environment.ActionSpace);
        environment.Reset(observation, Seed);
        StepUntilTheEpisodeEnds(environment, action, observation, environmentCase.ShortEpisodeBound(2));

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
        using var vector = SyncVectorEnvironment.Create(2, _ => environment.CreateWithShortEpisodes(Limit));
        vector.PoisonObservations = true;   // an observation written only in part fails, naming the environment and the element
        using IEnvironment twin = environment.CreateWithShortEpisodes(Limit);
        float[] twinObservation = new float[twin.ObservationSpace.Size];
        float[] action = NeutralAction(twin.ActionSpace);
        float[] actions = [.. action, .. action];

        // The twin is environment 1 of the vector (seeded Seed + 1), stepped alone until its episode ends.
        vector.Reset(Seed);
        twin.Reset(twinObservation, Seed + 1);
        int length = 0;
        StepResult twinStep;
        VectorStep step;
        do
        {
            twinStep = twin.Step(action, twinObservation);
            step = vector.Step(actions);
            length++;
            Assert.False(step.EpisodeEnded(1) && !(twinStep.Terminated || twinStep.Truncated), $"The vector ended environment 1's episode at step {length}, alone.");
        }
        while (!twinStep.Terminated && !twinStep.Truncated && length < environment.ShortEpisodeBound(Limit));

        Assert.True(twinStep.Terminated || twinStep.Truncated, $"The episode did not end within {environment.ShortEpisodeBound(Limit)} steps.");
        Assert.Equal((twinStep.Terminated, twinStep.Truncated), (step.Terminated[1], step.Truncated[1]));
        Assert.Equal(twinStep.Reward, step.Rewards[1]);
        Assert.Equal(twinObservation, step.FinalObservation(1).ToArray());
        twin.Reset(twinObservation);
        Assert.Equal(twinObservation, step.Observation(1).ToArray());
        Assert.Equal(length, step.EpisodeLengths[1]);
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.Names), MemberType = typeof(EnvironmentCases))]
    public void Step_AfterWarmUp_AllocatesNothing(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).CreateWithShortEpisodes(100_000);
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

    [Theory]
    [MemberData(nameof(EnvironmentCases.MaskableNames), MemberType = typeof(EnvironmentCases))]
    public void WriteActionMask_WhileTheEpisodeRuns_FillsTheCallersSpanWithTheLegalActionsAndAtLeastOneValid(string name)
    {
        EnvironmentCase environmentCase = EnvironmentCases.Get(name);
        Assert.NotNull(environmentCase.LegalActions);
        using IEnvironment environment = environmentCase.Create();
        var maskable = (IMaskableEnvironment)environment;
        float[] observation = new float[environment.ObservationSpace.Size];
        int length = ActionMasks.Length(environment.ActionSpace);
        bool[] buffer = new bool[length + 2];
        var random = new Random(Seed);
        int checkedMasks = 0, masksWithInvalidActions = 0;

        for (int episode = 0; episode < 20; episode++)
        {
            environment.Reset(observation, Seed + episode);
            StepResult result;
            do
            {
                // The mask goes into the caller's slice only, and every flag of it is written: prefilled true, then false.
                bool[] legal = environmentCase.LegalActions(observation);
                foreach (bool prefill in (bool[])[true, false])
                {
                    Array.Fill(buffer, prefill);
                    maskable.WriteActionMask(buffer.AsSpan(1, length));
                    Assert.Equal((prefill, prefill), (buffer[0], buffer[^1]));
                    Assert.Equal(legal, buffer[1..^1]);
                    Assert.Equal(-1, ActionMasks.FindEmptyComponent(buffer.AsSpan(1, length), environment.ActionSpace));
                }

                checkedMasks++;
                masksWithInvalidActions += Array.IndexOf(legal, false) >= 0 ? 1 : 0;
                float[] action = RandomValidAction(maskable, environment.ActionSpace, new bool[length], random);
                result = environment.Step(action, observation);
            }
            while (!result.Terminated && !result.Truncated);
        }

        Assert.True(checkedMasks > 20, $"Only {checkedMasks} masks were checked.");
        Assert.True(masksWithInvalidActions > 0, $"None of the {checkedMasks} masks checked had an invalid action.");
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.MaskableNames), MemberType = typeof(EnvironmentCases))]
    public void VectorWriteActionMasks_AfterAnAutomaticReset_GivesTheMaskOfTheNewEpisodesObservation(string name)
    {
        EnvironmentCase environmentCase = EnvironmentCases.Get(name);
        Assert.NotNull(environmentCase.LegalActions);
        using var vector = SyncVectorEnvironment.Create(2, _ => environmentCase.CreateWithShortEpisodes(3));
        int length = ActionMasks.Length(vector.ActionSpace);
        bool[] masks = new bool[2 * length];
        int actionSize = vector.ActionSpace.FlatSize;
        float[] actions = new float[2 * actionSize];
        var random = new Random(Seed);
        VectorStep step = vector.Reset(Seed);
        int resets = 0;

        for (int t = 0; t < 200; t++)
        {
            vector.WriteActionMasks(masks);
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(environmentCase.LegalActions(step.Observation(i).ToArray()), masks[(i * length)..((i + 1) * length)]);
                RandomValidAction(masks.AsSpan(i * length, length), vector.ActionSpace, random).CopyTo(actions, i * actionSize);
            }

            step = vector.Step(actions);
            resets += (step.EpisodeEnded(0) ? 1 : 0) + (step.EpisodeEnded(1) ? 1 : 0);
        }

        Assert.True(resets > 2, $"Only {resets} episodes ended in 200 steps.");
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.MaskableNames), MemberType = typeof(EnvironmentCases))]
    public void WriteActionMask_SpanOfWrongLengthOrBeforeReset_Throws(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).Create();
        var maskable = (IMaskableEnvironment)environment;
        int length = ActionMasks.Length(environment.ActionSpace);

        Assert.Throws<InvalidOperationException>(() => maskable.WriteActionMask(new bool[length]));
        environment.Reset(new float[environment.ObservationSpace.Size], Seed);
        Assert.ThrowsAny<ArgumentException>(() => maskable.WriteActionMask(new bool[length - 1]));
        Assert.ThrowsAny<ArgumentException>(() => maskable.WriteActionMask(new bool[length + 1]));
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases.MaskableNames), MemberType = typeof(EnvironmentCases))]
    public void WriteActionMask_AfterWarmUp_AllocatesNothing(string name)
    {
        using IEnvironment environment = EnvironmentCases.Get(name).Create();
        var maskable = (IMaskableEnvironment)environment;
        float[] observation = new float[environment.ObservationSpace.Size];
        bool[] mask = new bool[ActionMasks.Length(environment.ActionSpace)];
        float[] action = NeutralAction(environment.ActionSpace);
        environment.Reset(observation, Seed);
        maskable.WriteActionMask(mask);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            maskable.WriteActionMask(mask);
            if (environment.Step(action, observation) is { Terminated: true } or { Truncated: true })
                environment.Reset(observation);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Steps <paramref name="action"/> until the episode ends, which it must within <paramref name="mostSteps"/> steps.</summary>
    private static void StepUntilTheEpisodeEnds(IEnvironment environment, float[] action, float[] observation, int mostSteps)
    {
        for (int step = 1; step <= mostSteps; step++)
        {
            if (environment.Step(action, observation) is { Terminated: true } or { Truncated: true })
                return;
        }

        Assert.Fail($"The episode did not end within {mostSteps} steps.");
    }

    /// <summary>A trajectory of up to 20 steps from <c>Reset(seed)</c>, its actions drawn from <paramref name="actionSeed"/>.</summary>
    private static List<float> Trajectory(EnvironmentCase environmentCase, int seed, int actionSeed)
    {
        using IEnvironment environment = environmentCase.Create();
        float[] observation = new float[environment.ObservationSpace.Size];
        var random = new Random(actionSeed);
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

    /// <summary>Reads the environment's mask into <paramref name="mask"/> and draws an action it allows.</summary>
    private static float[] RandomValidAction(IMaskableEnvironment environment, Space space, bool[] mask, Random random)
    {
        environment.WriteActionMask(mask);
        return RandomValidAction(mask, space, random);
    }

    /// <summary>An action drawn uniformly among those <paramref name="mask"/> allows, component by component.</summary>
    private static float[] RandomValidAction(ReadOnlySpan<bool> mask, Space space, Random random)
    {
        int[] counts = space switch
        {
            DiscreteSpace discrete => [discrete.Count],
            MultiDiscreteSpace multiDiscrete => multiDiscrete.CategoryCounts.ToArray(),
            _ => throw new NotSupportedException($"No mask for {space}."),
        };
        float[] action = new float[counts.Length];
        int offset = 0;
        for (int component = 0; component < counts.Length; component++)
        {
            ReadOnlySpan<bool> flags = mask.Slice(offset, counts[component]);
            int chosen = random.Next(flags.Count(true));
            for (int category = 0; category < flags.Length; category++)
            {
                if (flags[category] && chosen-- == 0)
                    action[component] = category;
            }

            offset += counts[component];
        }

        return action;
    }

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
