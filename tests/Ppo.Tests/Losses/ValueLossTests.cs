using Ppo.Losses;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Losses;

/// <summary>Checks <see cref="ValueLoss"/>, plain and clipped, against PyTorch and finite differences.</summary>
public sealed class ValueLossTests
{
    [Fact]
    public void Compute_GoldenCase_MatchesPyTorch()
    {
        const string Golden = "value_loss";
        float[] values = GoldenVectors.Data(Golden, "values");
        float[] gradient = new float[values.Length];

        float loss = ValueLoss.Compute(values, GoldenVectors.Data(Golden, "returns"), gradient);

        Tolerance.AssertClose(GoldenVectors.Scalar(Golden, "loss"), loss, what: "loss");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_values"), gradient, what: "grad_values");
    }

    [Fact]
    public void ComputeClipped_GoldenCase_MatchesPyTorch()
    {
        const string Golden = "value_loss_clipped";
        float[] values = GoldenVectors.Data(Golden, "values");
        float[] gradient = new float[values.Length];

        float loss = ValueLoss.ComputeClipped(
            values, GoldenVectors.Data(Golden, "old_values"), GoldenVectors.Data(Golden, "returns"), GoldenVectors.Scalar(Golden, "clip_range_vf"), gradient);

        Tolerance.AssertClose(GoldenVectors.Scalar(Golden, "loss"), loss, what: "loss");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_values"), gradient, what: "grad_values");
    }

    [Fact]
    public void Compute_Gradient_MatchesFiniteDifference()
    {
        var random = new Random(61);
        float[] values = TestData.Uniform(random, 9, -2f, 2f);
        float[] returns = TestData.Uniform(random, 9, -2f, 2f);

        double[] numeric = FiniteDifference.Gradient(v => ValueLoss.Compute(v, returns, new float[v.Length]), values);
        float[] analytic = new float[values.Length];
        ValueLoss.Compute(values, returns, analytic);

        Tolerance.AssertClose(numeric, analytic, FiniteDifference.RelativeTolerance, "d/dV");
    }

    [Fact]
    public void ComputeClipped_AwayFromClipBoundaries_GradientMatchesFiniteDifference()
    {
        // V − V_old lies at least 0.08 from ±εv = ±0.2, beyond the stencil's reach of ±2h ≈ ±0.0625.
        const float ClipRange = 0.2f;
        float[] change = [-0.5f, -0.3f, -0.29f, -0.11f, -0.05f, 0f, 0.08f, 0.11f, 0.3f, 0.4f];
        var random = new Random(62);
        float[] oldValues = TestData.Uniform(random, change.Length, -2f, 2f);
        float[] values = new float[change.Length];
        for (int i = 0; i < change.Length; i++)
            values[i] = oldValues[i] + change[i];
        float[] returns = TestData.Uniform(random, change.Length, -2f, 2f);

        double[] numeric = FiniteDifference.Gradient(v => ValueLoss.ComputeClipped(v, oldValues, returns, ClipRange, new float[v.Length]), values);
        float[] analytic = new float[values.Length];
        ValueLoss.ComputeClipped(values, oldValues, returns, ClipRange, analytic);

        Tolerance.AssertClose(numeric, analytic, FiniteDifference.RelativeTolerance, "d/dV");
        Assert.Equal(5, analytic.Count(g => g == 0f));
    }

    [Fact]
    public void ComputeClipped_ClippedRow_UsesOldValuePlusClipRange()
    {
        float[] gradient = new float[2];

        float loss = ValueLoss.ComputeClipped([2f, -2f], [1f, -1f], [0f, 0f], 0.5f, gradient);

        // The predictions become 1 + 0.5 and −1 − 0.5; both rows are clipped.
        Assert.Equal((1.5f * 1.5f + 1.5f * 1.5f) / 2f, loss);
        Assert.Equal([0f, 0f], gradient);
    }

    [Fact]
    public void Compute_Plain_IsMeanSquaredErrorWithGradientTwoErrorOverCount()
    {
        float[] gradient = new float[4];

        float loss = ValueLoss.Compute([1f, 2f, 3f, 4f], [0f, 0f, 5f, 4f], gradient);

        Assert.Equal((1f + 4f + 4f + 0f) / 4f, loss);
        Assert.Equal([0.5f, 1f, -1f, 0f], gradient);
    }

    [Fact]
    public void Compute_BadArguments_Throws()
    {
        float[] three = new float[3];

        Assert.Throws<ArgumentException>(() => ValueLoss.Compute([], [], []));
        Assert.Throws<ArgumentException>(() => ValueLoss.Compute(three, new float[2], three));
        Assert.Throws<ArgumentException>(() => ValueLoss.Compute(three, three, new float[4]));
        Assert.Throws<ArgumentException>(() => ValueLoss.ComputeClipped(three, new float[2], three, 0.2f, three));
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueLoss.ComputeClipped(three, three, three, -0.2f, three));
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueLoss.ComputeClipped(three, three, three, float.NaN, three));
    }
}
