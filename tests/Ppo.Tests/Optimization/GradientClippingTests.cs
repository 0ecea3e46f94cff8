using Ppo.Optimization;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Optimization;

/// <summary>Checks <see cref="GradientClipping.ClipByGlobalNorm"/> (<c>torch.nn.utils.clip_grad_norm_</c>).</summary>
public sealed class GradientClippingTests
{
    [Fact]
    public void ClipByGlobalNorm_BelowThreshold_LeavesGradientsAndReturnsNorm()
    {
        float[] gradients = [0.3f, -0.4f];

        float norm = GradientClipping.ClipByGlobalNorm(gradients, 0.5f + 1e-3f);

        Assert.Equal(0.5f, norm, 6);
        Assert.Equal([0.3f, -0.4f], gradients);
    }

    [Fact]
    public void ClipByGlobalNorm_AboveThreshold_ScalesToMaxNorm()
    {
        // ‖(3, −4, 0, 12)‖ = 13; the scale is 0.5 / (13 + 1e-6).
        float[] gradients = [3f, -4f, 0f, 12f];

        float norm = GradientClipping.ClipByGlobalNorm(gradients, 0.5f);

        Assert.Equal(13f, norm);
        double scale = 0.5 / (13 + 1e-6);
        Tolerance.AssertClose([3 * scale, -4 * scale, 0, 12 * scale], Array.ConvertAll(gradients, g => (double)g), 1e-6, "clipped gradients");
        Tolerance.AssertClose(0.5, Math.Sqrt(gradients.Sum(g => (double)g * g)), 1e-6, "norm after clipping");
    }

    [Fact]
    public void ClipByGlobalNorm_ZeroGradients_StayZero()
    {
        float[] gradients = new float[5];

        float norm = GradientClipping.ClipByGlobalNorm(gradients, 0.5f);

        Assert.Equal(0f, norm);
        Assert.All(gradients, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void ClipByGlobalNorm_ManyElements_UsesTheNormOfTheWholeBuffer()
    {
        float[] gradients = new float[1000];
        Array.Fill(gradients, 0.1f);

        float norm = GradientClipping.ClipByGlobalNorm(gradients, 1f);

        Tolerance.AssertClose(Math.Sqrt(1000 * 0.1 * 0.1), norm, 1e-6, "norm");
        Tolerance.AssertClose(0.1 / Math.Sqrt(10), gradients[999], 1e-5, "clipped element");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void ClipByGlobalNorm_MaxNormNotPositiveFinite_Throws(float maxNorm)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(new float[3], maxNorm));
    }
}
