using Ppo.Plotting;
using Ppo.Training;

namespace Ppo.Samples;

/// <summary>Records each finished episode and each update, and draws the training curves as a PNG image.</summary>
internal sealed class TrainingCurves : TrainingCallback
{
    private readonly List<double> _episodeSteps = [];
    private readonly List<double> _episodeReturns = [];
    private readonly List<UpdateMetrics> _updates = [];

    public override void OnEpisodeEnd(PpoTrainer trainer, double episodeReturn, int length)
    {
        _episodeSteps.Add(trainer.TotalTimesteps);
        _episodeReturns.Add(episodeReturn);
    }

    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        _updates.Add(metrics);
        return true;
    }

    /// <summary>Writes a 2 × 3 grid: episode return with a rolling mean, policy loss, value loss, entropy, approx KL, clip fraction.</summary>
    public void Save(string path, string title, double? solvedAt)
    {
        var figure = new Figure(rows: 2, columns: 3, title: title, scale: 2);
        double[] episodeSteps = [.. _episodeSteps], episodeReturns = [.. _episodeReturns];
        int window = Math.Clamp(episodeReturns.Length / 20, 1, 100);
        Panel returns = figure.Panel(0, 0).Title("Episode return").XLabel("steps").YLabel("return")
            .Line(episodeSteps, episodeReturns, "episode", faint: true)
            .Line(episodeSteps, Series.RollingMean(episodeReturns, window), $"rolling mean ({window})");
        if (solvedAt is double threshold)
            returns.HorizontalLine(threshold, $"solved at {threshold:0}");

        double[] steps = [.. _updates.Select(m => (double)m.TotalTimesteps)];
        Metric(figure.Panel(0, 1), "Policy loss", steps, m => m.PolicyLoss);
        Metric(figure.Panel(0, 2), "Value loss", steps, m => m.ValueLoss);
        Metric(figure.Panel(1, 0), "Entropy", steps, m => -m.EntropyLoss);
        Metric(figure.Panel(1, 1), "Approx KL", steps, m => m.ApproximateKl);
        Metric(figure.Panel(1, 2), "Clip fraction", steps, m => m.ClipFraction);
        figure.SavePng(path);
    }

    private void Metric(Panel panel, string title, double[] steps, Func<UpdateMetrics, double> value)
    {
        double[] values = [.. _updates.Select(value)];
        int window = Math.Clamp(values.Length / 20, 1, 50);
        panel.Title(title).XLabel("steps")
            .Line(steps, values, "per update", faint: true)
            .Line(steps, Series.RollingMean(values, window), $"rolling mean ({window})");
    }
}
