using System.Globalization;

namespace Ppo.Environments;

/// <summary>
/// Normalizes the observations and rewards of a vector environment with running statistics, as Stable-Baselines3's
/// <c>VecNormalize</c>: <c>clip((o − μ)/√(σ² + ε), ±clipObservation)</c> for observations, and rewards divided by the
/// running standard deviation of the discounted return, <c>clip(r/√(Var[R] + ε), ±clipReward)</c>.
/// </summary>
/// <remarks>
/// <para>While <see cref="IsTraining"/> is true every step updates the statistics; evaluation turns it off. Final
/// observations are normalized too, so a truncated episode is bootstrapped in the same space as the others. Episode
/// returns and lengths pass through unchanged (they are the raw ones).</para>
/// </remarks>
public sealed class VectorNormalization : IMaskableVectorEnvironment
{
    private readonly IVectorEnvironment _inner;
    private readonly VectorStep _step;
    private readonly double[] _returns;
    private readonly int _observationSize;

    /// <summary>Wraps <paramref name="inner"/>. Disposing this disposes it.</summary>
    /// <param name="inner">The environments to normalize.</param>
    /// <param name="normalizeObservations">Normalizes observations.</param>
    /// <param name="normalizeRewards">Scales rewards by the running standard deviation of the discounted return.</param>
    /// <param name="gamma">The discount of that return, in [0, 1]; use the training γ.</param>
    /// <param name="clipObservation">The bound on normalized observations; &gt; 0.</param>
    /// <param name="clipReward">The bound on normalized rewards; &gt; 0.</param>
    /// <param name="epsilon">Added to variances before the square root; &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public VectorNormalization(IVectorEnvironment inner, bool normalizeObservations = true, bool normalizeRewards = true, float gamma = 0.99f, float clipObservation = 10f, float clipReward = 10f, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!(gamma is >= 0f and <= 1f))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in [0, 1].");
        if (!(clipObservation > 0f))
            throw new ArgumentOutOfRangeException(nameof(clipObservation), clipObservation, "clipObservation must be > 0.");
        if (!(clipReward > 0f))
            throw new ArgumentOutOfRangeException(nameof(clipReward), clipReward, "clipReward must be > 0.");
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and > 0.");

        _inner = inner;
        _observationSize = inner.ObservationSpace.Size;
        NormalizeObservations = normalizeObservations;
        NormalizeRewards = normalizeRewards;
        Gamma = gamma;
        ClipReward = clipReward;
        Epsilon = epsilon;
        Observations = new ObservationNormalizer(_observationSize, clipObservation, epsilon);
        ReturnStatistics = new RunningStatistics(1);
        _step = new VectorStep(inner.EnvironmentCount, _observationSize);
        _returns = new double[inner.EnvironmentCount];
    }

    /// <summary>Gets the wrapped environments.</summary>
    public IVectorEnvironment Inner => _inner;

    /// <summary>Gets a value indicating whether observations are normalized.</summary>
    public bool NormalizeObservations { get; }

    /// <summary>Gets a value indicating whether rewards are scaled.</summary>
    public bool NormalizeRewards { get; }

    /// <summary>Gets the discount of the return whose spread scales the rewards.</summary>
    public float Gamma { get; }

    /// <summary>Gets the bound on normalized rewards.</summary>
    public float ClipReward { get; }

    /// <summary>Gets the term added to variances before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Gets or sets a value indicating whether steps update the statistics (true while training).</summary>
    public bool IsTraining { get; set; } = true;

    /// <summary>Gets the observation normalizer, whose statistics track the raw observations.</summary>
    public ObservationNormalizer Observations { get; }

    /// <summary>Gets the running statistics of the raw observations.</summary>
    public RunningStatistics ObservationStatistics => Observations.Statistics;

    /// <summary>Gets the running statistics of the discounted returns.</summary>
    public RunningStatistics ReturnStatistics { get; }

    /// <summary>Gets the running discounted return of each environment, which the reward scaling tracks.</summary>
    internal Span<double> RunningReturns => _returns;

    /// <inheritdoc/>
    public int EnvironmentCount => _inner.EnvironmentCount;

    /// <inheritdoc/>
    public BoxSpace ObservationSpace => _inner.ObservationSpace;

    /// <inheritdoc/>
    public Space ActionSpace => _inner.ActionSpace;

    /// <inheritdoc/>
    /// <remarks>The masks of the wrapped environments; normalization does not change which actions are valid.</remarks>
    public bool HasActionMasks => _inner is IMaskableVectorEnvironment { HasActionMasks: true };

    /// <inheritdoc/>
    public void WriteActionMasks(Span<bool> masks)
    {
        if (_inner is not IMaskableVectorEnvironment maskable)
            throw new InvalidOperationException("The wrapped environments do not expose action masks.");
        maskable.WriteActionMasks(masks);
    }

    /// <inheritdoc/>
    public VectorStep Reset(int? seed = null)
    {
        VectorStep raw = _inner.Reset(seed);
        Array.Clear(_returns);
        if (IsTraining && NormalizeObservations)
            ObservationStatistics.Update(raw.Observations);
        NormalizeObservationRows(raw.Observations, _step.Observations);
        raw.Rewards.CopyTo(_step.Rewards);
        raw.Terminated.CopyTo(_step.Terminated);
        raw.Truncated.CopyTo(_step.Truncated);
        return _step;
    }

    /// <inheritdoc/>
    public VectorStep Step(ReadOnlySpan<float> actions)
    {
        VectorStep raw = _inner.Step(actions);
        if (IsTraining && NormalizeObservations)
            ObservationStatistics.Update(raw.Observations);
        NormalizeObservationRows(raw.Observations, _step.Observations);

        if (IsTraining && NormalizeRewards)
        {
            for (int i = 0; i < _returns.Length; i++)
                _returns[i] = _returns[i] * Gamma + raw.Rewards[i];
            ReturnStatistics.Update(_returns);
        }

        float rewardScale = NormalizeRewards ? (float)(1.0 / Math.Sqrt(ReturnStatistics.Variance[0] + Epsilon)) : 1f;
        for (int i = 0; i < _returns.Length; i++)
        {
            _step.Rewards[i] = NormalizeRewards ? Math.Clamp(raw.Rewards[i] * rewardScale, -ClipReward, ClipReward) : raw.Rewards[i];
            _step.Terminated[i] = raw.Terminated[i];
            _step.Truncated[i] = raw.Truncated[i];
            if (raw.EpisodeEnded(i))
            {
                NormalizeObservationRows(raw.FinalObservation(i), _step.FinalObservation(i));
                _step.EpisodeReturns[i] = raw.EpisodeReturns[i];
                _step.EpisodeLengths[i] = raw.EpisodeLengths[i];
                _returns[i] = 0;
            }
        }

        return _step;
    }

    /// <summary>Normalizes one observation with the current statistics, without updating them (for evaluation and inference).</summary>
    /// <param name="observation">The raw observation.</param>
    /// <param name="destination">Receives the normalized observation; may be the same memory.</param>
    /// <exception cref="ArgumentException">A span does not have the observation size.</exception>
    public void NormalizeObservation(ReadOnlySpan<float> observation, Span<float> destination)
    {
        if (observation.Length != _observationSize || destination.Length != _observationSize)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Both spans must have {_observationSize} elements (had {observation.Length} and {destination.Length})."), nameof(observation));
        NormalizeObservationRows(observation, destination);
    }

    /// <inheritdoc/>
    public void Dispose() => _inner.Dispose();

    private void NormalizeObservationRows(ReadOnlySpan<float> raw, Span<float> destination)
    {
        if (NormalizeObservations)
            Observations.Normalize(raw, destination);
        else
            raw.CopyTo(destination);
    }
}
