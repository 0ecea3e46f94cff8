namespace Ppo.Environments;

/// <summary>
/// The outputs of one step (or reset) of a vector of environments, one row per environment. The vector environment
/// owns this object and overwrites it on every call, so nothing is allocated per step.
/// </summary>
/// <remarks>
/// When environment <c>i</c> finishes an episode (terminated or truncated) it is reset within the same step:
/// row <c>i</c> of <see cref="Observations"/> is then the first observation of the next episode, while row <c>i</c> of
/// <see cref="FinalObservations"/> keeps the last observation of the finished one, which is what a truncated episode is
/// bootstrapped from. <see cref="EpisodeReturns"/> and <see cref="EpisodeLengths"/> hold the undiscounted, unnormalized
/// return and the length of that finished episode.
/// </remarks>
public sealed class VectorStep
{
    private readonly float[] _observations;
    private readonly float[] _finalObservations;
    private readonly float[] _rewards;
    private readonly bool[] _terminated;
    private readonly bool[] _truncated;
    private readonly double[] _episodeReturns;
    private readonly int[] _episodeLengths;

    /// <summary>Creates the buffers for <paramref name="environmentCount"/> environments.</summary>
    /// <param name="environmentCount">The number of environments; at least 1.</param>
    /// <param name="observationSize">The floats per observation; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public VectorStep(int environmentCount, int observationSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(environmentCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        EnvironmentCount = environmentCount;
        ObservationSize = observationSize;
        _observations = new float[environmentCount * observationSize];
        _finalObservations = new float[environmentCount * observationSize];
        _rewards = new float[environmentCount];
        _terminated = new bool[environmentCount];
        _truncated = new bool[environmentCount];
        _episodeReturns = new double[environmentCount];
        _episodeLengths = new int[environmentCount];
    }

    /// <summary>Gets the number of environments (rows).</summary>
    public int EnvironmentCount { get; }

    /// <summary>Gets the floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Gets the current observations, <c>[EnvironmentCount × ObservationSize]</c>, row-major.</summary>
    public Span<float> Observations => _observations;

    /// <summary>Gets the last observation of each episode that ended this step; rows of other environments are unspecified.</summary>
    public Span<float> FinalObservations => _finalObservations;

    /// <summary>Gets each environment's reward for this step.</summary>
    public Span<float> Rewards => _rewards;

    /// <summary>Gets whether each environment's episode reached a terminal state this step.</summary>
    public Span<bool> Terminated => _terminated;

    /// <summary>Gets whether each environment's episode was truncated (for example by a time limit) this step.</summary>
    public Span<bool> Truncated => _truncated;

    /// <summary>Gets the return of each episode that ended this step; other rows are unspecified.</summary>
    public Span<double> EpisodeReturns => _episodeReturns;

    /// <summary>Gets the length of each episode that ended this step; other rows are unspecified.</summary>
    public Span<int> EpisodeLengths => _episodeLengths;

    /// <summary>Tells whether environment <paramref name="index"/> finished an episode this step.</summary>
    /// <param name="index">The environment index.</param>
    /// <returns><see langword="true"/> if it terminated or was truncated.</returns>
    public bool EpisodeEnded(int index) => _terminated[index] || _truncated[index];

    /// <summary>Gets observation row <paramref name="index"/>.</summary>
    /// <param name="index">The environment index.</param>
    /// <returns>A span of length <see cref="ObservationSize"/>.</returns>
    public Span<float> Observation(int index) => _observations.AsSpan(index * ObservationSize, ObservationSize);

    /// <summary>Gets final-observation row <paramref name="index"/>.</summary>
    /// <param name="index">The environment index.</param>
    /// <returns>A span of length <see cref="ObservationSize"/>.</returns>
    public Span<float> FinalObservation(int index) => _finalObservations.AsSpan(index * ObservationSize, ObservationSize);
}
