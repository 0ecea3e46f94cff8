using Ppo.Randomness;

namespace Ppo.Tests.Randomness;

/// <summary>Checks <see cref="SeededRandom"/>: the exact xoshiro256** sequence, the ranges and uniformity of its draws, and its state.</summary>
public sealed class SeededRandomTests
{
    [Theory]
    [InlineData(0UL, 0x99ec5f36cb75f2b4UL, 0xbf6e1f784956452aUL, 0x1a5f849d4933e6e0UL, 0x6aa594f1262d2d2cUL)]
    [InlineData(42UL, 0x15780b2e0c2ec716UL, 0x6104d9866d113a7eUL, 0xae17533239e499a1UL, 0xecb8ad4703b360a1UL)]
    public void NextUInt64_Seed_MatchesReferenceXoshiro256StarStar(ulong seed, ulong first, ulong second, ulong third, ulong fourth)
    {
        // Reference values from Blackman and Vigna's algorithm seeded by SplitMix64, computed independently.
        var random = new SeededRandom(seed);

        Assert.Equal([first, second, third, fourth], new[] { random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64() });
    }

    [Fact]
    public void NextUInt64_SameSeed_SameSequence()
    {
        var first = new SeededRandom(2024);
        var second = new SeededRandom(2024);
        var other = new SeededRandom(2025);

        ulong[] a = [.. Enumerable.Range(0, 1000).Select(_ => first.NextUInt64())];
        ulong[] b = [.. Enumerable.Range(0, 1000).Select(_ => second.NextUInt64())];
        ulong[] c = [.. Enumerable.Range(0, 1000).Select(_ => other.NextUInt64())];

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Reseed_Seed_RestartsTheSequence()
    {
        var random = new SeededRandom(9);
        ulong[] expected = [random.NextUInt64(), random.NextUInt64()];
        random.NextUInt64();

        random.Reseed(9);

        Assert.Equal(expected, new[] { random.NextUInt64(), random.NextUInt64() });
    }

    [Fact]
    public void NextFloat_ManyDraws_InUnitIntervalWithMeanOneHalf()
    {
        var random = new SeededRandom(1);
        double sum = 0;
        const int Draws = 100_000;

        for (int i = 0; i < Draws; i++)
        {
            float u = random.NextFloat();
            Assert.InRange(u, 0f, 1f);
            Assert.NotEqual(1f, u);
            sum += u;
        }

        // The standard error of the mean is 1/√(12·10⁵) ≈ 0.0009; allow five of them.
        Assert.InRange(sum / Draws, 0.5 - 0.0046, 0.5 + 0.0046);
    }

    [Fact]
    public void NextFloatAndNextDouble_LargestDraw_StaysBelowOne()
    {
        // A state whose next output is all ones: NextUInt64 returns rotl(s1·5, 7)·9, so pick s1 with that result.
        ulong allOnes = ulong.MaxValue;
        var state = new RandomState(1, ulong.RotateRight(allOnes * InverseOf(9), 7) * InverseOf(5), 2, 3);

        Assert.Equal(allOnes, new SeededRandom(state).NextUInt64());
        Assert.Equal(1f - (1f / (1 << 24)), new SeededRandom(state).NextFloat());
        Assert.Equal(1.0 - (1.0 / (1UL << 53)), new SeededRandom(state).NextDouble());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(10)]
    public void NextInt_ManyDraws_UniformOverRange(int maxExclusive)
    {
        // Pearson's statistic with maxExclusive − 1 degrees of freedom stays below its 0.999 quantile (27.88 for 9).
        const int Draws = 60_000;
        var random = new SeededRandom(77);
        int[] counts = new int[maxExclusive];

        for (int i = 0; i < Draws; i++)
            counts[random.NextInt(maxExclusive)]++;

        double expected = (double)Draws / maxExclusive;
        double chiSquare = counts.Sum(count => (count - expected) * (count - expected) / expected);
        Assert.True(chiSquare < 27.88, $"χ² = {chiSquare} for counts [{string.Join(", ", counts)}].");
    }

    [Fact]
    public void NextInt_Bounds_StayInRange()
    {
        var random = new SeededRandom(5);

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(0, random.NextInt(1));
            Assert.InRange(random.NextInt(int.MaxValue), 0, int.MaxValue - 1);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(-3));
    }

    [Fact]
    public void NextUniform_Range_StaysInsideAndChecksArguments()
    {
        var random = new SeededRandom(6);

        for (int i = 0; i < 1000; i++)
            Assert.InRange(random.NextUniform(-0.25f, 0.75f), -0.25f, 0.75f);

        Assert.Equal(2f, random.NextUniform(2f, 2f));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextUniform(1f, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextUniform(float.NaN, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextUniform(0f, float.PositiveInfinity));
    }

    [Fact]
    public void NextGaussian_ManyDraws_StandardNormalMoments()
    {
        const int Draws = 50_000;
        var random = new SeededRandom(8);
        double sum = 0, squares = 0;

        for (int i = 0; i < Draws; i++)
        {
            double x = random.NextGaussian();
            sum += x;
            squares += x * x;
        }

        // Standard errors: mean 1/√n ≈ 0.0045, variance √(2/n) ≈ 0.0063; allow five of each.
        double mean = sum / Draws;
        Assert.InRange(mean, -0.023, 0.023);
        Assert.InRange((squares / Draws) - (mean * mean), 1 - 0.032, 1 + 0.032);
    }

    [Fact]
    public void NextGaussian_EachCall_ConsumesTwoDraws()
    {
        var random = new SeededRandom(10);
        var reference = new SeededRandom(10);

        random.NextGaussian();
        reference.NextUInt64();
        reference.NextUInt64();

        Assert.Equal(reference.State, random.State);
    }

    [Fact]
    public void Shuffle_Values_IsAPermutation()
    {
        int[] values = [.. Enumerable.Range(0, 100)];

        new SeededRandom(11).Shuffle(values);

        Assert.NotEqual(Enumerable.Range(0, 100), values);
        Assert.Equal(Enumerable.Range(0, 100), values.Order());
    }

    [Fact]
    public void Shuffle_ThreeValues_EveryOrderEquallyLikely()
    {
        // Six orders; Pearson's statistic with 5 degrees of freedom stays below its 0.999 quantile, 20.52.
        const int Shuffles = 30_000;
        var random = new SeededRandom(12);
        var counts = new Dictionary<int, int>();

        for (int i = 0; i < Shuffles; i++)
        {
            int[] values = [0, 1, 2];
            random.Shuffle(values);
            int key = values[0] * 100 + values[1] * 10 + values[2];
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        Assert.Equal(6, counts.Count);
        double expected = Shuffles / 6.0;
        double chiSquare = counts.Values.Sum(count => (count - expected) * (count - expected) / expected);
        Assert.True(chiSquare < 20.52, $"χ² = {chiSquare}.");
    }

    [Fact]
    public void State_SavedAndRestored_ResumesTheSequence()
    {
        var random = new SeededRandom(13);
        random.NextUInt64();
        RandomState saved = random.State;
        ulong[] expected = [.. Enumerable.Range(0, 10).Select(_ => random.NextUInt64())];

        random.State = saved;
        var resumed = new SeededRandom(saved);

        Assert.Equal(expected, Enumerable.Range(0, 10).Select(_ => random.NextUInt64()));
        Assert.Equal(expected, Enumerable.Range(0, 10).Select(_ => resumed.NextUInt64()));
    }

    [Fact]
    public void State_AllZeros_Rejected()
    {
        var random = new SeededRandom(14);

        Assert.Throws<ArgumentException>(() => random.State = new RandomState(0, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => new SeededRandom(new RandomState(0, 0, 0, 0)));
        Assert.NotEqual(new RandomState(0, 0, 0, 0), random.State);
    }

    /// <summary>The multiplicative inverse of an odd number modulo 2⁶⁴ (Newton's iteration).</summary>
    private static ulong InverseOf(ulong odd)
    {
        ulong inverse = odd;
        for (int i = 0; i < 6; i++)
            inverse *= 2 - odd * inverse;
        return inverse;
    }
}
