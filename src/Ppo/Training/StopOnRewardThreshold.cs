namespace Ppo.Training;

/// <summary>Stops training once the mean return of the last 100 training episodes reaches a threshold.</summary>
/// <param name="threshold">The mean episode return at which to stop.</param>
/// <param name="minimumEpisodes">The episodes that must have finished before the mean counts; at least 1.</param>
public sealed class StopOnRewardThreshold(double threshold, int minimumEpisodes = 100) : TrainingCallback
{
    /// <summary>Gets the mean episode return at which training stops.</summary>
    public double Threshold { get; } = threshold;

    /// <summary>Gets the episodes that must have finished before the mean counts.</summary>
    public int MinimumEpisodes { get; } = minimumEpisodes >= 1 ? minimumEpisodes : throw new ArgumentOutOfRangeException(nameof(minimumEpisodes), minimumEpisodes, "At least one episode must count.");

    /// <summary>Gets a value indicating whether this callback stopped training.</summary>
    public bool Reached { get; private set; }

    /// <inheritdoc/>
    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        Reached = metrics.EpisodesFinished >= MinimumEpisodes && metrics.MeanEpisodeReturn >= Threshold;
        return !Reached;
    }
}
