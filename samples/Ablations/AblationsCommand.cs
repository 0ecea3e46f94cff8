using System.CommandLine;
using System.CommandLine.Parsing;
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

    /// <summary>Runs the sample with <paramref name="args"/>.</summary>
    /// <returns>0 on success, 1 when an image could not be written where asked, 2 when an option is invalid (the message names it).</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var defaults = new ClipRangeStudy();
        RootCommand command = SampleCommandLine.Root(
            Command,
            "Compares constant PPO clip ranges on CartPole-v1 over several seeds, and draws the clipped objective against the ratio.");
        Option<double[]?> clipRanges = new("--clip-ranges")
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"Constant clip ranges to compare, separated by commas [default: {string.Join(',', defaults.ClipRanges)}]"),
            HelpName = "LIST",
            CustomParser = ParseClipRanges,
        };
        command.Options.Add(clipRanges);
        Option<int> seeds = SampleCommandLine.Integer("--seeds", "Seeds per clip range, 1 to N", defaults.Seeds, 1, 100);
        command.Options.Add(seeds);
        Option<long> timesteps = SampleCommandLine.Count("--timesteps", "Environment steps per run, e.g. 1e5", defaults.Timesteps, 1, 100_000_000);
        command.Options.Add(timesteps);
        Option<int> parallel = SampleCommandLine.Integer("--parallel", "Runs trained at once, each on its own thread (the default is the processor count)", Math.Clamp(Environment.ProcessorCount, 1, 64), 1, 64);
        command.Options.Add(parallel);
        Option<string> plot = SampleCommandLine.PathWithDefault("--plot", "The learning curves image", "ablation-clip-range.png");
        command.Options.Add(plot);
        Option<string> objectivePlot = SampleCommandLine.PathWithDefault("--objective-plot", "The clipped objective image", "clipped-objective.png");
        command.Options.Add(objectivePlot);

        return SampleCommandLine.Invoke(command, args, output, error, parsed =>
        {
            var study = new ClipRangeStudy
            {
                ClipRanges = parsed.GetValue(clipRanges) ?? defaults.ClipRanges,
                Seeds = parsed.GetValue(seeds),
                Timesteps = parsed.GetValue(timesteps),
                Parallelism = parsed.GetValue(parallel),
            };
            string plotPath = parsed.GetRequiredValue(plot), objectivePlotPath = parsed.GetRequiredValue(objectivePlot);
            string? problem = OutputLocation.PrepareFile(plot.Name, plotPath) ?? OutputLocation.PrepareFile(objectivePlot.Name, objectivePlotPath);
            return problem is null ? Run(study, plotPath, objectivePlotPath, output, error) : SampleCommandLine.Reject(error, problem);
        });
    }

    private static int Run(ClipRangeStudy study, string plotPath, string objectivePlotPath, TextWriter output, TextWriter error)
    {
        var clock = Stopwatch.StartNew();
        bool objectiveWritten = OutputLocation.Write(
            "clipped objective",
            objectivePlotPath,
            path => ClippedObjectiveChart.Save(path, ClippedObjectiveCurve.Compute(advantage: 1f, ObjectiveClipRange), ClippedObjectiveCurve.Compute(advantage: -1f, ObjectiveClipRange)),
            output,
            error);

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
        bool curvesWritten = OutputLocation.Write("learning curves", plotPath, path => ClipRangeChart.Save(path, runs), output, error);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:F1} s in all"));
        return objectiveWritten && curvesWritten ? 0 : 1;
    }

    private static double[]? ParseClipRanges(ArgumentResult result)
    {
        string list = result.Tokens[0].Value;
        var clipRanges = new List<double>();
        foreach (string item in list.Split(','))
        {
            if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double clipRange) || !(clipRange is > 0 and <= 1))
            {
                result.AddError($"--clip-ranges must be a comma-separated list of numbers in (0, 1], such as 0.1,0.2 (was '{list}').");
                return [];
            }

            if (clipRanges.Contains(clipRange))
            {
                result.AddError($"--clip-ranges lists {item} twice (was '{list}').");
                return [];
            }

            clipRanges.Add(clipRange);
        }

        return [.. clipRanges];
    }
}
