using Ppo.Environments.ClassicControl;

namespace Ppo.Environments.Tests.ClassicControl;

/// <summary>Checks <see cref="Pendulum"/> against the facts of Gymnasium's Pendulum-v1 specification.</summary>
public sealed class PendulumTests
{
    [Fact]
    public void Spaces_Always_MatchPendulumV1()
    {
        using var env = new Pendulum();

        Assert.Equal([-2f], env.ActionSpace.Low.ToArray());
        Assert.Equal([2f], env.ActionSpace.High.ToArray());
        Assert.Equal([-1f, -1f, -8f], env.ObservationSpace.Low.ToArray());
        Assert.Equal([1f, 1f, 8f], env.ObservationSpace.High.ToArray());
        Assert.Equal(200, env.MaxEpisodeSteps);
        Assert.Equal(10.0, env.Gravity);
    }

    [Fact]
    public void Step_KnownState_MatchesEquations()
    {
        using var env = ResetEnvironment();
        env.State = new PendulumState(1.0, -0.5);
        var observation = new float[3];

        StepResult result = env.Step([1.5f], observation);

        // g = 10, m = l = 1, dt = 0.05, u = 1.5, θ = 1, θ̇ = −0.5:
        //   θ̇' = θ̇ + (3g/(2l)·sin θ + 3/(m·l²)·u)·dt = −0.5 + (15·sin 1 + 4.5)·0.05 = −0.275 + 0.75·sin 1
        //   θ' = θ + θ̇'·dt (the new velocity moves the angle)
        //   cost = θ² + 0.1·θ̇² + 0.001·u² = 1 + 0.025 + 0.00225 = 1.02725, from the state before the update
        double expectedVelocity = -0.275 + 0.75 * Math.Sin(1.0);
        double expectedAngle = 1.0 + expectedVelocity * 0.05;
        Assert.Equal(expectedVelocity, env.State.AngularVelocity, 15);
        Assert.Equal(expectedAngle, env.State.Angle, 15);
        Assert.Equal(0.3561032386059225, expectedVelocity, 15);
        Assert.Equal([(float)Math.Cos(expectedAngle), (float)Math.Sin(expectedAngle), (float)expectedVelocity], observation);
        Assert.Equal(new StepResult(-1.02725f, false, false), result);
    }

    [Theory]
    [InlineData(5f, 2f)]
    [InlineData(float.PositiveInfinity, 2f)]
    [InlineData(-2.5f, -2f)]
    [InlineData(float.NegativeInfinity, -2f)]
    public void Step_TorqueOutsideBounds_IsClippedToTwo(float torque, float clipped)
    {
        using var env = ResetEnvironment();
        using var reference = ResetEnvironment();
        env.State = reference.State = new PendulumState(0.3, 0.2);
        float[] observation = new float[3], expectedObservation = new float[3];

        StepResult result = env.Step([torque], observation);
        StepResult expected = reference.Step([clipped], expectedObservation);

        Assert.Equal(expected, result);
        Assert.Equal(expectedObservation, observation);
        Assert.Equal(reference.State, env.State);
        // cost = 0.3² + 0.1·0.2² + 0.001·2² uses the clipped torque.
        Assert.Equal((float)-(0.09 + 0.004 + 0.004), result.Reward, 6);
    }

    [Theory]
    [InlineData(1.0, 7.9, 2f, 8.0)]
    [InlineData(-1.0, -7.9, -2f, -8.0)]
    public void Step_SpeedBeyondEight_IsClippedBeforeAngleUpdate(double angle, double angularVelocity, float torque, double expectedVelocity)
    {
        using var env = ResetEnvironment();
        env.State = new PendulumState(angle, angularVelocity);

        var observation = new float[3];
        env.Step([torque], observation);

        // Unclipped: 7.9 + (15·sin 1 + 6)·0.05 ≈ 8.83 > 8; then θ' = θ + 8·0.05 uses the clipped speed.
        Assert.Equal(expectedVelocity, env.State.AngularVelocity);
        Assert.Equal(angle + expectedVelocity * 0.05, env.State.Angle, 15);
        Assert.Equal((float)expectedVelocity, observation[2]);
    }

    [Theory]
    [InlineData(4.0, 4.0 - 2 * Math.PI)]
    [InlineData(-4.0, 2 * Math.PI - 4.0)]
    [InlineData(7.0, 7.0 - 2 * Math.PI)]
    [InlineData(-10.0, -10.0 + 4 * Math.PI)]
    [InlineData(Math.PI, -Math.PI)]
    [InlineData(0.5, 0.5)]
    public void Step_AngleOutsidePiRange_NormalizesAngleInReward(double angle, double normalizedAngle)
    {
        using var env = ResetEnvironment();
        env.State = new PendulumState(angle, 0.5);

        StepResult result = env.Step([1f], new float[3]);

        // reward = −(normalize(θ)² + 0.1·θ̇² + 0.001·u²), normalize(θ) = ((θ + π) mod 2π) − π ∈ [−π, π).
        double expected = -(normalizedAngle * normalizedAngle + 0.1 * 0.25 + 0.001 * 1.0);
        Assert.Equal((float)expected, result.Reward, 5);
    }

    [Fact]
    public void Step_WorstState_GivesDocumentedMinimumReward()
    {
        using var env = ResetEnvironment();
        env.State = new PendulumState(-Math.PI, 8.0);

        StepResult result = env.Step([2f], new float[3]);

        // Gymnasium's documented minimum: −(π² + 0.1·8² + 0.001·2²) = −16.2736044.
        Assert.Equal(-16.2736044f, result.Reward, 5);
    }

    [Fact]
    public void Step_TwoHundredSteps_TruncatesOnLastStepAndNeverTerminates()
    {
        using var env = ResetEnvironment(seed: 9);
        var observation = new float[3];
        float[] torques = [-2f, 0f, 2f];

        for (int step = 1; step < 200; step++)
        {
            StepResult result = env.Step(torques.AsSpan(step % 3, 1), observation);
            Assert.False(result.Terminated);
            Assert.False(result.Truncated);
            Assert.True(env.ObservationSpace.Contains(observation));
        }

        StepResult last = env.Step([0f], observation);
        Assert.False(last.Terminated);
        Assert.True(last.Truncated);
        Assert.Equal(200, env.ElapsedSteps);
    }

    [Fact]
    public void Reset_ManySeeds_DrawsAngleAndSpeedInDocumentedRanges()
    {
        using var env = new Pendulum();
        var observation = new float[3];
        double minimumAngle = 0, maximumAngle = 0, minimumSpeed = 0, maximumSpeed = 0;

        for (int seed = 0; seed < 2000; seed++)
        {
            env.Reset(observation, seed);
            PendulumState state = env.State;
            Assert.InRange(state.Angle, -Math.PI, Math.PI);
            Assert.InRange(state.AngularVelocity, -1.0, 1.0);
            Assert.Equal([(float)Math.Cos(state.Angle), (float)Math.Sin(state.Angle), (float)state.AngularVelocity], observation);
            minimumAngle = Math.Min(minimumAngle, state.Angle);
            maximumAngle = Math.Max(maximumAngle, state.Angle);
            minimumSpeed = Math.Min(minimumSpeed, state.AngularVelocity);
            maximumSpeed = Math.Max(maximumSpeed, state.AngularVelocity);
        }

        Assert.InRange(minimumAngle, -Math.PI, -3.1);
        Assert.InRange(maximumAngle, 3.1, Math.PI);
        Assert.InRange(minimumSpeed, -1.0, -0.99);
        Assert.InRange(maximumSpeed, 0.99, 1.0);
    }

    [Fact]
    public void Constructor_Gravity_ChangesDynamics()
    {
        using var env = new Pendulum(gravity: 9.81);
        env.Reset(new float[3], seed: 0);
        env.State = new PendulumState(1.0, 0.0);

        env.Step([0f], new float[3]);

        // θ̇' = (3·9.81/2·sin 1)·0.05
        Assert.Equal(1.5 * 9.81 * Math.Sin(1.0) * 0.05, env.State.AngularVelocity, 15);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_NonFiniteGravity_ThrowsArgumentOutOfRange(double gravity)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new Pendulum(gravity));

        Assert.Equal("gravity", exception.ParamName);
    }

    [Fact]
    public void Constructor_NonPositiveStepLimit_ThrowsArgumentOutOfRange()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new Pendulum(maxEpisodeSteps: 0));

        Assert.Equal("maxEpisodeSteps", exception.ParamName);
    }

    [Fact]
    public void Step_NaNTorque_ThrowsArgumentException()
    {
        using var env = ResetEnvironment();

        var exception = Assert.Throws<ArgumentException>(() => env.Step([float.NaN], new float[3]));

        Assert.Equal("action", exception.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Step_ActionOfWrongLength_ThrowsWithExpectedAndActualLength(int length)
    {
        using var env = ResetEnvironment();

        var exception = Assert.Throws<ArgumentException>(() => env.Step(new float[length], new float[3]));

        Assert.Equal("action", exception.ParamName);
        Assert.Contains("length 1", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"was {length}", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void StepAndReset_ObservationOfWrongLength_ThrowWithExpectedAndActualLength(int length)
    {
        using var env = ResetEnvironment();

        var stepException = Assert.Throws<ArgumentException>(() => env.Step([0f], new float[length]));
        var resetException = Assert.Throws<ArgumentException>(() => env.Reset(new float[length]));

        foreach (ArgumentException exception in new[] { stepException, resetException })
        {
            Assert.Equal("observation", exception.ParamName);
            Assert.Contains("length 3", exception.Message, StringComparison.Ordinal);
            Assert.Contains($"was {length}", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Step_AfterTruncation_ThrowsUntilReset()
    {
        using var env = new Pendulum(maxEpisodeSteps: 1);
        env.Reset(new float[3], seed: 0);
        Assert.True(env.Step([0f], new float[3]).Truncated);

        Assert.Throws<InvalidOperationException>(() => env.Step([0f], new float[3]));

        env.Reset(new float[3]);
        Assert.True(env.Step([0f], new float[3]).Truncated);
    }

    [Fact]
    public void State_SetNonFinite_ThrowsArgumentException()
    {
        using var env = new Pendulum();

        Assert.Throws<ArgumentException>(() => env.State = new PendulumState(double.NaN, 0));
    }

    private static Pendulum ResetEnvironment(int seed = 0)
    {
        var env = new Pendulum();
        env.Reset(new float[3], seed);
        return env;
    }
}
