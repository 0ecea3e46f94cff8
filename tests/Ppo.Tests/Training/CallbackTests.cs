using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Training;

namespace Ppo.Tests.Training;

public sealed class CallbackTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-callback-tests").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PpoTrainer Trainer() => new(
        SyncVectorEnvironment.Create(2, _ => new CartPole()),
        new PpoOptions { NumEnvs = 2, NumSteps = 64, BatchSize = 64, NumEpochs = 2, Seed = 3 });

    [Fact]
    public void CheckpointCallback_SavesEveryIntervalWithTheStepCountInTheName()
    {
        var callback = new CheckpointCallback(Path.Combine(_folder, "runs"), everyTimesteps: 256, prefix: "cartpole");

        Trainer().Learn(1024, callback);

        string[] files = [.. Directory.GetFiles(Path.Combine(_folder, "runs")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(["cartpole_1024_steps.ppo", "cartpole_256_steps.ppo", "cartpole_512_steps.ppo", "cartpole_768_steps.ppo"], files);
        Assert.NotNull(TrainedPolicy.Load(callback.LastPath!));
    }

    [Fact]
    public void EvaluationCallback_EvaluatesAtEachIntervalAndCanStopTraining()
    {
        using var evaluation = new CartPole();
        var periodic = new EvaluationCallback(evaluation, everyTimesteps: 256, episodes: 2);
        PpoTrainer trainer = Trainer();

        trainer.Learn(768, periodic);
        var stopping = new EvaluationCallback(evaluation, everyTimesteps: 128, episodes: 1, stopAtMeanReturn: 0);
        trainer.Learn(10_000, stopping);

        Assert.Equal([256L, 512L, 768L], periodic.Results.Select(r => r.Timesteps));
        Assert.All(periodic.Results, r => Assert.Equal(2, r.Result.Returns.Count));
        Assert.Equal(periodic.Results.Max(r => r.Result.MeanReturn), periodic.BestMeanReturn);
        Assert.Single(stopping.Results);
        Assert.Equal(768 + 128, trainer.TotalTimesteps);
    }

    [Fact]
    public void StopOnRewardThreshold_StopsOnceEnoughEpisodesReachIt()
    {
        var stop = new StopOnRewardThreshold(threshold: 5, minimumEpisodes: 3);
        PpoTrainer trainer = Trainer();

        trainer.Learn(100_000, stop);

        Assert.True(stop.Reached);
        Assert.True(trainer.Episodes.TotalEpisodes >= 3);
        Assert.Equal(128, trainer.TotalTimesteps);
    }

    [Fact]
    public void OnEpisodeEnd_ReportsEachFinishedEpisode()
    {
        var recorder = new EpisodeRecorder();
        PpoTrainer trainer = Trainer();

        trainer.Learn(512, recorder);

        Assert.Equal(trainer.Episodes.TotalEpisodes, recorder.Returns.Count);
        Assert.All(recorder.Returns, r => Assert.Equal(r.Return, r.Length));   // CartPole pays 1 per step
        Assert.True(recorder.Returns.Select(r => r.Timesteps).SequenceEqual(recorder.Returns.Select(r => r.Timesteps).Order()));
    }

    [Fact]
    public void Constructors_RejectBadIntervals()
    {
        using var evaluation = new CartPole();
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointCallback(_folder, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationCallback(evaluation, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationCallback(evaluation, 10, episodes: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StopOnRewardThreshold(1, minimumEpisodes: 0));
    }

    private sealed class EpisodeRecorder : TrainingCallback
    {
        public List<(double Return, int Length, long Timesteps)> Returns { get; } = [];

        public override void OnEpisodeEnd(PpoTrainer trainer, double episodeReturn, int length) =>
            Returns.Add((episodeReturn, length, trainer.TotalTimesteps));
    }
}
