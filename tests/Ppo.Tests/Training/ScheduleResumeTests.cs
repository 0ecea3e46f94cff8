using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Optimization;
using Ppo.Tests.TestSupport;
using Ppo.Training;

namespace Ppo.Tests.Training;

/// <summary>
/// A run saved during <c>Learn</c> and continued from the checkpoint goes on with the schedules where they were, as
/// Stable-Baselines3's <c>learn(reset_num_timesteps=False)</c>, and is bit-identical to the run that never stopped.
/// </summary>
public sealed class ScheduleResumeTests : IDisposable
{
    // The zoo's CartPole rollout: 8 environments × 32 steps = 256 steps per update; 12 updates, saved after the 5th.
    private const long Budget = 12 * 256;
    private const int SavedAfterUpdate = 5;

    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-schedule-tests").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PpoOptions ZooCartPole => ZooPresets.CartPole with { Seed = 11 };

    private static SyncVectorEnvironment CartPoles() => SyncVectorEnvironment.Create(8, _ => new CartPole());

    [Fact]
    public void LoadThenLearn_ZooLinearSchedules_IsBitIdenticalToAnUnbrokenRun()
    {
        AssertResumeIsBitIdentical(ZooCartPole, passOptionsToLoad: false);
    }

    [Fact]
    public void LoadThenLearn_CustomSchedules_IsBitIdenticalToAnUnbrokenRun()
    {
        PpoOptions options = ZooCartPole with
        {
            LearningRate = Schedule.Custom(progress => 1e-3 * progress * progress, "quadratic"),
            ClipRange = Schedule.Custom(progress => 0.1 + 0.1 * progress, "from 0.2 to 0.1"),
        };

        AssertResumeIsBitIdentical(options, passOptionsToLoad: true);
    }

    [Fact]
    public void Load_CheckpointSavedDuringLearn_KeepsTheSchedulePlan()
    {
        string path = Path.Combine(_folder, "plan.ppo");
        var trainer = new PpoTrainer(CartPoles(), ZooCartPole);
        trainer.Learn(Budget, new SaveAndStop(path, SavedAfterUpdate));

        PpoTrainer loaded = PpoTrainer.Load(path, CartPoles());

        Assert.Equal((0L, Budget), (loaded.ScheduleStartTimesteps, loaded.ScheduleEndTimesteps));
        Assert.Equal(1.0 - (SavedAfterUpdate * 256.0 / Budget), loaded.ProgressRemaining);
    }

    [Fact]
    public void StartNewSchedule_AfterLoad_RunsTheSchedulesFromTheStartOverTheNextBudget()
    {
        string path = Path.Combine(_folder, "restart.ppo");
        var trainer = new PpoTrainer(CartPoles(), ZooCartPole);
        trainer.Learn(Budget, new SaveAndStop(path, SavedAfterUpdate));
        PpoTrainer loaded = PpoTrainer.Load(path, CartPoles());
        var updates = new List<UpdateMetrics>();

        loaded.StartNewSchedule();
        loaded.Learn(4 * 256, TrainingCallback.AfterEachUpdate(updates.Add));

        Assert.Equal(SavedAfterUpdate * 256L, loaded.ScheduleStartTimesteps);
        Assert.Equal((float)(1e-3 * (1 - 256.0 / 1024)), updates[0].LearningRate);
        Assert.Equal(0f, updates[^1].LearningRate);
        Assert.Equal((SavedAfterUpdate + 4) * 256L, loaded.TotalTimesteps);
    }

    [Fact]
    public void Learn_SecondCall_ContinuesTheSchedulesOverBothBudgets()
    {
        var trainer = new PpoTrainer(CartPoles(), ZooCartPole);
        var updates = new List<UpdateMetrics>();
        trainer.Learn(2 * 256);

        trainer.Learn(2 * 256, TrainingCallback.AfterEachUpdate(updates.Add));

        // Stable-Baselines3's reset_num_timesteps=False: progress remaining is 1 − 768/1024 after the third update.
        Assert.Equal((float)(1e-3 * (1 - 768.0 / 1024)), updates[0].LearningRate);
        Assert.Equal((0L, 1024L), (trainer.ScheduleStartTimesteps, trainer.ScheduleEndTimesteps));
    }

    private void AssertResumeIsBitIdentical(PpoOptions options, bool passOptionsToLoad)
    {
        var unbrokenMetrics = new List<UpdateMetrics>();
        var unbroken = new PpoTrainer(CartPoles(), options);
        unbroken.Learn(Budget, TrainingCallback.AfterEachUpdate(unbrokenMetrics.Add));

        string path = Path.Combine(_folder, "resume.ppo");
        var resumedMetrics = new List<UpdateMetrics>();
        var first = new PpoTrainer(CartPoles(), options);
        first.Learn(Budget, TrainingCallback.AfterEachUpdate(resumedMetrics.Add), new SaveAndStop(path, SavedAfterUpdate));
        PpoTrainer resumed = PpoTrainer.Load(path, CartPoles(), passOptionsToLoad ? options : null);
        resumed.Learn(Budget - resumed.TotalTimesteps, TrainingCallback.AfterEachUpdate(resumedMetrics.Add));

        Assert.Equal(unbroken.Network().Parameters.Values.ToArray(), resumed.Network().Parameters.Values.ToArray());
        Assert.Equal(unbroken.Optimizer().FirstMoment.ToArray(), resumed.Optimizer().FirstMoment.ToArray());
        Assert.Equal(unbroken.Optimizer().SecondMoment.ToArray(), resumed.Optimizer().SecondMoment.ToArray());
        Assert.Equal(unbroken.Optimizer().StepCount, resumed.Optimizer().StepCount);
        Assert.Equal(unbrokenMetrics.Select(WithoutTimes), resumedMetrics.Select(WithoutTimes));
        Assert.True(unbrokenMetrics[SavedAfterUpdate].LearningRate < unbrokenMetrics[0].LearningRate);
    }

    private static UpdateMetrics WithoutTimes(UpdateMetrics metrics) => metrics with { StepsPerSecond = 0, ElapsedSeconds = 0 };

    /// <summary>Saves a checkpoint after the given update and stops training there.</summary>
    private sealed class SaveAndStop(string path, int update) : TrainingCallback
    {
        public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
        {
            if (metrics.Update != update)
                return true;
            trainer.Save(path);
            return false;
        }
    }
}
