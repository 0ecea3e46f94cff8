using System.Globalization;

namespace Ppo.Environments.ClassicControl;

/// <summary>
/// The bookkeeping every episodic environment shares: whether an episode is running, how many steps it has taken,
/// and the time limit that truncates it (Gymnasium's <c>OrderEnforcing</c> and <c>TimeLimit</c> wrappers).
/// </summary>
internal sealed class EpisodeProgress
{
    private bool _hasStarted;
    private bool _hasEnded;

    /// <summary>Creates the bookkeeping for episodes of at most <paramref name="maxEpisodeSteps"/> steps.</summary>
    /// <param name="maxEpisodeSteps">The step at which an episode is truncated; at least 1.</param>
    /// <param name="parameterName">The caller's parameter name, reported when the limit is invalid.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEpisodeSteps"/> is below 1.</exception>
    public EpisodeProgress(int maxEpisodeSteps, string parameterName)
    {
        if (maxEpisodeSteps < 1)
            throw new ArgumentOutOfRangeException(parameterName, maxEpisodeSteps, "The episode step limit must be at least 1.");
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <summary>Gets the step at which an episode is truncated.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Gets the number of steps taken in the current episode.</summary>
    public int ElapsedSteps { get; private set; }

    /// <summary>Starts a new episode at step 0.</summary>
    public void Start()
    {
        _hasStarted = true;
        _hasEnded = false;
        ElapsedSteps = 0;
    }

    /// <summary>Throws unless an episode is running.</summary>
    /// <exception cref="InvalidOperationException">No episode was started, or the current one has ended.</exception>
    public void EnsureRunning()
    {
        if (!_hasStarted)
            throw new InvalidOperationException("Reset must be called before Step.");
        if (_hasEnded)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The episode ended after {ElapsedSteps} steps; call Reset before stepping again."));
    }

    /// <summary>Counts one step and ends the episode if it terminated or reached the step limit.</summary>
    /// <param name="terminated">Whether the step reached a terminal state.</param>
    /// <returns>Whether the step reached the step limit: the episode is truncated, whether or not it also terminated.</returns>
    public bool Advance(bool terminated)
    {
        ElapsedSteps++;
        bool truncated = ElapsedSteps >= MaxEpisodeSteps;
        _hasEnded = terminated || truncated;
        return truncated;
    }

    /// <summary>Writes whether an episode runs and how far it has come.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_hasStarted);
        writer.Write(_hasEnded);
        writer.Write(ElapsedSteps);
    }

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The step count is outside [0, MaxEpisodeSteps].</exception>
    public void Load(BinaryReader reader)
    {
        bool started = reader.ReadBoolean(), ended = reader.ReadBoolean();
        int elapsed = reader.ReadInt32();
        if (elapsed < 0 || elapsed > MaxEpisodeSteps || (!started && (ended || elapsed != 0)))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The episode state (started {started}, ended {ended}, step {elapsed}) is not valid for a limit of {MaxEpisodeSteps} steps."));
        (_hasStarted, _hasEnded, ElapsedSteps) = (started, ended, elapsed);
    }
}
