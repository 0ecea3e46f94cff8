using System.Runtime.CompilerServices;

namespace Ppo.Randomness;

/// <summary>
/// A small, fast, seedable pseudo-random generator (xoshiro256**) whose sequence is the same on every
/// machine and every .NET version, so that a seed fixes a training run bit for bit.
/// </summary>
/// <remarks>
/// The 256-bit state is expanded from the 64-bit seed with SplitMix64, as the xoshiro authors recommend
/// (Blackman and Vigna, "Scrambled linear pseudorandom number generators", 2021). The state can be read
/// and restored with <see cref="State"/>, which is how checkpoints resume a run exactly.
/// </remarks>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    /// <param name="seed">Any 64-bit value; equal seeds give equal sequences.</param>
    public SeededRandom(ulong seed)
    {
        Reseed(seed);
    }

    /// <summary>Creates a generator that continues from a saved <see cref="RandomState"/>.</summary>
    /// <param name="state">A state read from <see cref="State"/>.</param>
    /// <exception cref="ArgumentException">The state is all zeros, which xoshiro256** cannot leave.</exception>
    public SeededRandom(RandomState state)
    {
        State = state;
    }

    /// <summary>Gets or sets the full generator state.</summary>
    /// <exception cref="ArgumentException">The value set is all zeros.</exception>
    public RandomState State
    {
        get => new(_s0, _s1, _s2, _s3);
        set
        {
            if ((value.S0 | value.S1 | value.S2 | value.S3) == 0)
                throw new ArgumentException("A xoshiro256** state must not be all zeros.", nameof(value));
            (_s0, _s1, _s2, _s3) = (value.S0, value.S1, value.S2, value.S3);
        }
    }

    /// <summary>Restarts the sequence from <paramref name="seed"/>, as a new generator with that seed would.</summary>
    /// <param name="seed">Any 64-bit value.</param>
    public void Reseed(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>Returns the next 64 uniformly distributed bits.</summary>
    /// <returns>A value in [0, 2⁶⁴).</returns>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Returns a uniformly distributed float in [0, 1) with 24 random bits.</summary>
    /// <returns>A value in [0, 1).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Returns a uniformly distributed double in [0, 1) with 53 random bits.</summary>
    /// <returns>A value in [0, 1).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a float drawn uniformly between <paramref name="low"/> and <paramref name="high"/>.</summary>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound; must not be below <paramref name="low"/>.</param>
    /// <returns><c>low + (high − low)·u</c> with <c>u</c> uniform in [0, 1), computed in double and rounded to float.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> is below <paramref name="low"/>, or either is not finite.</exception>
    public float NextUniform(float low, float high)
    {
        if (!float.IsFinite(low) || !float.IsFinite(high) || high < low)
            throw new ArgumentOutOfRangeException(nameof(high), high, $"The range must be finite with high >= low (low was {low}).");
        return (float)(low + (high - (double)low) * NextDouble());
    }

    /// <summary>Returns an integer drawn uniformly from [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <param name="maxExclusive">The exclusive upper bound; must be positive.</param>
    /// <returns>A value in [0, <paramref name="maxExclusive"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is zero or negative.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        // Lemire's multiply-and-reject method (ACM TOMACS 2019).
        ulong range = (ulong)maxExclusive;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            ulong product = Math.BigMul(NextUInt64(), range, out ulong low);
            if (low >= threshold)
                return (int)product;
        }
    }

    /// <summary>Returns a standard normal sample (mean 0, variance 1) by the Box–Muller transform.</summary>
    /// <returns>A normally distributed value.</returns>
    /// <remarks>Each call consumes exactly two 64-bit draws, so the position in the sequence is easy to reason about.</remarks>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: the logarithm stays finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="values"/> in place with the Fisher–Yates algorithm.</summary>
    /// <param name="values">The values to permute.</param>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
