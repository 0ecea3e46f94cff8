using System.Globalization;

namespace Ppo.Training;

/// <summary>A callback that writes one CSV row per update with every field of <see cref="UpdateMetrics"/>.</summary>
public sealed class MetricsCsvWriter : TrainingCallback, IDisposable
{
    /// <summary>The header row: the metric names in snake case, in the order of <see cref="UpdateMetrics"/>.</summary>
    public const string Header =
        "update,total_timesteps,policy_loss,value_loss,entropy_loss,loss,approx_kl,clip_fraction,explained_variance," +
        "gradient_norm,learning_rate,clip_range,epochs_completed,gradient_steps,early_stopped,steps_per_second," +
        "elapsed_seconds,mean_episode_return,mean_episode_length,episodes_finished,kl_divergence,kl_coefficient,reference_kl,reference_kl_coefficient,ratio_mean,ratio_std,rollout_recoveries";

    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;

    /// <summary>Creates (or overwrites) the file at <paramref name="path"/> and writes the header.</summary>
    /// <param name="path">The CSV file.</param>
    public MetricsCsvWriter(string path)
        : this(new StreamWriter(path, append: false), ownsWriter: true)
    {
    }

    /// <summary>Writes to <paramref name="writer"/>, starting with the header.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="ownsWriter">Whether disposing this callback disposes <paramref name="writer"/>.</param>
    public MetricsCsvWriter(TextWriter writer, bool ownsWriter = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = ownsWriter;
        _writer.WriteLine(Header);
    }

    /// <summary>Formats one update as a CSV row matching <see cref="Header"/>, with invariant-culture numbers.</summary>
    /// <param name="metrics">The update.</param>
    /// <returns>The row, without a line break.</returns>
    public static string FormatRow(in UpdateMetrics metrics) => string.Create(
        CultureInfo.InvariantCulture,
        $"{metrics.Update},{metrics.TotalTimesteps},{metrics.PolicyLoss},{metrics.ValueLoss},{metrics.EntropyLoss},{metrics.Loss}," +
        $"{metrics.ApproximateKl},{metrics.ClipFraction},{metrics.ExplainedVariance},{metrics.GradientNorm},{metrics.LearningRate}," +
        $"{metrics.ClipRange},{metrics.EpochsCompleted},{metrics.GradientSteps},{(metrics.EarlyStopped ? 1 : 0)},{metrics.StepsPerSecond}," +
        $"{metrics.ElapsedSeconds},{metrics.MeanEpisodeReturn},{metrics.MeanEpisodeLength},{metrics.EpisodesFinished}," +
        $"{metrics.KlDivergence},{metrics.KlCoefficient},{metrics.ReferenceKl},{metrics.ReferenceKlCoefficient},{metrics.RatioMean},{metrics.RatioStandardDeviation},{metrics.RolloutRecoveries}");

    /// <inheritdoc/>
    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        _writer.WriteLine(FormatRow(metrics));
        return true;
    }

    /// <inheritdoc/>
    public override void OnTrainingEnd(PpoTrainer trainer) => _writer.Flush();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsWriter)
            _writer.Dispose();
        else
            _writer.Flush();
    }
}
