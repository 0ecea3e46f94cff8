using Ppo.Distributions;
using Ppo.Randomness;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Distributions;

/// <summary>Checks the <see cref="Categorical"/> kernels against PyTorch, finite differences and sampling statistics.</summary>
public sealed class CategoricalTests
{
    [Fact]
    public void Normalize_GoldenLogSoftmax_MatchesPyTorch()
    {
        const string Golden = "log_softmax";
        (int rows, int classes) = Size(Golden, "logits");
        float[] logP = new float[rows * classes], p = new float[rows * classes];

        Categorical.Normalize(GoldenVectors.Data(Golden, "logits"), logP, p, rows, classes);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "output"), logP, what: "log_softmax");
        Tolerance.AssertClose(Array.ConvertAll(GoldenVectors.Data(Golden, "output"), MathF.Exp), p, what: "softmax");
    }

    /// <summary>
    /// <see cref="Categorical.Backward"/> takes one upstream gradient per row, for the log-probability of that row's action.
    /// The gradient of <c>Σᵣⱼ g[r, j]·log p[r, j]</c> is linear in <c>g</c>, so it is the sum over classes j of Backward
    /// with every action set to j and upstream gradient <c>g[·, j]</c>: the kernel itself produces PyTorch's log-softmax
    /// gradient.
    /// </summary>
    [Fact]
    public void Backward_GoldenLogSoftmaxGradient_MatchesPyTorch()
    {
        const string Golden = "log_softmax";
        (int rows, int classes) = Size(Golden, "logits");
        float[] logP = new float[rows * classes], p = new float[rows * classes], entropy = new float[rows];
        Categorical.Normalize(GoldenVectors.Data(Golden, "logits"), logP, p, rows, classes);
        Categorical.Entropy(logP, p, entropy, classes);
        float[] upstream = GoldenVectors.Data(Golden, "grad_output");
        float[] total = new float[rows * classes], partial = new float[rows * classes];

        for (int j = 0; j < classes; j++)
        {
            float[] actions = new float[rows], columnGradient = new float[rows];
            for (int r = 0; r < rows; r++)
            {
                actions[r] = j;
                columnGradient[r] = upstream[r * classes + j];
            }

            Categorical.Backward(logP, p, entropy, actions, columnGradient, new float[rows], partial, classes);
            for (int i = 0; i < total.Length; i++)
                total[i] += partial[i];
        }

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_logits"), total, what: "grad_logits");
    }

    [Fact]
    public void Evaluate_GoldenCategorical_MatchesPyTorch()
    {
        const string Golden = "categorical";
        (int rows, int classes) = Size(Golden, "logits");
        float[] logP = new float[rows * classes], p = new float[rows * classes];
        float[] logProb = new float[rows], entropy = new float[rows];

        Categorical.Normalize(GoldenVectors.Data(Golden, "logits"), logP, p, rows, classes);
        Categorical.LogProbability(logP, GoldenVectors.Data(Golden, "actions"), logProb, classes);
        Categorical.Entropy(logP, p, entropy, classes);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "probs"), p, what: "probs");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "log_prob"), logProb, what: "log_prob");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "entropy"), entropy, what: "entropy");
    }

    [Fact]
    public void Backward_GoldenCategorical_MatchesPyTorch()
    {
        const string Golden = "categorical";
        (int rows, int classes) = Size(Golden, "logits");
        float[] logP = new float[rows * classes], p = new float[rows * classes], entropy = new float[rows];
        float[] gradient = new float[rows * classes];
        Categorical.Normalize(GoldenVectors.Data(Golden, "logits"), logP, p, rows, classes);
        Categorical.Entropy(logP, p, entropy, classes);

        Categorical.Backward(
            logP, p, entropy, GoldenVectors.Data(Golden, "actions"),
            GoldenVectors.Data(Golden, "grad_log_prob"), GoldenVectors.Data(Golden, "grad_entropy"), gradient, classes);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_logits"), gradient, what: "grad_logits");
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(0f, 1f)]
    [InlineData(0.7f, -1.3f)]
    public void Backward_LogProbabilityAndEntropyGradients_MatchFiniteDifference(float logProbabilityWeight, float entropyWeight)
    {
        const int Rows = 5, Classes = 4;
        var random = new Random(41);
        float[] logits = TestData.Uniform(random, Rows * Classes, -2f, 2f);
        float[] actions = TestData.Actions(random, Rows, Classes);
        float[] g = Array.ConvertAll(TestData.Uniform(random, Rows, 0.5f, 1.5f), value => value * logProbabilityWeight);
        float[] h = Array.ConvertAll(TestData.Uniform(random, Rows, 0.5f, 1.5f), value => value * entropyWeight);

        double Objective(float[] x)
        {
            float[] logP = new float[Rows * Classes], p = new float[Rows * Classes];
            float[] logProb = new float[Rows], entropy = new float[Rows];
            Categorical.Normalize(x, logP, p, Rows, Classes);
            Categorical.LogProbability(logP, actions, logProb, Classes);
            Categorical.Entropy(logP, p, entropy, Classes);
            return TestData.WeightedSum(g, logProb) + TestData.WeightedSum(h, entropy);
        }

        double[] numeric = FiniteDifference.Gradient(Objective, logits);
        float[] logP = new float[Rows * Classes], p = new float[Rows * Classes], entropy = new float[Rows];
        Categorical.Normalize(logits, logP, p, Rows, Classes);
        Categorical.Entropy(logP, p, entropy, Classes);
        float[] analytic = new float[Rows * Classes];
        Categorical.Backward(logP, p, entropy, actions, g, h, analytic, Classes);

        Tolerance.AssertClose(numeric, analytic, FiniteDifference.RelativeTolerance, "d/dlogits");
    }

    /// <summary>
    /// Acting normalizes a few rows and the update a minibatch of them: the same logits must give the same bits either
    /// way, or the first epoch's probability ratios would not be exactly 1. Batches of 1 to 200 rows cross the 64-row
    /// chunks and the 4-element vectorized length.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void Normalize_RowInAnyBatch_GivesTheSameBits(int classCount)
    {
        const int Rows = 200;
        var random = new SeededRandom(5);
        float[] logits = new float[Rows * classCount];
        for (int i = 0; i < logits.Length; i++)
            logits[i] = (random.NextFloat() * 16f) - 8f;
        float[] batchLogP = new float[logits.Length], batchP = new float[logits.Length], batchEntropy = new float[Rows];
        Categorical.Normalize(logits, batchLogP, batchP, Rows, classCount);
        Categorical.Entropy(batchLogP, batchP, batchEntropy, classCount);

        foreach (int batch in new[] { 1, 3, 64, 65 })
        {
            for (int start = 0; start + batch <= Rows; start += batch)
            {
                int offset = start * classCount, length = batch * classCount;
                float[] logP = new float[length], p = new float[length], entropy = new float[batch];
                Categorical.Normalize(logits.AsSpan(offset, length), logP, p, batch, classCount);
                Categorical.Entropy(logP, p, entropy, classCount);

                Assert.Equal(batchLogP.AsSpan(offset, length).ToArray(), logP);
                Assert.Equal(batchP.AsSpan(offset, length).ToArray(), p);
                Assert.Equal(batchEntropy.AsSpan(start, batch).ToArray(), entropy);
            }
        }
    }

    [Fact]
    public void Normalize_InPlace_MatchesSeparateBuffers()
    {
        float[] logits = [0.5f, -1f, 2f, 0f, 3f, -2f];
        float[] logP = new float[6], p = new float[6], inPlace = (float[])logits.Clone(), inPlaceP = new float[6];

        Categorical.Normalize(logits, logP, p, 2, 3);
        Categorical.Normalize(inPlace, inPlace, inPlaceP, 2, 3);

        Assert.Equal(logP, inPlace);
        Assert.Equal(p, inPlaceP);
    }

    [Fact]
    public void Entropy_UniformLogits_IsLogOfClassCount()
    {
        float[] logP = new float[5], p = new float[5], entropy = new float[1];

        Categorical.Normalize([3f, 3f, 3f, 3f, 3f], logP, p, 1, 5);
        Categorical.Entropy(logP, p, entropy, 5);

        Tolerance.AssertClose(Math.Log(5), entropy[0], 1e-6);
        Assert.All(p, value => Assert.Equal(0.2f, value, 6));
    }

    [Fact]
    public void Sample_ManyDraws_FrequenciesMatchProbabilities()
    {
        // 40 000 draws from (0.1, 0, 0.25, 0.05, 0.6). Pearson's statistic over the four classes with mass has 3 degrees
        // of freedom; 16.27 is its 0.999 quantile. The seed is fixed, so the outcome is reproducible.
        const int Draws = 40_000;
        float[] distribution = [0.1f, 0f, 0.25f, 0.05f, 0.6f];
        float[] probabilities = new float[Draws * distribution.Length];
        for (int r = 0; r < Draws; r++)
            distribution.CopyTo(probabilities, r * distribution.Length);
        float[] actions = new float[Draws];

        Categorical.Sample(probabilities, new SeededRandom(42), actions, distribution.Length);

        int[] counts = new int[distribution.Length];
        foreach (float action in actions)
            counts[(int)action]++;
        Assert.Equal(0, counts[1]);
        double chiSquare = 0;
        for (int i = 0; i < distribution.Length; i++)
        {
            if (distribution[i] == 0f)
                continue;
            double expected = Draws * (double)distribution[i];
            chiSquare += (counts[i] - expected) * (counts[i] - expected) / expected;
        }

        Assert.True(chiSquare < 16.27, $"χ² = {chiSquare} for counts [{string.Join(", ", counts)}].");
    }

    [Fact]
    public void Sample_EachRow_DrawsExactlyOneUniform()
    {
        var random = new SeededRandom(7);
        var reference = new SeededRandom(7);
        float[] probabilities = [0.5f, 0.5f, 0.2f, 0.8f, 1f, 0f];

        Categorical.Sample(probabilities, random, new float[3], 2);
        for (int i = 0; i < 3; i++)
            reference.NextFloat();

        Assert.Equal(reference.State, random.State);
    }

    [Fact]
    public void Sample_CumulativeBelowDraw_PicksLastClassWithMass()
    {
        // The probabilities sum to 0.002, so almost every draw lies beyond the cumulative sum.
        const int Rows = 200;
        float[] probabilities = new float[Rows * 4];
        for (int r = 0; r < Rows; r++)
        {
            probabilities[r * 4] = 1e-3f;
            probabilities[r * 4 + 1] = 1e-3f;
        }

        float[] actions = new float[Rows];
        var reference = new SeededRandom(3);

        Categorical.Sample(probabilities, new SeededRandom(3), actions, 4);

        for (int r = 0; r < Rows; r++)
        {
            float u = reference.NextFloat();
            float expected = u < 1e-3f ? 0f : 1f;
            Assert.Equal(expected, actions[r]);
        }
    }

    [Fact]
    public void Mode_Ties_TakesFirstMaximum()
    {
        float[] logits = [1f, 3f, 3f, 0f, 5f, 5f, 5f, 5f, -1f, -2f, -1f, -3f, -4f, -3f, -2f, -2f];
        float[] actions = new float[4];

        Categorical.Mode(logits, actions, 4);

        Assert.Equal([1f, 0f, 0f, 2f], actions);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(4f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void LogProbability_ActionNotAClass_Throws(float action)
    {
        float[] logP = new float[8];

        Assert.Throws<ArgumentOutOfRangeException>(() => Categorical.LogProbability(logP, [0f, action], new float[2], 4));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => Categorical.Backward(logP, logP, new float[2], [action, 0f], new float[2], new float[2], new float[8], 4));
    }

    [Fact]
    public void Kernels_SizesDisagree_Throw()
    {
        float[] eight = new float[8];

        Assert.Throws<ArgumentException>(() => Categorical.Normalize(new float[7], eight, eight, 2, 4));
        Assert.Throws<ArgumentException>(() => Categorical.Normalize(eight, new float[9], eight, 2, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Categorical.Normalize(eight, eight, eight, 2, 0));
        Assert.Throws<ArgumentException>(() => Categorical.LogProbability(eight, new float[3], new float[3], 4));
        Assert.Throws<ArgumentException>(() => Categorical.LogProbability(eight, new float[2], new float[3], 4));
        Assert.Throws<ArgumentException>(() => Categorical.Entropy(eight, new float[7], new float[2], 4));
        Assert.Throws<ArgumentException>(() => Categorical.Backward(eight, eight, new float[1], new float[2], new float[2], new float[2], eight, 4));
        Assert.Throws<ArgumentException>(() => Categorical.Backward(eight, eight, new float[2], new float[2], new float[2], new float[2], new float[4], 4));
        Assert.Throws<ArgumentException>(() => Categorical.Sample(new float[7], new SeededRandom(1), new float[2], 4));
        Assert.Throws<ArgumentNullException>(() => Categorical.Sample(eight, null!, new float[2], 4));
        Assert.Throws<ArgumentException>(() => Categorical.Mode(new float[7], new float[2], 4));
    }

    private static (int Rows, int Classes) Size(string golden, string field)
    {
        int[] shape = GoldenVectors.Shape(golden, field);
        return (shape[0], shape[1]);
    }
}
