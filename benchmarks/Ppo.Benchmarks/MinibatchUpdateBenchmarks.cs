using BenchmarkDotNet.Attributes;
using Ppo.Environments;
using Ppo.Losses;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Rollouts;
using Ppo.Training;

namespace Ppo.Benchmarks;

/// <summary>
/// One complete PPO minibatch step of <see cref="ManagedLearner"/> for observation size 8 and <c>Discrete(4)</c>
/// with separate actor and critic networks: evaluate the policy, fused loss, backward, global gradient clipping and an
/// Adam step (the gather from the rollout buffer is not included), on one core and with the actor and the critic on
/// the two cores.
/// </summary>
[MemoryDiagnoser]
public class MinibatchUpdateBenchmarks
{
    private const int ObservationSize = 8;
    private const int ActionCount = 4;
    private const float MaxGradientNorm = 0.5f;
    private const float LearningRate = 3e-4f;
    private static readonly PpoLossSettings Settings = new(ClipRange: 0.2f, ValueClipRange: null, NormalizeAdvantage: true, EntropyCoefficient: 0.01f, ValueCoefficient: 0.5f);

    private ManagedLearner _learner = null!;
    private Minibatch _minibatch = null!;

    /// <summary>Gets or sets the number of threads: 1 computes the actor and the critic one after the other, 2 side by side (each network zeroing, clipping and stepping its own parameters on its own thread).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup(Target = nameof(Hidden64Batch64))]
    public void SetupSmall() => Setup(hidden: 64, batchSize: 64);

    [GlobalSetup(Target = nameof(Hidden256Batch2048))]
    public void SetupLarge() => Setup(hidden: 256, batchSize: 2048);

    /// <summary>Actor and critic [64, 64], minibatch 64 (Stable-Baselines3's defaults).</summary>
    [Benchmark]
    public float Hidden64Batch64() => Step();

    /// <summary>Actor and critic [256, 256], minibatch 2048.</summary>
    [Benchmark]
    public float Hidden256Batch2048() => Step();

    private float Step()
    {
        _learner.ComputeLoss(_minibatch, Settings);
        return _learner.ApplyGradients(MaxGradientNorm, LearningRate);
    }

    private void Setup(int hidden, int batchSize)
    {
        var options = new ActorCriticOptions { PolicyHiddenSizes = [hidden, hidden], ValueHiddenSizes = [hidden, hidden] };
        var policy = new ActorCritic(ObservationSize, new DiscreteSpace(ActionCount), options, seed: BenchmarkData.Seed) { ParallelBranches = Threads == 2 };
        _learner = new ManagedLearner(policy);
        _learner.Reserve(maxActRows: 1, maxMinibatchRows: batchSize);
        _minibatch = new Minibatch(batchSize, ObservationSize, actionSize: 1);

        var random = new SeededRandom(BenchmarkData.Seed);
        float[] observations = BenchmarkData.Uniform(random, batchSize * ObservationSize);
        float[] actions = BenchmarkData.Actions(random, batchSize, ActionCount);
        float uniformLogProbability = -MathF.Log(ActionCount);
        float[] oldLogProbabilities = BenchmarkData.Uniform(random, batchSize, uniformLogProbability - 0.1f, uniformLogProbability + 0.1f);
        float[] advantages = BenchmarkData.Uniform(random, batchSize, -2f, 2f);
        float[] returns = BenchmarkData.Uniform(random, batchSize);
        float[] oldValues = BenchmarkData.Uniform(random, batchSize);
        _minibatch.CopyFrom(observations, actions, oldLogProbabilities, advantages, returns, oldValues);
    }
}
