using System.Diagnostics;
using System.Globalization;

namespace Ppo.Samples.Ablations;

/// <summary>
/// The command line of the sample: draws the clipped objective, trains the clip-range study, prints its table and draws
/// its learning curves.
/// </summary>
public static class AblationsCommand
{
    /// <summary>The command that runs the sample.</summary>
    public const string Command = "dotnet run -c Release --project samples/Ablations";

    private const float ObjectiveClipRange = 0.2f;

    private static readonly string[] ValueOptions = ["--seeds", "--timesteps", "--clip-ranges", "--parallel", "--plot", "--objective-plot"];

    /// <summary>Runs the sample with <paramref name="args"/>.</summary>
    /// <returns>0 on success, 2 when an option is invalid (the message names it).</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var clock = Stopwatch.StartNew();
        ClipRangeStudy study;
        string plotPath, objectivePlotPath;
        try
        {
            SampleArguments arguments = SampleArguments.Parse(args, ValueOptions, ["--help"]);
            if (arguments.Has("--help"))
            {
                output.WriteLine(Usage());
                return 0;
            }

            var defaults = new ClipRangeStudy();
            study = new ClipRangeStudy
            {
                ClipRanges = arguments.Text("--clip-ranges") is string list ? ParseClipRanges(list) : defaults.ClipRanges,
                Seeds = arguments.Integer("--seeds", defaults.Seeds, 1, 100),
                Timesteps = arguments.Count("--timesteps", defaults.Timesteps, 1, 100_000_000),
                Parallelism = arguments.Integer("--parallel", Math.Clamp(Environment.ProcessorCount, 1, 64), 1, 64),
            };
            plotPath = arguments.Text("--plot") ?? "ablation-clip-range.png";
            objectivePlotPath = arguments.Text("--objective-plot") ?? "clipped-objective.png";
        }
        catch (SampleUsageException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            error.WriteLine(Usage());
            return 2;
        }

        ClippedObjectiveChart.Save(
            objectivePlotPath,
            ClippedObjectiveCurve.Compute(advantage: 1f, ObjectiveClipRange),
            ClippedObjectiveCurve.Compute(advantage: -1f, ObjectiveClipRange));
        output.WriteLine($"clipped objective: {objectivePlotPath}");

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"CartPole-v1, clip range {string.Join(", ", study.ClipRanges)} × {study.Seeds} seed{(study.Seeds == 1 ? "" : "s")}, {study.Timesteps} steps each, {study.Parallelism} at a time"));
        TextWriter progress = TextWriter.Synchronized(output);
        IReadOnlyList<ClipRangeRun> runs = study.Run(run => progress.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  clip range {run.ClipRange}, seed {run.Seed}: training return {run.FinalRollingReturn,6:F1}, evaluation {run.EvaluationMeanReturn,6:F1} ({run.Seconds:F1} s)")));

        output.WriteLine();
        ResultsTable.Write(output, runs);
        output.WriteLine();
        ClipRangeChart.Save(plotPath, runs);
        output.WriteLine($"learning curves: {plotPath}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:F1} s in all"));
        return 0;
    }

    private static double[] ParseClipRanges(string list)
    {
        var clipRanges = new List<double>();
        foreach (string item in list.Split(','))
        {
            if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double clipRange) || !(clipRange is > 0 and <= 1))
                throw new SampleUsageException($"--clip-ranges must be a comma-separated list of numbers in (0, 1], such as 0.1,0.2 (was '{list}').");
            if (clipRanges.Contains(clipRange))
                throw new SampleUsageException($"--clip-ranges lists {item} twice (was '{list}').");
            clipRanges.Add(clipRange);
        }

        return [.. clipRanges];
    }

    private static string Usage() => string.Join(
        Environment.NewLine,
        [
            $"usage: {Command} -- [options]",
            "  --clip-ranges LIST     constant clip ranges to compare (default 0.1,0.2,0.3,0.5)",
            "  --seeds N              seeds per clip range, 1 to N (default 3)",
            "  --timesteps N          environment steps per run, e.g. 1e5 (default 100000)",
            "  --parallel N           runs trained at once, each on its own thread (default: the processor count)",
            "  --plot PATH            the learning curves image (default ablation-clip-range.png)",
            "  --objective-plot PATH  the clipped objective image (default clipped-objective.png)",
        ]);
}
