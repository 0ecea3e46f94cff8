using System.Diagnostics;
using System.Globalization;
using Ppo.Environments;
using Ppo.Training;

namespace Ppo.Samples;

/// <summary>
/// What a sample trains: the environment, its defaults and its hyperparameters. <see cref="Run"/> parses the common
/// options, trains, evaluates 100 deterministic episodes and writes the optional outputs.
/// </summary>
internal sealed class SampleRun
{
    private static readonly string[] ValueOptions = ["--seed", "--timesteps", "--num-envs", "--summary", "--metrics"];

    public required string Command { get; init; }

    public long DefaultTimesteps { get; init; }

    public int DefaultNumEnvs { get; init; }

    public IReadOnlyList<string> ExtraFlags { get; init; } = [];

    public IReadOnlyList<string> ExtraUsage { get; init; } = [];

    /// <summary>Returns the environment's name for the given flags.</summary>
    public required Func<SampleArguments, string> EnvironmentName { get; init; }

    /// <summary>Creates one environment for the given flags.</summary>
    public required Func<SampleArguments, IEnvironment> CreateEnvironment { get; init; }

    /// <summary>Returns the hyperparameters for the given flags, seed and environment count.</summary>
    public required Func<SampleArguments, PpoOptions> Options { get; init; }

    public int Run(string[] args)
    {
        var wallClock = Stopwatch.StartNew();
        SampleArguments arguments;
        int seed;
        long timesteps;
        PpoOptions options;
        try
        {
            arguments = SampleArguments.Parse(args, ValueOptions, ["--help", .. ExtraFlags]);
            if (arguments.Has("--help"))
            {
                Console.WriteLine(Usage());
                return 0;
            }

            seed = arguments.Integer("--seed", 1, 0, 1_000_000_000);
            timesteps = arguments.Count("--timesteps", DefaultTimesteps, 1, 10_000_000_000);
            int numEnvs = arguments.Integer("--num-envs", DefaultNumEnvs, 1, 1024);
            options = (Options(arguments) with { NumEnvs = numEnvs, Seed = seed }).Validate();
        }
        catch (Exception exception) when (exception is SampleUsageException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            Console.Error.WriteLine(Usage());
            return 2;
        }

        string name = EnvironmentName(arguments);
        using var environment = SyncVectorEnvironment.Create(options.NumEnvs, _ => CreateEnvironment(arguments));
        var trainer = new PpoTrainer(environment, options);
        var callbacks = new List<TrainingCallback> { new ProgressPrinter(everyUpdates: Math.Max(1, (int)(timesteps / options.RolloutSize / 8)), Console.Out) };
        using MetricsCsvWriter? metrics = arguments.Text("--metrics") is string metricsPath ? new MetricsCsvWriter(metricsPath) : null;
        if (metrics is not null)
            callbacks.Add(metrics);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {timesteps} steps, {options.NumEnvs} environments, seed {seed}"));
        var trainClock = Stopwatch.StartNew();
        trainer.Learn(timesteps, [.. callbacks]);
        double trainSeconds = trainClock.Elapsed.TotalSeconds;

        using IEnvironment evaluationEnvironment = CreateEnvironment(arguments);
        EvaluationResult evaluation = PolicyEvaluation.Run(trainer.Policy, evaluationEnvironment, episodes: 100, seed: seed + 1_000_000_000, observationNormalizer: trainer.ObservationNormalizer);
        double wallSeconds = wallClock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"evaluation over 100 episodes: mean return {evaluation.MeanReturn:F1} ± {evaluation.StandardDeviationOfReturn:F1}; trained in {trainSeconds:F2} s, {wallSeconds:F2} s in all"));

        if (arguments.Text("--summary") is string summaryPath)
            SampleSummary.Write(summaryPath, name, seed, trainer.TotalTimesteps, wallSeconds, trainSeconds, evaluation);
        return 0;
    }

    private string Usage() => string.Join(
        Environment.NewLine,
        [
            $"usage: {Command} -- [options]",
            "  --seed N           seed of the run (default 1)",
            string.Create(CultureInfo.InvariantCulture, $"  --timesteps N      environment steps to train, e.g. 1e5 (default {DefaultTimesteps})"),
            string.Create(CultureInfo.InvariantCulture, $"  --num-envs N       parallel environments (default {DefaultNumEnvs})"),
            "  --summary PATH     write a JSON summary of the run",
            "  --metrics PATH     write one CSV row of metrics per update",
            .. ExtraUsage,
        ]);
}
