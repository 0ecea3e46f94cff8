using BenchmarkDotNet.Attributes;
using Ppo.Environments;
using Ppo.Losses;
using Ppo.Policies;
using Ppo.Rollouts;

namespace Ppo.TorchSharp.Benchmarks;

/// <summary>
/// One PPO minibatch step of the TorchSharp learner, as the trainer takes it: copy the minibatch's columns into torch
/// tensors, forward, the loss with autograd, backward, <c>clip_grad_norm_</c> and an Adam step, on one libtorch thread
/// and on two. The MLP cases match the managed engine's <c>MinibatchUpdateBenchmarks</c> (observation size 8,
/// <c>Discrete(4)</c>); the CNN case is the sample's Breakout policy on its 4×10×10 observations.
/// </summary>
[MemoryDiagnoser]
public class TorchSharpUpdateBenchmarks
{
    private static readonly PpoLossSettings Settings = new(ClipRange: 0.2f, ValueClipRange: null, NormalizeAdvantage: true, EntropyCoefficient: 0.01f, ValueCoefficient: 0.5f);

    private TorchSharpLearner _learner = null!;
    private Minibatch _minibatch = null!;

    /// <summary>Gets or sets libtorch's thread count (<c>torch.set_num_threads</c>).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup(Target = nameof(Hidden64Batch64))]
    public void SetupSmall() => SetupMlp(hidden: 64, batchSize: 64);

    [GlobalSetup(Target = nameof(Hidden256Batch2048))]
    public void SetupLarge() => SetupMlp(hidden: 256, batchSize: 2048);

    [GlobalSetup(Target = nameof(CnnBreakoutBatch256))]
    public void SetupCnn()
    {
        var observationSpace = new BoxSpace(0f, 1f, [4, 10, 10]);
        Setup(TorchPolicies.Cnn(observationSpace, new DiscreteSpace(3), seed: 1), batchSize: 256, actionCount: 3, binaryObservations: true);
    }

    [GlobalCleanup]
    public void Cleanup() => _learner.Dispose();

    /// <summary>Actor and critic [64, 64], minibatch 64 (Stable-Baselines3's defaults).</summary>
    [Benchmark]
    public float Hidden64Batch64() => Step();

    /// <summary>Actor and critic [256, 256], minibatch 2048.</summary>
    [Benchmark]
    public float Hidden256Batch2048() => Step();

    /// <summary>The Nature CNN fitted to 10×10 (three 3×3 convolutions, 512 features), minibatch 256.</summary>
    [Benchmark]
    public float CnnBreakoutBatch256() => Step();

    private float Step()
    {
        _learner.ComputeLoss(_minibatch, Settings);
        return _learner.ApplyGradients(0.5f, 3e-4f);
    }

    private void SetupMlp(int hidden, int batchSize)
    {
        var options = new ActorCriticOptions { PolicyHiddenSizes = [hidden, hidden], ValueHiddenSizes = [hidden, hidden] };
        Setup(TorchPolicies.Mlp(new BoxSpace(-1f, 1f, 8), new DiscreteSpace(4), options, seed: 1), batchSize, actionCount: 4, binaryObservations: false);
    }

    private void Setup(TorchActorCritic network, int batchSize, int actionCount, bool binaryObservations)
    {
        _learner = new TorchSharpLearner(network, new TorchSharpOptions { Threads = Threads });
        _learner.Reserve(8, batchSize);
        _minibatch = BenchmarkData.Minibatch(network.ObservationSize, batchSize, actionCount, binaryObservations);
    }
}
