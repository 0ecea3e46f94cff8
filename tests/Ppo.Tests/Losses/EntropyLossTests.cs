using Ppo.Losses;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Losses;

/// <summary>Checks <see cref="EntropyLoss"/>: <c>−mean(H)</c> and its gradient <c>−1/B</c>.</summary>
public sealed class EntropyLossTests
{
    [Fact]
    public void Compute_Entropies_IsNegativeMean()
    {
        float[] gradient = new float[4];
        gradient.AsSpan().Fill(float.NaN);

        float loss = EntropyLoss.Compute([1f, 0.5f, 1.5f, 1f], gradient);

        Assert.Equal(-1f, loss);
        Assert.Equal([-0.25f, -0.25f, -0.25f, -0.25f], gradient);
    }

    [Fact]
    public void Compute_Gradient_MatchesFiniteDifference()
    {
        float[] entropy = TestData.Uniform(new Random(71), 7, 0.1f, 1.4f);

        double[] numeric = FiniteDifference.Gradient(h => EntropyLoss.Compute(h, new float[h.Length]), entropy);
        float[] analytic = new float[entropy.Length];
        EntropyLoss.Compute(entropy, analytic);

        Tolerance.AssertClose(numeric, analytic, FiniteDifference.RelativeTolerance, "d/dH");
    }

    [Fact]
    public void Compute_BadArguments_Throws()
    {
        Assert.Throws<ArgumentException>(() => EntropyLoss.Compute([], []));
        Assert.Throws<ArgumentException>(() => EntropyLoss.Compute(new float[3], new float[2]));
    }
}
