using Ppo.Environments;
using Ppo.Losses;
using Ppo.Policies;
using Ppo.Rollouts;
using Ppo.Tests.TestSupport;
using Ppo.Training;

namespace Ppo.Tests.Training;

public sealed class DivergenceTests
{
    [Fact]
    public void Learn_HugeRewards_ThrowsNamingUpdateEpochAndMinibatchBeforeAnyWeightChanges()
    {
        var options = new PpoOptions { NumEnvs = 2, NumSteps = 16, BatchSize = 8, NumEpochs = 2, Seed = 1 };
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(2, _ => new HugeRewardEnvironment()), options);
        float[] before = trainer.Network().Parameters.Values.ToArray();

        var exception = Assert.Throws<TrainingDivergedException>(() => trainer.Learn(32));

        Assert.Equal((1, 1, 1), (exception.Update, exception.Epoch, exception.Minibatch));
        Assert.Contains("Update 1, epoch 1, minibatch 1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("loss", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, trainer.Network().Parameters.Values.ToArray());
        Assert.Equal(0, trainer.Optimizer().StepCount);
    }

    [Theory]
    [InlineData(3e38f)]
    [InlineData(1e30f)]
    [InlineData(1e25f)]
    [InlineData(1e19f)]
    public void Learn_FiniteButHugeRewards_ThrowsTrainingDivergedAndKeepsTheWeightsFinite(float reward)
    {
        // Episodes of 50 steps cut by the time limit and bootstrapped, 4 epochs of 4 minibatches each update.
        var options = new PpoOptions { NumSteps = 64, BatchSize = 32, NumEpochs = 4, Gamma = 0.99f, Seed = 1 };
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(2, _ => new HugeRewardEnvironment(reward, episodeLength: 50, truncate: true)), options);

        Assert.Throws<TrainingDivergedException>(() => trainer.Learn(100 * 128));

        Assert.True(Array.TrueForAll(trainer.Network().Parameters.Values.ToArray(), float.IsFinite));
        Assert.True(Array.TrueForAll(trainer.Optimizer().SecondMoment.ToArray(), float.IsFinite));
        string path = Path.Combine(Path.GetTempPath(), $"ppo-diverged-{Guid.NewGuid():N}.ppo");
        try
        {
            trainer.Save(path);
            Assert.NotNull(TrainedPolicy.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ApplyGradients_InfiniteGradientNorm_ThrowsBeforeTheOptimizerStep()
    {
        const int Rows = 64;
        var network = new ActorCritic(2, new DiscreteSpace(2), seed: 3);
        var learner = new ManagedLearner(network);
        learner.Reserve(1, Rows);
        var minibatch = new Minibatch(Rows, observationSize: 2, actionSize: 1);
        float[] observations = [.. Enumerable.Range(0, 2 * Rows).Select(i => (i % 7) / 7f)];
        float[] actions = [.. Enumerable.Range(0, Rows).Select(i => (float)(i % 2))];
        float[] oldLogProbabilities = [.. Enumerable.Repeat(MathF.Log(0.5f), Rows)];
        float[] advantages = [.. Enumerable.Range(0, Rows).Select(i => i % 2 == 0 ? 1e30f : -1e30f)];
        minibatch.CopyFrom(observations, actions, oldLogProbabilities, advantages, new float[Rows], new float[Rows]);
        var settings = new PpoLossSettings(ClipRange: 0.2f, ValueClipRange: null, NormalizeAdvantage: false, EntropyCoefficient: 0f, ValueCoefficient: 0.5f);
        float[] before = network.Parameters.Values.ToArray();

        PpoLossResult loss = learner.ComputeLoss(minibatch, settings);
        var exception = Assert.Throws<NotFiniteNumberException>(() => learner.ApplyGradients(0.5f, 1e-3f));

        Assert.True(float.IsFinite(loss.Loss));
        Assert.False(double.IsFinite(exception.OffendingNumber));
        Assert.Equal(before, network.Parameters.Values.ToArray());
        Assert.Equal(0, learner.Optimizer.StepCount);
    }

    /// <summary>Rewards of 3·10³⁸ (or another huge value) per step, finite but beyond what a squared error can hold; episodes of four steps unless told otherwise.</summary>
    private sealed class HugeRewardEnvironment(float reward = 3e38f, int episodeLength = 4, bool truncate = false) : IEnvironment
    {
        private int _steps;

        public BoxSpace ObservationSpace { get; } = new(-1f, 1f, 2);

        public Space ActionSpace { get; } = new DiscreteSpace(2);

        public void Reset(Span<float> observation, int? seed = null)
        {
            _steps = 0;
            observation[0] = 0.5f;
            observation[1] = -0.5f;
        }

        public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            _steps++;
            observation[0] = -observation[0];
            bool ended = _steps == episodeLength;
            return new StepResult(reward, Terminated: ended && !truncate, Truncated: ended && truncate);
        }

        public void Dispose()
        {
        }
    }
}
