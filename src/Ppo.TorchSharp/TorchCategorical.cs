using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>A categorical distribution over <c>n</c> actions whose logits are the policy head's output.</summary>
/// <remarks>
/// <c>log p = log_softmax(logits)</c>; <c>H = −Σ p log p</c>; <c>KL(old ‖ new) = Σ p_old (log p_old − log p_new)</c>.
/// An action is stored as its index in one float column.
/// </remarks>
public sealed class TorchCategorical : TorchDistribution
{
    /// <summary>Creates the distribution.</summary>
    /// <param name="classCount">The number of actions; at least 1.</param>
    public TorchCategorical(int classCount)
        : base(nameof(TorchCategorical))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ClassCount = classCount;
    }

    /// <summary>Gets the number of actions.</summary>
    public int ClassCount { get; }

    /// <inheritdoc/>
    public override int NetworkOutputSize => ClassCount;

    /// <inheritdoc/>
    public override int ActionSize => 1;

    /// <inheritdoc/>
    public override int DistributionParameterSize => ClassCount;

    /// <inheritdoc/>
    /// <remarks>One flag per action.</remarks>
    public override int ActionMaskLength => ClassCount;

    /// <inheritdoc/>
    public override Tensor LogProbabilities(Tensor headOutput, Tensor actions)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        ArgumentNullException.ThrowIfNull(actions);
        using Tensor logProbabilities = headOutput.log_softmax(-1);
        using Tensor indices = actions.reshape(-1, 1).to(ScalarType.Int64);
        using Tensor taken = logProbabilities.gather(1, indices);
        return taken.squeeze(1);
    }

    /// <inheritdoc/>
    public override Tensor Entropy(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor logProbabilities = headOutput.log_softmax(-1);
        return EntropyOfLogProbabilities(logProbabilities);
    }

    /// <inheritdoc/>
    public override Tensor Sample(Tensor headOutput, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor probabilities = headOutput.softmax(-1);
        using Tensor indices = multinomial(probabilities, 1, replacement: true, generator: generator);
        return indices.to(ScalarType.Float32);
    }

    /// <inheritdoc/>
    public override Tensor Mode(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor indices = headOutput.argmax(-1, keepdim: true);
        return indices.to(ScalarType.Float32);
    }

    /// <inheritdoc/>
    public override Tensor KlDivergence(Tensor oldDistributionParameters, Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(oldDistributionParameters);
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor oldLogProbabilities = oldDistributionParameters.log_softmax(-1);
        using Tensor newLogProbabilities = headOutput.log_softmax(-1);
        return KlDivergenceOfLogProbabilities(oldLogProbabilities, newLogProbabilities);
    }

    /// <summary><c>−Σ p log p</c> over each row of log-probabilities (several categoricals side by side sum their entropies).</summary>
    internal static Tensor EntropyOfLogProbabilities(Tensor logProbabilities)
    {
        using Tensor probabilities = logProbabilities.exp();
        using Tensor terms = probabilities * logProbabilities;
        using Tensor sum = terms.sum(-1);
        return sum.neg();
    }

    /// <summary><c>Σ p_old (log p_old − log p)</c> over each row of log-probabilities.</summary>
    internal static Tensor KlDivergenceOfLogProbabilities(Tensor oldLogProbabilities, Tensor newLogProbabilities)
    {
        using Tensor oldProbabilities = oldLogProbabilities.exp();
        using Tensor difference = oldLogProbabilities - newLogProbabilities;
        using Tensor terms = oldProbabilities * difference;
        return terms.sum(-1);
    }
}
