using Ppo.Randomness;

namespace Ppo.Benchmarks;

/// <summary>Fixed-seed inputs, so every run measures the same numbers.</summary>
internal static class BenchmarkData
{
    public const int Seed = 20240607;

    /// <summary>Returns <paramref name="length"/> values uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static float[] Uniform(SeededRandom random, int length, float low = -1f, float high = 1f)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = random.NextUniform(low, high);
        return values;
    }

    /// <summary>Returns <paramref name="length"/> values that are 1 with probability <paramref name="probability"/>, else 0.</summary>
    public static float[] Flags(SeededRandom random, int length, float probability)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = random.NextFloat() < probability ? 1f : 0f;
        return values;
    }

    /// <summary>Returns <paramref name="length"/> discrete actions in [0, <paramref name="classCount"/>), stored as floats.</summary>
    public static float[] Actions(SeededRandom random, int length, int classCount)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = random.NextInt(classCount);
        return values;
    }
}
