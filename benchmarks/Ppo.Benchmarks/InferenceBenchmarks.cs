using BenchmarkDotNet.Attributes;
using Ppo.Environments;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Benchmarks;

/// <summary>
/// Policy inference for a batch of 8 observations (observation size 8, <c>Discrete(4)</c>, actor and critic [64, 64]),
/// on one core and with the actor and the critic on the two cores.
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private const int ObservationSize = 8;
    private const int ActionCount = 4;
    private const int RowCount = 8;

    private ActorCritic _policy = null!;
    private SeededRandom _random = null!;
    private Tensor _observations = null!;
    private Tensor _actions = null!;
    private Tensor _logProbabilities = null!;
    private Tensor _values = null!;
    private float[] _observationArray = [];
    private float[] _actionArray = [];

    /// <summary>Gets or sets the number of threads: 1 computes the actor and the critic one after the other, 2 side by side.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _policy = new ActorCritic(ObservationSize, new DiscreteSpace(ActionCount), seed: BenchmarkData.Seed) { ParallelBranches = Threads == 2 };
        _policy.Resize(RowCount);
        _random = new SeededRandom(BenchmarkData.Seed);
        _observationArray = BenchmarkData.Uniform(_random, RowCount * ObservationSize);
        _observations = Tensor.FromValues(_observationArray, RowCount, ObservationSize);
        _actions = Tensor.Zeros(RowCount, 1);
        _logProbabilities = Tensor.Zeros(RowCount);
        _values = Tensor.Zeros(RowCount);
        _actionArray = new float[RowCount];
        _policy.Predict(_observationArray, _actionArray);
    }

    /// <summary>The rollout step: sampled actions, their log-probabilities and the values.</summary>
    [Benchmark]
    public void Act() => _policy.Act(_observations, RowCount, _random, deterministic: false, _actions, _logProbabilities, _values);

    /// <summary>The deployment API: checked observations in, the most probable actions out.</summary>
    [Benchmark]
    public void Predict() => _policy.Predict(_observationArray, _actionArray);
}
