using System.Globalization;
using Ppo.Plotting;

namespace Ppo.Samples.RlhfTransformer;

/// <summary>Draws the PPO runs side by side: the reward-model score and the people's rating, the KL to the SFT policy, and β across training.</summary>
public static class RlhfTransformerPlot
{
    public static void Save(RlhfTransformerResult result, int seed, string path)
    {
        var figure = new Figure(rows: 1, columns: 4, title: string.Create(CultureInfo.InvariantCulture, $"RLHF on a small transformer, seed {seed}"), scale: 2);
        Panel score = figure.Panel(0, 0).Title("Reward-model score (SFT: 0)").XLabel("PPO step").YLabel("mean score of the rollout");
        Panel rating = figure.Panel(0, 1).Title("The people's hidden rating").XLabel("PPO step").YLabel("mean rating of the rollout");
        Panel kl = figure.Panel(0, 2).Title("KL to the SFT policy").XLabel("PPO step").YLabel("nats per review (k1)");
        Panel coefficient = figure.Panel(0, 3).Title("KL coefficient beta").XLabel("PPO step").YLabel("beta");
        rating.HorizontalLine(result.Supervised.MeanRating, "SFT");
        foreach (PpoRun run in result.Runs)
        {
            double[] steps = [.. run.Curve.Select(point => (double)point.Step)];
            int window = Math.Clamp(steps.Length / 10, 1, 10);
            AddCurve(score, steps, [.. run.Curve.Select(point => point.MeanScore)], window, run.Setting.Label);
            AddCurve(rating, steps, [.. run.Curve.Select(point => point.MeanRating)], window, run.Setting.Label);
            AddCurve(kl, steps, [.. run.Curve.Select(point => point.KlPerReview)], window, run.Setting.Label);
            coefficient.Line(steps, [.. run.Curve.Select(point => point.Coefficient)], run.Setting.Label);
            if (run.Setting.Target is float target)
                kl.HorizontalLine(target, string.Create(CultureInfo.InvariantCulture, $"target {target:0.##}"));
        }

        figure.SavePng(path);
    }

    private static void AddCurve(Panel panel, double[] steps, double[] values, int window, string label) =>
        panel.Line(steps, values, faint: true).Line(steps, Series.RollingMean(values, window), label);
}
