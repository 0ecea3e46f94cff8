using Ppo.Environments.Box2D;

namespace Ppo.Environments.Tests.Box2D;

public sealed class LunarLanderTests
{
    private const float Noop = 0f;
    private const float LeftEngine = 1f;
    private const float MainEngine = 2f;
    private const float RightEngine = 3f;

    // Observation units of the vertical velocity: m/s · (viewport height / 2) / FPS, viewport height 400/30 m.
    private const double VerticalVelocityScale = 400.0 / 30.0 / 2.0 / 50.0;

    [Theory]
    [InlineData(-10f)]
    [InlineData(-4f)]
    public void Step_NoEngineInFreeFall_VerticalVelocityDropsByGravityEveryFrame(float gravity)
    {
        using var lander = new LunarLander(new LunarLanderOptions { Gravity = gravity });
        float[] observation = new float[8];
        lander.Reset(observation, seed: 0);
        double expected = gravity / 50.0 * VerticalVelocityScale;

        // During the first 20 frames the legs swing onto their joint limits, and those internal forces shake the body
        // by a few percent; after that the lander and its legs fall as one.
        for (int t = 0; t < 20; t++)
            lander.Step([Noop], observation);
        for (int t = 0; t < 30; t++)
        {
            float before = observation[3];
            lander.Step([Noop], observation);

            Assert.Equal(0f, observation[6]);
            Assert.Equal(0f, observation[7]);
            Assert.Equal(expected, observation[3] - before, Math.Abs(expected) * 0.005);
        }
    }

    [Fact]
    public void Step_MainEngine_SlowsTheDescentComparedWithNoop()
    {
        Trajectory idle = Run(new LunarLanderOptions(), seed: 3, steps: 10, _ => [Noop]);
        Trajectory thrust = Run(new LunarLanderOptions(), seed: 3, steps: 10, _ => [MainEngine]);

        for (int t = 1; t <= 10; t++)
            Assert.True(thrust.Observation(t)[3] > idle.Observation(t)[3], $"Step {t}: vy {thrust.Observation(t)[3]} should exceed {idle.Observation(t)[3]}.");

        // About 13·(4/30) N·s per frame on about 5 kg: roughly 0.35 m/s, or 0.047 in observation units, per frame.
        Assert.InRange(thrust.Observation(10)[3] - idle.Observation(10)[3], 0.3f, 0.7f);
    }

    [Fact]
    public void Step_OrientationEngines_TurnTheLanderInOppositeDirections()
    {
        Trajectory idle = Run(new LunarLanderOptions(), seed: 7, steps: 10, _ => [Noop]);
        Trajectory left = Run(new LunarLanderOptions(), seed: 7, steps: 10, _ => [LeftEngine]);
        Trajectory right = Run(new LunarLanderOptions(), seed: 7, steps: 10, _ => [RightEngine]);

        float idleAngle = idle.Observation(10)[4];
        Assert.True(left.Observation(10)[4] - idleAngle > 0.05f, "The left orientation engine turns the lander counter-clockwise.");
        Assert.True(right.Observation(10)[4] - idleAngle < -0.05f, "The right orientation engine turns the lander clockwise.");
        Assert.True(left.Observation(10)[5] > idle.Observation(10)[5]);
        Assert.True(right.Observation(10)[5] < idle.Observation(10)[5]);
    }

    [Fact]
    public void Step_NoEngineUntilTouchdown_LegContactFlagsBecomeOne()
    {
        using var lander = new LunarLander();
        float[] observation = new float[8];
        lander.Reset(observation, seed: 3);
        Assert.Equal(0f, observation[6]);
        Assert.Equal(0f, observation[7]);

        bool touched = false;
        StepResult result;
        do
        {
            result = lander.Step([Noop], observation);
            touched |= observation[6] == 1f || observation[7] == 1f;
        }
        while (!result.Terminated && !result.Truncated);

        Assert.True(touched, "A leg should touch the ground before the episode ends.");
    }

    [Fact]
    public void Step_FallWithoutEngines_BodyContactTerminatesWithMinus100()
    {
        using var lander = new LunarLander();
        float[] observation = new float[8];
        lander.Reset(observation, seed: 0);

        StepResult result;
        int steps = 0;
        do
        {
            result = lander.Step([Noop], observation);
            steps++;
        }
        while (!result.Terminated && !result.Truncated);

        Assert.True(result.Terminated);
        Assert.False(result.Truncated);
        Assert.Equal(-100f, result.Reward);
        Assert.True(steps < 200, $"A free fall from the top should crash within a few seconds (took {steps} steps).");
        Assert.Throws<InvalidOperationException>(() => lander.Step([Noop], observation));
    }

    [Fact]
    public void Step_FlyingOutOfTheViewport_TerminatesWithMinus100()
    {
        using var lander = new LunarLander();
        float[] observation = new float[8];
        lander.Reset(observation, seed: 1);

        // Hold a lean of 0.5 rad with the orientation engines and fire the main engine otherwise: the lander climbs
        // away to the left, far from the ground.
        StepResult result;
        do
        {
            double turn = 0.5 - observation[4] - 0.5 * observation[5];
            float action = turn > 0.1 ? LeftEngine : turn < -0.1 ? RightEngine : MainEngine;
            result = lander.Step([action], observation);
        }
        while (!result.Terminated && !result.Truncated);

        Assert.True(result.Terminated);
        Assert.Equal(-100f, result.Reward);
        Assert.True(observation[0] <= -1f, $"x should have left the viewport (was {observation[0]}).");
        Assert.True(observation[1] > 0.5f, $"The lander should be high above the ground (y was {observation[1]}).");
    }

    [Fact]
    public void Step_MaxEpisodeStepsReached_TruncatesWithoutTerminating()
    {
        using var lander = new LunarLander(new LunarLanderOptions { MaxEpisodeSteps = 5 });
        float[] observation = new float[8];
        lander.Reset(observation, seed: 0);

        for (int t = 1; t < 5; t++)
        {
            StepResult early = lander.Step([Noop], observation);
            Assert.False(early.Terminated);
            Assert.False(early.Truncated);
        }

        StepResult last = lander.Step([Noop], observation);
        Assert.False(last.Terminated);
        Assert.True(last.Truncated);
        Assert.Throws<InvalidOperationException>(() => lander.Step([Noop], observation));

        lander.Reset(observation, seed: 0);
        Assert.False(lander.Step([Noop], observation).Truncated);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Step_LanderComesToRest_TerminatesWithPlus100(int seed)
    {
        using var lander = new LunarLander();
        float[] observation = new float[8];
        lander.Reset(observation, seed);

        StepResult result;
        double episodeReturn = 0;
        do
        {
            result = lander.Step([Land(observation)], observation);
            episodeReturn += result.Reward;
        }
        while (!result.Terminated && !result.Truncated);

        Assert.True(result.Terminated);
        Assert.Equal(100f, result.Reward);
        Assert.True(observation[6] == 1f || observation[7] == 1f, "The lander should rest on its legs.");
        Assert.True(episodeReturn > 200, $"A soft landing on the pad should score above 200 (was {episodeReturn}).");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Reset_SameSeedAndActions_GiveBitIdenticalTrajectories(bool continuous, bool wind)
    {
        var options = new LunarLanderOptions { Continuous = continuous, EnableWind = wind };
        Trajectory first = Run(options, seed: 42, steps: 300, RandomPolicy(continuous, new Random(5)));
        Trajectory second = Run(options, seed: 42, steps: 300, RandomPolicy(continuous, new Random(5)));
        Trajectory other = Run(options, seed: 43, steps: 300, RandomPolicy(continuous, new Random(5)));

        Assert.Equal(first.Observations, second.Observations);
        Assert.Equal(first.Rewards, second.Rewards);
        Assert.Equal(first.Ends, second.Ends);
        Assert.NotEqual(first.Observations, other.Observations);
    }

    [Fact]
    public void Reset_SameSeedOnOneInstance_RepeatsTheEpisode()
    {
        using var lander = new LunarLander();
        float[] first = new float[8];
        float[] second = new float[8];

        lander.Reset(first, seed: 11);
        for (int t = 0; t < 20; t++)
            lander.Step([MainEngine], first);
        lander.Reset(second, seed: 11);
        for (int t = 0; t < 20; t++)
            lander.Step([MainEngine], second);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Reset_WithoutSeed_StartsADifferentEpisode()
    {
        using var lander = new LunarLander();
        float[] first = new float[8];
        float[] second = new float[8];

        lander.Reset(first, seed: 11);
        lander.Reset(second);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Step_WindEnabled_PushesTheLanderSideways()
    {
        Trajectory calm = Run(new LunarLanderOptions(), seed: 4, steps: 30, _ => [Noop]);
        Trajectory windy = Run(new LunarLanderOptions { EnableWind = true }, seed: 4, steps: 30, _ => [Noop]);

        Assert.NotEqual(calm.Observation(30)[2], windy.Observation(30)[2]);
        Assert.NotEqual(calm.Observation(30)[5], windy.Observation(30)[5]);
    }

    [Theory]
    [InlineData(-1f, 0f)]
    [InlineData(0f, 0.5f)]
    [InlineData(-0.3f, -0.5f)]
    public void Step_ContinuousEnginesOff_MatchesDiscreteNoopWithoutFuelCost(float main, float lateral)
    {
        Trajectory discrete = Run(new LunarLanderOptions(), seed: 9, steps: 40, _ => [Noop]);
        Trajectory continuous = Run(new LunarLanderOptions { Continuous = true }, seed: 9, steps: 40, _ => [main, lateral]);

        Assert.Equal(discrete.Observations, continuous.Observations);
        Assert.Equal(discrete.Rewards, continuous.Rewards);
        for (int t = 1; t < 40; t++)
            Assert.Equal(Shaping(continuous.Observation(t)) - Shaping(continuous.Observation(t - 1)), continuous.Rewards[t], 1e-3);
    }

    [Theory]
    [InlineData(1e-6f, 0f, 0.5 * 0.30)]
    [InlineData(0.5f, 0f, 0.75 * 0.30)]
    [InlineData(1f, 0f, 0.30)]
    [InlineData(-1f, 0.75f, 0.75 * 0.03)]
    [InlineData(-1f, -1f, 0.03)]
    [InlineData(-1f, 0.5001f, 0.5001 * 0.03)]
    [InlineData(1f, -1f, 0.30 + 0.03)]
    public void Step_ContinuousThrottle_CostsFuelFrom50To100PercentOfFullPower(float main, float lateral, double expectedCost)
    {
        Trajectory trajectory = Run(new LunarLanderOptions { Continuous = true }, seed: 2, steps: 5, _ => [main, lateral]);

        for (int t = 1; t <= 5; t++)
        {
            double cost = Shaping(trajectory.Observation(t)) - Shaping(trajectory.Observation(t - 1)) - trajectory.Rewards[t];
            Assert.Equal(expectedCost, cost, 1e-3);
        }
    }

    [Theory]
    [InlineData(MainEngine, 0.30)]
    [InlineData(LeftEngine, 0.03)]
    [InlineData(RightEngine, 0.03)]
    [InlineData(Noop, 0.0)]
    public void Step_DiscreteEngines_CostFuelAtFullPower(float engine, double expectedCost)
    {
        Trajectory trajectory = Run(new LunarLanderOptions(), seed: 2, steps: 5, _ => [engine]);

        for (int t = 1; t <= 5; t++)
        {
            double cost = Shaping(trajectory.Observation(t)) - Shaping(trajectory.Observation(t - 1)) - trajectory.Rewards[t];
            Assert.Equal(expectedCost, cost, 1e-3);
        }
    }

    [Fact]
    public void Step_ContinuousThrottle_FullPowerPushesHarderThanHalf()
    {
        Trajectory idle = Run(new LunarLanderOptions { Continuous = true }, seed: 6, steps: 1, _ => [-1f, 0f]);
        Trajectory half = Run(new LunarLanderOptions { Continuous = true }, seed: 6, steps: 1, _ => [1e-6f, 0f]);
        Trajectory full = Run(new LunarLanderOptions { Continuous = true }, seed: 6, steps: 1, _ => [1f, 0f]);

        double halfGain = half.Observation(1)[3] - idle.Observation(1)[3];
        double fullGain = full.Observation(1)[3] - idle.Observation(1)[3];
        Assert.True(halfGain > 0);
        Assert.Equal(2.0, fullGain / halfGain, 0.1);
    }

    [Theory]
    [InlineData(5f, -7f, 1f, -1f)]
    [InlineData(-3f, 0.2f, -1f, 0.2f)]
    [InlineData(float.PositiveInfinity, float.NegativeInfinity, 1f, -1f)]
    public void Step_ContinuousActionOutOfRange_IsClippedToTheBounds(float main, float lateral, float clippedMain, float clippedLateral)
    {
        Trajectory raw = Run(new LunarLanderOptions { Continuous = true }, seed: 8, steps: 30, _ => [main, lateral]);
        Trajectory clipped = Run(new LunarLanderOptions { Continuous = true }, seed: 8, steps: 30, _ => [clippedMain, clippedLateral]);

        Assert.Equal(clipped.Observations, raw.Observations);
        Assert.Equal(clipped.Rewards, raw.Rewards);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(4f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Step_InvalidDiscreteAction_ThrowsArgumentException(float invalid)
    {
        using var lander = new LunarLander();
        float[] observation = new float[8];
        lander.Reset(observation, seed: 0);

        Assert.Throws<ArgumentException>("action", () => lander.Step([invalid], observation));
        Assert.Throws<ArgumentException>("action", () => lander.Step([1f, 1f], observation));
        lander.Step([Noop], observation);
    }

    [Theory]
    [InlineData(float.NaN, 0f)]
    [InlineData(0f, float.NaN)]
    public void Step_ContinuousNaN_ThrowsArgumentException(float main, float lateral)
    {
        using var lander = new LunarLander(new LunarLanderOptions { Continuous = true });
        float[] observation = new float[8];
        lander.Reset(observation, seed: 0);

        Assert.Throws<ArgumentException>("action", () => lander.Step([main, lateral], observation));
        Assert.Throws<ArgumentException>("action", () => lander.Step([0f], observation));
        lander.Step([0f, 0f], observation);
    }

    [Fact]
    public void Step_WrongObservationLength_ThrowsArgumentException()
    {
        using var lander = new LunarLander();
        float[] observation = new float[8];

        Assert.Throws<ArgumentException>("observation", () => lander.Reset(new float[7], seed: 0));
        lander.Reset(observation, seed: 0);
        Assert.Throws<ArgumentException>("observation", () => lander.Step([Noop], new float[9]));
    }

    [Theory]
    [InlineData(nameof(LunarLanderOptions.Gravity), 0f, "(-12, 0)")]
    [InlineData(nameof(LunarLanderOptions.Gravity), -12f, "(-12, 0)")]
    [InlineData(nameof(LunarLanderOptions.Gravity), float.NaN, "(-12, 0)")]
    [InlineData(nameof(LunarLanderOptions.WindPower), -1f, "[0, 20]")]
    [InlineData(nameof(LunarLanderOptions.WindPower), 20.5f, "[0, 20]")]
    [InlineData(nameof(LunarLanderOptions.TurbulencePower), 2.5f, "[0, 2]")]
    [InlineData(nameof(LunarLanderOptions.MaxEpisodeSteps), 0f, "[1, ")]
    public void Constructor_OptionOutOfRange_ThrowsNamingTheFieldAndRange(string field, float value, string range)
    {
        LunarLanderOptions options = field switch
        {
            nameof(LunarLanderOptions.Gravity) => new LunarLanderOptions { Gravity = value },
            nameof(LunarLanderOptions.WindPower) => new LunarLanderOptions { WindPower = value },
            nameof(LunarLanderOptions.TurbulencePower) => new LunarLanderOptions { TurbulencePower = value },
            _ => new LunarLanderOptions { MaxEpisodeSteps = (int)value },
        };

        ArgumentException exception = Assert.Throws<ArgumentException>(() => new LunarLander(options));

        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
        Assert.Contains(range, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralOptionsOutOfRange_ListsEveryField()
    {
        var options = new LunarLanderOptions { Gravity = 1f, WindPower = 30f, TurbulencePower = -1f, MaxEpisodeSteps = -5 };

        ArgumentException exception = Assert.Throws<ArgumentException>(() => options.Validate());

        Assert.Contains(nameof(LunarLanderOptions.Gravity), exception.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(LunarLanderOptions.WindPower), exception.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(LunarLanderOptions.TurbulencePower), exception.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(LunarLanderOptions.MaxEpisodeSteps), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_AreGymnasiumDefaults()
    {
        var options = new LunarLanderOptions();

        Assert.False(options.Continuous);
        Assert.Equal(-10f, options.Gravity);
        Assert.False(options.EnableWind);
        Assert.Equal(15f, options.WindPower);
        Assert.Equal(1.5f, options.TurbulencePower);
        Assert.Equal(1000, options.MaxEpisodeSteps);
        Assert.Same(options, options.Validate());
    }

    [Fact]
    public void Spaces_Discrete_AreFourActionsAndTheV3ObservationBox()
    {
        using var lander = new LunarLander();

        DiscreteSpace actions = Assert.IsType<DiscreteSpace>(lander.ActionSpace);
        Assert.Equal(4, actions.Count);
        Assert.Equal([-2.5f, -2.5f, -10f, -10f, -2f * MathF.PI, -10f, 0f, 0f], lander.ObservationSpace.Low.ToArray());
        Assert.Equal([2.5f, 2.5f, 10f, 10f, 2f * MathF.PI, 10f, 1f, 1f], lander.ObservationSpace.High.ToArray());
    }

    [Fact]
    public void Spaces_Continuous_IsABoxOfTwoBetweenMinusOneAndOne()
    {
        using var lander = new LunarLander(new LunarLanderOptions { Continuous = true });

        BoxSpace actions = Assert.IsType<BoxSpace>(lander.ActionSpace);
        Assert.Equal([-1f, -1f], actions.Low.ToArray());
        Assert.Equal([1f, 1f], actions.High.ToArray());
        Assert.Equal(8, lander.ObservationSpace.Size);
    }

    [Fact]
    public void Dispose_Twice_DoesNotThrowAndLaterCallsThrowObjectDisposed()
    {
        var lander = new LunarLander();
        float[] observation = new float[8];
        lander.Reset(observation, seed: 0);
        lander.Step([MainEngine], observation);

        lander.Dispose();
        lander.Dispose();

        Assert.Throws<ObjectDisposedException>(() => lander.Step([Noop], observation));
        Assert.Throws<ObjectDisposedException>(() => lander.Reset(observation, seed: 0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_RandomPolicyWithWindForFiveEpisodes_RunsToCompletionWithFiniteObservations(bool continuous)
    {
        using var lander = new LunarLander(new LunarLanderOptions { Continuous = continuous, EnableWind = true });
        Func<float[], float[]> policy = RandomPolicy(continuous, new Random(17));
        float[] observation = new float[8];

        for (int episode = 0; episode < 5; episode++)
        {
            lander.Reset(observation, seed: 100 + episode);
            StepResult result;
            int steps = 0;
            do
            {
                result = lander.Step(policy(observation), observation);
                steps++;
                Assert.All(observation, value => Assert.True(float.IsFinite(value)));
                Assert.True(float.IsFinite(result.Reward));
            }
            while (!result.Terminated && !result.Truncated);

            Assert.InRange(steps, 1, 1000);
        }
    }

    // A simple landing controller: lean towards the pad and damp the spin, fire the main engine when falling faster
    // than the height allows; once a leg touches, only brake the fall.
    private static float Land(float[] observation)
    {
        (float x, float y, float vx, float vy, float angle, float spin) =
            (observation[0], observation[1], observation[2], observation[3], observation[4], observation[5]);
        if (observation[6] == 1f || observation[7] == 1f)
            return -0.5 * vy > 0.05 ? MainEngine : Noop;

        double lean = Math.Clamp(0.5 * x + vx, -0.4, 0.4);
        double turn = 0.5 * (lean - angle) - spin;
        double lift = 0.5 * (0.55 * Math.Abs(x) - y) - 0.5 * vy;
        if (lift > Math.Abs(turn) && lift > 0.05)
            return MainEngine;
        return turn < -0.05 ? RightEngine : turn > 0.05 ? LeftEngine : Noop;
    }

    private static double Shaping(ReadOnlySpan<float> o) =>
        -100.0 * Math.Sqrt(o[0] * (double)o[0] + o[1] * (double)o[1])
        - 100.0 * Math.Sqrt(o[2] * (double)o[2] + o[3] * (double)o[3])
        - 100.0 * Math.Abs(o[4])
        + 10.0 * (o[6] + o[7]);

    private static Func<float[], float[]> RandomPolicy(bool continuous, Random random) => continuous
        ? _ => [random.NextSingle() * 2f - 1f, random.NextSingle() * 2f - 1f]
        : _ => [random.Next(4)];

    // Runs up to `steps` steps, fewer if the episode ends.
    private static Trajectory Run(LunarLanderOptions options, int seed, int steps, Func<float[], float[]> policy)
    {
        using var lander = new LunarLander(options);
        var observations = new List<float>();
        var rewards = new List<float> { 0f };
        var ends = new List<bool> { false };
        float[] observation = new float[8];
        lander.Reset(observation, seed);
        observations.AddRange(observation);

        for (int t = 0; t < steps; t++)
        {
            StepResult result = lander.Step(policy(observation), observation);
            observations.AddRange(observation);
            rewards.Add(result.Reward);
            ends.Add(result.Terminated || result.Truncated);
            if (result.Terminated || result.Truncated)
                break;
        }

        return new Trajectory([.. observations], [.. rewards], [.. ends]);
    }

    // Observation(0) is the reset's observation and Observation(t) the one after step t; Rewards[t] and Ends[t] belong to
    // step t (index 0 holds 0 and false).
    private sealed record Trajectory(float[] Observations, float[] Rewards, bool[] Ends)
    {
        public ReadOnlySpan<float> Observation(int index) => Observations.AsSpan(index * 8, 8);
    }
}
