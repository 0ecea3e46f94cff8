using TorchSharp;
using Ppo.Environments;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>
/// A PPO actor-critic made of TorchSharp modules: a feature extractor shared by both sides, a policy head whose output
/// parameterizes the action distribution, and a value head with one output, the state value (Stable-Baselines3's
/// <c>ActorCriticPolicy</c> with a shared features extractor).
/// </summary>
/// <remarks>
/// <para>Observations arrive flat, <c>[B, ObservationSpace.Size]</c> float32, as the rollout buffer stores them; an
/// extractor for images reshapes them itself (see <see cref="NatureCnn"/>). Any <c>Module&lt;Tensor, Tensor&gt;</c>
/// will do for each part: the constructor runs one observation through them and rejects sizes that do not fit.</para>
/// <para>The module's state (<c>state_dict</c>, <c>save</c>) names the parts <c>features_extractor</c>,
/// <c>policy_head</c>, <c>value_head</c> and <c>distribution</c>.</para>
/// </remarks>
public sealed class TorchActorCritic : nn.Module
{
    /// <summary>Assembles the actor-critic and checks that its parts fit together.</summary>
    /// <param name="observationSpace">The observation space; its <see cref="BoxSpace.Size"/> floats form one input row.</param>
    /// <param name="actionSpace">The action space; must match <paramref name="distribution"/>.</param>
    /// <param name="featureExtractor">Maps <c>[B, observation size]</c> to <c>[B, F]</c> features.</param>
    /// <param name="policyHead">Maps features to <c>[B, distribution.NetworkOutputSize]</c>.</param>
    /// <param name="valueHead">Maps features to <c>[B, 1]</c> values.</param>
    /// <param name="distribution">The action distribution, parameterized by the policy head.</param>
    /// <exception cref="ArgumentException">A part's output does not have the size the next part needs.</exception>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded.</exception>
    public TorchActorCritic(BoxSpace observationSpace, Space actionSpace, nn.Module<Tensor, Tensor> featureExtractor, nn.Module<Tensor, Tensor> policyHead, nn.Module<Tensor, Tensor> valueHead, TorchDistribution distribution)
        : base(nameof(TorchActorCritic))
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(featureExtractor);
        ArgumentNullException.ThrowIfNull(policyHead);
        ArgumentNullException.ThrowIfNull(valueHead);
        ArgumentNullException.ThrowIfNull(distribution);
        TorchRuntime.EnsureLoaded();
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        FeatureExtractor = featureExtractor;
        PolicyHead = policyHead;
        ValueHead = valueHead;
        Distribution = distribution;
        register_module("features_extractor", featureExtractor);
        register_module("policy_head", policyHead);
        register_module("value_head", valueHead);
        register_module("distribution", distribution);
        CheckParts();
    }

    /// <summary>Gets the observation space.</summary>
    public BoxSpace ObservationSpace { get; }

    /// <summary>Gets the action space.</summary>
    public Space ActionSpace { get; }

    /// <summary>Gets the feature extractor shared by the policy and value heads.</summary>
    public nn.Module<Tensor, Tensor> FeatureExtractor { get; }

    /// <summary>Gets the policy head, whose output parameterizes <see cref="Distribution"/>.</summary>
    public nn.Module<Tensor, Tensor> PolicyHead { get; }

    /// <summary>Gets the value head.</summary>
    public nn.Module<Tensor, Tensor> ValueHead { get; }

    /// <summary>Gets the action distribution.</summary>
    public TorchDistribution Distribution { get; }

    /// <summary>Gets the number of floats in one observation.</summary>
    public int ObservationSize => ObservationSpace.Size;

    /// <summary>Gets the number of floats one action occupies.</summary>
    public int ActionSize => Distribution.ActionSize;

    /// <summary>Runs the network: the policy head's output and the value of each observation.</summary>
    /// <param name="observations">The observations, <c>[B, ObservationSize]</c>.</param>
    /// <returns>The head output <c>[B, Distribution.NetworkOutputSize]</c> and the values <c>[B]</c>.</returns>
    public (Tensor HeadOutput, Tensor Values) Forward(Tensor observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        Tensor features = FeatureExtractor.call(observations);
        Tensor headOutput = PolicyHead.call(features);
        Tensor values = ValueHead.call(features).reshape(-1);
        return (headOutput, values);
    }

    /// <summary>Predicts the value of each observation.</summary>
    /// <param name="observations">The observations, <c>[B, ObservationSize]</c>.</param>
    /// <returns>The values, <c>[B]</c>.</returns>
    public Tensor PredictValues(Tensor observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        return ValueHead.call(FeatureExtractor.call(observations)).reshape(-1);
    }

    /// <summary>Checks action masks for <paramref name="rows"/> observations: their length, and a valid action in every component of every row.</summary>
    /// <param name="actionMasks">The masks, <c>rows × Distribution.ActionMaskLength</c> flags.</param>
    /// <param name="rows">The number of observations.</param>
    /// <exception cref="ArgumentException">The action space cannot be masked, the length is wrong, or a row (a component of one) has no valid action.</exception>
    internal void CheckActionMasks(ReadOnlySpan<bool> actionMasks, int rows)
    {
        int length = Distribution.ActionMaskLength;
        if (length == 0)
            throw new ArgumentException($"Action masks need a Discrete or MultiDiscrete action space (the policy acts in {ActionSpace}).", nameof(actionMasks));
        if (actionMasks.Length != rows * length)
            throw new ArgumentException($"actionMasks must hold {rows} masks of {length} flags (was {actionMasks.Length}).", nameof(actionMasks));
        for (int row = 0; row < rows; row++)
        {
            int component = ActionMasks.FindEmptyComponent(actionMasks.Slice(row * length, length), ActionSpace);
            if (component >= 0)
            {
                throw new ArgumentException(
                    ActionSpace is DiscreteSpace ? $"Row {row} of the mask has no valid action." : $"Component {component} of row {row} of the mask has no valid category.",
                    nameof(actionMasks));
            }
        }
    }

    private void CheckParts()
    {
        string? needed = ActionSpace switch
        {
            DiscreteSpace discrete => Distribution is TorchCategorical categorical && categorical.ClassCount == discrete.Count ? null : $"a TorchCategorical of {discrete.Count} classes",
            BoxSpace box => Distribution is TorchDiagonalGaussian gaussian && gaussian.Dimensions == box.Size ? null : $"a TorchDiagonalGaussian of {box.Size} dimensions",
            MultiDiscreteSpace multiDiscrete => Distribution is TorchMultiCategorical product && product.CategoryCounts.SequenceEqual(multiDiscrete.CategoryCounts)
                ? null
                : $"a TorchMultiCategorical of the category counts [{string.Join(", ", multiDiscrete.CategoryCounts.ToArray())}]",
            MultiBinarySpace multiBinary => Distribution is TorchBernoulli flags && flags.FlagCount == multiBinary.Size ? null : $"a TorchBernoulli of {multiBinary.Size} flags",
            _ => throw new ArgumentException($"Action space {ActionSpace} is not supported; use a DiscreteSpace, BoxSpace, MultiDiscreteSpace or MultiBinarySpace.", nameof(ActionSpace)),
        };
        if (needed is not null)
            throw new ArgumentException($"Action space {ActionSpace} needs {needed}.", nameof(Distribution));

        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGradient = no_grad();
        Device device = parameters().FirstOrDefault()?.device ?? CPU;
        Tensor observation = zeros(1, ObservationSize, device: device);
        Tensor features;
        try
        {
            features = FeatureExtractor.call(observation);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new ArgumentException($"The feature extractor cannot take an observation of {ObservationSize} floats ([1, {ObservationSize}]): {exception.Message}", nameof(FeatureExtractor), exception);
        }

        if (features.dim() != 2)
            throw new ArgumentException($"The feature extractor must return [B, F] features; it returned [{string.Join(", ", features.shape)}].", nameof(FeatureExtractor));
        CheckOutput(PolicyHead, features, Distribution.NetworkOutputSize, "policy head", nameof(PolicyHead));
        CheckOutput(ValueHead, features, 1, "value head", nameof(ValueHead));
    }

    private static void CheckOutput(nn.Module<Tensor, Tensor> head, Tensor features, int size, string what, string parameterName)
    {
        Tensor output;
        try
        {
            output = head.call(features);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new ArgumentException($"The {what} cannot take the extractor's [{string.Join(", ", features.shape)}] features: {exception.Message}", parameterName, exception);
        }

        if (output.dim() != 2 || output.shape[1] != size)
            throw new ArgumentException($"The {what} must return [B, {size}]; it returned [{string.Join(", ", output.shape)}].", parameterName);
    }
}
