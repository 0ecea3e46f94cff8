using System.Globalization;
using Ppo.Training;

namespace Ppo.Samples;

/// <summary>Prints one progress line every few updates, and after the last one.</summary>
internal sealed class ProgressPrinter(int everyUpdates, TextWriter output) : TrainingCallback
{
    private UpdateMetrics _last;

    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        _last = metrics;
        if (metrics.Update % everyUpdates == 0)
            Print(metrics);
        return true;
    }

    public override void OnTrainingEnd(PpoTrainer trainer)
    {
        if (_last.Update % everyUpdates != 0)
            Print(_last);
    }

    private void Print(in UpdateMetrics m) => output.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"update {m.Update,5}  steps {m.TotalTimesteps,9}  return {m.MeanEpisodeReturn,8:F1}  length {m.MeanEpisodeLength,6:F1}  " +
        $"kl {m.ApproximateKl:F4}  clip {m.ClipFraction:F3}  ratio {m.RatioMean:F3} ± {m.RatioStandardDeviation:F3}  entropy {-m.EntropyLoss:F3}  value loss {m.ValueLoss:F3}  " +
        $"explained var {m.ExplainedVariance:F2}  lr {m.LearningRate:G3}  {m.StepsPerSecond:F0} steps/s"));
}
