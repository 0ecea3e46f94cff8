namespace Ppo.Tests.TestSupport;

/// <summary>Reproducible test inputs drawn from <see cref="Random"/> with a fixed seed.</summary>
internal static class TestData
{
    /// <summary>Returns <paramref name="length"/> floats uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static float[] Uniform(Random random, int length, float low = -1f, float high = 1f)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(low + (high - low) * random.NextDouble());
        return values;
    }

    /// <summary>Returns <paramref name="length"/> floats with magnitude uniform in [<paramref name="margin"/>, <paramref name="high"/>) and a random sign.</summary>
    /// <remarks>Keeps inputs away from a kink at 0 by at least <paramref name="margin"/>.</remarks>
    public static float[] AwayFromZero(Random random, int length, float margin, float high = 1f)
    {
        float[] values = Uniform(random, length, margin, high);
        for (int i = 0; i < length; i++)
        {
            if (random.Next(2) == 0)
                values[i] = -values[i];
        }

        return values;
    }

    /// <summary>Returns <paramref name="count"/> integers uniform in [0, <paramref name="classCount"/>), stored as floats (the action encoding).</summary>
    public static float[] Actions(Random random, int count, int classCount)
    {
        float[] actions = new float[count];
        for (int i = 0; i < count; i++)
            actions[i] = random.Next(classCount);
        return actions;
    }

    /// <summary>Returns <c>Σᵢ weights[i]·values[i]</c> accumulated in double.</summary>
    public static double WeightedSum(ReadOnlySpan<float> weights, ReadOnlySpan<float> values)
    {
        if (weights.Length != values.Length)
            throw new ArgumentException($"weights has {weights.Length} elements, values {values.Length}.", nameof(values));
        double sum = 0;
        for (int i = 0; i < weights.Length; i++)
            sum += (double)weights[i] * values[i];
        return sum;
    }
}
