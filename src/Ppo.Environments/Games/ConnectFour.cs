using System.Globalization;
using Ppo.Randomness;

namespace Ppo.Environments.Games;

/// <summary>
/// Connect Four on the standard board of 6 rows and 7 columns against a fixed opponent: a game in which a move is
/// invalid whenever its column is full, so that an action mask matters (<see cref="IMaskableEnvironment"/>).
/// </summary>
/// <remarks>
/// <para>
/// The agent moves first. Action <c>Discrete(7)</c>: the column to drop a piece into; it falls to the lowest empty
/// cell. Then the opponent (<see cref="ConnectFourOpponent"/>) answers in the same step. Four pieces of one side in a
/// row, column or diagonal win.
/// </para>
/// <para>
/// Observation <c>Box(−1, 1, (42,))</c>: the cells row by row from the bottom row (row 0) up, left to right; +1 for the
/// agent's pieces, −1 for the opponent's, 0 for an empty cell. Cell (row, column) is element <c>7·row + column</c>.
/// </para>
/// <para>
/// Reward +1 when the agent wins, −1 when the opponent wins, 0 for a draw (a full board) and for every other step;
/// each of these ends the episode as terminated. A move into a full column is illegal: it ends the episode, terminated,
/// with <see cref="IllegalMoveReward"/>, so a policy that does not mask learns to avoid such moves from the penalty.
/// No episode is truncated: a game lasts at most 21 moves of the agent.
/// </para>
/// <para>The action mask marks the columns that are not full; every position before the end of a game has one.</para>
/// </remarks>
public sealed class ConnectFour : IEnvironment, IMaskableEnvironment, IStatefulEnvironment
{
    /// <summary>The number of rows of the board.</summary>
    public const int RowCount = 6;

    /// <summary>The number of columns of the board, and of actions.</summary>
    public const int ColumnCount = 7;

    /// <summary>The reward of a move into a full column, which ends the episode: the same as a loss.</summary>
    public const float IllegalMoveReward = -1f;

    private const int CellCount = RowCount * ColumnCount;
    private const sbyte AgentPiece = 1;
    private const sbyte OpponentPiece = -1;

    private readonly SeededRandom _random = new((ulong)Random.Shared.NextInt64());
    private readonly sbyte[] _cells = new sbyte[CellCount];
    private bool _hasStarted;
    private bool _hasEnded;

    /// <summary>Creates the game; it must be <see cref="Reset"/> before the first <see cref="Step"/>.</summary>
    /// <param name="opponent">The policy of the second side.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opponent"/> is not a defined value.</exception>
    /// <remarks>Until <see cref="Reset"/> is given a seed, the opponent's random generator uses a seed drawn once from <see cref="Random.Shared"/>.</remarks>
    public ConnectFour(ConnectFourOpponent opponent = ConnectFourOpponent.Random)
    {
        if (!Enum.IsDefined(opponent))
            throw new ArgumentOutOfRangeException(nameof(opponent), opponent, "The opponent must be Random or OneStepLookahead.");
        Opponent = opponent;
        ObservationSpace = new BoxSpace(-1f, 1f, CellCount);
        ActionSpace = new DiscreteSpace(ColumnCount);
    }

    /// <summary>Gets the policy of the second side.</summary>
    public ConnectFourOpponent Opponent { get; }

    /// <inheritdoc/>
    /// <remarks>42 cells in [−1, 1].</remarks>
    public BoxSpace ObservationSpace { get; }

    /// <summary>Gets the action space, <c>Discrete(7)</c>: the column to play.</summary>
    public DiscreteSpace ActionSpace { get; }

    Space IEnvironment.ActionSpace => ActionSpace;

    /// <inheritdoc/>
    public bool CanSaveState => true;

    /// <inheritdoc/>
    /// <remarks>The board is emptied; the opponent draws nothing until the agent's first move.</remarks>
    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckLength(observation, CellCount, nameof(observation));
        if (seed is int value)
            _random.Reseed(unchecked((ulong)(long)value));
        Array.Clear(_cells);
        _hasStarted = true;
        _hasEnded = false;
        WriteObservation(observation);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="action"/> is not a column in [0, 6], or <paramref name="observation"/> does not have length 42.</exception>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        int column = ActionSpace.ToAction(action, nameof(action));
        CheckLength(observation, CellCount, nameof(observation));
        EnsureRunning();

        (float reward, bool ended) = IsFull(column) ? (IllegalMoveReward, true) : Play(column);
        _hasEnded = ended;
        WriteObservation(observation);
        return new StepResult(reward, ended, false);
    }

    /// <inheritdoc/>
    /// <remarks>Column c is valid when its top cell is empty.</remarks>
    public void WriteActionMask(Span<bool> mask)
    {
        CheckLength(mask, ColumnCount, nameof(mask));
        if (!_hasStarted)
            throw new InvalidOperationException("Reset must be called before the action mask is read.");
        for (int column = 0; column < ColumnCount; column++)
            mask[column] = !IsFull(column);
    }

    /// <summary>Places the game in a known position, for analysis and tests, and starts an episode from it.</summary>
    /// <param name="cells">42 cells in the observation's layout: +1 the agent's pieces, −1 the opponent's, 0 empty.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="cells"/> does not have length 42, holds another value, has a piece above an empty cell, does not
    /// have as many pieces of each side (the agent is to move), or is a finished game.
    /// </exception>
    public void SetPosition(ReadOnlySpan<float> cells)
    {
        CheckLength(cells, CellCount, nameof(cells));
        int balance = 0;
        for (int i = 0; i < CellCount; i++)
        {
            if (cells[i] is not (-1f or 0f or 1f))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Cell {i} must be -1, 0 or 1 (was {cells[i]})."), nameof(cells));
            if (i >= ColumnCount && cells[i] != 0f && cells[i - ColumnCount] == 0f)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Cell {i} holds a piece above an empty cell."), nameof(cells));
            balance += (int)cells[i];
        }

        if (balance != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Both sides must have as many pieces, the agent to move (the agent has {balance} more)."), nameof(cells));
        sbyte[] previous = (sbyte[])_cells.Clone();
        for (int i = 0; i < CellCount; i++)
            _cells[i] = (sbyte)cells[i];
        if (HasFour(AgentPiece) || HasFour(OpponentPiece) || IsBoardFull())
        {
            previous.CopyTo(_cells, 0);
            throw new ArgumentException("The position must be a game that has not ended.", nameof(cells));
        }

        _hasStarted = true;
        _hasEnded = false;
    }

    /// <inheritdoc/>
    /// <remarks>Writes the board, whether an episode runs, and the opponent's random generator.</remarks>
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (sbyte cell in _cells)
            writer.Write(cell);
        writer.Write(_hasStarted);
        writer.Write(_hasEnded);
        RandomStateSerialization.Write(writer, _random.State);
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        sbyte[] cells = new sbyte[CellCount];
        for (int i = 0; i < CellCount; i++)
        {
            cells[i] = reader.ReadSByte();
            if (cells[i] is < -1 or > 1 || (i >= ColumnCount && cells[i] != 0 && cells[i - ColumnCount] == 0))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Cell {i} of the saved Connect Four board is not valid."));
        }

        bool started = reader.ReadBoolean(), ended = reader.ReadBoolean();
        RandomState random = RandomStateSerialization.Read(reader);
        cells.CopyTo(_cells, 0);
        (_hasStarted, _hasEnded) = (started, ended);
        _random.State = random;
    }

    /// <summary>Does nothing: the game holds no resources.</summary>
    public void Dispose()
    {
    }

    private static void CheckLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} must have length {expected} (was {span.Length})."), name);
    }

    private void EnsureRunning()
    {
        if (!_hasStarted)
            throw new InvalidOperationException("Reset must be called before Step.");
        if (_hasEnded)
            throw new InvalidOperationException("The game has ended; call Reset before stepping again.");
    }

    private bool IsFull(int column) => _cells[(RowCount - 1) * ColumnCount + column] != 0;

    private bool IsBoardFull()
    {
        for (int column = 0; column < ColumnCount; column++)
        {
            if (!IsFull(column))
                return false;
        }

        return true;
    }

    /// <summary>Drops a piece into a column that is not full and returns the row it lands in.</summary>
    private int Drop(int column, sbyte side)
    {
        int row = 0;
        while (_cells[row * ColumnCount + column] != 0)
            row++;
        _cells[row * ColumnCount + column] = side;
        return row;
    }

    /// <summary>Plays the agent's legal move and the opponent's answer; returns the agent's reward and whether the game ended.</summary>
    private (float Reward, bool Ended) Play(int column)
    {
        if (IsWinningMove(Drop(column, AgentPiece), column, AgentPiece))
            return (1f, true);
        if (IsBoardFull())
            return (0f, true);
        int answer = ChooseOpponentColumn();
        if (IsWinningMove(Drop(answer, OpponentPiece), answer, OpponentPiece))
            return (-1f, true);
        return (0f, IsBoardFull());
    }

    private int ChooseOpponentColumn()
    {
        if (Opponent == ConnectFourOpponent.OneStepLookahead)
        {
            int winning = FindImmediateWin(OpponentPiece);
            if (winning >= 0)
                return winning;
            int blocking = FindImmediateWin(AgentPiece);
            if (blocking >= 0)
                return blocking;
        }

        int validCount = 0;
        for (int column = 0; column < ColumnCount; column++)
            validCount += IsFull(column) ? 0 : 1;
        int chosen = _random.NextInt(validCount);
        for (int column = 0; column < ColumnCount; column++)
        {
            if (!IsFull(column) && chosen-- == 0)
                return column;
        }

        throw new InvalidOperationException("The opponent has no column to play.");
    }

    /// <summary>Returns the lowest column in which <paramref name="side"/> would win with its next piece, or −1.</summary>
    private int FindImmediateWin(sbyte side)
    {
        for (int column = 0; column < ColumnCount; column++)
        {
            if (IsFull(column))
                continue;
            int row = Drop(column, side);
            bool wins = IsWinningMove(row, column, side);
            _cells[row * ColumnCount + column] = 0;
            if (wins)
                return column;
        }

        return -1;
    }

    private bool HasFour(sbyte side)
    {
        for (int i = 0; i < CellCount; i++)
        {
            if (_cells[i] == side && IsWinningMove(i / ColumnCount, i % ColumnCount, side))
                return true;
        }

        return false;
    }

    /// <summary>Tells whether the piece of <paramref name="side"/> at (row, column) is part of four in a line.</summary>
    private bool IsWinningMove(int row, int column, sbyte side) =>
        LineLength(row, column, 0, 1, side) >= 4
        || LineLength(row, column, 1, 0, side) >= 4
        || LineLength(row, column, 1, 1, side) >= 4
        || LineLength(row, column, 1, -1, side) >= 4;

    private int LineLength(int row, int column, int rowStep, int columnStep, sbyte side) =>
        1 + Count(row, column, rowStep, columnStep, side) + Count(row, column, -rowStep, -columnStep, side);

    private int Count(int row, int column, int rowStep, int columnStep, sbyte side)
    {
        int count = 0;
        for (int r = row + rowStep, c = column + columnStep;
             r is >= 0 and < RowCount && c is >= 0 and < ColumnCount && _cells[r * ColumnCount + c] == side;
             r += rowStep, c += columnStep)
        {
            count++;
        }

        return count;
    }

    private void WriteObservation(Span<float> observation)
    {
        for (int i = 0; i < CellCount; i++)
            observation[i] = _cells[i];
    }
}
