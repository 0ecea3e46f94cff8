using Ppo.Distributions;
using Ppo.Randomness;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Distributions;

/// <summary>Checks the <see cref="MultiCategorical"/> kernels of a MultiDiscrete space against PyTorch and finite differences.</summary>
public sealed class MultiCategoricalTests
{
    [Theory]
    [InlineData("multi_categorical")]
    [InlineData("masked_multi_categorical")]
    public void Evaluate_GoldenCase_MatchesPyTorch(string golden)
    {
        (int[] counts, int rows, int width, bool[] mask) = Read(golden);
        float[] logP = new float[rows * width], p = new float[rows * width];
        float[] logProb = new float[rows], entropy = new float[rows];

        MultiCategorical.Normalize(GoldenVectors.Data(golden, "logits"), mask, logP, p, rows, counts);
        MultiCategorical.LogProbability(logP, mask, GoldenVectors.Data(golden, "actions"), logProb, counts);
        MultiCategorical.Entropy(logP, p, entropy, counts);

        Tolerance.AssertClose(GoldenVectors.Data(golden, "probs"), p, what: "probs");
        Tolerance.AssertClose(GoldenVectors.Data(golden, "log_prob"), logProb, what: "log_prob");
        Tolerance.AssertClose(GoldenVectors.Data(golden, "entropy"), entropy, what: "entropy");
    }

    [Theory]
    [InlineData("multi_categorical")]
    [InlineData("masked_multi_categorical")]
    public void Backward_GoldenCase_MatchesPyTorch(string golden)
    {
        (int[] counts, int rows, int width, bool[] mask) = Read(golden);
        float[] logP = new float[rows * width], p = new float[rows * width], gradient = new float[rows * width];
        MultiCategorical.Normalize(GoldenVectors.Data(golden, "logits"), mask, logP, p, rows, counts);

        MultiCategorical.Backward(
            logP, p, GoldenVectors.Data(golden, "actions"),
            GoldenVectors.Data(golden, "grad_log_prob"), GoldenVectors.Data(golden, "grad_entropy"), gradient, counts);

        Tolerance.AssertClose(GoldenVectors.Data(golden, "grad_logits"), gradient, what: "grad_logits");
        for (int i = 0; i < mask.Length; i++)
        {
            if (!mask[i])
                Assert.Equal(0f, Math.Abs(gradient[i]));
        }
    }

    [Theory]
    [InlineData(false, 1f, 0f)]
    [InlineData(false, 0.7f, -1.3f)]
    [InlineData(true, 1f, 0f)]
    [InlineData(true, 0f, 1f)]
    [InlineData(true, 0.7f, -1.3f)]
    public void Backward_LogProbabilityAndEntropy_MatchFiniteDifference(bool masked, float logProbabilityWeight, float entropyWeight)
    {
        int[] counts = [3, 2, 4];
        const int Rows = 3, Width = 9;
        bool[] mask = masked
            ? [true, false, true, true, false, false, true, true, true, false, false, true, true, true, true, false, true, false, true, true, true, true, true, true, true, false, false]
            : [];
        float[] actions = [2, 0, 1, 2, 0, 2, 0, 1, 0];
        var random = new Random(47);
        float[] logits = TestData.Uniform(random, Rows * Width, -2f, 2f);
        float[] g = Array.ConvertAll(TestData.Uniform(random, Rows, 0.5f, 1.5f), value => value * logProbabilityWeight);
        float[] h = Array.ConvertAll(TestData.Uniform(random, Rows, 0.5f, 1.5f), value => value * entropyWeight);

        double Objective(float[] x)
        {
            float[] logP = new float[Rows * Width], p = new float[Rows * Width];
            float[] logProb = new float[Rows], entropy = new float[Rows];
            MultiCategorical.Normalize(x, mask, logP, p, Rows, counts);
            MultiCategorical.LogProbability(logP, mask, actions, logProb, counts);
            MultiCategorical.Entropy(logP, p, entropy, counts);
            return TestData.WeightedSum(g, logProb) + TestData.WeightedSum(h, entropy);
        }

        double[] numeric = FiniteDifference.Gradient(Objective, logits);
        float[] logP = new float[Rows * Width], p = new float[Rows * Width], analytic = new float[Rows * Width];
        MultiCategorical.Normalize(logits, mask, logP, p, Rows, counts);
        MultiCategorical.Backward(logP, p, actions, g, h, analytic, counts);

        Tolerance.AssertClose(numeric, analytic, FiniteDifference.RelativeTolerance, "d/dlogits");
    }

    [Fact]
    public void Kernels_OneComponent_AreBitIdenticalToCategorical()
    {
        const int Rows = 4, Classes = 5;
        var random = new Random(9);
        float[] logits = TestData.Uniform(random, Rows * Classes, -2f, 2f);
        float[] actions = TestData.Actions(random, Rows, Classes);
        float[] g = TestData.Uniform(random, Rows), h = TestData.Uniform(random, Rows);
        float[] logP = new float[Rows * Classes], p = new float[Rows * Classes], entropy = new float[Rows], logProb = new float[Rows], gradient = new float[Rows * Classes];
        float[] multiLogP = new float[Rows * Classes], multiP = new float[Rows * Classes], multiEntropy = new float[Rows], multiLogProb = new float[Rows], multiGradient = new float[Rows * Classes];

        Categorical.Normalize(logits, logP, p, Rows, Classes);
        Categorical.LogProbability(logP, actions, logProb, Classes);
        Categorical.Entropy(logP, p, entropy, Classes);
        Categorical.Backward(logP, p, entropy, actions, g, h, gradient, Classes);
        MultiCategorical.Normalize(logits, [], multiLogP, multiP, Rows, [Classes]);
        MultiCategorical.LogProbability(multiLogP, [], actions, multiLogProb, [Classes]);
        MultiCategorical.Entropy(multiLogP, multiP, multiEntropy, [Classes]);
        MultiCategorical.Backward(multiLogP, multiP, actions, g, h, multiGradient, [Classes]);

        Tolerance.AssertBitwiseEqual(p, multiP, "p");
        Tolerance.AssertBitwiseEqual(logProb, multiLogProb, "log p(a)");
        Tolerance.AssertBitwiseEqual(entropy, multiEntropy, "entropy");
        Tolerance.AssertBitwiseEqual(gradient, multiGradient, "gradient");
    }

    [Fact]
    public void Sample_EachComponent_DrawsOneUniformInRowMajorOrder()
    {
        int[] counts = [2, 3];
        // Row 0: component 0 certain to be 1; component 1 uniform. Row 1: component 0 uniform; component 1 certain to be 0.
        float[] probabilities = [0f, 1f, 1f / 3, 1f / 3, 1f / 3, 0.5f, 0.5f, 1f, 0f, 0f];
        float[] actions = new float[4];
        var random = new SeededRandom(11);
        var reference = new SeededRandom(11);

        MultiCategorical.Sample(probabilities, random, actions, counts);

        reference.NextFloat();
        float second = reference.NextFloat(), third = reference.NextFloat();
        reference.NextFloat();
        Assert.Equal(1f, actions[0]);
        Assert.Equal(second < 1f / 3 ? 0f : second < 2f / 3 ? 1f : 2f, actions[1]);
        Assert.Equal(third < 0.5f ? 0f : 1f, actions[2]);
        Assert.Equal(0f, actions[3]);
        Assert.Equal(reference.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void Mode_MaskedComponents_PicksTheMostProbableValidCategoryOfEach()
    {
        int[] counts = [3, 2];
        float[] logits = [5f, 1f, 2f, 4f, -1f];
        float[] logP = new float[5], p = new float[5], actions = new float[2];

        MultiCategorical.Normalize(logits, [false, true, true, false, true], logP, p, 1, counts);
        MultiCategorical.Mode(logP, actions, counts);

        Assert.Equal([2f, 1f], actions);
    }

    [Fact]
    public void Normalize_ComponentWithoutValidCategory_ThrowsNamingComponentAndRow()
    {
        int[] counts = [2, 2];
        bool[] mask = [true, false, true, true, true, true, false, false];

        ArgumentException error = Assert.Throws<ArgumentException>(() => MultiCategorical.Normalize(new float[8], mask, new float[8], new float[8], 2, counts));

        Assert.Contains("Component 1 of row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskedKernels_AfterWarmUp_AllocateNothing()
    {
        int[] counts = [3, 4];
        const int Rows = 16, Width = 7;
        float[] logits = TestData.Uniform(new Random(3), Rows * Width);
        bool[] mask = new bool[Rows * Width];
        Array.Fill(mask, true);
        float[] actions = new float[Rows * 2], singleActions = new float[Rows];
        float[] logP = new float[Rows * Width], p = new float[Rows * Width], gradient = new float[Rows * Width];
        float[] logProb = new float[Rows], entropy = new float[Rows], g = new float[Rows], h = new float[Rows];
        var random = new SeededRandom(1);

        void Pass()
        {
            MultiCategorical.Normalize(logits, mask, logP, p, Rows, counts);
            MultiCategorical.LogProbability(logP, mask, actions, logProb, counts);
            MultiCategorical.Entropy(logP, p, entropy, counts);
            MultiCategorical.Backward(logP, p, actions, g, h, gradient, counts);
            MultiCategorical.Sample(p, random, actions, counts);
            MaskedCategorical.Normalize(logits, mask, logP, p, Rows, Width);
            MaskedCategorical.LogProbability(logP, mask, singleActions, logProb, Width);
        }

        Pass();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Pass();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Kernels_BadArguments_Throw()
    {
        int[] counts = [2, 3];
        Assert.Throws<ArgumentException>(() => MultiCategorical.TotalCategoryCount([]));
        Assert.Throws<ArgumentException>(() => MultiCategorical.TotalCategoryCount([2, 0]));
        Assert.Throws<ArgumentException>(() => MultiCategorical.Normalize(new float[9], [], new float[10], new float[10], 2, counts));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiCategorical.LogProbability(new float[5], [], [2f, 0f], new float[1], counts));
        Assert.Throws<ArgumentException>(() => MultiCategorical.LogProbability(new float[5], [true, true, false, true, true], [0f, 0f], new float[1], counts));
        Assert.Throws<ArgumentException>(() => MultiCategorical.Sample(new float[5], new SeededRandom(1), new float[3], counts));
        Assert.Throws<ArgumentNullException>(() => MultiCategorical.Sample(new float[5], null!, new float[2], counts));
        Assert.Throws<ArgumentException>(() => MultiCategorical.Mode(new float[4], new float[2], counts));
    }

    private static (int[] Counts, int Rows, int Width, bool[] Mask) Read(string golden)
    {
        int[] counts = Array.ConvertAll(GoldenVectors.Data(golden, "nvec"), count => (int)count);
        int[] shape = GoldenVectors.Shape(golden, "logits");
        bool[] mask = GoldenVectors.FieldNames(golden).Contains("mask") ? MaskedCategoricalTests.GoldenMask(golden) : [];
        return (counts, shape[0], shape[1], mask);
    }
}
