using Ppo.Randomness;
using Ppo.Rollouts;

namespace Ppo.TorchSharp.Benchmarks;

/// <summary>Seeded inputs for the benchmarks.</summary>
internal static class BenchmarkData
{
    /// <summary>Uniform floats in [low, high).</summary>
    public static float[] Uniform(SeededRandom random, int count, float low, float high)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = random.NextUniform(low, high);
        return values;
    }

    /// <summary>A minibatch with actions drawn uniformly and log-probabilities near the uniform policy's.</summary>
    public static Minibatch Minibatch(int observationSize, int rows, int actionCount, bool binaryObservations)
    {
        var random = new SeededRandom(1);
        float[] observations = Uniform(random, rows * observationSize, binaryObservations ? 0f : -1f, 1f);
        if (binaryObservations)
        {
            for (int i = 0; i < observations.Length; i++)
                observations[i] = observations[i] < 0.1f ? 1f : 0f;
        }

        float[] actions = new float[rows];
        for (int i = 0; i < rows; i++)
            actions[i] = random.NextInt(actionCount);
        float uniform = -MathF.Log(actionCount);
        var minibatch = new Minibatch(rows, observationSize, 1);
        minibatch.CopyFrom(observations, actions, Uniform(random, rows, uniform - 0.1f, uniform + 0.1f), Uniform(random, rows, -2f, 2f), Uniform(random, rows, -1f, 1f), Uniform(random, rows, -1f, 1f));
        return minibatch;
    }
}
