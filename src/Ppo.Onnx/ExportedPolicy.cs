using Ppo.Training;
using Ppo.Environments;
using Ppo.Networks;
using Ppo.Policies;

namespace Ppo.Onnx;

/// <summary>
/// Everything the exporter reads from a <see cref="TrainedPolicy"/>, copied out once: the layers of the shared trunk,
/// actor and critic, the kind of action distribution, the action bounds and the observation normalizer's statistics.
/// </summary>
/// <remarks>This is the only type that looks inside the policy; the graph is built from this description alone.</remarks>
internal sealed class ExportedPolicy
{
    private ExportedPolicy(TrainedPolicy policy)
    {
        var network = (ActorCritic)policy.Policy;
        ObservationSize = network.ObservationSize;
        SharedTrunk = network.SharedTrunk is Mlp trunk ? ReadLayers(trunk) : [];
        PolicyNetwork = ReadLayers(network.PolicyNetwork);
        ValueNetwork = ReadLayers(network.ValueNetwork);
        LogStandardDeviation = network.LogStandardDeviation?.Value.ToArray();
        switch (network.ActionSpace)
        {
            case DiscreteSpace discrete:
                ActionCount = discrete.Count;
                break;
            case BoxSpace box:
                ActionLow = box.Low.ToArray();
                ActionHigh = box.High.ToArray();
                break;
            default:
                throw new ArgumentException($"Action space {network.ActionSpace} cannot be exported; use a DiscreteSpace or a BoxSpace.", nameof(policy));
        }

        if (policy.ObservationNormalizer is ObservationNormalizer normalizer)
        {
            ReadOnlySpan<double> mean = normalizer.Statistics.Mean, variance = normalizer.Statistics.Variance;
            float[] roundedMean = new float[mean.Length], standardDeviation = new float[variance.Length];
            for (int i = 0; i < mean.Length; i++)
            {
                roundedMean[i] = (float)mean[i];
                standardDeviation[i] = (float)Math.Sqrt(variance[i] + normalizer.Epsilon);
            }

            Normalization = new ObservationNormalization(roundedMean, standardDeviation, normalizer.Clip);
        }
    }

    /// <summary>Gets the number of floats in an observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Gets the layers shared by the actor and the critic (empty when they share none).</summary>
    public IReadOnlyList<DenseLayer> SharedTrunk { get; }

    /// <summary>Gets the actor's layers; the last one outputs the logits or the mean.</summary>
    public IReadOnlyList<DenseLayer> PolicyNetwork { get; }

    /// <summary>Gets the critic's layers; the last one outputs the value.</summary>
    public IReadOnlyList<DenseLayer> ValueNetwork { get; }

    /// <summary>Gets the number of discrete actions, or 0 for a continuous action space.</summary>
    public int ActionCount { get; }

    /// <summary>Gets the lower bounds of a continuous action space, or <see langword="null"/> for a discrete one.</summary>
    public float[]? ActionLow { get; }

    /// <summary>Gets the upper bounds of a continuous action space, or <see langword="null"/> for a discrete one.</summary>
    public float[]? ActionHigh { get; }

    /// <summary>Gets the learned log standard deviation of a Gaussian policy, or <see langword="null"/> for a discrete one.</summary>
    public float[]? LogStandardDeviation { get; }

    /// <summary>Gets the observation normalization applied before the network, or <see langword="null"/> for none.</summary>
    public ObservationNormalization? Normalization { get; }

    /// <summary>Gets a value indicating whether actions are discrete.</summary>
    public bool IsDiscrete => ActionCount > 0;

    /// <summary>Copies the description out of <paramref name="policy"/>.</summary>
    /// <param name="policy">The policy to export.</param>
    /// <returns>The description.</returns>
    /// <exception cref="ArgumentException">The policy is not the managed engine's <see cref="ActorCritic"/>, or its action space is neither discrete nor a box.</exception>
    public static ExportedPolicy From(TrainedPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Policy is not ActorCritic)
            throw new ArgumentException($"Only policies of the managed engine ({nameof(ActorCritic)}) can be exported; this one is a {policy.Policy.GetType().Name}.", nameof(policy));
        return new ExportedPolicy(policy);
    }

    private static DenseLayer[] ReadLayers(Mlp network)
    {
        var layers = new List<DenseLayer>();
        IReadOnlyList<ILayer> all = network.Layers;
        for (int i = 0; i < all.Count; i++)
        {
            if (all[i] is not Linear linear)
                throw new ArgumentException($"Layer {i} of the network is a {all[i].GetType().Name} where a Linear layer was expected.", nameof(network));
            ActivationFunction? activation = null;
            if (i + 1 < all.Count && all[i + 1] is ActivationLayer activationLayer)
            {
                activation = activationLayer.Function;
                i++;
            }

            layers.Add(new DenseLayer(linear.Weight.Value.ToArray(), linear.Bias.Value.ToArray(), linear.InputSize, linear.OutputSize, activation));
        }

        return [.. layers];
    }
}
