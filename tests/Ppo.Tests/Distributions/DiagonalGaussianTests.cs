using Ppo.Distributions;
using Ppo.Randomness;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Distributions;

/// <summary>Checks the <see cref="DiagonalGaussian"/> kernels against PyTorch, finite differences and sampling statistics.</summary>
public sealed class DiagonalGaussianTests
{
    private const string Golden = "gaussian";

    [Fact]
    public void LogProbabilityAndEntropy_Golden_MatchPyTorch()
    {
        float[] mean = GoldenVectors.Data(Golden, "mean"), logStd = GoldenVectors.Data(Golden, "log_std"), actions = GoldenVectors.Data(Golden, "actions");
        int rows = GoldenVectors.Shape(Golden, "mean")[0];
        float[] logP = new float[rows];

        DiagonalGaussian.LogProbability(mean, logStd, actions, logP);
        float entropy = DiagonalGaussian.Entropy(logStd);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "log_prob"), logP, what: "log_prob");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "entropy"), Enumerable.Repeat(entropy, rows).ToArray(), what: "entropy");
    }

    [Fact]
    public void Backward_Golden_MatchesPyTorch()
    {
        float[] mean = GoldenVectors.Data(Golden, "mean"), logStd = GoldenVectors.Data(Golden, "log_std"), actions = GoldenVectors.Data(Golden, "actions");
        float[] meanGradient = new float[mean.Length], logStdGradient = new float[logStd.Length];

        DiagonalGaussian.Backward(mean, logStd, actions, GoldenVectors.Data(Golden, "grad_log_prob"), GoldenVectors.Data(Golden, "grad_entropy"), meanGradient, logStdGradient);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_mean"), meanGradient, what: "grad_mean");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_log_std"), logStdGradient, what: "grad_log_std");
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences()
    {
        var random = new Random(5);
        float[] mean = TestData.Uniform(random, 8), logStd = TestData.Uniform(random, 2, -0.5f, 0.5f), actions = TestData.Uniform(random, 8, -2f, 2f);
        float[] g = TestData.Uniform(random, 4), h = TestData.Uniform(random, 4);
        float[] meanGradient = new float[8], logStdGradient = new float[2];
        DiagonalGaussian.Backward(mean, logStd, actions, g, h, meanGradient, logStdGradient);

        double Objective(float[] m, float[] s)
        {
            float[] logP = new float[4];
            DiagonalGaussian.LogProbability(m, s, actions, logP);
            return TestData.WeightedSum(g, logP) + DiagonalGaussian.Entropy(s) * h.Sum(x => (double)x);
        }

        double[] numericMean = FiniteDifference.Gradient(m => Objective(m, logStd), mean);
        double[] numericLogStd = FiniteDifference.Gradient(s => Objective(mean, s), logStd);
        Tolerance.AssertClose(numericMean, meanGradient, FiniteDifference.RelativeTolerance, "mean gradient");
        Tolerance.AssertClose(numericLogStd, logStdGradient, FiniteDifference.RelativeTolerance, "log_std gradient");
    }

    [Fact]
    public void Backward_AccumulatesIntoLogStdGradient()
    {
        float[] meanGradient = new float[2], logStdGradient = [1f];

        DiagonalGaussian.Backward([0f, 0f], [0f], [1f, 1f], [1f, 1f], [0f, 0f], meanGradient, logStdGradient);

        // Each row adds g·(z² − 1) = 0 with z = 1, so the prior value stays.
        Assert.Equal(1f, logStdGradient[0]);
        Assert.Equal([1f, 1f], meanGradient);
    }

    [Fact]
    public void Sample_ManyDraws_HaveTheRequestedMeanAndSpread()
    {
        const int Count = 20_000;
        float[] mean = new float[Count * 2];
        for (int r = 0; r < Count; r++)
        {
            mean[2 * r] = 1.5f;
            mean[2 * r + 1] = -0.5f;
        }

        float[] actions = new float[mean.Length];
        DiagonalGaussian.Sample(mean, [MathF.Log(0.5f), MathF.Log(2f)], new SeededRandom(11), actions);

        double[] sums = new double[2], squares = new double[2];
        for (int i = 0; i < actions.Length; i++)
        {
            sums[i % 2] += actions[i];
            squares[i % 2] += actions[i] * (double)actions[i];
        }

        double mean0 = sums[0] / Count, mean1 = sums[1] / Count;
        Assert.InRange(mean0, 1.5 - 0.02, 1.5 + 0.02);
        Assert.InRange(mean1, -0.5 - 0.08, -0.5 + 0.08);
        Assert.InRange(Math.Sqrt(squares[0] / Count - mean0 * mean0), 0.49, 0.51);
        Assert.InRange(Math.Sqrt(squares[1] / Count - mean1 * mean1), 1.96, 2.04);
    }

    [Fact]
    public void Kernels_MismatchedSizes_Throw()
    {
        Assert.Throws<ArgumentException>(() => DiagonalGaussian.LogProbability(new float[4], new float[2], new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => DiagonalGaussian.Entropy([]));
        Assert.Throws<ArgumentException>(() => DiagonalGaussian.Sample(new float[3], new float[2], new SeededRandom(1), new float[3]));
    }
}
