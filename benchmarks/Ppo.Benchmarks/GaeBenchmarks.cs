using System.Globalization;
using BenchmarkDotNet.Attributes;
using Ppo.Randomness;
using Ppo.Rollouts;

namespace Ppo.Benchmarks;

/// <summary>Generalized advantage estimation over a whole rollout of <c>steps × environments</c>.</summary>
[MemoryDiagnoser]
public class GaeBenchmarks
{
    private const float Gamma = 0.99f;
    private const float Lambda = 0.95f;
    private const float EpisodeEndProbability = 0.01f;

    private float[] _rewards = [];
    private float[] _values = [];
    private float[] _dones = [];
    private float[] _lastValues = [];
    private float[] _advantages = [];
    private float[] _returns = [];
    private int _environmentCount;

    /// <summary>The rollout size as <c>steps x environments</c>.</summary>
    [Params("32x8", "1024x16", "2048x8", "2048x64")]
    public string Shape { get; set; } = "2048x8";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('x');
        int steps = int.Parse(parts[0], CultureInfo.InvariantCulture);
        _environmentCount = int.Parse(parts[1], CultureInfo.InvariantCulture);
        int length = steps * _environmentCount;

        var random = new SeededRandom(BenchmarkData.Seed);
        _rewards = BenchmarkData.Uniform(random, length);
        _values = BenchmarkData.Uniform(random, length);
        _dones = BenchmarkData.Flags(random, length, EpisodeEndProbability);
        _lastValues = BenchmarkData.Uniform(random, _environmentCount);
        _advantages = new float[length];
        _returns = new float[length];
    }

    [Benchmark]
    public void Compute() =>
        Gae.Compute(_rewards, _values, _dones, _lastValues, _environmentCount, Gamma, Lambda, _advantages, _returns);
}
