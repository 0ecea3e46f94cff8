using BenchmarkDotNet.Attributes;
using Ppo.Environments;
using Ppo.Randomness;

namespace Ppo.TorchSharp.Benchmarks;

/// <summary>
/// The rollout step of the TorchSharp learner on 8 observations (one per environment): copy in, forward under
/// <c>no_grad</c>, sample, and copy actions, log-probabilities and values out; as the managed engine's
/// <c>InferenceBenchmarks</c> (observation size 8, <c>Discrete(4)</c>, [64, 64]).
/// </summary>
[MemoryDiagnoser]
public class TorchSharpInferenceBenchmarks
{
    private const int Rows = 8;
    private readonly float[] _actions = new float[Rows];
    private readonly float[] _logProbabilities = new float[Rows];
    private readonly float[] _values = new float[Rows];
    private readonly SeededRandom _random = new(1);
    private TorchSharpLearner _learner = null!;
    private float[] _observations = [];

    /// <summary>Gets or sets libtorch's thread count (<c>torch.set_num_threads</c>).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _learner = new TorchSharpLearner(TorchPolicies.Mlp(new BoxSpace(-1f, 1f, 8), new DiscreteSpace(4), seed: 1), new TorchSharpOptions { Threads = Threads });
        _learner.Reserve(Rows, 64);
        _observations = BenchmarkData.Uniform(new SeededRandom(2), Rows * 8, -1f, 1f);
    }

    [GlobalCleanup]
    public void Cleanup() => _learner.Dispose();

    /// <summary>Act on 8 observations.</summary>
    [Benchmark]
    public float Act8()
    {
        _learner.Act(_observations, _random, _actions, _logProbabilities, _values, []);
        return _values[0];
    }
}
