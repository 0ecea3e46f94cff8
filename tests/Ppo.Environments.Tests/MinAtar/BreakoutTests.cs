using Ppo.Environments.MinAtar;

namespace Ppo.Environments.Tests.MinAtar;

/// <summary>The rules of MinAtar's Breakout, each on a position arranged by hand and worked out on paper.</summary>
public sealed class BreakoutTests
{
    private const int Cells = Breakout.GridSize * Breakout.GridSize;
    private static readonly float[] NoOp = [0f], Left = [1f], Right = [2f];

    [Fact]
    public void Reset_AnySeed_StartsWithThreeBrickRowsThePaddleInColumnFourAndTheBallInRowThree()
    {
        using var game = new Breakout();
        float[] observation = new float[game.ObservationSpace.Size];

        for (int seed = 0; seed < 20; seed++)
        {
            game.Reset(observation, seed);

            Assert.Equal([4, 10, 10], game.ObservationSpace.Shape.ToArray());
            Assert.Equal(30, game.BrickCount);
            Assert.Equal(30f, observation.AsSpan(3 * Cells, Cells).ToArray().Sum());
            Assert.Equal(1f, observation[(9 * 10) + 4]);
            (int column, int row) = game.Ball;
            Assert.Equal(3, row);
            Assert.True(column is 0 or 9, $"The ball starts in column {column}.");
            Assert.Equal(1f, observation[Cells + (3 * 10) + column]);
            Assert.Equal(1f, observation[(2 * Cells) + (3 * 10) + column]);
        }
    }

    [Fact]
    public void Step_BallAtTheLeftWall_BouncesBackToTheRight()
    {
        using Breakout game = Arranged(ballColumn: 0, ballRow: 6, direction: 0, paddle: 4);

        Step(game, NoOp);
        Step(game, NoOp);

        Assert.Equal((1, 4), game.Ball);
    }

    [Fact]
    public void Step_BallEntersABrick_BreaksItForOnePointAndTurnsBackDown()
    {
        using Breakout game = Arranged(ballColumn: 2, ballRow: 4, direction: 0, paddle: 4, withBricks: true);

        StepResult result = Step(game, NoOp);

        Assert.Equal(1f, result.Reward);
        Assert.Equal(29, game.BrickCount);
        Assert.Equal((1, 4), game.Ball);
        Step(game, NoOp);
        Assert.Equal((0, 5), game.Ball);
    }

    [Fact]
    public void Step_BallComesDownAboveThePaddle_BouncesStraightBackUp()
    {
        using Breakout game = Arranged(ballColumn: 4, ballRow: 8, direction: 2, paddle: 4);

        StepResult result = Step(game, NoOp);

        Assert.False(result.Terminated);
        Assert.Equal((5, 8), game.Ball);
        Step(game, NoOp);
        Assert.Equal((6, 7), game.Ball);
    }

    [Fact]
    public void Step_BallLandsOnThePaddle_BouncesBackTheWayItCame()
    {
        using Breakout game = Arranged(ballColumn: 3, ballRow: 8, direction: 2, paddle: 4);

        StepResult result = Step(game, NoOp);

        Assert.False(result.Terminated);
        Assert.Equal((4, 8), game.Ball);
        Step(game, NoOp);
        Assert.Equal((3, 7), game.Ball);
    }

    [Fact]
    public void Step_PaddleMissesTheBall_Terminates()
    {
        using Breakout game = Arranged(ballColumn: 0, ballRow: 8, direction: 2, paddle: 9);

        StepResult result = Step(game, Left);

        Assert.True(result.Terminated);
        Assert.False(result.Truncated);
        Assert.Equal(0f, result.Reward);
    }

    [Fact]
    public void Step_LastBrickGoneAndBallAtTheBottom_RefillsThreeRows()
    {
        using Breakout game = Arranged(ballColumn: 4, ballRow: 8, direction: 2, paddle: 4);
        Assert.Equal(0, game.BrickCount);

        Step(game, NoOp);

        Assert.Equal(30, game.BrickCount);
    }

    [Fact]
    public void Step_PaddleAtTheWall_StaysInTheGrid()
    {
        using Breakout game = Arranged(ballColumn: 5, ballRow: 3, direction: 0, paddle: 1);

        Step(game, Left);
        Step(game, Left);

        Assert.Equal(0, game.PaddleColumn);
        Step(game, Right);
        Assert.Equal(1, game.PaddleColumn);
    }

    [Fact]
    public void Step_StickyActionsAlways_RepeatsTheNoOpAnEpisodeStartsWith()
    {
        using var game = new Breakout(stickyActionProbability: 1f);
        float[] observation = new float[game.ObservationSpace.Size];
        game.Reset(observation, seed: 3);

        game.Step(Left, observation);

        Assert.Equal(4, game.PaddleColumn);
    }

    [Fact]
    public void Step_StepLimitReached_Truncates()
    {
        using var game = new Breakout(stickyActionProbability: 0f, maxEpisodeSteps: 2);
        float[] observation = new float[game.ObservationSpace.Size];
        game.Reset(observation, seed: 1);

        Assert.False(game.Step(NoOp, observation).Truncated);
        Assert.True(game.Step(NoOp, observation).Truncated);
    }

    [Fact]
    public void Step_UniformOverMinAtarsSixActions_ScoresHalfABrickPerEpisode()
    {
        // MinAtar's README: a random policy over its six actions (no-op, left, up, right, down, fire; only left and right
        // move the paddle) returns 0.5 ± 0.023 over 1,000 episodes, with sticky actions.
        using var game = new Breakout();
        float[] observation = new float[game.ObservationSpace.Size];
        var random = new Random(17);
        double total = 0;
        const int Episodes = 1000;
        for (int episode = 0; episode < Episodes; episode++)
        {
            game.Reset(observation, episode);
            StepResult result;
            do
            {
                int action = random.Next(6);
                result = game.Step(action == 1 ? Left : action == 3 ? Right : NoOp, observation);
                total += result.Reward;
            }
            while (!result.Terminated && !result.Truncated);
        }

        Assert.InRange(total / Episodes, 0.4, 0.6);
    }

    [Fact]
    public void Constructor_ProbabilityOutsideZeroToOne_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Breakout(stickyActionProbability: 1.5f));
    }

    private static Breakout Arranged(int ballColumn, int ballRow, int direction, int paddle, bool withBricks = false)
    {
        var game = new Breakout(stickyActionProbability: 0f);
        float[] observation = new float[game.ObservationSpace.Size];
        game.Reset(observation, seed: 0);
        bool[] bricks = new bool[Cells];
        if (withBricks)
            bricks.AsSpan(10, 30).Fill(true);
        game.Arrange(ballColumn, ballRow, direction, paddle, bricks);
        return game;
    }

    private static StepResult Step(Breakout game, float[] action) => game.Step(action, new float[game.ObservationSpace.Size]);
}
