using System.Globalization;

namespace Ppo.Samples.Ablations;

/// <summary>
/// Prints the study as a table: per clip range and seed, the final rolling-mean training return, the evaluation return
/// and the steps until the rolling mean first reached the solved return; each block ends with the mean over seeds.
/// </summary>
public static class ResultsTable
{
    private const int ColumnWidth = 8;

    /// <summary>Writes the table of <paramref name="runs"/>, one row per clip range.</summary>
    public static void Write(TextWriter output, IReadOnlyList<ClipRangeRun> runs)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(runs);

        int[] seeds = [.. runs.Select(run => run.Seed).Distinct().Order()];
        int blockWidth = (seeds.Length + 1) * ColumnWidth;
        string[] titles =
        [
            string.Create(CultureInfo.InvariantCulture, $"training return (last {ClipRangeStudy.RollingWindow} ep.)"),
            string.Create(CultureInfo.InvariantCulture, $"evaluation return ({ClipRangeStudy.EvaluationEpisodes} ep.)"),
            string.Create(CultureInfo.InvariantCulture, $"steps to training return {ClipRangeStudy.SolvedAt}"),
        ];
        output.WriteLine($"{"",-10} {string.Concat(titles.Select(title => "  " + Centered(title, blockWidth)))}");

        string seedHeaders = "  " + string.Concat(seeds.Select(seed => string.Create(CultureInfo.InvariantCulture, $"seed {seed}").PadLeft(ColumnWidth))) + "mean".PadLeft(ColumnWidth);
        output.WriteLine($"{"clip range",-10} {seedHeaders}{seedHeaders}{seedHeaders}");

        foreach (IGrouping<double, ClipRangeRun> group in runs.GroupBy(run => run.ClipRange))
        {
            ClipRangeRun[] bySeed = [.. group.OrderBy(run => run.Seed)];
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{group.Key,10} {Cells(bySeed.Select(run => run.FinalRollingReturn), "F1")}{Cells(bySeed.Select(run => run.EvaluationMeanReturn), "F1")}{Cells(bySeed.Select(run => run.StepsToSolve), "F0")}"));
        }
    }

    /// <summary>One block of cells: each value, then their mean; a NaN (never solved) is shown as "-" and makes the mean "-".</summary>
    private static string Cells(IEnumerable<double> values, string format)
    {
        double[] row = [.. values];
        return "  " + string.Concat(row.Append(row.Average()).Select(value => (double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture)).PadLeft(ColumnWidth)));
    }

    private static string Centered(string text, int width) => text.Length >= width ? text : text.PadLeft((width + text.Length) / 2).PadRight(width);
}
