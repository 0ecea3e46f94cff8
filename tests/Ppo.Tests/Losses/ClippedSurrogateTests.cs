using Ppo.Losses;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Losses;

/// <summary>Checks <see cref="ClippedSurrogate"/> against PyTorch (Stable-Baselines3's policy loss) and finite differences.</summary>
public sealed class ClippedSurrogateTests
{
    [Theory]
    [InlineData("clipped_surrogate")]
    [InlineData("clipped_surrogate_normalized")]
    public void Compute_GoldenCase_MatchesPyTorch(string golden)
    {
        float[] newLogProb = GoldenVectors.Data(golden, "new_log_prob");
        float[] gradient = new float[newLogProb.Length];

        ClippedSurrogateResult result = ClippedSurrogate.Compute(
            newLogProb,
            GoldenVectors.Data(golden, "old_log_prob"),
            GoldenVectors.Data(golden, "advantages"),
            GoldenVectors.Scalar(golden, "clip_range"),
            GoldenVectors.Flag(golden, "normalize_advantage"),
            gradient);

        Tolerance.AssertClose(GoldenVectors.Scalar(golden, "loss"), result.Loss, what: "loss");
        Tolerance.AssertClose(GoldenVectors.Data(golden, "grad_new_log_prob"), gradient, what: "grad_new_log_prob");
        Assert.Equal(GoldenVectors.Scalar(golden, "clip_fraction"), result.ClipFraction);
        Tolerance.AssertClose(GoldenVectors.Scalar(golden, "approx_kl"), result.ApproximateKl, what: "approx_kl");
        Tolerance.AssertClose(GoldenVectors.Scalar(golden, "ratio_mean"), result.RatioMean, what: "ratio_mean");
        Tolerance.AssertClose(GoldenVectors.Scalar(golden, "ratio_std"), result.RatioStandardDeviation, what: "ratio_std");
    }

    [Fact]
    public void AdvantageNormalization_GoldenCase_MatchesPyTorch()
    {
        const string Golden = "clipped_surrogate_normalized";
        float[] advantages = GoldenVectors.Data(Golden, "advantages");

        (float shift, float scale) = LossTerms.AdvantageNormalization(advantages, normalize: true);

        float[] normalized = Array.ConvertAll(advantages, a => (a - shift) * scale);
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "normalized_advantages"), normalized, what: "normalized_advantages");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compute_AwayFromClipBoundaries_GradientMatchesFiniteDifference(bool normalize)
    {
        const float ClipRange = 0.2f;
        (float[] newLogProb, float[] oldLogProb, float[] advantages) = Batch(seed: normalize ? 51 : 52);

        double[] numeric = FiniteDifference.Gradient(
            x => ClippedSurrogate.Compute(x, oldLogProb, advantages, ClipRange, normalize, new float[x.Length]).Loss,
            newLogProb);
        float[] analytic = new float[newLogProb.Length];
        ClippedSurrogate.Compute(newLogProb, oldLogProb, advantages, ClipRange, normalize, analytic);

        Tolerance.AssertClose(numeric, analytic, FiniteDifference.RelativeTolerance, "d/dnew");
        Assert.Contains(analytic, g => g == 0f);
        Assert.Contains(analytic, g => g != 0f);
    }

    [Fact]
    public void Compute_ClippedRows_GetNoGradientAndCountAsClipped()
    {
        // Rows: ratio 1.5 with A > 0 (clipped, no gradient), ratio 1.5 with A < 0 (unclipped minimum, gradient),
        // ratio 0.5 with A < 0 (clipped), ratio 0.5 with A > 0 (unclipped), ratio 1 (inside).
        float[] logRatio = [MathF.Log(1.5f), MathF.Log(1.5f), MathF.Log(0.5f), MathF.Log(0.5f), 0f];
        float[] advantages = [2f, -2f, -2f, 2f, 1f];
        float[] oldLogProb = [-1f, -1f, -1f, -1f, -1f];
        float[] newLogProb = Array.ConvertAll(logRatio, r => r - 1f);
        float[] gradient = new float[5];

        ClippedSurrogateResult result = ClippedSurrogate.Compute(newLogProb, oldLogProb, advantages, 0.2f, normalizeAdvantage: false, gradient);

        float[] ratio = Array.ConvertAll(logRatio, r => MathF.Exp((r - 1f) - -1f));
        Assert.Equal(0f, gradient[0]);
        Assert.Equal(-ratio[1] * -2f / 5f, gradient[1], 6);
        Assert.Equal(0f, gradient[2]);
        Assert.Equal(-ratio[3] * 2f / 5f, gradient[3], 6);
        Assert.Equal(-ratio[4] * 1f / 5f, gradient[4], 6);
        Assert.Equal(0.8f, result.ClipFraction);
        double expectedLoss = -((1.2 * 2) + (ratio[1] * -2.0) + (0.8 * -2) + (ratio[3] * 2.0) + ratio[4]) / 5;
        Tolerance.AssertClose(expectedLoss, result.Loss, 1e-6);
    }

    [Fact]
    public void Compute_SingleSampleWithNormalization_LeavesAdvantageUnchanged()
    {
        float[] gradient = new float[1];

        ClippedSurrogateResult result = ClippedSurrogate.Compute([-1f], [-1f], [3f], 0.2f, normalizeAdvantage: true, gradient);

        Assert.Equal(-3f, result.Loss);
        Assert.Equal(-3f, gradient[0]);
        Assert.Equal(1f, result.RatioMean);
        Assert.Equal(0f, result.RatioStandardDeviation);
        Assert.Equal(0f, result.ApproximateKl);
        Assert.Equal(0f, result.ClipFraction);
    }

    [Fact]
    public void Compute_EqualAdvantagesWithNormalization_NormalizesToZero()
    {
        float[] gradient = new float[3];

        ClippedSurrogateResult result = ClippedSurrogate.Compute([-1f, -0.9f, -1.2f], [-1f, -1f, -1f], [2.5f, 2.5f, 2.5f], 0.2f, normalizeAdvantage: true, gradient);

        Assert.Equal(0f, result.Loss);
        Assert.Equal([0f, 0f, 0f], gradient.Select(MathF.Abs));
    }

    [Fact]
    public void Compute_BadArguments_Throws()
    {
        float[] three = new float[3];

        Assert.Throws<ArgumentException>(() => ClippedSurrogate.Compute([], [], [], 0.2f, true, []));
        Assert.Throws<ArgumentException>(() => ClippedSurrogate.Compute(three, new float[2], three, 0.2f, true, three));
        Assert.Throws<ArgumentException>(() => ClippedSurrogate.Compute(three, three, new float[4], 0.2f, true, three));
        Assert.Throws<ArgumentException>(() => ClippedSurrogate.Compute(three, three, three, 0.2f, true, new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClippedSurrogate.Compute(three, three, three, -0.1f, true, three));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClippedSurrogate.Compute(three, three, three, float.NaN, true, three));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClippedSurrogate.Compute(three, three, three, float.PositiveInfinity, true, three));
    }

    /// <summary>
    /// Sixteen rows whose log-ratios lie inside the clip range or outside it, each at least 0.08 from log(0.8) ≈ −0.223
    /// and log(1.2) ≈ 0.182 so that the stencil (±2h ≈ ±0.0625) never crosses a clip boundary, with both advantage signs.
    /// </summary>
    private static (float[] NewLogProb, float[] OldLogProb, float[] Advantages) Batch(int seed)
    {
        var random = new Random(seed);
        float[] logRatio =
        [
            -0.6f, -0.45f, -0.32f, -0.31f,
            -0.13f, -0.08f, 0f, 0.04f, 0.09f, -0.1f, 0.07f, 0.02f,
            0.27f, 0.32f, 0.42f, 0.55f,
        ];
        float[] oldLogProb = TestData.Uniform(random, logRatio.Length, -2.5f, -0.2f);
        float[] newLogProb = new float[logRatio.Length];
        for (int i = 0; i < logRatio.Length; i++)
            newLogProb[i] = oldLogProb[i] + logRatio[i];
        float[] advantages = TestData.AwayFromZero(random, logRatio.Length, margin: 0.2f, high: 2f);
        return (newLogProb, oldLogProb, advantages);
    }
}
