using System.Globalization;
using Ppo.Environments.ClassicControl;
using Ppo.Randomness;

namespace Ppo.Environments.Games;

/// <summary>
/// A small task with several independent choices per step, for <see cref="MultiDiscreteSpace"/> actions: each step
/// shows one cue per component, and each component of the action should name its cue.
/// </summary>
/// <remarks>
/// <para>
/// With category counts <c>n_0, …, n_{k−1}</c> the action space is <c>MultiDiscrete([n_0, …, n_{k−1}])</c>. The
/// observation is <c>Box(0, 1, (Σ n_c,))</c>: for every component, the one-hot code of its cue, drawn uniformly and
/// independently at reset and after every step.
/// </para>
/// <para>
/// The reward of a step is the fraction of components whose action equals the cue shown, in [0, 1]. Episodes are
/// truncated after <see cref="MaxEpisodeSteps"/> steps and never terminate, so the best return is
/// <see cref="MaxEpisodeSteps"/> and a uniformly random policy earns <c>MaxEpisodeSteps · mean_c(1 / n_c)</c> on
/// average.
/// </para>
/// </remarks>
public sealed class CueMatching : IEnvironment, IStatefulEnvironment
{
    /// <summary>The default step limit.</summary>
    public const int DefaultMaxEpisodeSteps = 20;

    private readonly SeededRandom _random = new((ulong)Random.Shared.NextInt64());
    private readonly EpisodeProgress _episode;
    private readonly int[] _cues;

    /// <summary>Creates the task; it must be <see cref="Reset"/> before the first <see cref="Step"/>.</summary>
    /// <param name="categoryCounts">The number of cues of each component; at least one component, each at least 2. Empty means <c>[3, 4]</c>.</param>
    /// <param name="maxEpisodeSteps">The step at which an episode is truncated; at least 1.</param>
    /// <exception cref="ArgumentException">A category count is below 2.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEpisodeSteps"/> is below 1.</exception>
    public CueMatching(ReadOnlySpan<int> categoryCounts = default, int maxEpisodeSteps = DefaultMaxEpisodeSteps)
    {
        ReadOnlySpan<int> counts = categoryCounts.IsEmpty ? [3, 4] : categoryCounts;
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] < 2)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Component {c} must have at least 2 cues (was {counts[c]})."), nameof(categoryCounts));
        }

        _episode = new EpisodeProgress(maxEpisodeSteps, nameof(maxEpisodeSteps));
        ActionSpace = new MultiDiscreteSpace(counts);
        ObservationSpace = new BoxSpace(0f, 1f, ActionSpace.TotalCategoryCount);
        _cues = new int[counts.Length];
    }

    /// <inheritdoc/>
    /// <remarks>One one-hot block per component.</remarks>
    public BoxSpace ObservationSpace { get; }

    /// <summary>Gets the action space: one choice per component.</summary>
    public MultiDiscreteSpace ActionSpace { get; }

    Space IEnvironment.ActionSpace => ActionSpace;

    /// <summary>Gets the step at which an episode is truncated, and the best return.</summary>
    public int MaxEpisodeSteps => _episode.MaxEpisodeSteps;

    /// <summary>Gets the cue currently shown for each component.</summary>
    public ReadOnlySpan<int> Cues => _cues;

    /// <inheritdoc/>
    public bool CanSaveState => true;

    /// <inheritdoc/>
    /// <remarks>Draws the first cues, component by component.</remarks>
    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckObservationLength(observation);
        if (seed is int value)
            _random.Reseed(unchecked((ulong)(long)value));
        _episode.Start();
        DrawCues(observation);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The action is not in the action space, or <paramref name="observation"/> has the wrong length.</exception>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (!ActionSpace.Contains(action))
            throw new ArgumentException($"The action must be an element of {ActionSpace} (a span of length {action.Length} was given).", nameof(action));
        CheckObservationLength(observation);
        _episode.EnsureRunning();

        int matches = 0;
        for (int c = 0; c < _cues.Length; c++)
            matches += (int)action[c] == _cues[c] ? 1 : 0;
        float reward = (float)matches / _cues.Length;
        bool truncated = _episode.Advance(terminated: false);
        DrawCues(observation);
        return new StepResult(reward, false, truncated);
    }

    /// <inheritdoc/>
    /// <remarks>Writes the cues, the random generator and the episode progress.</remarks>
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (int cue in _cues)
            writer.Write(cue);
        RandomStateSerialization.Write(writer, _random.State);
        _episode.Save(writer);
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int[] cues = new int[_cues.Length];
        for (int c = 0; c < cues.Length; c++)
        {
            cues[c] = reader.ReadInt32();
            if ((uint)cues[c] >= (uint)ActionSpace.CategoryCounts[c])
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The saved cue {cues[c]} of component {c} is outside [0, {ActionSpace.CategoryCounts[c] - 1}]."));
        }

        RandomState random = RandomStateSerialization.Read(reader);
        _episode.Load(reader);
        cues.CopyTo(_cues, 0);
        _random.State = random;
    }

    /// <summary>Does nothing: the task holds no resources.</summary>
    public void Dispose()
    {
    }

    private void CheckObservationLength(Span<float> observation)
    {
        if (observation.Length != ObservationSpace.Size)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The observation must have length {ObservationSpace.Size} (was {observation.Length})."), nameof(observation));
    }

    private void DrawCues(Span<float> observation)
    {
        observation.Clear();
        int offset = 0;
        for (int c = 0; c < _cues.Length; c++)
        {
            int count = ActionSpace.CategoryCounts[c];
            _cues[c] = _random.NextInt(count);
            observation[offset + _cues[c]] = 1f;
            offset += count;
        }
    }
}
