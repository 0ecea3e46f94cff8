using BenchmarkDotNet.Attributes;
using Ppo.Losses;
using Ppo.Randomness;

namespace Ppo.Benchmarks;

/// <summary>
/// The PPO loss kernels on one minibatch, each returning the loss, its diagnostics and the gradient with respect to the
/// network outputs: separately, and fused into one pass by <see cref="PpoLoss"/>.
/// </summary>
[MemoryDiagnoser]
public class LossBenchmarks
{
    private const float ClipRange = 0.2f;
    private const float ValueClipRange = 0.2f;
    private static readonly PpoLossSettings Settings = new(ClipRange, ValueClipRange: null, NormalizeAdvantage: true, EntropyCoefficient: 0.01f, ValueCoefficient: 0.5f);

    private float[] _newLogProbabilities = [];
    private float[] _oldLogProbabilities = [];
    private float[] _advantages = [];
    private float[] _values = [];
    private float[] _oldValues = [];
    private float[] _returns = [];
    private float[] _entropy = [];
    private float[] _logProbabilityGradient = [];
    private float[] _valueGradient = [];
    private float[] _entropyGradient = [];

    [Params(64, 256, 2048)]
    public int BatchSize { get; set; } = 64;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(BenchmarkData.Seed);
        _newLogProbabilities = BenchmarkData.Uniform(random, BatchSize, -2f, -0.1f);
        _oldLogProbabilities = new float[BatchSize];
        for (int i = 0; i < BatchSize; i++)
            _oldLogProbabilities[i] = _newLogProbabilities[i] + random.NextUniform(-0.3f, 0.3f);
        _advantages = BenchmarkData.Uniform(random, BatchSize, -2f, 2f);
        _values = BenchmarkData.Uniform(random, BatchSize);
        _oldValues = new float[BatchSize];
        for (int i = 0; i < BatchSize; i++)
            _oldValues[i] = _values[i] + random.NextUniform(-0.4f, 0.4f);
        _returns = BenchmarkData.Uniform(random, BatchSize);
        _entropy = BenchmarkData.Uniform(random, BatchSize, 0.5f, 1.4f);
        _logProbabilityGradient = new float[BatchSize];
        _valueGradient = new float[BatchSize];
        _entropyGradient = new float[BatchSize];
    }

    [Benchmark]
    public ClippedSurrogateResult ClippedSurrogateLoss() =>
        ClippedSurrogate.Compute(_newLogProbabilities, _oldLogProbabilities, _advantages, ClipRange, normalizeAdvantage: true, _logProbabilityGradient);

    [Benchmark]
    public float ValueLossPlain() => ValueLoss.Compute(_values, _returns, _valueGradient);

    [Benchmark]
    public float ValueLossClipped() => ValueLoss.ComputeClipped(_values, _oldValues, _returns, ValueClipRange, _valueGradient);

    [Benchmark]
    public float Entropy() => EntropyLoss.Compute(_entropy, _entropyGradient);

    [Benchmark]
    public PpoLossResult Fused() =>
        PpoLoss.Compute(
            _newLogProbabilities, _oldLogProbabilities, _advantages, _values, _oldValues, _returns, _entropy,
            Settings, _logProbabilityGradient, _valueGradient, _entropyGradient);
}
