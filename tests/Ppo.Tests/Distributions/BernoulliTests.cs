using Ppo.Distributions;
using Ppo.Randomness;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Distributions;

/// <summary>Checks the <see cref="Bernoulli"/> kernels of a MultiBinary space against PyTorch and finite differences.</summary>
public sealed class BernoulliTests
{
    [Fact]
    public void EvaluateAndBackward_GoldenBernoulli_MatchPyTorch()
    {
        const string Golden = "bernoulli";
        int[] shape = GoldenVectors.Shape(Golden, "logits");
        (int rows, int flags) = (shape[0], shape[1]);
        float[] logits = GoldenVectors.Data(Golden, "logits"), actions = GoldenVectors.Data(Golden, "actions");
        float[] logProb = new float[rows], entropy = new float[rows], gradient = new float[rows * flags];

        Bernoulli.Evaluate(logits, actions, logProb, entropy, flags);
        Bernoulli.Backward(logits, actions, GoldenVectors.Data(Golden, "grad_log_prob"), GoldenVectors.Data(Golden, "grad_entropy"), gradient, flags);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "log_prob"), logProb, what: "log_prob");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "entropy"), entropy, what: "entropy");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_logits"), gradient, what: "grad_logits");
    }

    [Fact]
    public void KlDivergence_GoldenBernoulliKl_MatchesPyTorch()
    {
        const string Golden = "bernoulli_kl";
        int[] shape = GoldenVectors.Shape(Golden, "old_logits");
        float[] oldLogits = GoldenVectors.Data(Golden, "old_logits"), newLogits = GoldenVectors.Data(Golden, "new_logits");
        float[] kl = new float[shape[0]], gradient = new float[shape[0] * shape[1]];

        Bernoulli.KlDivergence(oldLogits, newLogits, kl, shape[1]);
        Bernoulli.KlDivergenceBackward(oldLogits, newLogits, GoldenVectors.Data(Golden, "grad_output"), gradient, shape[1]);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "kl"), kl, what: "kl");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_new_logits"), gradient, what: "grad_new_logits");
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(0f, 1f)]
    [InlineData(0.7f, -1.3f)]
    public void Backward_LogProbabilityAndEntropy_MatchFiniteDifference(float logProbabilityWeight, float entropyWeight)
    {
        const int Rows = 4, Flags = 3;
        var random = new Random(53);
        float[] logits = TestData.Uniform(random, Rows * Flags, -3f, 3f);
        float[] actions = TestData.Actions(random, Rows * Flags, 2);
        float[] g = Array.ConvertAll(TestData.Uniform(random, Rows, 0.5f, 1.5f), value => value * logProbabilityWeight);
        float[] h = Array.ConvertAll(TestData.Uniform(random, Rows, 0.5f, 1.5f), value => value * entropyWeight);

        double Objective(float[] x)
        {
            float[] logProb = new float[Rows], entropy = new float[Rows];
            Bernoulli.Evaluate(x, actions, logProb, entropy, Flags);
            return TestData.WeightedSum(g, logProb) + TestData.WeightedSum(h, entropy);
        }

        float[] analytic = new float[Rows * Flags];
        Bernoulli.Backward(logits, actions, g, h, analytic, Flags);

        Tolerance.AssertClose(FiniteDifference.Gradient(Objective, logits), analytic, FiniteDifference.RelativeTolerance, "d/dlogits");
    }

    [Fact]
    public void SampleAndMode_Logits_FollowTheSigmoid()
    {
        const int Draws = 20_000;
        float[] logits = new float[Draws];
        Array.Fill(logits, MathF.Log(0.3f / 0.7f));
        float[] actions = new float[Draws];

        Bernoulli.Sample(logits, new SeededRandom(17), actions);

        // The count of ones is Binomial(20 000, 0.3): standard deviation 64.8; four of them allowed.
        double ones = actions.Sum();
        Assert.InRange(ones, 6000 - 260, 6000 + 260);
        float[] mode = new float[3];
        Bernoulli.Mode([-0.1f, 0f, 0.1f], mode);
        Assert.Equal([0f, 0f, 1f], mode);
    }

    [Fact]
    public void Evaluate_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bernoulli.Evaluate(new float[2], [0f, 2f], new float[1], new float[1], 2));
        Assert.Throws<ArgumentException>(() => Bernoulli.Evaluate(new float[3], new float[4], new float[2], new float[2], 2));
        Assert.Throws<ArgumentException>(() => Bernoulli.Sample(new float[3], new SeededRandom(1), new float[2]));
    }
}
