using Ppo.Distributions;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Distributions;

/// <summary>Checks the KL divergence kernels of both distributions against PyTorch and finite differences.</summary>
public sealed class KlDivergenceTests
{
    [Fact]
    public void Categorical_Golden_MatchesPyTorch()
    {
        const string Golden = "categorical_kl";
        int rows = GoldenVectors.Shape(Golden, "old_logits")[0], classes = GoldenVectors.Shape(Golden, "old_logits")[1];
        float[] oldLogP = LogProbabilities(GoldenVectors.Data(Golden, "old_logits"), rows, classes, out _);
        float[] newLogP = LogProbabilities(GoldenVectors.Data(Golden, "new_logits"), rows, classes, out float[] newP);
        float[] kl = new float[rows], gradient = new float[rows * classes];

        Categorical.KlDivergence(oldLogP, newLogP, kl, classes);
        Categorical.KlDivergenceBackward(oldLogP, newP, GoldenVectors.Data(Golden, "grad_output"), gradient, classes);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "kl"), kl, what: "kl");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_new_logits"), gradient, what: "grad_new_logits");
    }

    [Fact]
    public void Gaussian_Golden_MatchesPyTorch()
    {
        const string Golden = "gaussian_kl";
        int rows = GoldenVectors.Shape(Golden, "old_mean")[0];
        float[] oldMean = GoldenVectors.Data(Golden, "old_mean"), oldLogStd = GoldenVectors.Data(Golden, "old_log_std");
        float[] newMean = GoldenVectors.Data(Golden, "new_mean"), newLogStd = GoldenVectors.Data(Golden, "new_log_std");
        float[] kl = new float[rows], meanGradient = new float[newMean.Length], logStdGradient = new float[newLogStd.Length];

        DiagonalGaussian.KlDivergence(oldMean, oldLogStd, newMean, newLogStd, kl);
        DiagonalGaussian.KlDivergenceBackward(oldMean, oldLogStd, newMean, newLogStd, GoldenVectors.Data(Golden, "grad_output"), meanGradient, logStdGradient);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "kl"), kl, what: "kl");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_new_mean"), meanGradient, what: "grad_new_mean");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_new_log_std"), logStdGradient, what: "grad_new_log_std");
    }

    [Fact]
    public void Categorical_Backward_MatchesFiniteDifferences()
    {
        var random = new Random(9);
        const int Rows = 3, Classes = 4;
        float[] oldLogP = LogProbabilities(TestData.Uniform(random, Rows * Classes, -2f, 2f), Rows, Classes, out _);
        float[] newLogits = TestData.Uniform(random, Rows * Classes, -2f, 2f), upstream = TestData.Uniform(random, Rows);
        LogProbabilities(newLogits, Rows, Classes, out float[] newP);
        float[] gradient = new float[Rows * Classes];
        Categorical.KlDivergenceBackward(oldLogP, newP, upstream, gradient, Classes);

        double[] numeric = FiniteDifference.Gradient(
            logits =>
            {
                float[] kl = new float[Rows];
                Categorical.KlDivergence(oldLogP, LogProbabilities(logits, Rows, Classes, out _), kl, Classes);
                return TestData.WeightedSum(upstream, kl);
            },
            newLogits);

        Tolerance.AssertClose(numeric, gradient, FiniteDifference.RelativeTolerance, "dKL/dlogits");
    }

    [Fact]
    public void Gaussian_Backward_MatchesFiniteDifferences()
    {
        var random = new Random(10);
        float[] oldMean = TestData.Uniform(random, 6), oldLogStd = TestData.Uniform(random, 2, -0.5f, 0.5f);
        float[] newMean = TestData.Uniform(random, 6), newLogStd = TestData.Uniform(random, 2, -0.5f, 0.5f), upstream = TestData.Uniform(random, 3);
        float[] meanGradient = new float[6], logStdGradient = new float[2];
        DiagonalGaussian.KlDivergenceBackward(oldMean, oldLogStd, newMean, newLogStd, upstream, meanGradient, logStdGradient);

        double Objective(float[] mean, float[] logStd)
        {
            float[] kl = new float[3];
            DiagonalGaussian.KlDivergence(oldMean, oldLogStd, mean, logStd, kl);
            return TestData.WeightedSum(upstream, kl);
        }

        Tolerance.AssertClose(FiniteDifference.Gradient(m => Objective(m, newLogStd), newMean), meanGradient, FiniteDifference.RelativeTolerance, "dKL/dmean");
        Tolerance.AssertClose(FiniteDifference.Gradient(s => Objective(newMean, s), newLogStd), logStdGradient, FiniteDifference.RelativeTolerance, "dKL/dlog_std");
    }

    [Fact]
    public void KlDivergence_OfADistributionWithItself_IsZero()
    {
        float[] logP = LogProbabilities([0.3f, -1f, 2f, 0.5f, 0.5f, 0.5f], 2, 3, out _);
        float[] categorical = new float[2], gaussian = new float[2];

        Categorical.KlDivergence(logP, logP, categorical, 3);
        DiagonalGaussian.KlDivergence([1f, 2f], [0.4f], [1f, 2f], [0.4f], gaussian);

        Assert.All(categorical, value => Assert.Equal(0f, value, 6));
        Assert.All(gaussian, value => Assert.Equal(0f, value, 6));
    }

    private static float[] LogProbabilities(float[] logits, int rows, int classes, out float[] probabilities)
    {
        float[] logP = new float[rows * classes];
        probabilities = new float[rows * classes];
        Categorical.Normalize(logits, logP, probabilities, rows, classes);
        return logP;
    }
}
