using Ppo.Environments.ClassicControl;
using Ppo.Randomness;

namespace Ppo.Environments.Box2D;

/// <summary>
/// Gymnasium's <c>LunarLander-v3</c> and <c>LunarLanderContinuous-v3</c>: land a rocket on the pad at the origin,
/// simulated by Box2D 2.4 through a small native shim.
/// </summary>
/// <remarks>
/// <para>
/// Actions: with <see cref="LunarLanderOptions.Continuous"/> off, <c>Discrete(4)</c>: 0 does nothing, 1 fires the left
/// orientation engine, 2 the main engine, 3 the right orientation engine. With it on, <c>Box(−1, 1, (2,))</c>, clipped to
/// the bounds: the main engine is off for <c>main ≤ 0</c> and runs at 50–100 % for <c>main</c> in (0, 1]; the orientation
/// engines are off for <c>|lateral| ≤ 0.5</c>, otherwise the left one (<c>lateral &lt; 0</c>) or the right one runs at
/// <c>|lateral|</c> of full power.
/// </para>
/// <para>
/// Observation (8 floats), from the lander body's origin (px, py) in metres, its velocity (ux, uy) in m/s, its angle θ
/// and angular velocity ω, in a viewport of W × H = 20 × 13.33 m with the pad at height H/4:
/// <c>[(px − W/2)/(W/2), (py − H/4 − 18/30)/(H/2), ux·(W/2)/50, uy·(H/2)/50, θ, 20·ω/50, leg₁, leg₂]</c>, so that the pad
/// is near (0, 0) and the viewport's sides are at x = ±1. <c>leg₁</c> is 1 while the leg on the lander's +x side
/// (the one Gymnasium creates first) touches the ground, <c>leg₂</c> likewise for the −x side.
/// </para>
/// <para>
/// Reward: the change of the shaping <c>−100·‖(x, y)‖ − 100·‖(vx, vy)‖ − 100·|angle| + 10·(legs in contact)</c>, minus 0.3
/// per frame of main engine at full power (scaled by the throttle) and 0.03 per frame of side engine. The episode
/// terminates with −100 when the body touches the ground or <c>|x| ≥ 1</c>, and with +100 when Box2D puts the lander to
/// sleep (it has come to rest; when both happen in one step, +100 wins, as in Gymnasium); it is truncated after
/// <see cref="LunarLanderOptions.MaxEpisodeSteps"/> steps, and a step that does both reports both.
/// </para>
/// <para>
/// Division of labour: this class draws every random number (terrain, initial force, wind phases, engine dispersion)
/// from its <see cref="SeededRandom"/>, turns actions into world-space impulses from the body state it last read, and
/// computes observation, reward and termination. The native shim only builds the world, applies the given forces,
/// advances Box2D and reads the body and contact flags back, so a step is one native call and every rule is testable
/// managed code.
/// </para>
/// <para>
/// Gymnasium's exhaust particles are drawing-only (their collision mask lets them touch only the ground, never the
/// lander or its legs), so they are not simulated. This environment does not render.
/// </para>
/// </remarks>
public sealed class LunarLander : IEnvironment
{
    private const double FramesPerSecond = 50.0;
    private const double Scale = 30.0;                        // pixels per metre
    private const double MainEnginePower = 13.0;
    private const double SideEnginePower = 0.6;
    private const double InitialRandomForce = 1000.0;
    private const double ViewportWidth = 600.0 / Scale;       // metres
    private const double ViewportHeight = 400.0 / Scale;      // metres
    private const int TerrainChunks = 11;
    private const double HelipadHeight = ViewportHeight / 4.0;
    private const double LegDown = 18.0 / Scale;
    private const double MainEngineDepth = 4.0 / Scale;        // how far below the body origin the main engine fires
    private const double SideEngineAway = 12.0 / Scale;
    private const double SideEngineHeight = 14.0 / Scale;
    private const double SideEngineHeightX = 17.0 / Scale;     // used for the x part of the engine height, see Simulate
    private const double MainEngineFuelCost = 0.30;
    private const double SideEngineFuelCost = 0.03;
    private const int WindIndexRange = 9999;

    private readonly LunarLanderOptions _options;
    private readonly LunarLanderWorldHandle _simulation;
    private readonly SeededRandom _random;
    private readonly DiscreteSpace? _discreteActions;
    private readonly EpisodeProgress _episode;
    private LunarLanderBodyState _body;
    private double _previousShaping;
    private int _windIndex;
    private int _torqueIndex;

    /// <summary>Creates the environment and its native Box2D world.</summary>
    /// <param name="options">The settings; <see langword="null"/> for Gymnasium's defaults (<c>LunarLander-v3</c>, discrete).</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names each one.</exception>
    /// <exception cref="DllNotFoundException">The native shim or Box2D 2.4 is not installed; the message says how to install it.</exception>
    /// <exception cref="InsufficientMemoryException">The native world could not be allocated.</exception>
    public LunarLander(LunarLanderOptions? options = null)
    {
        _options = (options ?? new LunarLanderOptions()).Validate();
        _episode = new EpisodeProgress(_options.MaxEpisodeSteps, nameof(options));
        _simulation = CreateSimulation(_options.Gravity);
        _random = new SeededRandom(unchecked((ulong)Random.Shared.NextInt64()));

        ObservationSpace = new BoxSpace(
            [-2.5f, -2.5f, -10f, -10f, -2f * MathF.PI, -10f, 0f, 0f],
            [2.5f, 2.5f, 10f, 10f, 2f * MathF.PI, 10f, 1f, 1f]);
        if (_options.Continuous)
        {
            ActionSpace = new BoxSpace(-1f, 1f, 2);
        }
        else
        {
            _discreteActions = new DiscreteSpace(4);
            ActionSpace = _discreteActions;
        }
    }

    /// <summary>Gets the settings this environment was created with.</summary>
    public LunarLanderOptions Options => _options;

    /// <summary>Gets the number of steps taken in the current episode.</summary>
    public int ElapsedSteps => _episode.ElapsedSteps;

    /// <inheritdoc/>
    /// <remarks><c>LunarLander-v3</c>'s bounds: ±2.5 for the positions, ±10 for the velocities, ±2π for the angle, [0, 1] for the leg contacts.</remarks>
    public BoxSpace ObservationSpace { get; }

    /// <inheritdoc/>
    /// <remarks>A <see cref="DiscreteSpace"/> of 4 actions, or a <see cref="BoxSpace"/> (−1, 1) of size 2 when continuous.</remarks>
    public Space ActionSpace { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// Builds a new world, as <c>LunarLander-v3</c> does: random terrain, the lander at the top centre pushed by a random
    /// force, new wind phases when wind is on; then advances one frame with the engines off and returns that observation.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The environment has been disposed.</exception>
    public void Reset(Span<float> observation, int? seed = null)
    {
        ObjectDisposedException.ThrowIf(_simulation.IsClosed, this);
        CheckObservationLength(observation);
        if (seed is int value)
            _random.Reseed(unchecked((ulong)(long)value));

        // Twelve uniform heights in [0, H/2); the five around the middle form the flat pad at H/4. Each chunk's height is
        // 0.33 times the sum of its own and its neighbours' heights; the first chunk's left neighbour is the twelfth height.
        Span<double> heights = stackalloc double[TerrainChunks + 1];
        for (int i = 0; i < heights.Length; i++)
            heights[i] = _random.NextDouble() * (ViewportHeight / 2.0);
        for (int i = TerrainChunks / 2 - 2; i <= TerrainChunks / 2 + 2; i++)
            heights[i] = HelipadHeight;

        Span<float> terrain = stackalloc float[TerrainChunks];
        for (int i = 0; i < terrain.Length; i++)
        {
            double left = i == 0 ? heights[^1] : heights[i - 1];
            terrain[i] = (float)(0.33 * (left + heights[i] + heights[i + 1]));
        }

        float forceX = (float)Uniform(-InitialRandomForce, InitialRandomForce);
        float forceY = (float)Uniform(-InitialRandomForce, InitialRandomForce);
        if (_options.EnableWind)
        {
            _windIndex = _random.NextInt(2 * WindIndexRange) - WindIndexRange;
            _torqueIndex = _random.NextInt(2 * WindIndexRange) - WindIndexRange;
        }

        if (LunarLanderNative.Reset(_simulation, terrain, forceX, forceY, out _body) != 0)
            throw new InsufficientMemoryException("The native LunarLander world could not be allocated.");

        Simulate(mainPower: 0.0, sidePower: 0.0, sideDirection: 0);
        _previousShaping = Observe(observation, out _);
        _episode.Start();
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The environment has been disposed.</exception>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        ObjectDisposedException.ThrowIf(_simulation.IsClosed, this);
        _episode.EnsureRunning();
        CheckObservationLength(observation);

        double mainPower;
        double sidePower;
        int sideDirection;
        if (_discreteActions is not null)
        {
            int engine = _discreteActions.ToAction(action, nameof(action));
            mainPower = engine == 2 ? 1.0 : 0.0;
            sidePower = engine is 1 or 3 ? 1.0 : 0.0;
            sideDirection = engine - 2;   // 1 → −1 (left engine), 3 → +1 (right engine)
        }
        else
        {
            if (action.Length != 2 || float.IsNaN(action[0]) || float.IsNaN(action[1]))
                throw new ArgumentException($"The action must be two numbers, neither NaN (was {FormatContinuous(action)}).", nameof(action));

            float main = Math.Clamp(action[0], -1f, 1f);
            float lateral = Math.Clamp(action[1], -1f, 1f);
            mainPower = main > 0f ? (main + 1.0) * 0.5 : 0.0;
            sidePower = Math.Abs(lateral) > 0.5f ? Math.Abs(lateral) : 0.0;
            sideDirection = Math.Sign(lateral);
        }

        Simulate(mainPower, sidePower, sideDirection);
        double shaping = Observe(observation, out double horizontal);
        double reward = shaping - _previousShaping - MainEngineFuelCost * mainPower - SideEngineFuelCost * sidePower;
        _previousShaping = shaping;

        bool terminated = false;
        if (_body.BodyContact != 0 || Math.Abs(horizontal) >= 1.0)
        {
            terminated = true;
            reward = -100.0;
        }

        if (_body.Awake == 0)
        {
            terminated = true;
            reward = +100.0;
        }

        bool truncated = _episode.Advance(terminated);
        return new StepResult((float)reward, terminated, truncated);
    }

    /// <summary>Destroys the native world. Further calls do nothing; any other member then throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _simulation.Dispose();

    private static LunarLanderWorldHandle CreateSimulation(float gravity)
    {
        LunarLanderWorldHandle simulation;
        try
        {
            simulation = LunarLanderNative.Create(gravity);
        }
        catch (DllNotFoundException exception)
        {
            throw new DllNotFoundException(LunarLanderNative.MissingLibraryMessage, exception);
        }
        catch (EntryPointNotFoundException exception)
        {
            throw new DllNotFoundException(LunarLanderNative.MissingLibraryMessage, exception);
        }

        if (simulation.IsInvalid)
        {
            simulation.Dispose();
            throw new InsufficientMemoryException("The native LunarLander world could not be allocated.");
        }

        return simulation;
    }

    private static void CheckObservationLength(Span<float> observation)
    {
        if (observation.Length != 8)
            throw new ArgumentException($"The observation span must have length 8 (was {observation.Length}).", nameof(observation));
    }

    private static string FormatContinuous(ReadOnlySpan<float> action) =>
        action.Length == 2 ? $"[{action[0]}, {action[1]}]" : $"a span of length {action.Length}";

    private static double WindShape(int index) => Math.Tanh(Math.Sin(0.02 * index) + Math.Sin(Math.PI * 0.01 * index));

    private double Uniform(double low, double high) => low + (high - low) * _random.NextDouble();

    /// <summary>Applies wind and engines for one frame (powers in [0, 1], 0 = off) and advances the native world.</summary>
    private void Simulate(double mainPower, double sidePower, int sideDirection)
    {
        LunarLanderCommand command = default;

        // Wind blows and turbulence twists only while both legs are off the ground: tanh(sin(2k·t) + sin(πk·t)), k = 0.01,
        // with t counting frames from the random phase drawn at reset.
        if (_options.EnableWind && _body.FirstLegContact == 0 && _body.SecondLegContact == 0)
        {
            command.ApplyWind = 1;
            command.WindForceX = (float)(WindShape(_windIndex++) * _options.WindPower);
            command.WindTorque = (float)(WindShape(_torqueIndex++) * _options.TurbulencePower);
        }

        // The lander's body axes from its current angle: "right" is its local +x, "down" its local −y.
        double sin = Math.Sin(_body.Angle);
        double cos = Math.Cos(_body.Angle);
        double rightX = cos, rightY = sin;
        double downX = sin, downY = -cos;

        // Two dispersion draws in [−1, 1)/SCALE every frame, whether or not an engine fires.
        double along = Uniform(-1.0, 1.0) / Scale;
        double across = Uniform(-1.0, 1.0) / Scale;

        if (mainPower > 0.0)
        {
            // The exhaust leaves 4 px below the body origin, jittered by 2·along downwards and by across sideways; the
            // lander receives the opposite impulse at that point.
            double depth = MainEngineDepth + 2.0 * along;
            double offsetX = depth * downX - across * rightX;
            double offsetY = depth * downY - across * rightY;
            double impulse = MainEnginePower * mainPower;
            command.FireMain = 1;
            command.MainPointX = (float)(_body.PositionX + offsetX);
            command.MainPointY = (float)(_body.PositionY + offsetY);
            command.MainImpulseX = (float)(-offsetX * impulse);
            command.MainImpulseY = (float)(-offsetY * impulse);
        }

        if (sidePower > 0.0)
        {
            // Direction −1 (the left orientation engine) puts the exhaust 12 px to the lander's right and pushes the
            // lander to its left, turning it counter-clockwise; +1 mirrors that. The exhaust is jittered by along
            // downwards and 3·across sideways. The point of application is moved by (−sin·17, cos·14)/SCALE: Gymnasium's
            // specification takes 17 for the x part where the engine height 14 seems meant, which makes the torque
            // depend on the orientation; that behaviour is kept.
            double reach = sideDirection * SideEngineAway + 3.0 * across;
            double offsetX = along * downX - reach * rightX;
            double offsetY = along * downY - reach * rightY;
            double impulse = SideEnginePower * sidePower;
            command.FireSide = 1;
            command.SidePointX = (float)(_body.PositionX + offsetX - sin * SideEngineHeightX);
            command.SidePointY = (float)(_body.PositionY + offsetY + cos * SideEngineHeight);
            command.SideImpulseX = (float)(-offsetX * impulse);
            command.SideImpulseY = (float)(-offsetY * impulse);
        }

        LunarLanderNative.Step(_simulation, in command, out _body);
    }

    /// <summary>Writes the observation of the current body state and returns its shaping value.</summary>
    private double Observe(Span<float> observation, out double horizontal)
    {
        double halfWidth = ViewportWidth / 2.0;
        double halfHeight = ViewportHeight / 2.0;
        double x = (_body.PositionX - halfWidth) / halfWidth;
        double y = (_body.PositionY - (HelipadHeight + LegDown)) / halfHeight;
        double vx = _body.VelocityX * halfWidth / FramesPerSecond;
        double vy = _body.VelocityY * halfHeight / FramesPerSecond;
        double angle = _body.Angle;
        double angularVelocity = 20.0 * _body.AngularVelocity / FramesPerSecond;
        double firstLeg = _body.FirstLegContact != 0 ? 1.0 : 0.0;
        double secondLeg = _body.SecondLegContact != 0 ? 1.0 : 0.0;

        observation[0] = (float)x;
        observation[1] = (float)y;
        observation[2] = (float)vx;
        observation[3] = (float)vy;
        observation[4] = (float)angle;
        observation[5] = (float)angularVelocity;
        observation[6] = (float)firstLeg;
        observation[7] = (float)secondLeg;

        horizontal = x;
        return -100.0 * Math.Sqrt(x * x + y * y)
            - 100.0 * Math.Sqrt(vx * vx + vy * vy)
            - 100.0 * Math.Abs(angle)
            + 10.0 * (firstLeg + secondLeg);
    }
}
