using System.Globalization;
using Ppo.Environments.ClassicControl;
using Ppo.Randomness;

namespace Ppo.Environments.MinAtar;

/// <summary>
/// MinAtar's Breakout (Young and Tian 2019, "MinAtar: An Atari-Inspired Testbed for Thorough and Reproducible
/// Reinforcement Learning Experiments"), the <c>MinAtar/Breakout-v1</c> game with its minimal action set: on a 10×10
/// grid, move a paddle along the bottom row to keep a ball in play and break three rows of bricks.
/// </summary>
/// <remarks>
/// <para>Action <c>Discrete(3)</c>: 0 no-op, 1 left, 2 right; the paddle moves one cell and stops at the walls. Sticky
/// actions: with probability <see cref="StickyActionProbability"/> (MinAtar's 0.1) the previous action is repeated
/// instead of the chosen one.</para>
/// <para>Observation <c>Box(0, 1, (4, 10, 10))</c>, channels first (MinAtar lays the same planes out as
/// <c>[10, 10, 4]</c>): 0 paddle, 1 ball, 2 trail (the ball's previous cell, which shows its direction), 3 bricks. Row 0
/// is the top.</para>
/// <para>Dynamics, per step, after moving the paddle: the ball moves one cell diagonally (directions 0 up-left,
/// 1 up-right, 2 down-right, 3 down-left). Leaving the grid sideways clamps it to the edge and mirrors its horizontal
/// direction. Leaving it at the top clamps it to row 0 and mirrors its vertical direction. Otherwise, entering a brick
/// (unless the previous step also entered one) breaks it for a reward of +1, sends the ball back to its previous row and
/// mirrors its vertical direction. Otherwise, reaching the bottom row: if no brick is left, rows 1–3 are refilled; then
/// if the ball came from above the paddle it bounces straight back up, if it lands on the paddle it bounces back up with
/// its horizontal direction mirrored too, and otherwise the episode terminates. Each episode starts with bricks in rows
/// 1–3, the paddle in column 4 and the ball in row 3 at column 0 moving down-right or column 9 moving down-left, with
/// equal probability.</para>
/// <para>MinAtar has no time limit; this class truncates at <see cref="DefaultMaxEpisodeSteps"/> steps unless told
/// otherwise. Unlike MinAtar, whose sticky action carries over from the previous episode, every episode starts with
/// no-op as the previous action, so that an episode depends only on its seed and actions.</para>
/// </remarks>
public sealed class Breakout : IEnvironment, IStatefulEnvironment
{
    /// <summary>The step limit used unless another is given (MinAtar itself has none).</summary>
    public const int DefaultMaxEpisodeSteps = 10_000;

    /// <summary>MinAtar's probability of repeating the previous action.</summary>
    public const float DefaultStickyActionProbability = 0.1f;

    /// <summary>The side of the square grid.</summary>
    public const int GridSize = 10;

    /// <summary>The number of observation channels: paddle, ball, trail, bricks.</summary>
    public const int ChannelCount = 4;

    private const int PaddleChannel = 0;
    private const int BallChannel = 1;
    private const int TrailChannel = 2;
    private const int BrickChannel = 3;
    private const int CellCount = GridSize * GridSize;
    private const int StateVersion = 1;

    private readonly SeededRandom _random = new((ulong)Random.Shared.NextInt64());
    private readonly EpisodeProgress _episode;
    private readonly bool[] _bricks = new bool[CellCount];
    private int _ballX;
    private int _ballY;
    private int _ballDirection;
    private int _paddle;
    private int _lastX;
    private int _lastY;
    private bool _strike;
    private int _lastAction;

    /// <summary>Creates the game; it must be <see cref="Reset"/> before the first <see cref="Step"/>.</summary>
    /// <param name="stickyActionProbability">The probability in [0, 1] of repeating the previous action.</param>
    /// <param name="maxEpisodeSteps">The step at which an episode is truncated; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public Breakout(float stickyActionProbability = DefaultStickyActionProbability, int maxEpisodeSteps = DefaultMaxEpisodeSteps)
    {
        if (!(stickyActionProbability is >= 0f and <= 1f))
            throw new ArgumentOutOfRangeException(nameof(stickyActionProbability), stickyActionProbability, "The sticky-action probability must be in [0, 1].");
        StickyActionProbability = stickyActionProbability;
        _episode = new EpisodeProgress(maxEpisodeSteps, nameof(maxEpisodeSteps));
        ObservationSpace = new BoxSpace(0f, 1f, [ChannelCount, GridSize, GridSize]);
        ActionSpace = new DiscreteSpace(3);
    }

    /// <inheritdoc/>
    /// <remarks><c>[4, 10, 10]</c>: paddle, ball, trail, bricks; each cell 0 or 1.</remarks>
    public BoxSpace ObservationSpace { get; }

    /// <summary>Gets the action space, <c>Discrete(3)</c>: 0 no-op, 1 left, 2 right.</summary>
    public Space ActionSpace { get; }

    /// <summary>Gets the probability of repeating the previous action.</summary>
    public float StickyActionProbability { get; }

    /// <summary>Gets the step at which an episode is truncated.</summary>
    public int MaxEpisodeSteps => _episode.MaxEpisodeSteps;

    /// <summary>Gets the column of the paddle, on the bottom row.</summary>
    public int PaddleColumn => _paddle;

    /// <summary>Gets the ball's cell, (column, row) with row 0 at the top.</summary>
    public (int Column, int Row) Ball => (_ballX, _ballY);

    /// <summary>Gets the number of bricks left.</summary>
    public int BrickCount
    {
        get
        {
            int count = 0;
            foreach (bool brick in _bricks)
                count += brick ? 1 : 0;
            return count;
        }
    }

    /// <inheritdoc/>
    public bool CanSaveState => true;

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckObservation(observation);
        if (seed is int value)
            _random.Reseed((ulong)value);
        bool fromRight = _random.NextInt(2) == 1;
        _ballY = 3;
        _ballX = fromRight ? GridSize - 1 : 0;
        _ballDirection = fromRight ? 3 : 2;
        _paddle = 4;
        Array.Clear(_bricks);
        _bricks.AsSpan(GridSize, 3 * GridSize).Fill(true);
        _strike = false;
        _lastX = _ballX;
        _lastY = _ballY;
        _lastAction = 0;
        _episode.Start();
        Observe(observation);
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        int chosen = ((DiscreteSpace)ActionSpace).ToAction(action, nameof(action));
        CheckObservation(observation);
        _episode.EnsureRunning();
        if (_random.NextFloat() < StickyActionProbability)
            chosen = _lastAction;
        _lastAction = chosen;

        (float reward, bool terminated) = Advance(chosen);
        bool truncated = _episode.Advance(terminated);
        Observe(observation);
        return new StepResult(reward, terminated, truncated);
    }

    /// <inheritdoc/>
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        RandomStateSerialization.Write(writer, _random.State);
        _episode.Save(writer);
        writer.Write(_ballX);
        writer.Write(_ballY);
        writer.Write(_ballDirection);
        writer.Write(_paddle);
        writer.Write(_lastX);
        writer.Write(_lastY);
        writer.Write(_strike);
        writer.Write(_lastAction);
        foreach (bool brick in _bricks)
            writer.Write(brick);
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int version = reader.ReadInt32();
        if (version != StateVersion)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Breakout state version {version} is not supported (expected {StateVersion})."));
        _random.State = RandomStateSerialization.Read(reader);
        _episode.Load(reader);
        int ballX = reader.ReadInt32(), ballY = reader.ReadInt32(), direction = reader.ReadInt32(), paddle = reader.ReadInt32(), lastX = reader.ReadInt32(), lastY = reader.ReadInt32();
        bool strike = reader.ReadBoolean();
        int lastAction = reader.ReadInt32();
        if (!InGrid(ballX) || !InGrid(ballY) || direction is < 0 or > 3 || !InGrid(paddle) || !InGrid(lastX) || !InGrid(lastY) || lastAction is < 0 or > 2)
            throw new InvalidDataException("The Breakout state has a position, direction or action out of range.");
        for (int i = 0; i < CellCount; i++)
            _bricks[i] = reader.ReadBoolean();
        (_ballX, _ballY, _ballDirection, _paddle, _lastX, _lastY, _strike, _lastAction) = (ballX, ballY, direction, paddle, lastX, lastY, strike, lastAction);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>Places the ball, its direction and the paddle, and sets the bricks (for tests of the rules).</summary>
    internal void Arrange(int ballColumn, int ballRow, int direction, int paddleColumn, ReadOnlySpan<bool> bricks)
    {
        (_ballX, _ballY, _ballDirection, _paddle) = (ballColumn, ballRow, direction, paddleColumn);
        (_lastX, _lastY, _strike) = (ballColumn, ballRow, false);
        bricks.CopyTo(_bricks);
    }

    private static bool InGrid(int value) => value is >= 0 and < GridSize;

    private (float Reward, bool Terminated) Advance(int action)
    {
        if (action == 1)
            _paddle = Math.Max(0, _paddle - 1);
        else if (action == 2)
            _paddle = Math.Min(GridSize - 1, _paddle + 1);

        _lastX = _ballX;
        _lastY = _ballY;
        int x = _ballX + (_ballDirection is 1 or 2 ? 1 : -1);
        int y = _ballY + (_ballDirection is 2 or 3 ? 1 : -1);
        float reward = 0f;
        bool terminated = false;
        bool struckBrick = false;

        if (x < 0 || x >= GridSize)
        {
            x = Math.Clamp(x, 0, GridSize - 1);
            _ballDirection = MirrorHorizontal(_ballDirection);
        }

        if (y < 0)
        {
            y = 0;
            _ballDirection = MirrorVertical(_ballDirection);
        }
        else if (_bricks[(y * GridSize) + x])
        {
            struckBrick = true;
            if (!_strike)
            {
                reward = 1f;
                _strike = true;
                _bricks[(y * GridSize) + x] = false;
                y = _lastY;
                _ballDirection = MirrorVertical(_ballDirection);
            }
        }
        else if (y == GridSize - 1)
        {
            if (BrickCount == 0)
                _bricks.AsSpan(GridSize, 3 * GridSize).Fill(true);
            if (_ballX == _paddle)
            {
                _ballDirection = MirrorVertical(_ballDirection);
                y = _lastY;
            }
            else if (x == _paddle)
            {
                _ballDirection = MirrorVertical(MirrorHorizontal(_ballDirection));
                y = _lastY;
            }
            else
            {
                terminated = true;
            }
        }

        if (!struckBrick)
            _strike = false;
        _ballX = x;
        _ballY = y;
        return (reward, terminated);
    }

    /// <summary>Left and right swap: up-left ↔ up-right, down-right ↔ down-left.</summary>
    private static int MirrorHorizontal(int direction) => direction ^ 1;

    /// <summary>Up and down swap: up-left ↔ down-left, up-right ↔ down-right.</summary>
    private static int MirrorVertical(int direction) => 3 - direction;

    private void Observe(Span<float> observation)
    {
        observation.Clear();
        observation[(PaddleChannel * CellCount) + ((GridSize - 1) * GridSize) + _paddle] = 1f;
        observation[(BallChannel * CellCount) + (_ballY * GridSize) + _ballX] = 1f;
        observation[(TrailChannel * CellCount) + (_lastY * GridSize) + _lastX] = 1f;
        Span<float> bricks = observation.Slice(BrickChannel * CellCount, CellCount);
        for (int i = 0; i < CellCount; i++)
            bricks[i] = _bricks[i] ? 1f : 0f;
    }

    private void CheckObservation(Span<float> observation)
    {
        if (observation.Length != ObservationSpace.Size)
            throw new ArgumentException($"The observation must have {ObservationSpace.Size} floats (was {observation.Length}).", nameof(observation));
    }
}
