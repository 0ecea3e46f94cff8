using BenchmarkDotNet.Attributes;
using Ppo.Randomness;

namespace Ppo.Benchmarks;

/// <summary>
/// The masked action distributions beside the plain ones on one minibatch: normalize the logits (under the mask),
/// log-probability of the taken actions, entropy, and the logits gradient, as the training pass runs them.
/// </summary>
/// <remarks>
/// Seven classes, as Connect Four's columns; the masks leave about a third of the actions invalid and every row at
/// least one valid action. The MultiDiscrete cases use <c>[3, 4]</c>, as the cue-matching task.
/// </remarks>
[MemoryDiagnoser]
public class MaskedDistributionBenchmarks
{
    private const int ClassCount = 7;
    private static readonly int[] CategoryCounts = [3, 4];

    private float[] _logits = [];
    private bool[] _mask = [];
    private float[] _actions = [];
    private float[] _multiLogits = [];
    private bool[] _multiMask = [];
    private float[] _multiActions = [];
    private float[] _logProbabilities = [];
    private float[] _probabilities = [];
    private float[] _actionLogProbabilities = [];
    private float[] _entropy = [];
    private float[] _logProbabilityGradient = [];
    private float[] _entropyGradient = [];
    private float[] _logitsGradient = [];

    [Params(64, 256, 2048)]
    public int BatchSize { get; set; } = 64;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(BenchmarkData.Seed);
        _logits = BenchmarkData.Uniform(random, BatchSize * ClassCount, -2f, 2f);
        (_mask, _actions) = MasksAndValidActions(random, [ClassCount]);
        _multiLogits = BenchmarkData.Uniform(random, BatchSize * CategoryCounts.Sum(), -2f, 2f);
        (_multiMask, _multiActions) = MasksAndValidActions(random, CategoryCounts);
        _logProbabilities = new float[BatchSize * ClassCount];
        _probabilities = new float[BatchSize * ClassCount];
        _actionLogProbabilities = new float[BatchSize];
        _entropy = new float[BatchSize];
        _logProbabilityGradient = BenchmarkData.Uniform(random, BatchSize, -0.01f, 0.01f);
        _entropyGradient = new float[BatchSize];
        Array.Fill(_entropyGradient, -0.01f / BatchSize);
        _logitsGradient = new float[BatchSize * ClassCount];
    }

    /// <summary>Categorical(7) without a mask, the baseline.</summary>
    [Benchmark(Baseline = true)]
    public void Categorical()
    {
        Distributions.Categorical.Normalize(_logits, _logProbabilities, _probabilities, BatchSize, ClassCount);
        Distributions.Categorical.LogProbability(_logProbabilities, _actions, _actionLogProbabilities, ClassCount);
        Distributions.Categorical.Entropy(_logProbabilities, _probabilities, _entropy, ClassCount);
        Distributions.Categorical.Backward(_logProbabilities, _probabilities, _entropy, _actions, _logProbabilityGradient, _entropyGradient, _logitsGradient, ClassCount);
    }

    /// <summary>Categorical(7) under a mask: the replacement of invalid logits, then the same kernels.</summary>
    [Benchmark]
    public void MaskedCategorical()
    {
        Distributions.MaskedCategorical.Normalize(_logits, _mask, _logProbabilities, _probabilities, BatchSize, ClassCount);
        Distributions.MaskedCategorical.LogProbability(_logProbabilities, _mask, _actions, _actionLogProbabilities, ClassCount);
        Distributions.Categorical.Entropy(_logProbabilities, _probabilities, _entropy, ClassCount);
        Distributions.Categorical.Backward(_logProbabilities, _probabilities, _entropy, _actions, _logProbabilityGradient, _entropyGradient, _logitsGradient, ClassCount);
    }

    /// <summary>MultiDiscrete([3, 4]) without a mask.</summary>
    [Benchmark]
    public void MultiCategorical() => MultiCategoricalPass([]);

    /// <summary>MultiDiscrete([3, 4]) under a mask.</summary>
    [Benchmark]
    public void MaskedMultiCategorical() => MultiCategoricalPass(_multiMask);

    private void MultiCategoricalPass(ReadOnlySpan<bool> mask)
    {
        Distributions.MultiCategorical.Normalize(_multiLogits, mask, _logProbabilities, _probabilities, BatchSize, CategoryCounts);
        Distributions.MultiCategorical.LogProbability(_logProbabilities, mask, _multiActions, _actionLogProbabilities, CategoryCounts);
        Distributions.MultiCategorical.Entropy(_logProbabilities, _probabilities, _entropy, CategoryCounts);
        Distributions.MultiCategorical.Backward(_logProbabilities, _probabilities, _multiActions, _logProbabilityGradient, _entropyGradient, _logitsGradient, CategoryCounts);
    }

    /// <summary>Masks with each flag invalid with probability 1/3 (the first category kept valid when all were drawn invalid), and one valid action per component.</summary>
    private (bool[] Mask, float[] Actions) MasksAndValidActions(SeededRandom random, int[] counts)
    {
        int width = counts.Sum();
        bool[] mask = new bool[BatchSize * width];
        float[] actions = new float[BatchSize * counts.Length];
        for (int r = 0; r < BatchSize; r++)
        {
            int offset = r * width;
            for (int c = 0; c < counts.Length; offset += counts[c], c++)
            {
                Span<bool> component = mask.AsSpan(offset, counts[c]);
                for (int i = 0; i < component.Length; i++)
                    component[i] = random.NextFloat() >= 1f / 3;
                if (!component.Contains(true))
                    component[0] = true;
                int action;
                do
                    action = random.NextInt(counts[c]);
                while (!component[action]);
                actions[r * counts.Length + c] = action;
            }
        }

        return (mask, actions);
    }
}
