using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Training;

namespace Ppo.TensorBoard.Tests;

public sealed class TensorBoardCallbackTests : IDisposable
{
    private static readonly UpdateMetrics Metrics = new(
        Update: 3,
        TotalTimesteps: 6144,
        PolicyLoss: -0.0125f,
        ValueLoss: 0.5f,
        EntropyLoss: -0.625f,
        Loss: 0.25f,
        ApproximateKl: 0.004f,
        ClipFraction: 0.1f,
        ExplainedVariance: 0.875f,
        GradientNorm: 0.75f,
        LearningRate: 3e-4f,
        ClipRange: 0.2f,
        EpochsCompleted: 10,
        GradientSteps: 320,
        EarlyStopped: false,
        StepsPerSecond: 1234.5,
        ElapsedSeconds: 4.97,
        MeanEpisodeReturn: 21.5,
        MeanEpisodeLength: 22.25,
        EpisodesFinished: 40);

    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-tensorboard-callback-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Dictionary<string, float> Logged(string path, int update = 1)
    {
        DecodedEvent logged = EventFileReader.Read(path)[update];
        var byTag = new Dictionary<string, float>();
        foreach ((string tag, float value) in logged.Scalars)
            byTag.Add(tag, value);
        return byTag;
    }

    private string LogOne(in UpdateMetrics metrics)
    {
        using var callback = new TensorBoardCallback(_folder);
        Assert.True(callback.OnUpdate(null!, metrics));
        return callback.Writer.FilePath;
    }

    [Fact]
    public void OnUpdate_FiniteMetrics_WritesEveryMetricUnderItsTag()
    {
        Dictionary<string, float> logged = Logged(LogOne(Metrics));

        var expected = new Dictionary<string, float>
        {
            ["rollout/ep_rew_mean"] = 21.5f,
            ["rollout/ep_len_mean"] = 22.25f,
            ["time/fps"] = 1234.5f,
            ["time/iterations"] = 3f,
            ["time/time_elapsed"] = 4.97f,
            ["time/total_timesteps"] = 6144f,
            ["time/episodes"] = 40f,
            ["train/policy_gradient_loss"] = -0.0125f,
            ["train/value_loss"] = 0.5f,
            ["train/entropy_loss"] = -0.625f,
            ["train/loss"] = 0.25f,
            ["train/approx_kl"] = 0.004f,
            ["train/clip_fraction"] = 0.1f,
            ["train/explained_variance"] = 0.875f,
            ["train/learning_rate"] = 3e-4f,
            ["train/clip_range"] = 0.2f,
            ["train/gradient_norm"] = 0.75f,
            ["train/epochs"] = 10f,
            ["train/gradient_steps"] = 320f,
            ["train/early_stopped"] = 0f,
            ["rollout/recoveries"] = 0f,
        };
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), logged.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void OnUpdate_AnyMetrics_LogsAtTotalTimesteps()
    {
        string path = LogOne(Metrics);

        Assert.Equal(6144, EventFileReader.Read(path)[1].Step);
    }

    [Fact]
    public void OnUpdate_NaNMetrics_SkipsThem()
    {
        UpdateMetrics beforeFirstEpisode = Metrics with
        {
            MeanEpisodeReturn = double.NaN,
            MeanEpisodeLength = double.NaN,
            ExplainedVariance = float.NaN,
        };

        Dictionary<string, float> logged = Logged(LogOne(beforeFirstEpisode));

        Assert.Equal(18, logged.Count);
        Assert.DoesNotContain("rollout/ep_rew_mean", logged.Keys);
        Assert.DoesNotContain("rollout/ep_len_mean", logged.Keys);
        Assert.DoesNotContain("train/explained_variance", logged.Keys);
        Assert.All(logged.Values, v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void OnUpdate_EarlyStopped_LogsOne()
    {
        Dictionary<string, float> logged = Logged(LogOne(Metrics with { EarlyStopped = true, EpochsCompleted = 4 }));

        Assert.Equal(1f, logged["train/early_stopped"]);
        Assert.Equal(4f, logged["train/epochs"]);
    }

    [Fact]
    public void Learn_WithCallback_LogsOneEventPerUpdateAtIncreasingSteps()
    {
        var options = new PpoOptions { NumEnvs = 2, NumSteps = 64, BatchSize = 32, NumEpochs = 2, Seed = 5 };
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(2, _ => new CartPole()), options);
        string path;
        using (var callback = new TensorBoardCallback(Path.Combine(_folder, "runs", "cartpole")))
        {
            trainer.Learn(512, callback);
            path = callback.Writer.FilePath;
        }

        List<DecodedEvent> events = EventFileReader.Read(path);

        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal([128L, 256L, 384L, 512L], events.Skip(1).Select(e => e.Step));
        Assert.All(events.Skip(1), e => Assert.Contains(e.Scalars, s => s.Tag == "train/loss"));
        Assert.Equal(4f, Logged(path, update: 4)["time/iterations"]);
    }

    [Fact]
    public void Dispose_OwnedWriter_ClosesIt()
    {
        var callback = new TensorBoardCallback(_folder);

        callback.Dispose();

        Assert.Throws<ObjectDisposedException>(callback.Writer.Flush);
    }

    [Fact]
    public void Dispose_BorrowedWriter_LeavesItOpen()
    {
        using var writer = new TensorBoardEventWriter(_folder);
        using (var callback = new TensorBoardCallback(writer))
            callback.OnUpdate(null!, Metrics);

        writer.WriteScalar("custom/score", 6144, 1f);

        List<DecodedEvent> events = EventFileReader.Read(writer.FilePath);
        Assert.Equal(3, events.Count);
        Assert.Equal([("custom/score", 1f)], events[2].Scalars);
    }

    [Fact]
    public void Constructor_NullWriter_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new TensorBoardCallback((TensorBoardEventWriter)null!));
    }
}
