using Ppo.Rollouts;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Rollouts;

/// <summary>Checks <see cref="Gae"/> against PyTorch, cases worked by hand, and its SIMD path against its scalar path.</summary>
public sealed class GaeTests
{
    public static TheoryData<int> EnvironmentCounts => [.. Enumerable.Range(1, 40)];

    [Fact]
    public void Compute_GoldenCase_MatchesPyTorch()
    {
        const string Golden = "gae";
        float[] rewards = GoldenVectors.Data(Golden, "rewards");
        int environments = GoldenVectors.Shape(Golden, "rewards")[1];
        float[] advantages = new float[rewards.Length], returns = new float[rewards.Length];

        Gae.Compute(
            rewards, GoldenVectors.Data(Golden, "values"), GoldenVectors.Data(Golden, "dones"), GoldenVectors.Data(Golden, "last_values"),
            environments, GoldenVectors.Scalar(Golden, "gamma"), GoldenVectors.Scalar(Golden, "gae_lambda"), advantages, returns);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "advantages"), advantages, what: "advantages");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "returns"), returns, what: "returns");
    }

    [Theory, MemberData(nameof(EnvironmentCounts))]
    public void Compute_AnyEnvironmentCount_EqualsSingleEnvironmentRunsBitForBit(int environments)
    {
        const int Steps = 7;
        const float Gamma = 0.97f, Lambda = 0.9f;
        var random = new Random(90 + environments);
        int length = Steps * environments;
        float[] rewards = TestData.Uniform(random, length, -1f, 2f);
        float[] values = TestData.Uniform(random, length, -3f, 3f);
        float[] dones = Array.ConvertAll(TestData.Uniform(random, length, 0f, 1f), u => u < 0.2f ? 1f : 0f);
        float[] lastValues = TestData.Uniform(random, environments, -3f, 3f);
        float[] advantages = new float[length], returns = new float[length];

        Gae.Compute(rewards, values, dones, lastValues, environments, Gamma, Lambda, advantages, returns);

        for (int n = 0; n < environments; n++)
        {
            float[] r = Column(rewards, n, environments), v = Column(values, n, environments), d = Column(dones, n, environments);
            float[] a = new float[Steps], g = new float[Steps];
            Gae.Compute(r, v, d, [lastValues[n]], 1, Gamma, Lambda, a, g);
            Tolerance.AssertBitwiseEqual(a, Column(advantages, n, environments), $"advantages of environment {n}");
            Tolerance.AssertBitwiseEqual(g, Column(returns, n, environments), $"returns of environment {n}");
        }
    }

    [Fact]
    public void Compute_RewardOnlyAtTerminalStepWithZeroValues_DecaysByGammaLambdaPerStep()
    {
        // Values are all 0 and the episode terminates at t = 3 with reward 1, so δ = (0, 0, 0, 1) and
        // A[t] = (γλ)^(3 − t) = 0.25^(3 − t): 1/64, 1/16, 1/4, 1. Returns equal advantages because V = 0.
        float[] advantages = new float[4], returns = new float[4];

        Gae.Compute([0f, 0f, 0f, 1f], [0f, 0f, 0f, 0f], [0f, 0f, 0f, 1f], [5f], 1, 0.5f, 0.5f, advantages, returns);

        Assert.Equal([0.015625f, 0.0625f, 0.25f, 1f], advantages);
        Assert.Equal([0.015625f, 0.0625f, 0.25f, 1f], returns);
    }

    [Fact]
    public void Compute_RewardOnlyAtEndWithConstantValues_BootstrapsFromLastValue()
    {
        // V = 1 everywhere, last value 1, no episode end, γ = λ = 0.5, reward 1 at the last step only.
        //   t = 2: δ = 1 + 0.5·1 − 1 = 0.5;   A = 0.5
        //   t = 1: δ = 0 + 0.5·1 − 1 = −0.5;  A = −0.5 + 0.25·0.5 = −0.375
        //   t = 0: δ = −0.5;                  A = −0.5 + 0.25·(−0.375) = −0.59375
        // Returns are A + 1: 0.40625, 0.625, 1.5.
        float[] advantages = new float[3], returns = new float[3];

        Gae.Compute([0f, 0f, 1f], [1f, 1f, 1f], [0f, 0f, 0f], [1f], 1, 0.5f, 0.5f, advantages, returns);

        Assert.Equal([-0.59375f, -0.375f, 0.5f], advantages);
        Assert.Equal([0.40625f, 0.625f, 1.5f], returns);
    }

    [Fact]
    public void Compute_DoneInTheMiddle_CutsBootstrapAndAccumulation()
    {
        // Rewards 1, values 0.5, last value 2, γ = 0.5, λ = 1 (Monte Carlo returns); the episode ends at t = 1.
        //   t = 3: δ = 1 + 0.5·2 − 0.5 = 1.5;    A = 1.5;                 return 2   = 1 + 0.5·2
        //   t = 2: δ = 1 + 0.5·0.5 − 0.5 = 0.75; A = 0.75 + 0.5·1.5 = 1.5; return 2   = 1 + 0.5·1 + 0.25·2
        //   t = 1: done, δ = 1 − 0.5 = 0.5;      A = 0.5 (nothing after); return 1   = the reward alone
        //   t = 0: δ = 1 + 0.5·0.5 − 0.5 = 0.75; A = 0.75 + 0.5·0.5 = 1;  return 1.5 = 1 + 0.5·1
        float[] advantages = new float[4], returns = new float[4];

        Gae.Compute([1f, 1f, 1f, 1f], [0.5f, 0.5f, 0.5f, 0.5f], [0f, 1f, 0f, 0f], [2f], 1, 0.5f, 1f, advantages, returns);

        Assert.Equal([1f, 0.5f, 1.5f, 1.5f], advantages);
        Assert.Equal([1.5f, 1f, 2f, 2f], returns);

        // Nothing after the episode end reaches the steps before it.
        float[] otherAdvantages = new float[4], otherReturns = new float[4];
        Gae.Compute([1f, 1f, 7f, -3f], [0.5f, 0.5f, 4f, -1f], [0f, 1f, 0f, 1f], [-9f], 1, 0.5f, 1f, otherAdvantages, otherReturns);
        Assert.Equal(advantages[..2], otherAdvantages[..2]);
        Assert.Equal(returns[..2], otherReturns[..2]);
    }

    [Fact]
    public void Compute_NoSteps_DoesNothing()
    {
        Gae.Compute([], [], [], [1f, 2f], 2, 0.99f, 0.95f, [], []);
    }

    [Theory]
    [InlineData(-0.01f, 0.95f)]
    [InlineData(1.01f, 0.95f)]
    [InlineData(float.NaN, 0.95f)]
    [InlineData(0.99f, -0.5f)]
    [InlineData(0.99f, 1.5f)]
    [InlineData(0.99f, float.NaN)]
    public void Compute_GammaOrLambdaOutsideUnitInterval_Throws(float gamma, float lambda)
    {
        float[] one = [0f];

        Assert.Throws<ArgumentOutOfRangeException>(() => Gae.Compute(one, one, one, one, 1, gamma, lambda, new float[1], new float[1]));
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(1f, 1f)]
    public void Compute_GammaAndLambdaAtBounds_Accepted(float gamma, float lambda)
    {
        float[] advantages = new float[1], returns = new float[1];

        Gae.Compute([2f], [0.5f], [0f], [3f], 1, gamma, lambda, advantages, returns);

        Assert.Equal(2f + gamma * 3f - 0.5f, advantages[0]);
    }

    [Fact]
    public void Compute_MismatchedLengths_Throws()
    {
        float[] six = new float[6];

        Assert.Throws<ArgumentException>(() => Gae.Compute(new float[5], new float[5], new float[5], new float[2], 2, 0.99f, 0.95f, new float[5], new float[5]));
        Assert.Throws<ArgumentException>(() => Gae.Compute(six, new float[5], six, new float[2], 2, 0.99f, 0.95f, six, six));
        Assert.Throws<ArgumentException>(() => Gae.Compute(six, six, new float[4], new float[2], 2, 0.99f, 0.95f, six, six));
        Assert.Throws<ArgumentException>(() => Gae.Compute(six, six, six, new float[3], 2, 0.99f, 0.95f, six, six));
        Assert.Throws<ArgumentException>(() => Gae.Compute(six, six, six, new float[2], 2, 0.99f, 0.95f, new float[7], six));
        Assert.Throws<ArgumentException>(() => Gae.Compute(six, six, six, new float[2], 2, 0.99f, 0.95f, six, new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gae.Compute(six, six, six, [], 0, 0.99f, 0.95f, six, six));
    }

    private static float[] Column(float[] matrix, int column, int width)
    {
        float[] result = new float[matrix.Length / width];
        for (int t = 0; t < result.Length; t++)
            result[t] = matrix[t * width + column];
        return result;
    }
}
