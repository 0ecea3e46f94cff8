using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>
/// A diagonal Gaussian over <c>k</c>-dimensional actions: the policy head outputs the mean, a learned
/// state-independent <c>log_std</c> parameter the spread (Stable-Baselines3's <c>DiagGaussianDistribution</c>).
/// </summary>
/// <remarks>
/// <c>log p = −½Σ((a−μ)/σ)² − Σ log σ − ½k log 2π</c>; <c>H = Σ log σ + ½k(1 + log 2π)</c>;
/// <c>KL(old ‖ new) = Σ log(σ/σ_old) + (σ_old² + (μ_old − μ)²) / (2σ²) − ½</c>.
/// </remarks>
public sealed class TorchDiagonalGaussian : TorchDistribution
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private readonly Parameter _logStandardDeviation;

    /// <summary>Creates the distribution with every log standard deviation at <paramref name="logStdInit"/>.</summary>
    /// <param name="dimensions">The number of action dimensions; at least 1.</param>
    /// <param name="logStdInit">The initial log standard deviation.</param>
    public TorchDiagonalGaussian(int dimensions, float logStdInit = 0f)
        : base(nameof(TorchDiagonalGaussian))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
        _logStandardDeviation = nn.Parameter(full(dimensions, logStdInit));
        register_parameter("log_std", _logStandardDeviation);
    }

    /// <summary>Gets the number of action dimensions.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the learned log standard deviation, <c>[k]</c> (named <c>log_std</c> in the module's state).</summary>
    public Parameter LogStandardDeviation => _logStandardDeviation;

    /// <inheritdoc/>
    public override int NetworkOutputSize => Dimensions;

    /// <inheritdoc/>
    public override int ActionSize => Dimensions;

    /// <inheritdoc/>
    public override int DistributionParameterSize => 2 * Dimensions;

    /// <inheritdoc/>
    public override Tensor LogProbabilities(Tensor headOutput, Tensor actions)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        ArgumentNullException.ThrowIfNull(actions);
        using Tensor difference = actions - headOutput;
        using Tensor inverseStd = _logStandardDeviation.neg().exp();
        using Tensor standardized = difference * inverseStd;
        using Tensor squares = standardized.square();
        using Tensor halfSquares = squares * 0.5;
        using Tensor terms = halfSquares + _logStandardDeviation;
        using Tensor sum = terms.sum(-1);
        using Tensor negated = sum.neg();
        return negated - (Dimensions * HalfLogTwoPi);
    }

    /// <inheritdoc/>
    public override Tensor Entropy(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor sum = _logStandardDeviation.sum();
        using Tensor entropy = sum + (Dimensions * (0.5 + HalfLogTwoPi));
        return entropy.expand(headOutput.shape[0]);
    }

    /// <inheritdoc/>
    public override Tensor Sample(Tensor headOutput, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor noise = randn(headOutput.shape, dtype: headOutput.dtype, device: headOutput.device, generator: generator);
        using Tensor std = _logStandardDeviation.exp();
        using Tensor scaled = noise * std;
        return headOutput + scaled;
    }

    /// <inheritdoc/>
    public override Tensor Mode(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        return headOutput.detach().clone();
    }

    /// <inheritdoc/>
    public override Tensor DistributionParameters(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor expanded = _logStandardDeviation.detach().expand(headOutput.shape[0], Dimensions);
        using Tensor mean = headOutput.detach();
        return cat([mean, expanded], 1);
    }

    /// <inheritdoc/>
    public override Tensor KlDivergence(Tensor oldDistributionParameters, Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(oldDistributionParameters);
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor oldMean = oldDistributionParameters.narrow(1, 0, Dimensions);
        using Tensor oldLogStd = oldDistributionParameters.narrow(1, Dimensions, Dimensions);
        using Tensor logRatio = _logStandardDeviation - oldLogStd;
        using Tensor oldVariance = (oldLogStd * 2).exp();
        using Tensor meanDifference = oldMean - headOutput;
        using Tensor numerator = oldVariance + meanDifference.square();
        using Tensor twiceVariance = (_logStandardDeviation * 2).exp() * 2;
        using Tensor ratio = numerator / twiceVariance;
        using Tensor terms = logRatio + ratio - 0.5;
        return terms.sum(-1);
    }
}
