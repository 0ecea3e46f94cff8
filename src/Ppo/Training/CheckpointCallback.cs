using System.Globalization;

namespace Ppo.Training;

/// <summary>Saves a checkpoint every <see cref="EveryTimesteps"/> environment steps, as Stable-Baselines3's <c>CheckpointCallback</c>.</summary>
public sealed class CheckpointCallback : TrainingCallback
{
    private long _nextSave;

    /// <summary>Creates the callback.</summary>
    /// <param name="directory">The folder of the checkpoints; created when missing.</param>
    /// <param name="everyTimesteps">The interval in environment steps (over every environment); at least 1.</param>
    /// <param name="prefix">The start of each file name: <c>{prefix}_{steps}_steps.ppo</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="everyTimesteps"/> is below 1.</exception>
    public CheckpointCallback(string directory, long everyTimesteps, string prefix = "checkpoint")
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(everyTimesteps);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Directory = directory;
        EveryTimesteps = everyTimesteps;
        Prefix = prefix;
    }

    /// <summary>Gets the folder of the checkpoints.</summary>
    public string Directory { get; }

    /// <summary>Gets the interval in environment steps.</summary>
    public long EveryTimesteps { get; }

    /// <summary>Gets the start of each file name.</summary>
    public string Prefix { get; }

    /// <summary>Gets the path of the last checkpoint written, or <see langword="null"/> before the first.</summary>
    public string? LastPath { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainingStart(PpoTrainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        _nextSave = trainer.TotalTimesteps + EveryTimesteps;
    }

    /// <inheritdoc/>
    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (trainer.TotalTimesteps < _nextSave)
            return true;
        LastPath = Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}_{trainer.TotalTimesteps}_steps.ppo"));
        trainer.Save(LastPath);
        while (_nextSave <= trainer.TotalTimesteps)
            _nextSave += EveryTimesteps;
        return true;
    }
}
