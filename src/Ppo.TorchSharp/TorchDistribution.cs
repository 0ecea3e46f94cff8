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

    /// <summary>Creates the distribution the managed engine uses for <paramref name="actionSpace"/>.</summary>
    /// <param name="actionSpace">A <see cref="DiscreteSpace"/> (categorical) or a <see cref="BoxSpace"/> (diagonal Gaussian).</param>
    /// <param name="logStdInit">The initial log standard deviation of a Gaussian.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentException">The action space is neither.</exception>
    public static TorchDistribution For(Space actionSpace, float logStdInit = 0f)
    {
        ArgumentNullException.ThrowIfNull(actionSpace);
        return actionSpace switch
        {
            DiscreteSpace discrete => new TorchCategorical(discrete.Count),
            BoxSpace box => new TorchDiagonalGaussian(box.Size, logStdInit),
            _ => throw new ArgumentException($"Action space {actionSpace} is not supported; use a DiscreteSpace or a BoxSpace.", nameof(actionSpace)),
        };
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

    /// <summary>Describes each row's distribution in the managed engine's layout (logits; or mean, then log standard deviation).</summary>
    /// <param name="headOutput">The policy head's output, <c>[B, NetworkOutputSize]</c>.</param>
    /// <returns>The parameters, <c>[B, DistributionParameterSize]</c>.</returns>
    public abstract Tensor DistributionParameters(Tensor headOutput);

    /// <summary>Computes KL(π_old ‖ π) of each row, the old distributions given by their parameters.</summary>
    /// <param name="oldDistributionParameters">The old parameters, <c>[B, DistributionParameterSize]</c> (constants).</param>
    /// <param name="headOutput">The current policy head's output, <c>[B, NetworkOutputSize]</c>.</param>
    /// <returns>The divergences, <c>[B]</c>.</returns>
    public abstract Tensor KlDivergence(Tensor oldDistributionParameters, Tensor headOutput);
}
