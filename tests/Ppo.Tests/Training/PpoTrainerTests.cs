using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Optimization;
using Ppo.Tensors;
using Ppo.Tests.Environments;
using Ppo.Tests.TestSupport;
using Ppo.Training;

namespace Ppo.Tests.Training;

public sealed class PpoTrainerTests
{
    private static PpoOptions SmallCartPoleOptions(int seed) => new()
    {
        NumEnvs = 4,
        NumSteps = 32,
        BatchSize = 64,
        NumEpochs = 4,
        LearningRate = Schedule.Linear(1e-3),
        ClipRange = Schedule.Linear(0.2),
        Seed = seed,
    };

    private static PpoTrainer CartPoleTrainer(PpoOptions options) =>
        new(SyncVectorEnvironment.Create(options.NumEnvs, _ => new CartPole()), options);

    [Fact]
    public void Learn_SameSeed_GivesIdenticalMetricsAndParameters()
    {
        var first = new List<UpdateMetrics>();
        var second = new List<UpdateMetrics>();
        PpoTrainer a = CartPoleTrainer(SmallCartPoleOptions(seed: 3));
        PpoTrainer b = CartPoleTrainer(SmallCartPoleOptions(seed: 3));

        a.Learn(4096, TrainingCallback.AfterEachUpdate(first.Add));
        b.Learn(4096, TrainingCallback.AfterEachUpdate(second.Add));

        Assert.Equal(a.Network().Parameters.Values.ToArray(), b.Network().Parameters.Values.ToArray());
        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++)
            Assert.Equal(first[i] with { StepsPerSecond = 0, ElapsedSeconds = 0 }, second[i] with { StepsPerSecond = 0, ElapsedSeconds = 0 });
    }

    [Fact]
    public void Learn_OnTwoThreadsOrOne_GivesBitIdenticalParameters()
    {
        // 128 rows × about 9,200 parameters is above the size from which the two networks, and their optimizer steps,
        // run on two threads (AdamTests covers Adam's own halves, from Adam.ParallelLength parameters).
        PpoTrainer parallel = CartPoleTrainer(SmallCartPoleOptions(seed: 5) with { BatchSize = 128 });
        PpoTrainer sequential = CartPoleTrainer(SmallCartPoleOptions(seed: 5) with { BatchSize = 128 });
        parallel.Network().ParallelBranches = true;
        sequential.Network().ParallelBranches = false;

        parallel.Learn(2048);
        sequential.Learn(2048);

        Assert.Equal(sequential.Network().Parameters.Values.ToArray(), parallel.Network().Parameters.Values.ToArray());
    }

    [Fact]
    public void Learn_DifferentSeeds_GiveDifferentParameters()
    {
        PpoTrainer a = CartPoleTrainer(SmallCartPoleOptions(seed: 3));
        PpoTrainer b = CartPoleTrainer(SmallCartPoleOptions(seed: 4));

        a.Learn(1024);
        b.Learn(1024);

        Assert.NotEqual(a.Network().Parameters.Values.ToArray(), b.Network().Parameters.Values.ToArray());
    }

    [Fact]
    public void Learn_WithoutSeed_DrawsOneAndReportsIt()
    {
        PpoTrainer trainer = CartPoleTrainer(SmallCartPoleOptions(seed: 0) with { Seed = null });

        Assert.Equal(trainer.Seed, trainer.Options.Seed);
    }

    [Fact]
    public void Learn_CountsWholeUpdatesUntilTheBudgetIsReached()
    {
        var updates = new List<UpdateMetrics>();
        PpoTrainer trainer = CartPoleTrainer(SmallCartPoleOptions(seed: 1));

        UpdateMetrics last = trainer.Learn(1000, TrainingCallback.AfterEachUpdate(updates.Add));

        // 4 environments × 32 steps = 128 per update; 8 updates reach 1024 ≥ 1000.
        Assert.Equal(8, updates.Count);
        Assert.Equal(1024, trainer.TotalTimesteps);
        Assert.Equal(1024, last.TotalTimesteps);
        Assert.Equal(8, last.Update);
        Assert.Equal(4 * 2, last.GradientSteps);   // 4 epochs × 128 / 64 minibatches
        Assert.Equal(4, last.EpochsCompleted);
    }

    [Fact]
    public void Learn_LinearSchedules_FollowProgressRemainingAndClampAtZero()
    {
        var updates = new List<UpdateMetrics>();
        PpoTrainer trainer = CartPoleTrainer(SmallCartPoleOptions(seed: 1));

        trainer.Learn(1000, TrainingCallback.AfterEachUpdate(updates.Add));

        // After update k, 128·k steps are done: progress remaining 1 − 128k/1000, clamped at 0 for the last.
        Assert.Equal((float)(1e-3 * (1 - 128.0 / 1000)), updates[0].LearningRate, 1e-9f);
        Assert.Equal((float)(0.2 * (1 - 256.0 / 1000)), updates[1].ClipRange, 1e-7f);
        Assert.Equal(0f, updates[^1].LearningRate);
        Assert.Equal(0f, updates[^1].ClipRange);
    }

    [Fact]
    public void Learn_CallbackReturnsFalse_StopsAfterThatUpdate()
    {
        PpoTrainer trainer = CartPoleTrainer(SmallCartPoleOptions(seed: 1));
        var stopper = new StopAfter(2);

        trainer.Learn(100_000, stopper);

        Assert.Equal(2, trainer.UpdateCount);
        Assert.True(stopper.Started);
        Assert.True(stopper.Ended);
    }

    [Fact]
    public void Update_TinyTargetKl_StopsEpochsEarly()
    {
        PpoTrainer trainer = CartPoleTrainer(SmallCartPoleOptions(seed: 1) with { TargetKl = 1e-9f, NumEpochs = 10, LearningRate = 1e-3 });

        UpdateMetrics metrics = trainer.Learn(128);

        Assert.True(metrics.EarlyStopped);
        Assert.True(metrics.EpochsCompleted < 10);
        Assert.True(metrics.GradientSteps < 10 * 2);
    }

    [Fact]
    public void Constructor_NumEnvsDiffersFromEnvironment_ThrowsNamingBoth()
    {
        using var environment = SyncVectorEnvironment.Create(3, _ => new CartPole());

        var exception = Assert.Throws<ArgumentException>(() => new PpoTrainer(environment, SmallCartPoleOptions(1)));

        Assert.Contains("NumEnvs is 4", exception.Message, StringComparison.Ordinal);
        Assert.Contains("3 environments", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsArgumentException()
    {
        using var environment = SyncVectorEnvironment.Create(4, _ => new CartPole());

        Assert.Throws<ArgumentException>(() => new PpoTrainer(environment, SmallCartPoleOptions(1) with { BatchSize = 1 }));
    }

    [Fact]
    public void Learn_NonPositiveBudget_Throws()
    {
        PpoTrainer trainer = CartPoleTrainer(SmallCartPoleOptions(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Learn(0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CollectRollout_NonFiniteObservationOrReward_ThrowsNamingEnvironmentStepAndField(bool badReward)
    {
        // Environment 1 goes bad on its 5th step, the vector's 5th: the error names where the value came out.
        var options = new PpoOptions { NumEnvs = 2, NumSteps = 8, BatchSize = 4, Seed = 1 };
        using var environment = new SyncVectorEnvironment([new ScriptedEnvironment(), new ScriptedEnvironment(badStep: 5, badReward: badReward)]);
        var trainer = new PpoTrainer(environment, options);

        var exception = Assert.Throws<ArgumentException>(trainer.CollectRollout);

        Assert.Contains(badReward ? "Environment 1 returned a reward of Infinity at step 5 of the vector" : "Environment 1 returned an observation with NaN in element 0 at step 5 of the vector", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectRollout_NonFiniteFinalObservationOfATruncatedEpisode_ThrowsNamingItInsteadOfTheBootstrap()
    {
        var options = new PpoOptions { NumSteps = 8, BatchSize = 4, Seed = 1 };
        using var environment = new SyncVectorEnvironment([new FaultyEnvironment(Fault.NonFiniteFinalObservationOfTruncation, badStep: 3)]);
        var trainer = new PpoTrainer(environment, options);

        var exception = Assert.Throws<ArgumentException>(trainer.CollectRollout);

        Assert.Contains("Environment 0 returned the final observation of a truncated episode with -Infinity in element 1 at step 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectRollout_EnvironmentThrowsMidRollout_CountsNoneOfThatRolloutsSteps()
    {
        // Two environments × 16 steps: the first rollout is whole, the second fails at environment 1's 20th step.
        var options = new PpoOptions { NumSteps = 16, BatchSize = 16, NumEpochs = 1, Seed = 1 };
        using var environment = new SyncVectorEnvironment([new FaultyEnvironment(Fault.Throw), new FaultyEnvironment(Fault.Throw, badStep: 20)]);
        var trainer = new PpoTrainer(environment, options);

        Assert.Throws<InvalidOperationException>(() => trainer.Learn(64));

        Assert.Equal(32, trainer.TotalTimesteps);
        Assert.Equal(1, trainer.UpdateCount);
    }

    [Fact]
    public void Constructor_OptionsWithoutNumEnvs_TakeTheEnvironmentCount()
    {
        using var environment = SyncVectorEnvironment.Create(4, _ => new CartPole());
        var options = new PpoOptions { NumSteps = 32, BatchSize = 128, Seed = 1 };

        var trainer = new PpoTrainer(environment, options);

        Assert.Equal(4, trainer.Options.NumEnvs);
        Assert.Equal(128, trainer.Options.RolloutSize);
        Assert.Equal(128, trainer.Buffer.Size);
    }

    [Fact]
    public void Constructor_NumEnvsThatDisagreesAndABatchTooLargeForIt_ThrowsAboutNumEnvs()
    {
        using var environment = SyncVectorEnvironment.Create(4, _ => new CartPole());
        var options = new PpoOptions { NumEnvs = 1, NumSteps = 32, BatchSize = 128, Seed = 1 };

        var exception = Assert.Throws<ArgumentException>(() => new PpoTrainer(environment, options));

        Assert.Contains("NumEnvs is 1 but the vector environment has 4 environments", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BatchSize", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectRollout_TruncatedEpisode_BootstrapsRewardWithDiscountedFinalValue()
    {
        var options = new PpoOptions { NumEnvs = 1, NumSteps = 6, BatchSize = 6, Gamma = 0.9f, Seed = 1 };
        using var environment = new SyncVectorEnvironment([new ScriptedEnvironment(truncateAfter: 3)]);
        var trainer = new PpoTrainer(environment, options);

        trainer.CollectRollout();

        // Steps 2 and 5 end an episode by truncation; their final observation is [3, 1].
        float expectedValue = PredictValue(trainer, 3f);
        float[] rewards = trainer.Buffer.Rewards.ToArray();
        float[] dones = trainer.Buffer.Dones.ToArray();
        Assert.Equal([0f, 0f, 1f, 0f, 0f, 1f], dones);
        Assert.Equal(1f + 0.9f * expectedValue, rewards[2]);
        Assert.Equal(1f + 0.9f * expectedValue, rewards[5]);
        Assert.Equal(1f, rewards[0]);
        Assert.Equal(1f, rewards[4]);
    }

    [Fact]
    public void CollectRollout_TerminatedEpisode_IsNotBootstrapped()
    {
        var options = new PpoOptions { NumEnvs = 1, NumSteps = 6, BatchSize = 6, Gamma = 0.9f, Seed = 1 };
        using var environment = new SyncVectorEnvironment([new ScriptedEnvironment(truncateAfter: 3, terminateAfter: 3)]);
        var trainer = new PpoTrainer(environment, options);

        trainer.CollectRollout();

        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1f], trainer.Buffer.Rewards.ToArray());
        Assert.Equal([0f, 0f, 1f, 0f, 0f, 1f], trainer.Buffer.Dones.ToArray());
    }

    // A full collection frees the runtime's caches (an enum's names, for one); code that refills one on the next call
    // allocates once after every collection, which a warm-up alone does not show.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CollectRolloutAndUpdate_AfterWarmUp_AllocateNothing(bool afterFullCollection)
    {
        PpoTrainer trainer = CartPoleTrainer(SmallCartPoleOptions(seed: 1));
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            trainer.CollectRollout();
            trainer.Update(1.0);
        }

        if (afterFullCollection)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        trainer.CollectRollout();
        trainer.Update(0.5);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Update_BeforeCollecting_Throws()
    {
        PpoTrainer trainer = CartPoleTrainer(SmallCartPoleOptions(1));

        Assert.Throws<InvalidOperationException>(() => trainer.Update(1.0));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Learn_CartPoleWithZooHyperparameters_ReachesTheSolvedThreshold()
    {
        // rl-baselines3-zoo's CartPole-v1 settings; Gymnasium counts CartPole-v1 solved at a mean return of 475.
        PpoOptions options = ZooPresets.CartPole with { Seed = 1 };
        PpoTrainer trainer = CartPoleTrainer(options);

        trainer.Learn(100_000);
        using var evaluationEnvironment = new CartPole();
        EvaluationResult evaluation = PolicyEvaluation.Run(trainer.Policy, evaluationEnvironment, episodes: 20, seed: 1_000_001);

        Assert.True(evaluation.MeanReturn >= 475, $"Mean evaluation return {evaluation.MeanReturn} is below 475.");
    }

    private static float PredictValue(PpoTrainer trainer, float step)
    {
        var values = Tensor.Zeros(1);
        trainer.Network().PredictValues(Tensor.FromValues([step, 1f], 1, 2), 1, values);
        return values.AsSpan()[0];
    }

    private sealed class StopAfter(int updates) : TrainingCallback
    {
        public bool Started { get; private set; }

        public bool Ended { get; private set; }

        public override void OnTrainingStart(PpoTrainer trainer) => Started = true;

        public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics) => metrics.Update < updates;

        public override void OnTrainingEnd(PpoTrainer trainer) => Ended = true;
    }
}
