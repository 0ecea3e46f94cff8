using Ppo.Distributions;
using Ppo.Losses;
using Ppo.Policies;
using Ppo.Tensors;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Losses;

/// <summary>Checks the fused <see cref="PpoLoss"/> against PyTorch, the separate loss kernels and finite differences.</summary>
public sealed class PpoLossTests
{
    private const string Golden = "ppo_total_loss";

    [Fact]
    public void Compute_GoldenCaseThroughCategoricalKernels_MatchesPyTorch()
    {
        int[] shape = GoldenVectors.Shape(Golden, "logits");
        int rows = shape[0], classes = shape[1];
        float[] actions = GoldenVectors.Data(Golden, "actions");
        float[] values = GoldenVectors.Data(Golden, "values");
        float[] logP = new float[rows * classes], p = new float[rows * classes];
        float[] logProb = new float[rows], entropy = new float[rows];
        float[] logProbGradient = new float[rows], valueGradient = new float[rows], entropyGradient = new float[rows];
        float[] logitsGradient = new float[rows * classes];

        Categorical.Normalize(GoldenVectors.Data(Golden, "logits"), logP, p, rows, classes);
        Categorical.LogProbability(logP, actions, logProb, classes);
        Categorical.Entropy(logP, p, entropy, classes);
        PpoLossResult result = PpoLoss.Compute(
            logProb, GoldenVectors.Data(Golden, "old_log_prob"), GoldenVectors.Data(Golden, "advantages"),
            values, values, GoldenVectors.Data(Golden, "returns"), entropy, GoldenSettings(),
            logProbGradient, valueGradient, entropyGradient);
        Categorical.Backward(logP, p, entropy, actions, logProbGradient, entropyGradient, logitsGradient, classes);

        AssertMatchesGolden(result, logitsGradient, valueGradient);
    }

    [Fact]
    public void Compute_GoldenCaseThroughThePolicyHeadKernels_MatchesPyTorch()
    {
        int[] shape = GoldenVectors.Shape(Golden, "logits");
        int rows = shape[0], classes = shape[1];
        Tensor actions = Tensor.FromValues(GoldenVectors.Data(Golden, "actions"), rows);
        Tensor values = Tensor.FromValues(GoldenVectors.Data(Golden, "values"), rows);
        Tensor logP = Tensor.Zeros(rows, classes), p = Tensor.Zeros(rows, classes);
        Tensor logProb = Tensor.Zeros(rows), entropy = Tensor.Zeros(rows);
        Tensor logProbGradient = Tensor.Zeros(rows), valueGradient = Tensor.Zeros(rows), entropyGradient = Tensor.Zeros(rows);
        Tensor logitsGradient = Tensor.Zeros(rows, classes);

        HeadKernels.CategoricalEvaluate(Tensor.FromValues(GoldenVectors.Data(Golden, "logits"), rows, classes), actions, [], logP, p, logProb, entropy, rows, classes);
        PpoLossResult result = PpoLoss.Compute(
            logProb.AsSpan(), GoldenVectors.Data(Golden, "old_log_prob"), GoldenVectors.Data(Golden, "advantages"),
            values.AsSpan(), values.AsSpan(), GoldenVectors.Data(Golden, "returns"), entropy.AsSpan(), GoldenSettings(),
            logProbGradient.AsSpan(), valueGradient.AsSpan(), entropyGradient.AsSpan());
        HeadKernels.CategoricalBackward(logP, p, entropy, actions, logProbGradient, entropyGradient, logitsGradient, rows, classes);

        AssertMatchesGolden(result, logitsGradient.ToArray(), valueGradient.ToArray());
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(true, 0.2f)]
    public void Compute_Always_EqualsSeparateKernels(bool normalize, float? valueClipRange)
    {
        Batch batch = Batch.Create(seed: 81);
        var settings = new PpoLossSettings(0.2f, valueClipRange, normalize, EntropyCoefficient: 0.01f, ValueCoefficient: 0.5f);
        int count = batch.NewLogProb.Length;
        float[] logProbGradient = new float[count], valueGradient = new float[count], entropyGradient = new float[count];
        float[] separateLogProbGradient = new float[count], separateValueGradient = new float[count], separateEntropyGradient = new float[count];

        PpoLossResult fused = PpoLoss.Compute(
            batch.NewLogProb, batch.OldLogProb, batch.Advantages, batch.Values, batch.OldValues, batch.Returns, batch.Entropy,
            settings, logProbGradient, valueGradient, entropyGradient);
        ClippedSurrogateResult policy = ClippedSurrogate.Compute(batch.NewLogProb, batch.OldLogProb, batch.Advantages, 0.2f, normalize, separateLogProbGradient);
        float valueLoss = valueClipRange is float range
            ? ValueLoss.ComputeClipped(batch.Values, batch.OldValues, batch.Returns, range, separateValueGradient)
            : ValueLoss.Compute(batch.Values, batch.Returns, separateValueGradient);
        float entropyLoss = EntropyLoss.Compute(batch.Entropy, separateEntropyGradient);

        Assert.Equal(policy, fused.Policy);
        Assert.Equal(valueLoss, fused.ValueLoss);
        Assert.Equal(entropyLoss, fused.EntropyLoss);
        Assert.Equal(policy.Loss + (0.5f * valueLoss) + (0.01f * entropyLoss), fused.Loss);
        Tolerance.AssertBitwiseEqual(separateLogProbGradient, logProbGradient, "log-probability gradient");
        Tolerance.AssertClose(Array.ConvertAll(separateValueGradient, g => 0.5f * g), valueGradient, 1e-6, "value gradient");
        Tolerance.AssertClose(Array.ConvertAll(separateEntropyGradient, g => 0.01f * g), entropyGradient, 1e-6, "entropy gradient");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.2f)]
    public void Compute_Gradients_MatchFiniteDifference(float? valueClipRange)
    {
        Batch batch = Batch.Create(seed: 82);
        var settings = new PpoLossSettings(0.2f, valueClipRange, NormalizeAdvantage: true, EntropyCoefficient: 0.2f, ValueCoefficient: 0.5f);
        int count = batch.NewLogProb.Length;
        float[] point = [.. batch.NewLogProb, .. batch.Values, .. batch.Entropy];

        double[] numeric = FiniteDifference.Gradient(
            x => PpoLoss.Compute(
                x.AsSpan(0, count), batch.OldLogProb, batch.Advantages, x.AsSpan(count, count), batch.OldValues, batch.Returns, x.AsSpan(2 * count, count),
                settings, new float[count], new float[count], new float[count]).Loss,
            point);
        float[] logProbGradient = new float[count], valueGradient = new float[count], entropyGradient = new float[count];
        PpoLoss.Compute(
            batch.NewLogProb, batch.OldLogProb, batch.Advantages, batch.Values, batch.OldValues, batch.Returns, batch.Entropy,
            settings, logProbGradient, valueGradient, entropyGradient);

        Tolerance.AssertClose(numeric.AsSpan(0, count), logProbGradient, FiniteDifference.RelativeTolerance, "d/dnew");
        Tolerance.AssertClose(numeric.AsSpan(count, count), valueGradient, FiniteDifference.RelativeTolerance, "d/dV");
        Tolerance.AssertClose(numeric.AsSpan(2 * count, count), entropyGradient, FiniteDifference.RelativeTolerance, "d/dH");
    }

    [Fact]
    public void Compute_BadArguments_Throws()
    {
        Batch batch = Batch.Create(seed: 83);
        var valid = new PpoLossSettings(0.2f, null, true, 0.01f, 0.5f);

        PpoLossResult Run(PpoLossSettings settings, int valuesLength = 12, int gradientLength = 12) => PpoLoss.Compute(
            batch.NewLogProb, batch.OldLogProb, batch.Advantages, batch.Values.AsSpan(0, valuesLength), batch.OldValues, batch.Returns, batch.Entropy,
            settings, new float[gradientLength], new float[12], new float[12]);

        Assert.Throws<ArgumentOutOfRangeException>(() => Run(valid with { ClipRange = -0.1f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(valid with { ClipRange = float.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(valid with { ValueClipRange = -0.1f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(valid with { ValueClipRange = float.PositiveInfinity }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(valid with { EntropyCoefficient = -0.01f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(valid with { ValueCoefficient = float.NaN }));
        Assert.Throws<ArgumentException>(() => Run(valid, valuesLength: 11));
        Assert.Throws<ArgumentException>(() => Run(valid, gradientLength: 13));
        Assert.Throws<ArgumentException>(() => PpoLoss.Compute([], [], [], [], [], [], [], valid, [], [], []));
    }

    private static PpoLossSettings GoldenSettings() => new(
        GoldenVectors.Scalar(Golden, "clip_range"),
        ValueClipRange: null,
        GoldenVectors.Flag(Golden, "normalize_advantage"),
        GoldenVectors.Scalar(Golden, "ent_coef"),
        GoldenVectors.Scalar(Golden, "vf_coef"));

    private static void AssertMatchesGolden(PpoLossResult result, float[] logitsGradient, float[] valueGradient)
    {
        Tolerance.AssertClose(GoldenVectors.Scalar(Golden, "loss"), result.Loss, what: "loss");
        Tolerance.AssertClose(GoldenVectors.Scalar(Golden, "policy_loss"), result.Policy.Loss, what: "policy_loss");
        Tolerance.AssertClose(GoldenVectors.Scalar(Golden, "value_loss"), result.ValueLoss, what: "value_loss");
        Tolerance.AssertClose(GoldenVectors.Scalar(Golden, "entropy_loss"), result.EntropyLoss, what: "entropy_loss");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_logits"), logitsGradient, what: "grad_logits");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_values"), valueGradient, what: "grad_values");
    }

    /// <summary>
    /// Twelve samples whose log-ratios and value changes stay at least 0.08 from the clip boundaries (log(1 ± 0.2) and
    /// ±0.2), beyond the finite-difference stencil's reach of ±0.0625, with clipped and unclipped rows of both advantage
    /// signs.
    /// </summary>
    private sealed record Batch(float[] NewLogProb, float[] OldLogProb, float[] Advantages, float[] Values, float[] OldValues, float[] Returns, float[] Entropy)
    {
        public static Batch Create(int seed)
        {
            var random = new Random(seed);
            float[] logRatio = [-0.5f, -0.32f, -0.13f, -0.05f, 0f, 0.07f, 0.09f, 0.27f, 0.4f, -0.1f, 0.3f, -0.35f];
            float[] valueChange = [-0.45f, -0.3f, -0.1f, 0f, 0.05f, 0.11f, 0.3f, 0.5f, -0.06f, 0.29f, -0.3f, 0.1f];
            float[] oldLogProb = TestData.Uniform(random, logRatio.Length, -2.5f, -0.2f);
            float[] newLogProb = new float[logRatio.Length];
            float[] oldValues = TestData.Uniform(random, logRatio.Length, -2f, 2f);
            float[] values = new float[logRatio.Length];
            for (int i = 0; i < logRatio.Length; i++)
            {
                newLogProb[i] = oldLogProb[i] + logRatio[i];
                values[i] = oldValues[i] + valueChange[i];
            }

            return new Batch(
                newLogProb,
                oldLogProb,
                TestData.AwayFromZero(random, logRatio.Length, margin: 0.2f, high: 2f),
                values,
                oldValues,
                TestData.Uniform(random, logRatio.Length, -2f, 2f),
                TestData.Uniform(random, logRatio.Length, 0.2f, 1.3f));
        }
    }
}
