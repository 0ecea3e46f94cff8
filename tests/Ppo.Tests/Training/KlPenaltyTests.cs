using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Losses;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Tensors;
using Ppo.Tests.TestSupport;
using Ppo.Training;

namespace Ppo.Tests.Training;

/// <summary>Checks the KL-penalized objectives, the adaptive β rules and the penalty toward a reference policy.</summary>
public sealed class KlPenaltyTests
{
    [Theory]
    [InlineData(PolicyObjective.KlPenalty)]
    [InlineData(PolicyObjective.ClippedSurrogateWithKlPenalty)]
    public void PpoLoss_KlObjective_AddsBetaTimesMeanKlAndItsGradient(PolicyObjective objective)
    {
        float[] newLogP = [-1.0f, -0.5f, -2.0f, -0.1f], oldLogP = [-1.3f, -0.6f, -1.5f, -0.1f], advantages = [1f, -2f, 0.5f, 3f];
        float[] values = [0f, 0f, 0f, 0f], kl = [0.1f, 0.2f, 0.05f, 0.3f];
        float[] logPGradient = new float[4], valueGradient = new float[4], entropyGradient = new float[4], klGradient = new float[4];
        var settings = new PpoLossSettings(0.2f, null, false, 0f, 0.5f, objective, KlCoefficient: 3f);

        PpoLossResult result = PpoLoss.Compute(newLogP, oldLogP, advantages, values, values, values, values, kl, settings, logPGradient, valueGradient, entropyGradient, klGradient);

        double surrogate = 0;
        for (int i = 0; i < 4; i++)
        {
            double ratio = Math.Exp(newLogP[i] - oldLogP[i]);
            double term = ratio * advantages[i];
            if (objective == PolicyObjective.ClippedSurrogateWithKlPenalty)
                term = Math.Min(term, Math.Clamp(ratio, 0.8, 1.2) * advantages[i]);
            surrogate += term;
        }

        Assert.Equal(kl.Average(), result.KlDivergence, 6);
        Assert.Equal(-surrogate / 4, result.Policy.Loss, 5);
        Assert.Equal(result.Policy.Loss + 3f * kl.Average(), result.Loss, 5);
        Assert.All(klGradient, g => Assert.Equal(3f / 4, g));
        if (objective == PolicyObjective.KlPenalty)
        {
            // Without clipping every sample passes its gradient −r·A/B, even far outside the clip range (sample 2: r ≈ 0.61).
            for (int i = 0; i < 4; i++)
                Assert.Equal(-MathF.Exp(newLogP[i] - oldLogP[i]) * advantages[i] / 4, logPGradient[i], 6);
        }
    }

    [Fact]
    public void PpoLoss_ClippedObjective_ReportsNoKl()
    {
        float[] x = [0.1f, -0.2f];
        var settings = new PpoLossSettings(0.2f, null, false, 0f, 0.5f);

        PpoLossResult result = PpoLoss.Compute(x, x, x, x, x, x, x, settings, new float[2], new float[2], new float[2]);

        Assert.True(float.IsNaN(result.KlDivergence));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ActorCritic_KlGradient_MatchesFiniteDifferences(bool continuous)
    {
        const int Rows = 5, ObservationSize = 3;
        var random = new Random(31);
        Space actionSpace = continuous ? new BoxSpace(-1f, 1f, 2) : new DiscreteSpace(3);
        var options = new ActorCriticOptions { PolicyHiddenSizes = [6], ValueHiddenSizes = [4], OrthogonalInitialization = false, LogStdInit = -0.2f };
        var network = new ActorCritic(ObservationSize, actionSpace, options, seed: 32);
        network.Resize(Rows);
        Tensor observations = Tensor.FromValues(TestData.Uniform(random, Rows * ObservationSize, -2f, 2f), Rows, ObservationSize);
        Tensor actions = Tensor.Zeros(Rows, network.ActionSize), logP = Tensor.Zeros(Rows), entropy = Tensor.Zeros(Rows), values = Tensor.Zeros(Rows);
        Tensor old = Tensor.Zeros(Rows, network.DistributionParameterSize);
        network.Act(observations, Rows, new SeededRandom(33), deterministic: false, actions, logP, values, old);
        float[] weights = TestData.Uniform(random, Rows);

        // Move away from the old policy so that the divergence and its gradient are not zero.
        Tensor parameters = network.Parameters.Values;
        float[] moved = parameters.ToArray();
        for (int i = 0; i < moved.Length; i++)
            moved[i] += 0.3f * (float)(random.NextDouble() - 0.5);
        parameters.CopyFrom(moved);

        Tensor kl = Tensor.Zeros(Rows);
        double Loss(float[] point)
        {
            parameters.CopyFrom(point);
            network.Evaluate(observations, actions, Rows, logP, entropy, values, old, kl);
            return TestData.WeightedSum(weights, kl.AsSpan());
        }

        int[] sample = [.. Enumerable.Range(0, moved.Length).Where(i => i % 7 == 0)];
        double[] numeric = FiniteDifference.Gradient(Loss, moved, sample);
        Loss(moved);
        network.Parameters.ZeroGradients();
        Tensor zero = Tensor.Zeros(Rows);
        network.Backward(zero, zero, zero, Rows, Tensor.FromValues(weights, Rows));
        float[] gradients = network.Parameters.Gradients.ToArray();

        Tolerance.AssertClose(numeric, Array.ConvertAll(sample, i => gradients[i]), FiniteDifference.RelativeTolerance, "dKL/dθ");
    }

    [Fact]
    public void Adaptive_ScriptedKlSequence_HalvesDoublesOrKeepsBeta()
    {
        // Target 0.01: below 0.00667 halves, above 0.015 doubles, in between keeps.
        float[] measured = [0.001f, 0.002f, 0.01f, 0.02f, 0.05f, 0.012f, 0.0066f];
        float[] expected = [0.5f, 0.25f, 0.25f, 0.5f, 1f, 1f, 0.5f];
        float beta = 1f;

        for (int i = 0; i < measured.Length; i++)
        {
            beta = KlPenaltyControllers.Adaptive(beta, measured[i], target: 0.01f);
            Assert.Equal(expected[i], beta);
        }
    }

    [Fact]
    public void Proportional_ScriptedKlSequence_MovesBetaByTheClippedErrorOverTheHorizon()
    {
        // Target 6, 1000 steps per rollout, horizon 10000: the step is clip(KL/6 − 1, ±0.2) × 0.1.
        float beta = 0.1f;
        beta = KlPenaltyControllers.Proportional(beta, 12f, 6f, 1000, 10_000);   // error clipped to +0.2
        Assert.Equal(0.1f * 1.02f, beta, 6);
        beta = KlPenaltyControllers.Proportional(beta, 6.6f, 6f, 1000, 10_000);  // error +0.1
        Assert.Equal(0.1f * 1.02f * 1.01f, beta, 6);
        beta = KlPenaltyControllers.Proportional(beta, 0f, 6f, 1000, 10_000);    // error clipped to −0.2
        Assert.Equal(0.1f * 1.02f * 1.01f * 0.98f, beta, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => KlPenaltyControllers.Proportional(beta, 1f, 0f, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => KlPenaltyControllers.Adaptive(beta, 1f, float.NaN));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Learn_AdaptiveKlPenalty_ReportsKlAndAdaptsBeta()
    {
        var options = new PpoOptions
        {
            NumEnvs = 4,
            NumSteps = 64,
            BatchSize = 64,
            NumEpochs = 4,
            PolicyObjective = PolicyObjective.KlPenalty,
            KlCoef = 1f,
            AdaptiveKlTarget = 0.01f,
            Seed = 2,
        };
        var updates = new List<UpdateMetrics>();
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(4, _ => new CartPole()), options);

        trainer.Learn(1024, TrainingCallback.AfterEachUpdate(updates.Add));

        Assert.All(updates, m => Assert.True(m.KlDivergence >= 0f));
        Assert.Equal(1f, updates[0].KlCoefficient);
        for (int i = 1; i < updates.Count; i++)
            Assert.Equal(KlPenaltyControllers.Adaptive(updates[i - 1].KlCoefficient, updates[i - 1].KlDivergence, 0.01f), updates[i].KlCoefficient);
        Assert.True(float.IsNaN(updates[0].ReferenceKl));
    }

    [Fact]
    public void CollectRollout_ReferencePolicy_SubtractsBetaTimesLogRatioFromEachReward()
    {
        var options = new PpoOptions { NumEnvs = 2, NumSteps = 16, BatchSize = 32, ReferenceKlCoef = 0.5f, Seed = 4 };
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(2, _ => new CartPole()), options);
        var reference = new ActorCritic(4, new DiscreteSpace(2), seed: 99);
        trainer.ReferencePolicy = reference;

        trainer.CollectRollout();

        // CartPole pays 1 per step; every reward is 1 − 0.5·(log π − log π_ref) for the stored action.
        RolloutBufferCheck(trainer, reference, 0.5f);
    }

    [Fact]
    public void CollectRollout_ReferenceLoadedFromACheckpoint_PenalizesTheLogRatioToTheSavedPolicy()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ppo-reference-{Guid.NewGuid():N}.ppo");
        try
        {
            var pretraining = new PpoTrainer(SyncVectorEnvironment.Create(2, _ => new CartPole()), new PpoOptions { NumEnvs = 2, NumSteps = 32, BatchSize = 32, Seed = 7 });
            pretraining.Learn(256);
            pretraining.Save(path);

            var options = new PpoOptions { NumEnvs = 2, NumSteps = 16, BatchSize = 32, ReferenceKlCoef = 0.25f, Seed = 8 };
            var trainer = new PpoTrainer(SyncVectorEnvironment.Create(2, _ => new CartPole()), options);
            var reference = (ActorCritic)TrainedPolicy.Load(path).Policy;
            trainer.ReferencePolicy = reference;

            trainer.CollectRollout();

            Assert.Equal(pretraining.Network().Parameters.Values.ToArray(), reference.Parameters.Values.ToArray());
            RolloutBufferCheck(trainer, reference, 0.25f);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CollectRollout_ReferenceCoefficientWithoutReference_Throws()
    {
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(1, _ => new CartPole()), new PpoOptions { NumEnvs = 1, NumSteps = 8, BatchSize = 8, ReferenceKlCoef = 0.1f, Seed = 1 });

        var exception = Assert.Throws<InvalidOperationException>(trainer.CollectRollout);

        Assert.Contains("ReferencePolicy", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferencePolicy_OfAnotherShape_IsRejected()
    {
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(1, _ => new CartPole()), new PpoOptions { NumEnvs = 1, NumSteps = 8, BatchSize = 8, Seed = 1 });

        Assert.Throws<ArgumentException>(() => trainer.ReferencePolicy = new ActorCritic(3, new DiscreteSpace(2)));
    }

    [Fact]
    public void Update_ReferenceKlTarget_MovesBetaWithTheProportionalController()
    {
        var options = new PpoOptions { NumEnvs = 2, NumSteps = 16, BatchSize = 32, ReferenceKlCoef = 0.5f, ReferenceKlTarget = 1e-6f, ReferenceKlHorizon = 100, Seed = 4 };
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(2, _ => new CartPole()), options) { ReferencePolicy = new ActorCritic(4, new DiscreteSpace(2), seed: 99) };

        UpdateMetrics metrics = trainer.Learn(32);

        Assert.Equal(0.5f, metrics.ReferenceKlCoefficient);
        Assert.Equal(KlPenaltyControllers.Proportional(0.5f, metrics.ReferenceKl, 1e-6f, 32, 100), trainer.ReferenceKlCoefficient);
    }

    private static void RolloutBufferCheck(PpoTrainer trainer, ActorCritic reference, float beta)
    {
        int size = trainer.Buffer.Size;
        reference.Resize(size);
        Tensor referenceLogP = Tensor.Zeros(size), scratch = Tensor.Zeros(size), values = Tensor.Zeros(size);
        reference.Evaluate(trainer.Buffer.Observations, trainer.Buffer.Actions, size, referenceLogP, scratch, values);
        float[] rewards = trainer.Buffer.Rewards.ToArray(), logP = trainer.Buffer.LogProbabilities.ToArray(), refLogP = referenceLogP.ToArray();
        for (int i = 0; i < size; i++)
            Assert.Equal(1f - beta * (logP[i] - refLogP[i]), rewards[i], 5);
    }
}
