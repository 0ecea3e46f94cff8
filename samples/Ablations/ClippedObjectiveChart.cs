using System.Globalization;
using Ppo.Plotting;

namespace Ppo.Samples.Ablations;

/// <summary>Draws the clipped objective and its gradient against the probability ratio, for a positive and a negative advantage.</summary>
public static class ClippedObjectiveChart
{
    private static readonly Color ObjectiveColor = Color.FromRgb(0x1F77B4);
    private static readonly Color GradientColor = Color.FromRgb(0x2CA02C);
    private static readonly Color BoundsColor = Color.FromRgb(0x222222);

    /// <summary>
    /// Saves a 2 × 2 PNG image: the objective (top) and its gradient with respect to the new log-probability (bottom),
    /// for A = +1 (left) and A = −1 (right), each over the unclipped <c>r·A</c> and with 1 − ε and 1 + ε marked.
    /// </summary>
    /// <exception cref="ArgumentException">The curves have different clip ranges.</exception>
    public static void Save(string path, ClippedObjectiveCurve positive, ClippedObjectiveCurve negative)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(negative);
        if (positive.ClipRange != negative.ClipRange)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Both curves must have the same clip range (were {positive.ClipRange} and {negative.ClipRange})."), nameof(negative));

        var figure = new Figure(rows: 2, columns: 2, panelWidth: 480, panelHeight: 300, title: string.Create(CultureInfo.InvariantCulture, $"PPO's clipped objective per sample, eps = {positive.ClipRange}"), scale: 2);
        Draw(figure.Panel(0, 0), positive, positive.Objectives, "Objective", "min(r*A, clip(r)*A)", ObjectiveColor);
        Draw(figure.Panel(0, 1), negative, negative.Objectives, "Objective", "min(r*A, clip(r)*A)", ObjectiveColor);
        Draw(figure.Panel(1, 0), positive, positive.Gradients, "Gradient", "d objective / d log pi_new", GradientColor);
        Draw(figure.Panel(1, 1), negative, negative.Gradients, "Gradient", "d objective / d log pi_new", GradientColor);
        figure.SavePng(path);
    }

    private static void Draw(Panel panel, ClippedObjectiveCurve curve, IReadOnlyList<double> values, string quantity, string label, Color color)
    {
        double[] ratios = [.. curve.Ratios];
        double[] unclipped = [.. ratios.Select(ratio => ratio * curve.Advantage)];
        double minimum = Math.Min(0, Math.Min(unclipped.Min(), values.Min()));
        double maximum = Math.Max(0, Math.Max(unclipped.Max(), values.Max()));
        double margin = 0.08 * (maximum - minimum);
        (double bottom, double top) = (minimum - margin, maximum + margin);
        float lower = 1 - curve.ClipRange, upper = 1 + curve.ClipRange;

        panel.Title(string.Create(CultureInfo.InvariantCulture, $"{quantity}, A = {curve.Advantage:+0.##;-0.##}"))
            .XLabel("probability ratio r = pi_new / pi_old")
            .YLabel(quantity.ToLowerInvariant())
            .YRange(bottom, top)
            .Line([lower, lower, double.NaN, upper, upper], [bottom, top, double.NaN, bottom, top], string.Create(CultureInfo.InvariantCulture, $"1 - eps and 1 + eps ({lower}, {upper})"), faint: true, color: BoundsColor)
            .Line(ratios, unclipped, "r*A, without clipping", faint: true, color: color)
            .Line(ratios, [.. values], label, color: color);
    }
}
