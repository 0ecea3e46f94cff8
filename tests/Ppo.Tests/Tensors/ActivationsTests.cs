using Ppo.Tensors;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Tensors;

/// <summary>
/// Checks the activation kernels against scalar references at every length from 0 to 257, so that every SIMD width
/// and every tail length is exercised.
/// </summary>
public sealed class ActivationsTests
{
    /// <summary>The largest distance, in units in the last place, allowed between the vectorized tanh and <see cref="MathF.Tanh"/>.</summary>
    private const int TanhUlps = 4;

    public static TheoryData<int> Lengths => [.. Enumerable.Range(0, 258)];

    [Theory, MemberData(nameof(Lengths))]
    public void Tanh_AnyLength_WithinFewUlpOfMathFTanh(int length)
    {
        float[] x = Inputs(length, seed: 1000);
        float[] y = new float[length];

        Activations.Tanh(x, y);

        for (int i = 0; i < length; i++)
        {
            float expected = MathF.Tanh(x[i]);
            Assert.True(
                UlpDistance(expected, y[i]) <= TanhUlps,
                $"tanh({x[i]:R}) at {i} of {length}: expected {expected:R}, actual {y[i]:R} ({UlpDistance(expected, y[i])} ulp).");
        }
    }

    [Fact]
    public void Tanh_SignedZerosAndTinyInputs_ReturnTheInput()
    {
        // Below 2⁻¹² the cubic term x³/3 is under half an ulp of x, so float32 tanh(x) is x itself; ±0 keep their sign.
        float[] x = [0f, -0f, 1e-30f, -1e-30f, 1e-10f, -1e-10f, 1e-6f, -1e-6f, 2e-5f, -2e-5f, 0f, -0f, 1e-20f, -1e-20f, 1e-8f, -1e-8f];
        float[] y = new float[x.Length];

        Activations.Tanh(x, y);

        Tolerance.AssertBitwiseEqual(x, y, "tanh(x)");
    }

    [Fact]
    public void Tanh_DenseGridAndEveryScale_MatchesScalarFormulaBitForBit()
    {
        // Every 2⁻¹⁶ over [−12, 12], then random magnitudes of every exponent from 2⁻³⁰ to 2⁴, both signs.
        var random = new Random(6000);
        float[] x = new float[(24 << 16) + 4096];
        for (int i = 0; i < 24 << 16; i++)
            x[i] = -12f + (i / 65536f);
        for (int i = 24 << 16; i < x.Length; i++)
            x[i] = (random.Next(2) == 0 ? -1f : 1f) * MathF.ScaleB(1f + random.NextSingle(), random.Next(-30, 5));
        float[] expected = Array.ConvertAll(x, TanhFormula);
        float[] y = new float[x.Length];

        Activations.Tanh(x, y);

        Tolerance.AssertBitwiseEqual(expected, y, "tanh(x)");
    }

    [Theory, MemberData(nameof(Lengths))]
    public void TanhBackward_AnyLength_MatchesScalarReferenceBitForBit(int length)
    {
        var random = new Random(2000 + length);
        float[] y = TestData.Uniform(random, length);
        float[] dy = TestData.Uniform(random, length, -3f, 3f);
        float[] expected = new float[length];
        for (int i = 0; i < length; i++)
            expected[i] = dy[i] * (1f - y[i] * y[i]);
        float[] dx = new float[length];

        Activations.TanhBackward(y, dy, dx);

        Tolerance.AssertBitwiseEqual(expected, dx, "dx");
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Relu_AnyLength_MatchesScalarReferenceBitForBit(int length)
    {
        float[] x = Inputs(length, seed: 3000);
        float[] expected = Array.ConvertAll(x, value => MathF.Max(value, 0f));
        float[] y = new float[length];

        Activations.Relu(x, y);

        Tolerance.AssertBitwiseEqual(expected, y, "y");
    }

    [Theory, MemberData(nameof(Lengths))]
    public void ReluBackward_AnyLength_MatchesScalarReferenceBitForBit(int length)
    {
        var random = new Random(4000 + length);
        float[] y = Array.ConvertAll(Inputs(length, seed: 4000), value => MathF.Max(value, 0f));
        float[] dy = TestData.Uniform(random, length, -3f, 3f);
        float[] expected = new float[length];
        for (int i = 0; i < length; i++)
            expected[i] = y[i] > 0f ? dy[i] : 0f;
        float[] dx = new float[length];

        Activations.ReluBackward(y, dy, dx);

        Tolerance.AssertBitwiseEqual(expected, dx, "dx");
    }

    [Fact]
    public void Relu_SignedZeroAndNaN_FollowMathFMax()
    {
        float[] x = [-0f, 0f, float.NaN, float.NegativeInfinity, float.PositiveInfinity, -1e-30f];
        float[] y = new float[x.Length];

        Activations.Relu(x, y);

        Tolerance.AssertBitwiseEqual(Array.ConvertAll(x, value => MathF.Max(value, 0f)), y, "y");
    }

    [Fact]
    public void Kernels_OutputAliasesInput_ComputeInPlace()
    {
        float[] x = Inputs(37, seed: 5000);
        float[] tanh = new float[x.Length];
        Activations.Tanh(x, tanh);
        float[] inPlace = (float[])x.Clone();

        Activations.Tanh(inPlace, inPlace);
        float[] gradient = Inputs(37, seed: 5001);
        float[] expectedGradient = new float[x.Length];
        Activations.TanhBackward(tanh, gradient, expectedGradient);
        Activations.TanhBackward(tanh, gradient, gradient);

        Tolerance.AssertBitwiseEqual(tanh, inPlace, "tanh in place");
        Tolerance.AssertBitwiseEqual(expectedGradient, gradient, "tanh backward in place");
    }

    [Fact]
    public void Kernels_LengthsDiffer_Throw()
    {
        float[] three = new float[3], four = new float[4];

        Assert.Throws<ArgumentException>(() => Activations.Tanh(three, four));
        Assert.Throws<ArgumentException>(() => Activations.Relu(four, three));
        Assert.Throws<ArgumentException>(() => Activations.TanhBackward(three, four, three));
        Assert.Throws<ArgumentException>(() => Activations.TanhBackward(three, three, four));
        Assert.Throws<ArgumentException>(() => Activations.ReluBackward(three, four, three));
        Assert.Throws<ArgumentException>(() => Activations.ReluBackward(three, three, four));
    }

    /// <summary>
    /// The formula of <see cref="Activations.Tanh"/> in scalar arithmetic, one rounding per operation and
    /// <see cref="MathF.Round(float)"/> for the integer part of <c>2|x|·log₂e</c>: the vector kernels of every width must give
    /// these bits.
    /// </summary>
    private static float TanhFormula(float x)
    {
        float a = MathF.Min(MathF.Abs(x), 9f);
        float z = x * x;
        float p = MathF.FusedMultiplyAdd(-5.70498872745e-3f, z, 2.06390887954e-2f);
        p = MathF.FusedMultiplyAdd(p, z, -5.37397155531e-2f);
        p = MathF.FusedMultiplyAdd(p, z, 1.33314422036e-1f);
        p = MathF.FusedMultiplyAdd(p, z, -3.33332819422e-1f);
        float small = MathF.FusedMultiplyAdd(a * z, p, a);

        float twoA = a + a;
        float n = MathF.Round(twoA * 1.44269504088896341f);
        float g = MathF.FusedMultiplyAdd(n, -0.693359375f, twoA);
        g = MathF.FusedMultiplyAdd(n, 2.12194440e-4f, g);
        float e = MathF.FusedMultiplyAdd(1f / 5040, g, 1f / 720);
        e = MathF.FusedMultiplyAdd(e, g, 1f / 120);
        e = MathF.FusedMultiplyAdd(e, g, 1f / 24);
        e = MathF.FusedMultiplyAdd(e, g, 1f / 6);
        e = MathF.FusedMultiplyAdd(e, g, 0.5f);
        e = MathF.FusedMultiplyAdd(e, g, 1f);
        e = MathF.FusedMultiplyAdd(e, g, 1f);
        float exponential = MathF.FusedMultiplyAdd(e, BitConverter.Int32BitsToSingle(((int)n + 127) << 23), 1f);
        float large = 1f - (2f / exponential);
        return MathF.CopySign(a < 0.625f ? small : large, x);
    }

    /// <summary>Inputs over [−6, 6] with exact zeros of both signs and tiny values mixed in.</summary>
    private static float[] Inputs(int length, int seed)
    {
        var random = new Random(seed + length);
        float[] x = TestData.Uniform(random, length, -6f, 6f);
        for (int i = 0; i < length; i += 5)
        {
            x[i] = (i / 5 % 4) switch
            {
                0 => 0f,
                1 => -0f,
                2 => x[i] * 1e-4f,
                _ => x[i] * 1e-20f,
            };
        }

        return x;
    }

    /// <summary>The number of floats between <paramref name="a"/> and <paramref name="b"/> (0 for equal values, +0 and −0 included).</summary>
    private static long UlpDistance(float a, float b)
    {
        static long Ordered(float value)
        {
            int bits = BitConverter.SingleToInt32Bits(value);
            return bits >= 0 ? bits : (long)int.MinValue - bits;
        }

        return Math.Abs(Ordered(a) - Ordered(b));
    }
}
