using Ppo.Environments;
using Ppo.Networks;
using Ppo.Policies;
using Ppo.Randomness;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>The actor-critics Stable-Baselines3 names <c>MlpPolicy</c> and <c>CnnPolicy</c>, as TorchSharp modules.</summary>
public static class TorchPolicies
{
    /// <summary>
    /// Builds Stable-Baselines3's <c>MlpPolicy</c> (by default separate [64, 64] tanh networks for the actor and the
    /// critic, orthogonal initialization with gains √2, 0.01 and 1, zero biases) from the same architecture options as
    /// the managed engine. For the same options and seed, the weights equal the managed <see cref="ActorCritic"/>'s.
    /// </summary>
    /// <param name="observationSpace">The observation space; its elements are taken flat.</param>
    /// <param name="actionSpace">A <see cref="DiscreteSpace"/> or a <see cref="BoxSpace"/>.</param>
    /// <param name="options">The architecture, or <see langword="null"/> for the defaults.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <returns>The actor-critic, on the CPU.</returns>
    /// <exception cref="ArgumentException">The options are invalid or the action space is not supported.</exception>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded.</exception>
    public static TorchActorCritic Mlp(BoxSpace observationSpace, Space actionSpace, ActorCriticOptions? options = null, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ActorCriticOptions architecture = (options ?? new ActorCriticOptions()).Validate();
        TorchRuntime.EnsureLoaded();
        TorchDistribution distribution = TorchDistribution.For(actionSpace, architecture.LogStdInit);

        int featureSize = observationSpace.Size;
        nn.Module<Tensor, Tensor> extractor = architecture.SharedHiddenSizes.Count == 0
            ? nn.Identity()
            : Sequential(featureSize, architecture.SharedHiddenSizes, null, architecture.Activation);
        if (architecture.SharedHiddenSizes.Count > 0)
            featureSize = architecture.SharedHiddenSizes[^1];
        nn.Module<Tensor, Tensor> policy = Sequential(featureSize, architecture.PolicyHiddenSizes, distribution.NetworkOutputSize, architecture.Activation);
        nn.Module<Tensor, Tensor> value = Sequential(featureSize, architecture.ValueHiddenSizes, 1, architecture.Activation);

        var random = new SeededRandom(seed);
        if (architecture.OrthogonalInitialization)
        {
            const double HiddenGain = 1.4142135623730951; // √2
            TorchInitialization.Orthogonal(extractor, HiddenGain, HiddenGain, random);
            TorchInitialization.Orthogonal(policy, HiddenGain, 0.01, random);
            TorchInitialization.Orthogonal(value, HiddenGain, 1.0, random);
        }
        else
        {
            TorchInitialization.Uniform(extractor, random);
            TorchInitialization.Uniform(policy, random);
            TorchInitialization.Uniform(value, random);
        }

        return new TorchActorCritic(observationSpace, actionSpace, extractor, policy, value, distribution);
    }

    /// <summary>
    /// Builds Stable-Baselines3's <c>CnnPolicy</c>: a <see cref="NatureCnn"/> extractor shared by a linear policy head
    /// and a linear value head, orthogonal initialization with gains √2 (extractor), 0.01 (policy) and 1 (value), zero
    /// biases.
    /// </summary>
    /// <param name="observationSpace">A rank-3 box of <c>[channels, height, width]</c>.</param>
    /// <param name="actionSpace">A <see cref="DiscreteSpace"/> or a <see cref="BoxSpace"/>.</param>
    /// <param name="featuresDimension">The number of features the extractor produces; at least 1.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <param name="logStdInit">The initial log standard deviation of a Gaussian policy.</param>
    /// <returns>The actor-critic, on the CPU.</returns>
    /// <exception cref="ArgumentException">The observation space is not of rank 3, or the action space is not supported.</exception>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded.</exception>
    public static TorchActorCritic Cnn(BoxSpace observationSpace, Space actionSpace, int featuresDimension = 512, ulong seed = 0, float logStdInit = 0f)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featuresDimension);
        if (observationSpace.Rank != 3)
            throw new ArgumentException($"A CNN policy needs image observations of shape [channels, height, width]; {observationSpace} has rank {observationSpace.Rank}.", nameof(observationSpace));
        TorchRuntime.EnsureLoaded();
        ReadOnlySpan<int> shape = observationSpace.Shape;
        TorchDistribution distribution = TorchDistribution.For(actionSpace, logStdInit);
        var extractor = new NatureCnn(shape[0], shape[1], shape[2], featuresDimension);
        var policy = nn.Linear(featuresDimension, distribution.NetworkOutputSize);
        var value = nn.Linear(featuresDimension, 1);

        var random = new SeededRandom(seed);
        const double HiddenGain = 1.4142135623730951; // √2
        TorchInitialization.Orthogonal(extractor, HiddenGain, HiddenGain, random);
        TorchInitialization.Orthogonal(policy, 0.01, 0.01, random);
        TorchInitialization.Orthogonal(value, 1.0, 1.0, random);
        return new TorchActorCritic(observationSpace, actionSpace, extractor, policy, value, distribution);
    }

    private static nn.Module<Tensor, Tensor> Sequential(int inputSize, IReadOnlyList<int> hiddenSizes, int? outputSize, ActivationFunction activation)
    {
        var modules = new List<nn.Module<Tensor, Tensor>>();
        int width = inputSize;
        foreach (int size in hiddenSizes)
        {
            modules.Add(nn.Linear(width, size));
            modules.Add(activation == ActivationFunction.Relu ? nn.ReLU() : nn.Tanh());
            width = size;
        }

        if (outputSize is int output)
            modules.Add(nn.Linear(width, output));
        return nn.Sequential(modules);
    }
}
