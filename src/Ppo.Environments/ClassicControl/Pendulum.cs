using Ppo.Randomness;

namespace Ppo.Environments.ClassicControl;

/// <summary>
/// The inverted-pendulum swing-up task, as Gymnasium's <c>Pendulum-v1</c>: apply a torque to a pendulum hanging from
/// a fixed pivot so that it swings up and stays upright.
/// </summary>
/// <remarks>
/// <para>
/// Action <c>Box(−2, 2, (1,))</c>, the torque u in N·m, positive counter-clockwise; values outside are clipped to ±2.
/// Observation <c>[cos θ, sin θ, θ̇]</c> as float32, bounds [1, 1, 8]; θ = 0 is upright.
/// </para>
/// <para>
/// Physics (Gymnasium Pendulum-v1): maximum speed 8 rad/s, dt = 0.05 s, g = 10 m/s² by default, mass m = 1 kg,
/// length l = 1 m. One step computes, from the state before the update,
/// <c>θ̇' = clip(θ̇ + (3g/(2l)·sin θ + 3/(m·l²)·u)·dt, −8, 8)</c> and then <c>θ' = θ + θ̇'·dt</c>
/// (the new velocity moves the angle: semi-implicit Euler). θ is not wrapped.
/// </para>
/// <para>
/// Reward <c>−(normalize(θ)² + 0.1·θ̇² + 0.001·u²)</c> from the state before the update and the clipped torque, where
/// <c>normalize(θ) = ((θ + π) mod 2π) − π</c> lies in [−π, π); it ranges from about −16.27 to 0. The episode never
/// terminates and is truncated when it reaches the step limit (200 for Pendulum-v1). Reset draws θ uniformly from
/// [−π, π) and then θ̇ from [−1, 1).
/// </para>
/// <para>
/// Everything is computed in double precision; Gymnasium computes the torque terms in float32 under NumPy 2, so rewards
/// and velocities may differ from it in the last bits of a float32.
/// </para>
/// </remarks>
public sealed class Pendulum : IEnvironment, IStatefulEnvironment
{
    /// <summary>The step limit of Gymnasium's <c>Pendulum-v1</c> registration.</summary>
    public const int DefaultMaxEpisodeSteps = 200;

    /// <summary>The default gravitational acceleration of Gymnasium's <c>Pendulum-v1</c>, in m/s².</summary>
    public const double DefaultGravity = 10.0;

    private const double MaxSpeed = 8.0;
    private const float MaxTorque = 2.0f;
    private const double TimeStep = 0.05;
    private const double Mass = 1.0;
    private const double Length = 1.0;
    private const int ObservationSize = 3;

    private readonly SeededRandom _random = new((ulong)Random.Shared.NextInt64());
    private readonly EpisodeProgress _episode;
    private PendulumState _state;

    /// <summary>Creates the environment; it must be <see cref="Reset"/> before the first <see cref="Step"/>.</summary>
    /// <param name="gravity">The gravitational acceleration g in m/s² (Gymnasium's <c>g</c> argument); finite.</param>
    /// <param name="maxEpisodeSteps">The step at which an episode is truncated; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="gravity"/> is NaN or infinite, or <paramref name="maxEpisodeSteps"/> is below 1.
    /// </exception>
    /// <remarks>Until <see cref="Reset"/> is given a seed, the random generator uses a seed drawn once from <see cref="Random.Shared"/>.</remarks>
    public Pendulum(double gravity = DefaultGravity, int maxEpisodeSteps = DefaultMaxEpisodeSteps)
    {
        if (!double.IsFinite(gravity))
            throw new ArgumentOutOfRangeException(nameof(gravity), gravity, "Gravity must be finite.");
        _episode = new EpisodeProgress(maxEpisodeSteps, nameof(maxEpisodeSteps));
        Gravity = gravity;
        ReadOnlySpan<float> high = [1f, 1f, (float)MaxSpeed];
        ReadOnlySpan<float> low = [-1f, -1f, -(float)MaxSpeed];
        ObservationSpace = new BoxSpace(low, high);
        ActionSpace = new BoxSpace(-MaxTorque, MaxTorque, 1);
    }

    /// <inheritdoc/>
    /// <remarks>Bounds cos θ ±1, sin θ ±1, θ̇ ±8.</remarks>
    public BoxSpace ObservationSpace { get; }

    /// <summary>Gets the action space, <c>Box(−2, 2, (1,))</c>: the torque in N·m.</summary>
    public BoxSpace ActionSpace { get; }

    Space IEnvironment.ActionSpace => ActionSpace;

    /// <summary>Gets the gravitational acceleration in m/s².</summary>
    public double Gravity { get; }

    /// <summary>Gets the step at which an episode is truncated.</summary>
    public int MaxEpisodeSteps => _episode.MaxEpisodeSteps;

    /// <summary>Gets the number of steps taken in the current episode.</summary>
    public int ElapsedSteps => _episode.ElapsedSteps;

    /// <summary>Gets or sets the physical state, to inspect the system or place it in a known state.</summary>
    /// <remarks>
    /// Setting the state changes only the physics: it neither starts an episode nor changes <see cref="ElapsedSteps"/>,
    /// so <see cref="Reset"/> is still required before stepping. The state is all zeros before the first reset.
    /// </remarks>
    /// <exception cref="ArgumentException">A component of the value set is NaN or infinite.</exception>
    public PendulumState State
    {
        get => _state;
        set
        {
            if (!double.IsFinite(value.Angle) || !double.IsFinite(value.AngularVelocity))
                throw new ArgumentException($"Every state component must be finite (was {value}).", nameof(value));
            _state = value;
        }
    }

    /// <inheritdoc/>
    /// <remarks>θ is drawn uniformly from [−π, π), then θ̇ from [−1, 1) (Gymnasium Pendulum-v1).</remarks>
    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckObservationLength(observation);
        if (seed is int value)
            _random.Reseed(unchecked((ulong)(long)value));

        double angle = -Math.PI + 2 * Math.PI * _random.NextDouble();
        double angularVelocity = -1.0 + 2.0 * _random.NextDouble();
        _state = new PendulumState(angle, angularVelocity);
        _episode.Start();
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// <paramref name="action"/> does not have length 1 or is NaN, or <paramref name="observation"/> does not have length 3.
    /// </exception>
    /// <remarks>A torque outside [−2, 2], infinities included, is clipped to the nearer bound.</remarks>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (action.Length != 1)
            throw new ArgumentException($"The action must have length 1 (was {action.Length}).", nameof(action));
        if (float.IsNaN(action[0]))
            throw new ArgumentException("The torque must be a number; values outside [-2, 2] are clipped (was NaN).", nameof(action));
        CheckObservationLength(observation);
        _episode.EnsureRunning();

        double torque = Math.Clamp(action[0], -MaxTorque, MaxTorque);
        (double angle, double angularVelocity) = _state;
        double normalizedAngle = NormalizeAngle(angle);
        double cost = normalizedAngle * normalizedAngle + 0.1 * (angularVelocity * angularVelocity) + 0.001 * (torque * torque);

        double newAngularVelocity = angularVelocity
            + (3 * Gravity / (2 * Length) * Math.Sin(angle) + 3.0 / (Mass * Length * Length) * torque) * TimeStep;
        newAngularVelocity = Math.Clamp(newAngularVelocity, -MaxSpeed, MaxSpeed);
        _state = new PendulumState(angle + newAngularVelocity * TimeStep, newAngularVelocity);
        WriteObservation(observation);

        bool truncated = _episode.Advance(terminated: false);
        return new StepResult((float)-cost, false, truncated);
    }

    /// <inheritdoc/>
    public bool CanSaveState => true;

    /// <inheritdoc/>
    /// <remarks>Writes the physical state, the random generator and the episode progress.</remarks>
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_state.Angle);
        writer.Write(_state.AngularVelocity);
        RandomStateSerialization.Write(writer, _random.State);
        _episode.Save(writer);
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = new PendulumState(reader.ReadDouble(), reader.ReadDouble());
        if (!double.IsFinite(state.Angle) || !double.IsFinite(state.AngularVelocity))
            throw new InvalidDataException($"The saved Pendulum state {state} is not finite.");
        RandomState random = RandomStateSerialization.Read(reader);
        _episode.Load(reader);
        _state = state;
        _random.State = random;
    }

    /// <summary>Does nothing: the environment holds no resources.</summary>
    public void Dispose()
    {
    }

    /// <summary>Wraps <paramref name="angle"/> into [−π, π) with a floored modulo, as Gymnasium's <c>angle_normalize</c>.</summary>
    private static double NormalizeAngle(double angle)
    {
        const double FullTurn = 2 * Math.PI;
        double remainder = (angle + Math.PI) % FullTurn;
        if (remainder < 0)
            remainder += FullTurn;
        return remainder - Math.PI;
    }

    private static void CheckObservationLength(Span<float> observation)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"The observation must have length {ObservationSize} (was {observation.Length}).", nameof(observation));
    }

    private void WriteObservation(Span<float> observation)
    {
        observation[0] = (float)Math.Cos(_state.Angle);
        observation[1] = (float)Math.Sin(_state.Angle);
        observation[2] = (float)_state.AngularVelocity;
    }
}
