using Ppo.Distributions;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>
/// Independent Bernoulli flags for a <c>MultiBinary</c> action space, one logit per flag from the policy head
/// (Stable-Baselines3's <c>BernoulliDistribution</c>); an action holds one 0 or 1 per flag.
/// </summary>
/// <remarks>
/// With <c>σ(z) = 1 / (1 + e⁻ᶻ)</c> and <c>softplus(z) = log(1 + eᶻ)</c>, as the managed engine's
/// <see cref="Bernoulli"/>: <c>log p(a) = Σ (a·z − softplus(z))</c>, <c>H = Σ (softplus(z) − z·σ(z))</c>,
/// <c>KL(old ‖ new) = Σ (σ(z_old)(z_old − z) + softplus(z) − softplus(z_old))</c>. A flag is 1 when a uniform draw falls
/// below <c>σ(z)</c>; the mode is 1 where <c>z &gt; 0</c>.
/// </remarks>
public sealed class TorchBernoulli : TorchDistribution
{
    /// <summary>Creates the distribution.</summary>
    /// <param name="flagCount">The number of flags; at least 1.</param>
    public TorchBernoulli(int flagCount)
        : base(nameof(TorchBernoulli))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(flagCount);
        FlagCount = flagCount;
    }

    /// <summary>Gets the number of flags.</summary>
    public int FlagCount { get; }

    /// <inheritdoc/>
    public override int NetworkOutputSize => FlagCount;

    /// <inheritdoc/>
    public override int ActionSize => FlagCount;

    /// <inheritdoc/>
    /// <remarks>The logits.</remarks>
    public override int DistributionParameterSize => FlagCount;

    /// <inheritdoc/>
    public override Tensor LogProbabilities(Tensor headOutput, Tensor actions)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        ArgumentNullException.ThrowIfNull(actions);
        using Tensor flags = actions.reshape(-1, FlagCount);
        using Tensor taken = flags * headOutput;
        using Tensor softplus = Softplus(headOutput);
        using Tensor terms = taken - softplus;
        return terms.sum(-1);
    }

    /// <inheritdoc/>
    public override Tensor Entropy(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor softplus = Softplus(headOutput);
        using Tensor probabilities = headOutput.sigmoid();
        using Tensor weighted = headOutput * probabilities;
        using Tensor terms = softplus - weighted;
        return terms.sum(-1);
    }

    /// <inheritdoc/>
    public override Tensor Sample(Tensor headOutput, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor uniform = rand(headOutput.shape, dtype: headOutput.dtype, device: headOutput.device, generator: generator);
        using Tensor probabilities = headOutput.sigmoid();
        using Tensor drawn = uniform.lt(probabilities);
        return drawn.to(ScalarType.Float32);
    }

    /// <inheritdoc/>
    public override Tensor Mode(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor positive = headOutput.gt(0);
        return positive.to(ScalarType.Float32);
    }

    /// <inheritdoc/>
    public override Tensor KlDivergence(Tensor oldDistributionParameters, Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(oldDistributionParameters);
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor oldProbabilities = oldDistributionParameters.sigmoid();
        using Tensor difference = oldDistributionParameters - headOutput;
        using Tensor weighted = oldProbabilities * difference;
        using Tensor newSoftplus = Softplus(headOutput);
        using Tensor oldSoftplus = Softplus(oldDistributionParameters);
        using Tensor terms = weighted + newSoftplus - oldSoftplus;
        return terms.sum(-1);
    }

    /// <summary><c>log(1 + eᶻ)</c> (PyTorch's <c>softplus</c>, which returns <c>z</c> itself above 20, where the two differ by less than 3e-9).</summary>
    private static Tensor Softplus(Tensor logits) => nn.functional.softplus(logits);
}
