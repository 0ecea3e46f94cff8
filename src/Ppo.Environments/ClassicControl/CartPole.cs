using Ppo.Randomness;

namespace Ppo.Environments.ClassicControl;

/// <summary>
/// The cart-pole balancing task of Barto, Sutton and Anderson (1983), exactly as Gymnasium's <c>CartPole-v1</c>:
/// push a cart left or right so that the pole hinged on it stays upright.
/// </summary>
/// <remarks>
/// <para>
/// Action <c>Discrete(2)</c>: 0 pushes the cart left with 10 N, 1 pushes it right. Observation
/// <c>[x, ẋ, θ, θ̇]</c> as float32, the double-precision <see cref="State"/> rounded to float.
/// </para>
/// <para>
/// Physics (Gymnasium CartPole-v1): g = 9.8 m/s², cart mass 1.0 kg, pole mass 0.1 kg, half pole length l = 0.5 m,
/// τ = 0.02 s. With total mass M = 1.1 kg and force F = ±10 N, the accelerations are
/// <c>temp = (F + m_p·l·θ̇²·sin θ) / M</c>,
/// <c>θ̈ = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ / M))</c> and
/// <c>ẍ = temp − m_p·l·θ̈·cos θ / M</c>,
/// and the state advances by explicit Euler, every update using the old state:
/// <c>x += τ·ẋ; ẋ += τ·ẍ; θ += τ·θ̇; θ̇ += τ·θ̈</c>.
/// </para>
/// <para>
/// Reward +1 on every step, the terminating one included. The episode terminates when |x| &gt; 2.4 or
/// |θ| &gt; 12° = 12·2π/360 rad (strict inequalities), and is truncated when it reaches the step limit (500 for
/// CartPole-v1); a step that does both reports both, as Gymnasium's <c>TimeLimit</c> does. Reset draws each state
/// component uniformly from [−0.05, 0.05).
/// </para>
/// <para>
/// Observation bounds are twice the termination thresholds for x (±4.8) and θ (±24° ≈ ±0.419 rad), so the terminating
/// observation still lies inside. The velocities are unbounded: Gymnasium writes that as the largest float32, this
/// class as ±∞, so that <see cref="BoxSpace.IsBounded"/> reports it.
/// </para>
/// </remarks>
public sealed class CartPole : IEnvironment, IStatefulEnvironment
{
    /// <summary>The step limit of Gymnasium's <c>CartPole-v1</c> registration.</summary>
    public const int DefaultMaxEpisodeSteps = 500;

    private const double Gravity = 9.8;
    private const double CartMass = 1.0;
    private const double PoleMass = 0.1;
    private const double TotalMass = PoleMass + CartMass;
    private const double HalfPoleLength = 0.5;
    private const double PoleMassLength = PoleMass * HalfPoleLength;
    private const double ForceMagnitude = 10.0;
    private const double TimeStep = 0.02;
    private const double PositionThreshold = 2.4;
    private const double AngleThreshold = 12 * 2 * Math.PI / 360;
    private const double ResetBound = 0.05;
    private const int ObservationSize = 4;

    private readonly SeededRandom _random = new((ulong)Random.Shared.NextInt64());
    private readonly EpisodeProgress _episode;
    private CartPoleState _state;

    /// <summary>Creates the environment; it must be <see cref="Reset"/> before the first <see cref="Step"/>.</summary>
    /// <param name="maxEpisodeSteps">The step at which an episode is truncated; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEpisodeSteps"/> is below 1.</exception>
    /// <remarks>Until <see cref="Reset"/> is given a seed, the random generator uses a seed drawn once from <see cref="Random.Shared"/>.</remarks>
    public CartPole(int maxEpisodeSteps = DefaultMaxEpisodeSteps)
    {
        _episode = new EpisodeProgress(maxEpisodeSteps, nameof(maxEpisodeSteps));
        ReadOnlySpan<float> high =
        [
            (float)(2 * PositionThreshold),
            float.PositiveInfinity,
            (float)(2 * AngleThreshold),
            float.PositiveInfinity,
        ];
        ReadOnlySpan<float> low = [-high[0], -high[1], -high[2], -high[3]];
        ObservationSpace = new BoxSpace(low, high);
        ActionSpace = new DiscreteSpace(2);
    }

    /// <inheritdoc/>
    /// <remarks>Bounds x ±4.8, ẋ ±∞, θ ±0.4189 rad, θ̇ ±∞.</remarks>
    public BoxSpace ObservationSpace { get; }

    /// <summary>Gets the action space, <c>Discrete(2)</c>: 0 pushes the cart left, 1 pushes it right.</summary>
    public DiscreteSpace ActionSpace { get; }

    Space IEnvironment.ActionSpace => ActionSpace;

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
    public CartPoleState State
    {
        get => _state;
        set
        {
            if (!double.IsFinite(value.Position) || !double.IsFinite(value.Velocity)
                || !double.IsFinite(value.Angle) || !double.IsFinite(value.AngularVelocity))
            {
                throw new ArgumentException($"Every state component must be finite (was {value}).", nameof(value));
            }

            _state = value;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Each of x, ẋ, θ and θ̇ is drawn, in that order, uniformly from [−0.05, 0.05) (Gymnasium CartPole-v1).</remarks>
    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckObservationLength(observation);
        if (seed is int value)
            _random.Reseed(unchecked((ulong)(long)value));

        _state = new CartPoleState(DrawInitial(), DrawInitial(), DrawInitial(), DrawInitial());
        _episode.Start();
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// <paramref name="action"/> does not have length 1 or is not 0 or 1, or <paramref name="observation"/> does not have length 4.
    /// </exception>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (action.Length != 1)
            throw new ArgumentException($"The action must have length 1 (was {action.Length}).", nameof(action));
        int push = ActionSpace.ToAction(action, nameof(action));
        CheckObservationLength(observation);
        _episode.EnsureRunning();

        (double x, double xDot, double theta, double thetaDot) = _state;
        double force = push == 1 ? ForceMagnitude : -ForceMagnitude;
        double cosTheta = Math.Cos(theta);
        double sinTheta = Math.Sin(theta);

        double temp = (force + PoleMassLength * (thetaDot * thetaDot) * sinTheta) / TotalMass;
        double thetaAcceleration = (Gravity * sinTheta - cosTheta * temp)
            / (HalfPoleLength * (4.0 / 3.0 - PoleMass * (cosTheta * cosTheta) / TotalMass));
        double xAcceleration = temp - PoleMassLength * thetaAcceleration * cosTheta / TotalMass;

        _state = new CartPoleState(
            x + TimeStep * xDot,
            xDot + TimeStep * xAcceleration,
            theta + TimeStep * thetaDot,
            thetaDot + TimeStep * thetaAcceleration);
        WriteObservation(observation);

        bool terminated = _state.Position < -PositionThreshold || _state.Position > PositionThreshold
            || _state.Angle < -AngleThreshold || _state.Angle > AngleThreshold;
        bool truncated = _episode.Advance(terminated);
        return new StepResult(1f, terminated, truncated);
    }

    /// <inheritdoc/>
    public bool CanSaveState => true;

    /// <inheritdoc/>
    /// <remarks>Writes the physical state, the random generator and the episode progress.</remarks>
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_state.Position);
        writer.Write(_state.Velocity);
        writer.Write(_state.Angle);
        writer.Write(_state.AngularVelocity);
        RandomStateSerialization.Write(writer, _random.State);
        _episode.Save(writer);
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = new CartPoleState(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
        if (!double.IsFinite(state.Position) || !double.IsFinite(state.Velocity) || !double.IsFinite(state.Angle) || !double.IsFinite(state.AngularVelocity))
            throw new InvalidDataException($"The saved CartPole state {state} is not finite.");
        RandomState random = RandomStateSerialization.Read(reader);
        _episode.Load(reader);
        _state = state;
        _random.State = random;
    }

    /// <summary>Does nothing: the environment holds no resources.</summary>
    public void Dispose()
    {
    }

    private static void CheckObservationLength(Span<float> observation)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"The observation must have length {ObservationSize} (was {observation.Length}).", nameof(observation));
    }

    private double DrawInitial() => -ResetBound + 2 * ResetBound * _random.NextDouble();

    private void WriteObservation(Span<float> observation)
    {
        observation[0] = (float)_state.Position;
        observation[1] = (float)_state.Velocity;
        observation[2] = (float)_state.Angle;
        observation[3] = (float)_state.AngularVelocity;
    }
}
