using System.Globalization;
using System.Text;
using Ppo.Training;

namespace Ppo.Samples;

/// <summary>
/// The two lines of the live progress display, laid out for a terminal width: the bar with its percentage and time
/// left, then as many of the latest update's figures as fit. Every line is shorter than the width, so that no terminal
/// wraps it (a line of exactly the width wraps on some).
/// </summary>
internal static class ProgressLayout
{
    /// <summary>The narrowest terminal laid out as designed; a narrower one gets lines cut at its width.</summary>
    public const int NarrowestWidth = 60;

    private const int WidestBar = 60;

    /// <summary>The room kept for the percentage and the times (" 100%  9:59:59  9:59:59 left"), so that the bar keeps its length.</summary>
    private const int WidestTail = 28;

    /// <summary>Lays out the progress of <paramref name="done"/> of <paramref name="total"/> steps after <paramref name="elapsed"/>.</summary>
    /// <param name="description">The run's name, such as the environment's; shortened when the width needs it.</param>
    /// <param name="done">The steps this run has trained.</param>
    /// <param name="total">The steps this run trains.</param>
    /// <param name="elapsed">The time since the run started.</param>
    /// <param name="metrics">The latest update, or <see langword="null"/> before the first one.</param>
    /// <param name="width">The terminal's width in columns.</param>
    public static string[] Lines(string description, long done, long total, TimeSpan elapsed, UpdateMetrics? metrics, int width)
    {
        int room = Math.Max(width, 2) - 1;
        double fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        string remaining = done <= 0 || fraction >= 1 ? (fraction >= 1 ? "done" : "--:--") : Clock(elapsed.TotalSeconds * (1 - fraction) / fraction) + " left";
        string tail = string.Create(CultureInfo.InvariantCulture, $" {fraction * 100,3:F0}%  {Clock(elapsed.TotalSeconds)}  {remaining}");
        string name = Shorten(description, Math.Max(room / 3, 4));
        int bar = Math.Min(WidestBar, room - name.Length - 3 - WidestTail);

        var first = new StringBuilder(name);
        if (bar >= 4)
        {
            int filled = (int)Math.Round(fraction * bar);
            first.Append(" [").Append('#', filled).Append('-', bar - filled).Append(']');
        }

        first.Append(tail);
        return [Cut(first.ToString(), room), Cut(Figures(metrics, room), room)];
    }

    /// <summary>The update's figures, most important first, as many as fit in <paramref name="room"/> columns.</summary>
    private static string Figures(UpdateMetrics? metrics, int room)
    {
        if (metrics is not UpdateMetrics m)
            return "waiting for the first update";
        string[] figures =
        [
            string.Create(CultureInfo.InvariantCulture, $"{m.TotalTimesteps} steps"),
            string.Create(CultureInfo.InvariantCulture, $"return {m.MeanEpisodeReturn:F1}"),
            string.Create(CultureInfo.InvariantCulture, $"{m.StepsPerSecond:F0} steps/s"),
            string.Create(CultureInfo.InvariantCulture, $"kl {m.ApproximateKl:F4}"),
            string.Create(CultureInfo.InvariantCulture, $"clip {m.ClipFraction:F3}"),
            string.Create(CultureInfo.InvariantCulture, $"ratio {m.RatioMean:F3} ± {m.RatioStandardDeviation:F3}"),
            string.Create(CultureInfo.InvariantCulture, $"entropy {-m.EntropyLoss:F3}"),
            string.Create(CultureInfo.InvariantCulture, $"update {m.Update}"),
        ];
        var line = new StringBuilder(figures[0]);
        for (int i = 1; i < figures.Length && line.Length + 2 + figures[i].Length <= room; i++)
            line.Append("  ").Append(figures[i]);
        return line.ToString();
    }

    /// <summary><c>m:ss</c>, or <c>h:mm:ss</c> from an hour on.</summary>
    private static string Clock(double seconds)
    {
        if (!(seconds < 100 * 3600))
            return ">99 h";
        long whole = (long)seconds;
        return whole >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{whole / 3600}:{whole / 60 % 60:00}:{whole % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{whole / 60}:{whole % 60:00}");
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "~");

    private static string Cut(string line, int room) => line.Length <= room ? line : line[..room];
}
