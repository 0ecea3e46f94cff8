using Ppo.Environments.Games;
using Ppo.Randomness;

namespace Ppo.Environments.Tests.Games;

/// <summary>Checks <see cref="ConnectFour"/> against the rules of Connect Four and its masking contract.</summary>
public sealed class ConnectFourTests
{
    private const int Cells = ConnectFour.RowCount * ConnectFour.ColumnCount;

    [Fact]
    public void Spaces_Always_AreSevenColumnsAndFortyTwoCells()
    {
        using var game = new ConnectFour();

        Assert.Equal(7, game.ActionSpace.Count);
        Assert.Equal(42, game.ObservationSpace.Size);
        Assert.All(game.ObservationSpace.Low.ToArray(), low => Assert.Equal(-1f, low));
        Assert.All(game.ObservationSpace.High.ToArray(), high => Assert.Equal(1f, high));
    }

    [Fact]
    public void Reset_Always_EmptiesTheBoardAndAllowsEveryColumn()
    {
        using var game = new ConnectFour();
        float[] observation = new float[Cells];
        bool[] mask = new bool[7];
        game.Reset(observation, seed: 1);
        game.Step([3f], observation);

        game.Reset(observation);
        game.WriteActionMask(mask);

        Assert.All(observation, cell => Assert.Equal(0f, cell));
        Assert.All(mask, Assert.True);
    }

    [Fact]
    public void Step_FourthPieceInBottomRow_WinsWithRewardOne()
    {
        using var game = new ConnectFour(ConnectFourOpponent.OneStepLookahead);
        float[] observation = new float[Cells];
        game.Reset(observation, seed: 1);
        game.SetPosition(Board((0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 0, -1), (1, 1, -1), (1, 2, -1)));

        StepResult result = game.Step([3f], observation);

        Assert.Equal(new StepResult(1f, true, false), result);
        Assert.Equal(1f, observation[3]);
    }

    [Fact]
    public void Step_RisingDiagonal_Wins()
    {
        using var game = new ConnectFour();
        float[] observation = new float[Cells];
        game.Reset(observation, seed: 1);
        // Agent at (0,0), (1,1), (2,2); the opponent's pieces hold them up; (3,3) completes the diagonal.
        game.SetPosition(Board(
            (0, 0, 1), (1, 1, 1), (2, 2, 1),
            (0, 1, -1), (0, 2, -1), (1, 2, -1), (0, 3, -1), (1, 3, 1), (2, 3, -1), (0, 6, 1)));

        Assert.Equal(new StepResult(1f, true, false), game.Step([3f], observation));
    }

    [Fact]
    public void Step_FullColumn_IsMaskedAndEndsTheGameWithThePenalty()
    {
        using var game = new ConnectFour();
        float[] observation = new float[Cells];
        bool[] mask = new bool[7];
        game.Reset(observation, seed: 1);
        float[] board = Board((0, 0, 1), (1, 0, -1), (2, 0, 1), (3, 0, -1), (4, 0, 1), (5, 0, -1));
        game.SetPosition(board);

        game.WriteActionMask(mask);
        StepResult result = game.Step([0f], observation);

        Assert.Equal([false, true, true, true, true, true, true], mask);
        Assert.Equal(new StepResult(ConnectFour.IllegalMoveReward, true, false), result);
        Assert.Equal(board, observation);
        Assert.Throws<InvalidOperationException>(() => game.Step([1f], observation));
    }

    [Fact]
    public void Step_LookaheadOpponentFacingAThreat_BlocksIt()
    {
        using var game = new ConnectFour(ConnectFourOpponent.OneStepLookahead);
        float[] observation = new float[Cells];
        game.Reset(observation, seed: 1);
        game.SetPosition(Board((0, 0, 1), (0, 1, 1), (1, 0, -1), (1, 1, -1)));

        StepResult result = game.Step([2f], observation);

        Assert.Equal(new StepResult(0f, false, false), result);
        Assert.Equal(-1f, observation[3]);
    }

    [Fact]
    public void Step_LookaheadOpponentWithAWinningColumn_TakesItBeforeBlocking()
    {
        using var game = new ConnectFour(ConnectFourOpponent.OneStepLookahead);
        float[] observation = new float[Cells];
        game.Reset(observation, seed: 1);
        game.SetPosition(Board((0, 0, 1), (0, 1, 1), (0, 3, 1), (0, 6, -1), (1, 6, -1), (2, 6, -1)));

        StepResult result = game.Step([4f], observation);

        Assert.Equal(new StepResult(-1f, true, false), result);
        Assert.Equal(-1f, observation[(3 * 7) + 6]);
        Assert.Equal(0f, observation[2]);
    }

    [Theory]
    [InlineData(ConnectFourOpponent.Random)]
    [InlineData(ConnectFourOpponent.OneStepLookahead)]
    public void Step_RandomValidMoves_PlaysLegalGamesThatEndWithinTwentyOneMoves(ConnectFourOpponent opponent)
    {
        using var game = new ConnectFour(opponent);
        float[] observation = new float[Cells];
        bool[] mask = new bool[7];
        var agent = new SeededRandom(5);
        int[] outcomes = new int[3];
        for (int episode = 0; episode < 300; episode++)
        {
            game.Reset(observation, seed: episode);
            for (int move = 1; ; move++)
            {
                game.WriteActionMask(mask);
                int column = PickValid(mask, agent);
                StepResult result = game.Step([column], observation);
                Assert.False(result.Truncated);
                Assert.True(move <= 21, "a game lasted more than 21 moves of the agent");
                if (result.Terminated)
                {
                    Assert.Contains(result.Reward, new[] { -1f, 0f, 1f });
                    outcomes[(int)result.Reward + 1]++;
                    break;
                }

                Assert.Equal(0f, result.Reward);
                Assert.Equal(0f, observation.Sum());
                Assert.Equal(2 * move, observation.Count(cell => cell != 0f));
            }
        }

        Assert.True(outcomes[0] > 0 && outcomes[2] > 0, $"losses {outcomes[0]}, draws {outcomes[1]}, wins {outcomes[2]}");
    }

    [Fact]
    public void Reset_SameSeed_OpponentPlaysTheSameGame()
    {
        using ConnectFour first = new(), second = new();
        float[] a = new float[Cells], b = new float[Cells];
        first.Reset(a, seed: 9);
        second.Reset(b, seed: 9);

        for (int move = 0; move < 3; move++)
        {
            Assert.Equal(first.Step([move], a), second.Step([move], b));
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void LoadState_IntoAFreshGame_ContinuesTheSameGame()
    {
        using ConnectFour original = new(), copy = new();
        float[] observation = new float[Cells], copied = new float[Cells];
        original.Reset(observation, seed: 4);
        original.Step([3f], observation);
        using var state = new MemoryStream();
        original.SaveState(new BinaryWriter(state));
        state.Position = 0;

        copy.LoadState(new BinaryReader(state));

        for (int move = 0; move < 2; move++)
        {
            Assert.Equal(original.Step([move], observation), copy.Step([move], copied));
            Assert.Equal(observation, copied);
        }
    }

    [Fact]
    public void SetPositionAndStep_InvalidInput_Throw()
    {
        using var game = new ConnectFour();
        float[] observation = new float[Cells];
        Assert.Throws<InvalidOperationException>(() => game.Step([0f], observation));
        Assert.Throws<InvalidOperationException>(() => game.WriteActionMask(new bool[7]));
        game.Reset(observation);

        Assert.Throws<ArgumentException>(() => game.SetPosition(Board((1, 0, 1), (0, 1, -1))));
        Assert.Throws<ArgumentException>(() => game.SetPosition(Board((0, 0, 1))));
        Assert.Throws<ArgumentException>(() => game.SetPosition(Board((0, 0, 1), (0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 0, -1), (1, 1, -1), (1, 2, -1), (1, 3, -1))));
        Assert.Throws<ArgumentException>(() => game.SetPosition(new float[41]));
        Assert.Throws<ArgumentException>(() => game.Step([7f], observation));
        Assert.Throws<ArgumentException>(() => game.WriteActionMask(new bool[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectFour((ConnectFourOpponent)5));
    }

    private static float[] Board(params (int Row, int Column, float Piece)[] pieces)
    {
        float[] cells = new float[Cells];
        foreach ((int row, int column, float piece) in pieces)
            cells[(row * ConnectFour.ColumnCount) + column] = piece;
        return cells;
    }

    private static int PickValid(bool[] mask, SeededRandom random)
    {
        while (true)
        {
            int column = random.NextInt(mask.Length);
            if (mask[column])
                return column;
        }
    }
}
