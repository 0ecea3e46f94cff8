using Ppo.Distributions;
using Ppo.Environments;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>
/// An action distribution on torch tensors, parameterized by the policy head's output: the same distributions and
/// formulas as the managed engine's, differentiable by autograd.
/// </summary>
/// <remarks>
/// Actions travel as float rows of <see cref="ActionSize"/> columns, as the rollout buffer keeps them. Every method takes
/// a batch: the head output is <c>[B, NetworkOutputSize]</c>, per-row results are <c>[B]</c>.
/// </remarks>
public abstract class TorchDistribution : nn.Module
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">The module name.</param>
    protected TorchDistribution(string name)
        : base(name)
    {
    }

    /// <summary>Gets the number of columns the policy head must produce.</summary>
    public abstract int NetworkOutputSize { get; }

    /// <summary>Gets the number of floats one action occupies.</summary>
    public abstract int ActionSize { get; }

    /// <summary>Gets the number of floats that describe one row's distribution (what KL penalties compare).</summary>
    public abstract int DistributionParameterSize { get; }

    /// <summary>
    /// Gets the number of flags in one action mask (<see cref="ActionMasks.Length"/> of the action space), or 0 when
    /// the distribution cannot be masked.
    /// </summary>
    public virtual int ActionMaskLength => 0;

    /// <summary>Creates the distribution the managed engine uses for <paramref name="actionSpace"/>.</summary>
    /// <param name="actionSpace">A <see cref="DiscreteSpace"/> (categorical), a <see cref="BoxSpace"/> (diagonal Gaussian), a <see cref="MultiDiscreteSpace"/> (a product of categoricals) or a <see cref="MultiBinarySpace"/> (Bernoulli flags).</param>
    /// <param name="logStdInit">The initial log standard deviation of a Gaussian.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentException">The action space is none of these.</exception>
    public static TorchDistribution For(Space actionSpace, float logStdInit = 0f)
    {
        ArgumentNullException.ThrowIfNull(actionSpace);
        return actionSpace switch
        {
            DiscreteSpace discrete => new TorchCategorical(discrete.Count),
            BoxSpace box => new TorchDiagonalGaussian(box.Size, logStdInit),
            MultiDiscreteSpace multiDiscrete => new TorchMultiCategorical(multiDiscrete.CategoryCounts),
            MultiBinarySpace multiBinary => new TorchBernoulli(multiBinary.Size),
            _ => throw new ArgumentException($"Action space {actionSpace} is not supported; use a DiscreteSpace, BoxSpace, MultiDiscreteSpace or MultiBinarySpace.", nameof(actionSpace)),
        };
    }

    /// <summary>
    /// Restricts each row to its valid actions, as the managed engine's <see cref="MaskedCategorical"/> does: the head
    /// outputs of invalid actions become <see cref="MaskedCategorical.MaskedLogit"/>, so that they get probability
    /// exactly 0, no entropy and no gradient. Every other method then takes the result as its head output.
    /// </summary>
    /// <param name="headOutput">The policy head's output, <c>[B, NetworkOutputSize]</c>.</param>
    /// <param name="actionMasks">The masks, <c>[B, ActionMaskLength]</c> booleans, <see langword="true"/> for a valid action.</param>
    /// <returns>The masked head output, differentiable with respect to <paramref name="headOutput"/>.</returns>
    /// <exception cref="NotSupportedException">The distribution cannot be masked (<see cref="ActionMaskLength"/> is 0).</exception>
    public Tensor ApplyMask(Tensor headOutput, Tensor actionMasks)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        ArgumentNullException.ThrowIfNull(actionMasks);
        if (ActionMaskLength == 0)
            throw new NotSupportedException($"{GetType().Name} cannot be masked; action masks need a Discrete or MultiDiscrete action space.");
        using Tensor invalid = actionMasks.logical_not();
        return headOutput.masked_fill(invalid, MaskedCategorical.MaskedLogit);
    }

    /// <summary>Computes the log-probability of each row's action.</summary>
    /// <param name="headOutput">The policy head's output, <c>[B, NetworkOutputSize]</c>.</param>
    /// <param name="actions">The actions, <c>[B, ActionSize]</c>.</param>
    /// <returns>The log-probabilities, <c>[B]</c>.</returns>
    public abstract Tensor LogProbabilities(Tensor headOutput, Tensor actions);

    /// <summary>Computes the entropy of each row's distribution.</summary>
    /// <param name="headOutput">The policy head's output, <c>[B, NetworkOutputSize]</c>.</param>
    /// <returns>The entropies, <c>[B]</c>.</returns>
    public abstract Tensor Entropy(Tensor headOutput);

    /// <summary>Draws one action per row.</summary>
    /// <param name="headOutput">The policy head's output, <c>[B, NetworkOutputSize]</c>.</param>
    /// <param name="generator">The seeded generator that draws the actions.</param>
    /// <returns>The actions, <c>[B, ActionSize]</c>, as floats.</returns>
    public abstract Tensor Sample(Tensor headOutput, Generator generator);

    /// <summary>Takes the most probable action of each row.</summary>
    /// <param name="headOutput">The policy head's output, <c>[B, NetworkOutputSize]</c>.</param>
    /// <returns>The actions, <c>[B, ActionSize]</c>, as floats.</returns>
    public abstract Tensor Mode(Tensor headOutput);

    /// <summary>Describes each row's distribution in the managed engine's layout (logits, masked ones when masked; or mean, then log standard deviation).</summary>
    /// <param name="headOutput">The policy head's output, <c>[B, NetworkOutputSize]</c>.</param>
    /// <returns>The parameters, <c>[B, DistributionParameterSize]</c>.</returns>
    /// <remarks>By default a detached copy of the head's output: the logits of the categorical, multi-categorical and
    /// Bernoulli distributions. A distribution with parameters of its own (a learned standard deviation) overrides it.</remarks>
    public virtual Tensor DistributionParameters(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        return headOutput.detach().clone();
    }

    /// <summary>Computes KL(π_old ‖ π) of each row, the old distributions given by their parameters.</summary>
    /// <param name="oldDistributionParameters">The old parameters, <c>[B, DistributionParameterSize]</c> (constants).</param>
    /// <param name="headOutput">The current policy head's output, <c>[B, NetworkOutputSize]</c>.</param>
    /// <returns>The divergences, <c>[B]</c>.</returns>
    public abstract Tensor KlDivergence(Tensor oldDistributionParameters, Tensor headOutput);
}
