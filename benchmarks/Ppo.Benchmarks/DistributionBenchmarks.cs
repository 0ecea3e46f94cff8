using BenchmarkDotNet.Attributes;
using Ppo.Distributions;
using Ppo.Randomness;

namespace Ppo.Benchmarks;

/// <summary>
/// The action-distribution heads of the training pass on one minibatch: everything from the network output to the
/// gradient with respect to it.
/// </summary>
[MemoryDiagnoser]
public class DistributionBenchmarks
{
    private const int ClassCount = 4;
    private const int GaussianSize = 2;

    private float[] _logits = [];
    private float[] _logProbabilities = [];
    private float[] _probabilities = [];
    private float[] _discreteActions = [];
    private float[] _actionLogProbabilities = [];
    private float[] _entropy = [];
    private float[] _logProbabilityGradient = [];
    private float[] _entropyGradient = [];
    private float[] _logitsGradient = [];

    private float[] _mean = [];
    private float[] _logStandardDeviation = [];
    private float[] _continuousActions = [];
    private float[] _meanGradient = [];
    private float[] _logStandardDeviationGradient = [];

    [Params(64, 256, 2048)]
    public int BatchSize { get; set; } = 64;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(BenchmarkData.Seed);
        _logits = BenchmarkData.Uniform(random, BatchSize * ClassCount, -2f, 2f);
        _logProbabilities = new float[BatchSize * ClassCount];
        _probabilities = new float[BatchSize * ClassCount];
        _discreteActions = BenchmarkData.Actions(random, BatchSize, ClassCount);
        _actionLogProbabilities = new float[BatchSize];
        _entropy = new float[BatchSize];
        _logProbabilityGradient = BenchmarkData.Uniform(random, BatchSize, -0.01f, 0.01f);
        _entropyGradient = new float[BatchSize];
        Array.Fill(_entropyGradient, -0.01f / BatchSize);
        _logitsGradient = new float[BatchSize * ClassCount];

        _mean = BenchmarkData.Uniform(random, BatchSize * GaussianSize);
        _logStandardDeviation = BenchmarkData.Uniform(random, GaussianSize, -0.5f, 0f);
        _continuousActions = BenchmarkData.Uniform(random, BatchSize * GaussianSize, -1.5f, 1.5f);
        _meanGradient = new float[BatchSize * GaussianSize];
        _logStandardDeviationGradient = new float[GaussianSize];
    }

    /// <summary>Categorical(4): normalize the logits, log-probability of the taken actions, entropy, and the logits gradient.</summary>
    [Benchmark]
    public void CategoricalHead()
    {
        Categorical.Normalize(_logits, _logProbabilities, _probabilities, BatchSize, ClassCount);
        Categorical.LogProbability(_logProbabilities, _discreteActions, _actionLogProbabilities, ClassCount);
        Categorical.Entropy(_logProbabilities, _probabilities, _entropy, ClassCount);
        Categorical.Backward(_logProbabilities, _probabilities, _entropy, _discreteActions, _logProbabilityGradient, _entropyGradient, _logitsGradient, ClassCount);
    }

    /// <summary>DiagonalGaussian(2): log-probability of the taken actions, entropy, and the mean and log-std gradients.</summary>
    [Benchmark]
    public float DiagonalGaussianHead()
    {
        DiagonalGaussian.LogProbability(_mean, _logStandardDeviation, _continuousActions, _actionLogProbabilities);
        float entropy = DiagonalGaussian.Entropy(_logStandardDeviation);
        DiagonalGaussian.Backward(_mean, _logStandardDeviation, _continuousActions, _logProbabilityGradient, _entropyGradient, _meanGradient, _logStandardDeviationGradient);
        return entropy;
    }
}
