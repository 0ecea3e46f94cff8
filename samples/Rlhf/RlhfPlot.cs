using System.Globalization;
using Ppo.Plotting;

namespace Ppo.Samples.Rlhf;

/// <summary>Draws the PPO runs side by side: the reward-model score, the KL to the SFT policy and β across training.</summary>
public static class RlhfPlot
{
    public static void Save(RlhfResult result, int seed, string path)
    {
        var figure = new Figure(rows: 1, columns: 3, title: string.Create(CultureInfo.InvariantCulture, $"RLHF on toy reviews, seed {seed}"), scale: 2);
        Panel score = figure.Panel(0, 0).Title("Reward-model score (SFT: 0)").XLabel("reviews written").YLabel("mean score of the rollout");
        Panel kl = figure.Panel(0, 1).Title("KL to the SFT policy").XLabel("reviews written").YLabel("nats per review");
        Panel coefficient = figure.Panel(0, 2).Title("KL coefficient beta").XLabel("reviews written").YLabel("beta");
        foreach (PpoRun run in result.Runs)
        {
            double[] reviews = [.. run.Curve.Select(point => (double)point.Reviews)];
            int window = Math.Clamp(reviews.Length / 15, 1, 20);
            AddCurve(score, reviews, [.. run.Curve.Select(point => point.MeanScore)], window, run.Penalty.Label);
            AddCurve(kl, reviews, [.. run.Curve.Select(point => point.KlPerReview)], window, run.Penalty.Label);
            coefficient.Line(reviews, [.. run.Curve.Select(point => point.Coefficient)], run.Penalty.Label);
            if (run.Penalty.TargetPerReview is float target)
                kl.HorizontalLine(target, string.Create(CultureInfo.InvariantCulture, $"target {target:0.##}"));
        }

        figure.SavePng(path);
    }

    private static void AddCurve(Panel panel, double[] reviews, double[] values, int window, string label) =>
        panel.Line(reviews, values, faint: true).Line(reviews, Series.RollingMean(values, window), label);
}
