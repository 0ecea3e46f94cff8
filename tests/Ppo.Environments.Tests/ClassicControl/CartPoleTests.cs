using Ppo.Environments.ClassicControl;

namespace Ppo.Environments.Tests.ClassicControl;

/// <summary>Checks <see cref="CartPole"/> against the facts of Gymnasium's CartPole-v1 specification.</summary>
public sealed class CartPoleTests
{
    private const float Left = 0f;
    private const float Right = 1f;

    // Gymnasium CartPole-v1: theta_threshold_radians = 12 * 2 * math.pi / 360, x_threshold = 2.4.
    private const double AngleThreshold = 12 * 2 * Math.PI / 360;
    private const double PositionThreshold = 2.4;

    [Fact]
    public void Spaces_Always_MatchCartPoleV1()
    {
        using var env = new CartPole();

        Assert.Equal(2, env.ActionSpace.Count);
        Assert.Equal(4, env.ObservationSpace.Size);
        float[] high = [4.8f, float.PositiveInfinity, (float)(2 * AngleThreshold), float.PositiveInfinity];
        Assert.Equal(high, env.ObservationSpace.High.ToArray());
        Assert.Equal(Array.ConvertAll(high, h => -h), env.ObservationSpace.Low.ToArray());
        Assert.Equal(0.418879f, env.ObservationSpace.High[2], 6);
        Assert.False(env.ObservationSpace.IsBounded);
        Assert.Equal(500, env.MaxEpisodeSteps);
    }

    [Fact]
    public void Step_PushRightFromRest_MatchesEulerEquationsWorkedByHand()
    {
        using var env = ResetEnvironment();
        env.State = new CartPoleState(0, 0, 0, 0);

        StepResult result = env.Step([Right], new float[4]);

        // With θ = θ̇ = 0, F = +10, M = m_c + m_p = 1.1, m_p·l = 0.05, l = 0.5:
        //   temp = F / M = 100/11
        //   θ̈ = (g·0 − 1·temp) / (l·(4/3 − m_p/M)) = −(100/11) / (41/66) = −600/41
        //   ẍ = temp − m_p·l·θ̈ / M = 100/11 + 300/451 = 400/41
        // Euler with τ = 0.02 moves the positions with the old (zero) velocities:
        //   x' = 0, ẋ' = 0.02·400/41 = 8/41, θ' = 0, θ̇' = −0.02·600/41 = −12/41.
        Assert.Equal(0.0, env.State.Position);
        Assert.Equal(8.0 / 41.0, env.State.Velocity, 15);
        Assert.Equal(0.0, env.State.Angle);
        Assert.Equal(-12.0 / 41.0, env.State.AngularVelocity, 15);
        Assert.Equal(new StepResult(1f, false, false), result);
    }

    [Theory]
    [InlineData(Right, -0.005625065781779709, 0.02349585151852651)]
    [InlineData(Left, -0.3957976546439626, 0.6080233136061515)]
    public void Step_GeneralState_MatchesEulerEquations(float action, double expectedVelocity, double expectedAngularVelocity)
    {
        using var env = ResetEnvironment();
        env.State = new CartPoleState(0.1, -0.2, 0.05, 0.3);

        env.Step([action], new float[4]);

        // From x = 0.1, ẋ = −0.2, θ = 0.05, θ̇ = 0.3 and F = ±10, in double precision:
        //   temp = (F + 0.05·θ̇²·sin θ) / 1.1            = 9.091113551147014 (right), −9.090704630671166 (left)
        //   θ̈ = (9.8·sin θ − cos θ·temp) / (0.5·(4/3 − 0.1·cos²θ / 1.1))
        //                                               = −13.825207424073673 (right), 15.401165680307574 (left)
        //   ẍ = temp − 0.05·θ̈·cos θ / 1.1              = 9.718746710911015 (right), −9.78988273219813 (left)
        //   x' = 0.1 + 0.02·(−0.2) = 0.096, θ' = 0.05 + 0.02·0.3 = 0.056 (old velocities), ẋ' = ẋ + 0.02·ẍ, θ̇' = θ̇ + 0.02·θ̈.
        Assert.Equal(0.096, env.State.Position, 15);
        Assert.Equal(expectedVelocity, env.State.Velocity, 14);
        Assert.Equal(0.056, env.State.Angle, 15);
        Assert.Equal(expectedAngularVelocity, env.State.AngularVelocity, 14);
    }

    [Theory]
    [InlineData(Left, -1)]
    [InlineData(Right, 1)]
    public void Step_FromRest_PushesCartInActionDirection(float action, int expectedSign)
    {
        using var env = ResetEnvironment();
        env.State = default;

        env.Step([action], new float[4]);

        Assert.Equal(expectedSign, Math.Sign(env.State.Velocity));
        Assert.Equal(-expectedSign, Math.Sign(env.State.AngularVelocity));
    }

    [Fact]
    public void Step_Always_WritesFloat32CastOfDoubleState()
    {
        using var env = ResetEnvironment(seed: 3);
        var observation = new float[4];

        for (int i = 0; i < 5; i++)
            env.Step([i % 2], observation);

        CartPoleState state = env.State;
        Assert.Equal([(float)state.Position, (float)state.Velocity, (float)state.Angle, (float)state.AngularVelocity], observation);
    }

    [Theory]
    [InlineData(PositionThreshold, 0.0)]
    [InlineData(-PositionThreshold, 0.0)]
    [InlineData(0.0, AngleThreshold)]
    [InlineData(0.0, -AngleThreshold)]
    public void Step_LandingExactlyOnThreshold_DoesNotTerminate(double position, double angle)
    {
        using var env = ResetEnvironment();
        env.State = new CartPoleState(position, 0, angle, 0);   // zero velocities: Euler leaves x and θ unchanged

        StepResult result = env.Step([Right], new float[4]);

        Assert.Equal(position, env.State.Position);
        Assert.Equal(angle, env.State.Angle);
        Assert.False(result.Terminated);
    }

    [Theory]
    [InlineData(PositionThreshold, 0.0)]
    [InlineData(-PositionThreshold, 0.0)]
    [InlineData(0.0, AngleThreshold)]
    [InlineData(0.0, -AngleThreshold)]
    public void Step_LandingJustBeyondThreshold_TerminatesWithRewardOne(double position, double angle)
    {
        using var env = ResetEnvironment();
        double beyondPosition = position == 0 ? 0 : Math.BitIncrement(Math.Abs(position)) * Math.Sign(position);
        double beyondAngle = angle == 0 ? 0 : Math.BitIncrement(Math.Abs(angle)) * Math.Sign(angle);
        env.State = new CartPoleState(beyondPosition, 0, beyondAngle, 0);

        StepResult result = env.Step([Left], new float[4]);

        Assert.Equal(new StepResult(1f, true, false), result);
    }

    [Fact]
    public void AngleThreshold_Always_IsTwelveDegrees()
    {
        Assert.Equal(0.2094, AngleThreshold, 4);
    }

    [Fact]
    public void Step_BalancedForFiveHundredSteps_TruncatesOnLastStepWithRewardOne()
    {
        using var env = ResetEnvironment(seed: 0);
        var observation = new float[4];

        for (int step = 1; step < 500; step++)
        {
            env.State = default;
            Assert.Equal(new StepResult(1f, false, false), env.Step([step % 2], observation));
        }

        env.State = default;
        Assert.Equal(new StepResult(1f, false, true), env.Step([Left], observation));
        Assert.Equal(500, env.ElapsedSteps);
    }

    [Fact]
    public void Step_TerminatingOnLastAllowedStep_ReportsBothFlags()
    {
        using var env = new CartPole(maxEpisodeSteps: 1);
        env.Reset(new float[4], seed: 0);
        env.State = new CartPoleState(3.0, 0, 0, 0);

        Assert.Equal(new StepResult(1f, true, true), env.Step([Right], new float[4]));
    }

    [Fact]
    public void Step_ConstantPush_TerminatesWithRewardOneOnEveryStep()
    {
        using var env = ResetEnvironment(seed: 11);
        var observation = new float[4];
        StepResult result;
        int steps = 0;

        do
        {
            result = env.Step([Right], observation);
            steps++;
            Assert.Equal(1f, result.Reward);
        }
        while (!result.Terminated && !result.Truncated);

        Assert.True(result.Terminated);
        Assert.False(result.Truncated);
        Assert.InRange(steps, 2, 100);
        Assert.True(env.ObservationSpace.Contains(observation));
    }

    [Fact]
    public void Reset_ManySeeds_DrawsEveryComponentInOpenIntervalAroundZero()
    {
        using var env = new CartPole();
        var observation = new float[4];
        var minimum = new double[4];
        var maximum = new double[4];

        for (int seed = 0; seed < 2000; seed++)
        {
            env.Reset(observation, seed);
            double[] state = [env.State.Position, env.State.Velocity, env.State.Angle, env.State.AngularVelocity];
            for (int i = 0; i < 4; i++)
            {
                Assert.InRange(state[i], -0.05, 0.05);
                Assert.NotEqual(-0.05, state[i]);
                Assert.NotEqual(0.05, state[i]);
                Assert.Equal((float)state[i], observation[i]);
                minimum[i] = Math.Min(minimum[i], state[i]);
                maximum[i] = Math.Max(maximum[i], state[i]);
            }
        }

        Assert.All(minimum, m => Assert.InRange(m, -0.05, -0.049));
        Assert.All(maximum, m => Assert.InRange(m, 0.049, 0.05));
    }

    [Fact]
    public void Reset_WithoutSeedAfterSeededReset_ContinuesTheSeededSequence()
    {
        using var first = new CartPole();
        using var second = new CartPole();
        float[] a = new float[4], b = new float[4], seeded = new float[4];

        first.Reset(seeded, seed: 5);
        first.Reset(a);
        second.Reset(new float[4], seed: 5);
        second.Reset(b);

        Assert.Equal(a, b);
        Assert.NotEqual(seeded, a);
    }

    [Fact]
    public void Reset_NeverSeeded_DrawsDifferentSeedsPerInstance()
    {
        using var first = new CartPole();
        using var second = new CartPole();
        float[] a = new float[4], b = new float[4];

        first.Reset(a);
        second.Reset(b);

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(2f)]
    [InlineData(0.5f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Step_ActionOutsideDiscreteTwo_ThrowsArgumentException(float action)
    {
        using var env = ResetEnvironment();

        var exception = Assert.Throws<ArgumentException>(() => env.Step([action], new float[4]));

        Assert.Equal("action", exception.ParamName);
        Assert.Contains("[0, 1]", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Step_ActionOfWrongLength_ThrowsWithExpectedAndActualLength(int length)
    {
        using var env = ResetEnvironment();

        var exception = Assert.Throws<ArgumentException>(() => env.Step(new float[length], new float[4]));

        Assert.Equal("action", exception.ParamName);
        Assert.Contains("length 1", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"was {length}", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void StepAndReset_ObservationOfWrongLength_ThrowWithExpectedAndActualLength(int length)
    {
        using var env = ResetEnvironment();

        var stepException = Assert.Throws<ArgumentException>(() => env.Step([Left], new float[length]));
        var resetException = Assert.Throws<ArgumentException>(() => env.Reset(new float[length]));

        foreach (ArgumentException exception in new[] { stepException, resetException })
        {
            Assert.Equal("observation", exception.ParamName);
            Assert.Contains("length 4", exception.Message, StringComparison.Ordinal);
            Assert.Contains($"was {length}", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Step_AfterTermination_ThrowsUntilReset()
    {
        using var env = ResetEnvironment();
        env.State = new CartPoleState(3.0, 0, 0, 0);
        Assert.True(env.Step([Left], new float[4]).Terminated);

        var exception = Assert.Throws<InvalidOperationException>(() => env.Step([Left], new float[4]));
        Assert.Contains("Reset", exception.Message, StringComparison.Ordinal);

        env.Reset(new float[4]);
        Assert.False(env.Step([Left], new float[4]).Terminated);
    }

    [Fact]
    public void Step_AfterTruncation_Throws()
    {
        using var env = new CartPole(maxEpisodeSteps: 1);
        env.Reset(new float[4], seed: 1);
        Assert.True(env.Step([Left], new float[4]).Truncated);

        Assert.Throws<InvalidOperationException>(() => env.Step([Left], new float[4]));
    }

    [Fact]
    public void Constructor_NonPositiveStepLimit_ThrowsArgumentOutOfRange()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new CartPole(maxEpisodeSteps: 0));

        Assert.Equal("maxEpisodeSteps", exception.ParamName);
    }

    [Fact]
    public void State_SetNonFinite_ThrowsArgumentException()
    {
        using var env = new CartPole();

        Assert.Throws<ArgumentException>(() => env.State = new CartPoleState(0, double.NaN, 0, 0));
        Assert.Throws<ArgumentException>(() => env.State = new CartPoleState(0, 0, 0, double.PositiveInfinity));
    }

    private static CartPole ResetEnvironment(int seed = 0)
    {
        var env = new CartPole();
        env.Reset(new float[4], seed);
        return env;
    }
}
