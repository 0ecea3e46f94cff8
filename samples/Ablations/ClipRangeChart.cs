using System.Globalization;
using Ppo.Plotting;

namespace Ppo.Samples.Ablations;

/// <summary>Draws the clip-range study: the learning curves and the clip fractions, one color per clip range.</summary>
public static class ClipRangeChart
{
    private const int ClipFractionWindow = 10;

    /// <summary>
    /// Saves a PNG image with two panels: the rolling-mean training return against steps (the mean over seeds, each
    /// seed faint in the same color, and the solved line), and the clip fraction per update (mean over seeds, smoothed).
    /// </summary>
    /// <exception cref="ArgumentException">The runs are empty, or runs of one clip range were recorded at different steps.</exception>
    public static void Save(string path, IReadOnlyList<ClipRangeRun> runs)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
            throw new ArgumentException("There are no runs to draw.", nameof(runs));

        int seeds = runs.Select(run => run.Seed).Distinct().Count();
        var figure = new Figure(rows: 1, columns: 2, panelWidth: 560, panelHeight: 380, title: string.Create(CultureInfo.InvariantCulture, $"CartPole-v1 with a constant PPO clip range, {seeds} seed{(seeds == 1 ? "" : "s")} each"), scale: 2);
        Panel returns = figure.Panel(0, 0)
            .Title(string.Create(CultureInfo.InvariantCulture, $"Training return, rolling mean of {ClipRangeStudy.RollingWindow} episodes"))
            .XLabel("steps")
            .YLabel("return");
        Panel clipping = figure.Panel(0, 1)
            .Title(string.Create(CultureInfo.InvariantCulture, $"Clip fraction, rolling mean of {ClipFractionWindow} updates"))
            .XLabel("steps")
            .YLabel("fraction of ratios clipped");

        foreach (IGrouping<double, ClipRangeRun> group in runs.GroupBy(run => run.ClipRange))
        {
            ClipRangeRun[] seedRuns = [.. group];
            double[] steps = [.. seedRuns[0].Steps];
            string label = string.Create(CultureInfo.InvariantCulture, $"clip range {group.Key}");
            foreach (ClipRangeRun run in seedRuns)
                returns.Line(steps, [.. run.RollingReturns], faint: true);
            returns.Line(steps, MeanOverRuns(seedRuns, run => run.RollingReturns), seedRuns.Length == 1 ? label : label + " (mean)");
            clipping.Line(steps, Series.RollingMean(MeanOverRuns(seedRuns, run => run.ClipFractions), ClipFractionWindow), label);
        }

        returns.HorizontalLine(ClipRangeStudy.SolvedAt, string.Create(CultureInfo.InvariantCulture, $"solved at {ClipRangeStudy.SolvedAt}"));
        figure.SavePng(path);
    }

    /// <summary>The element-wise mean of one series over runs recorded at the same steps; NaN where any run is NaN.</summary>
    /// <exception cref="ArgumentException">The runs were recorded at different steps.</exception>
    public static double[] MeanOverRuns(IReadOnlyList<ClipRangeRun> runs, Func<ClipRangeRun, IReadOnlyList<double>> series)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(series);
        if (runs.Count == 0)
            throw new ArgumentException("There are no runs to average.", nameof(runs));

        IReadOnlyList<double> steps = runs[0].Steps;
        var mean = new double[steps.Count];
        foreach (ClipRangeRun run in runs)
        {
            if (!run.Steps.SequenceEqual(steps))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Run (clip range {run.ClipRange}, seed {run.Seed}) was recorded at other steps than run (clip range {runs[0].ClipRange}, seed {runs[0].Seed})."), nameof(runs));
            IReadOnlyList<double> values = series(run);
            for (int i = 0; i < mean.Length; i++)
                mean[i] += values[i];
        }

        for (int i = 0; i < mean.Length; i++)
            mean[i] /= runs.Count;
        return mean;
    }
}
