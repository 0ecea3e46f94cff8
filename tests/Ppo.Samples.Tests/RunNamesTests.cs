namespace Ppo.Samples.Tests;

/// <summary>Checks that every run gets its own checkpoint and TensorBoard folder, numbered as Stable-Baselines3 numbers runs.</summary>
public sealed class RunNamesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-run-names-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Next_NoEarlierRun_IsOne()
    {
        Assert.Equal(1, RunNames.Next("cartpole-seed1", Path.Combine(_folder, "missing"), null));
    }

    [Fact]
    public void Next_EarlierCheckpointsAndLogFolders_FollowsTheHighestOfEither()
    {
        string checkpoints = Directory.CreateDirectory(Path.Combine(_folder, "checkpoints")).FullName;
        string logs = Directory.CreateDirectory(Path.Combine(_folder, "runs")).FullName;
        foreach (string file in new[] { "cartpole-seed1_1.ppo", "cartpole-seed1_3.ppo", "cartpole-seed1.ppo", "cartpole-seed10_9.ppo", "cartpole-seed1_x.ppo", "pendulum-seed1_7.ppo" })
            File.WriteAllText(Path.Combine(checkpoints, file), string.Empty);
        Directory.CreateDirectory(Path.Combine(logs, "cartpole-seed1_4"));
        Directory.CreateDirectory(Path.Combine(logs, "cartpole-seed2_8"));

        Assert.Equal(5, RunNames.Next("cartpole-seed1", checkpoints, logs));
        Assert.Equal(4, RunNames.Next("cartpole-seed1", checkpoints, null));
        Assert.Equal(10, RunNames.Next("cartpole-seed10", checkpoints, logs));
    }

    [Fact]
    public void FreeCheckpoint_NumberTakenMeanwhile_TakesTheNextFreeOne()
    {
        File.WriteAllText(Path.Combine(_folder, "cartpole-seed1_2.ppo"), "another run's model");
        File.WriteAllText(Path.Combine(_folder, "cartpole-seed1_3.ppo"), "another run's model");

        Assert.Equal(Path.Combine(_folder, "cartpole-seed1_1.ppo"), RunNames.FreeCheckpoint(_folder, "cartpole-seed1", 1));
        Assert.Equal(Path.Combine(_folder, "cartpole-seed1_4.ppo"), RunNames.FreeCheckpoint(_folder, "cartpole-seed1", 2));
    }

    [Fact]
    public void Numbered_StemAndNumber_JoinsThemWithAnUnderscore()
    {
        Assert.Equal("lunarlander-seed3_12", RunNames.Numbered("lunarlander-seed3", 12));
    }
}
