using Ppo.Distributions;
using Ppo.Randomness;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Distributions;

/// <summary>Checks <see cref="MaskedCategorical"/> (with the <see cref="Categorical"/> kernels it feeds) against PyTorch, finite differences and its contract.</summary>
public sealed class MaskedCategoricalTests
{
    private const string Golden = "masked_categorical";

    [Fact]
    public void Evaluate_GoldenMaskedCategorical_MatchesPyTorch()
    {
        (int rows, int classes) = Size();
        float[] logP = new float[rows * classes], p = new float[rows * classes];
        float[] logProb = new float[rows], entropy = new float[rows];
        bool[] mask = GoldenMask(Golden);

        MaskedCategorical.Normalize(GoldenVectors.Data(Golden, "logits"), mask, logP, p, rows, classes);
        MaskedCategorical.LogProbability(logP, mask, GoldenVectors.Data(Golden, "actions"), logProb, classes);
        Categorical.Entropy(logP, p, entropy, classes);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "probs"), p, what: "probs");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "log_prob"), logProb, what: "log_prob");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "entropy"), entropy, what: "entropy");
        for (int i = 0; i < mask.Length; i++)
        {
            if (!mask[i])
                Assert.Equal(0f, p[i]);
        }
    }

    [Fact]
    public void Backward_GoldenMaskedCategorical_MatchesPyTorchAndIsZeroAtInvalidActions()
    {
        (int rows, int classes) = Size();
        float[] logP = new float[rows * classes], p = new float[rows * classes], entropy = new float[rows];
        float[] gradient = new float[rows * classes];
        bool[] mask = GoldenMask(Golden);
        MaskedCategorical.Normalize(GoldenVectors.Data(Golden, "logits"), mask, logP, p, rows, classes);
        Categorical.Entropy(logP, p, entropy, classes);

        Categorical.Backward(
            logP, p, entropy, GoldenVectors.Data(Golden, "actions"),
            GoldenVectors.Data(Golden, "grad_log_prob"), GoldenVectors.Data(Golden, "grad_entropy"), gradient, classes);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_logits"), gradient, what: "grad_logits");
        for (int i = 0; i < mask.Length; i++)
        {
            if (!mask[i])
                Assert.Equal(0f, Math.Abs(gradient[i]));
        }
    }

    /// <summary>Rows leave one, two, three (all but one) and four of four actions valid.</summary>
    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(0f, 1f)]
    [InlineData(0.7f, -1.3f)]
    public void Backward_MaskedLogProbabilityAndEntropy_MatchFiniteDifference(float logProbabilityWeight, float entropyWeight)
    {
        const int Rows = 4, Classes = 4;
        bool[] mask =
        [
            false, true, false, false,
            true, false, false, true,
            true, true, false, true,
            true, true, true, true,
        ];
        float[] actions = [1f, 3f, 0f, 2f];
        var random = new Random(43);
        float[] logits = TestData.Uniform(random, Rows * Classes, -2f, 2f);
        float[] g = Array.ConvertAll(TestData.Uniform(random, Rows, 0.5f, 1.5f), value => value * logProbabilityWeight);
        float[] h = Array.ConvertAll(TestData.Uniform(random, Rows, 0.5f, 1.5f), value => value * entropyWeight);

        double Objective(float[] x)
        {
            float[] logP = new float[Rows * Classes], p = new float[Rows * Classes];
            float[] logProb = new float[Rows], entropy = new float[Rows];
            MaskedCategorical.Normalize(x, mask, logP, p, Rows, Classes);
            MaskedCategorical.LogProbability(logP, mask, actions, logProb, Classes);
            Categorical.Entropy(logP, p, entropy, Classes);
            return TestData.WeightedSum(g, logProb) + TestData.WeightedSum(h, entropy);
        }

        double[] numeric = FiniteDifference.Gradient(Objective, logits);
        float[] logP = new float[Rows * Classes], p = new float[Rows * Classes], entropy = new float[Rows];
        MaskedCategorical.Normalize(logits, mask, logP, p, Rows, Classes);
        Categorical.Entropy(logP, p, entropy, Classes);
        float[] analytic = new float[Rows * Classes];
        Categorical.Backward(logP, p, entropy, actions, g, h, analytic, Classes);

        Tolerance.AssertClose(numeric, analytic, FiniteDifference.RelativeTolerance, "d/dlogits");
    }

    [Fact]
    public void Entropy_MaskedRow_IsFiniteWhereNegativeInfinityLogitsGiveNaN()
    {
        float[] logits = [0.3f, float.NegativeInfinity, -0.2f];
        float[] logP = new float[3], p = new float[3], entropy = new float[1], gradient = new float[3];

        Categorical.Normalize(logits, logP, p, 1, 3);
        Categorical.Entropy(logP, p, entropy, 3);
        Assert.True(float.IsNaN(entropy[0]));

        MaskedCategorical.Normalize(logits, [true, false, true], logP, p, 1, 3);
        Categorical.Entropy(logP, p, entropy, 3);
        Categorical.Backward(logP, p, entropy, [0f], [1f], [1f], gradient, 3);

        double p0 = 1 / (1 + Math.Exp(-0.5));
        double expected = -(p0 * Math.Log(p0) + (1 - p0) * Math.Log(1 - p0));
        Tolerance.AssertClose(expected, entropy[0], 1e-6, "entropy over the two valid actions");
        Assert.All(gradient, value => Assert.True(float.IsFinite(value)));
        Assert.Equal(0f, gradient[1]);
    }

    [Fact]
    public void Normalize_EveryActionValid_IsBitIdenticalToCategorical()
    {
        var random = new Random(5);
        float[] logits = TestData.Uniform(random, 12, -3f, 3f);
        float[] maskedLogP = new float[12], maskedP = new float[12], logP = new float[12], p = new float[12];

        MaskedCategorical.Normalize(logits, Enumerable.Repeat(true, 12).ToArray(), maskedLogP, maskedP, 3, 4);
        Categorical.Normalize(logits, logP, p, 3, 4);

        Tolerance.AssertBitwiseEqual(logP, maskedLogP, "log p");
        Tolerance.AssertBitwiseEqual(p, maskedP, "p");
    }

    [Fact]
    public void SampleAndMode_MaskedLogits_NeverChooseAnInvalidAction()
    {
        const int Rows = 2000, Classes = 5;
        float[] logits = new float[Rows * Classes];
        bool[] mask = new bool[Rows * Classes];
        for (int r = 0; r < Rows; r++)
        {
            // The largest logit is always masked out; a single valid action in every fifth row.
            logits[r * Classes + (r % Classes)] = 10f;
            for (int i = 0; i < Classes; i++)
                mask[r * Classes + i] = r % 5 == 0 ? i == (r + 1) % Classes : i != r % Classes;
        }

        float[] logP = new float[Rows * Classes], p = new float[Rows * Classes], sampled = new float[Rows], mode = new float[Rows];
        MaskedCategorical.Normalize(logits, mask, logP, p, Rows, Classes);
        Categorical.Sample(p, new SeededRandom(3), sampled, Classes);
        Categorical.Mode(logP, mode, Classes);

        for (int r = 0; r < Rows; r++)
        {
            Assert.True(mask[r * Classes + (int)sampled[r]], $"row {r} sampled the masked action {sampled[r]}");
            Assert.True(mask[r * Classes + (int)mode[r]], $"row {r} took the masked action {mode[r]} as its mode");
        }
    }

    [Fact]
    public void Normalize_RowWithoutValidAction_ThrowsNamingTheRow()
    {
        float[] logits = new float[6];

        ArgumentException error = Assert.Throws<ArgumentException>(
            () => MaskedCategorical.Normalize(logits, [true, false, true, false, false, false], new float[6], new float[6], 3, 2));

        Assert.Contains("Row 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogProbability_MaskedOutAction_Throws()
    {
        float[] logP = new float[4], p = new float[4];
        bool[] mask = [true, false, true, true];
        MaskedCategorical.Normalize(new float[4], mask, logP, p, 2, 2);

        ArgumentException error = Assert.Throws<ArgumentException>(() => MaskedCategorical.LogProbability(logP, mask, [1f, 0f], new float[2], 2));

        Assert.Contains("row 0", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MaskedCategorical.ApplyMask(new float[4], new bool[3], new float[4], 2, 2));
    }

    internal static bool[] GoldenMask(string caseName) => Array.ConvertAll(GoldenVectors.Data(caseName, "mask"), flag => flag == 1f);

    private static (int Rows, int Classes) Size()
    {
        int[] shape = GoldenVectors.Shape(Golden, "logits");
        return (shape[0], shape[1]);
    }
}
