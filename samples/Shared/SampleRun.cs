using System.Diagnostics;
using System.Globalization;
using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.TensorBoard;
using Ppo.Training;

namespace Ppo.Samples;

/// <summary>
/// What a sample trains: the environment, its defaults and its hyperparameters. <see cref="Run"/> parses the common
/// options, trains (or continues a checkpoint), evaluates 100 deterministic episodes, saves a checkpoint and writes
/// the optional outputs.
/// </summary>
internal sealed class SampleRun
{
    private static readonly string[] ValueOptions = ["--seed", "--timesteps", "--num-envs", "--summary", "--metrics", "--save", "--load", "--plot", "--tensorboard"];

    public required string Command { get; init; }

    public long DefaultTimesteps { get; init; }

    public int DefaultNumEnvs { get; init; }

    public double? SolvedAt { get; init; }

    public IReadOnlyList<string> ExtraFlags { get; init; } = [];

    /// <summary>Gets a value indicating whether the environments are stepped on two threads (for environments whose step is expensive).</summary>
    public bool StepInParallel { get; init; }

    public IReadOnlyList<string> ExtraUsage { get; init; } = [];

    /// <summary>Returns the environment's name for the given flags.</summary>
    public required Func<SampleArguments, string> EnvironmentName { get; init; }

    /// <summary>Creates one environment for the given flags.</summary>
    public required Func<SampleArguments, IEnvironment> CreateEnvironment { get; init; }

    /// <summary>Returns the hyperparameters for the given flags.</summary>
    public required Func<SampleArguments, PpoOptions> Options { get; init; }

    public int Run(string[] args)
    {
        var wallClock = Stopwatch.StartNew();
        SampleArguments arguments;
        int seed;
        long timesteps;
        PpoOptions options;
        string? loadPath;
        try
        {
            arguments = SampleArguments.Parse(args, ValueOptions, ["--help", .. ExtraFlags]);
            if (arguments.Has("--help"))
            {
                Console.WriteLine(Usage());
                return 0;
            }

            loadPath = arguments.Text("--load");
            seed = arguments.Integer("--seed", 1, 0, 1_000_000_000);
            timesteps = arguments.Count("--timesteps", DefaultTimesteps, loadPath is null ? 1 : 0, 10_000_000_000);
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
        string runName = string.Create(CultureInfo.InvariantCulture, $"{FileStem(name)}-seed{seed}");
        string savePath = arguments.Text("--save") ?? Path.Combine("checkpoints", runName + ".ppo");
        using var environment = SyncVectorEnvironment.Create(options.NumEnvs, _ => CreateEnvironment(arguments));
        environment.StepInParallel = StepInParallel;
        PpoTrainer trainer;
        try
        {
            trainer = loadPath is null ? new PpoTrainer(environment, options) : PpoTrainer.Load(loadPath, environment);
        }
        catch (Exception exception) when (exception is CheckpointException or IOException or ArgumentException)
        {
            Console.Error.WriteLine($"error: cannot continue from '{loadPath}': {exception.Message}");
            return 1;
        }

        var callbacks = new List<TrainingCallback>();
        var live = LiveProgress.IsSupported ? new LiveProgress(timesteps) : null;
        callbacks.Add(live is null ? new ProgressPrinter(everyUpdates: Math.Max(1, (int)(timesteps / trainer.Options.RolloutSize / 8)), Console.Out) : live);
        using MetricsCsvWriter? metrics = arguments.Text("--metrics") is string metricsPath ? new MetricsCsvWriter(metricsPath) : null;
        if (metrics is not null)
            callbacks.Add(metrics);
        using TensorBoardCallback? tensorBoard = arguments.Text("--tensorboard") is string logDirectory ? new TensorBoardCallback(Path.Combine(logDirectory, runName)) : null;
        if (tensorBoard is not null)
            callbacks.Add(tensorBoard);
        TrainingCurves? curves = arguments.Text("--plot") is null ? null : new TrainingCurves();
        if (curves is not null)
            callbacks.Add(curves);

        string origin = loadPath is null ? string.Empty : $", continuing '{loadPath}' from {trainer.TotalTimesteps} steps";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {timesteps} steps, {trainer.Options.NumEnvs} environments, seed {trainer.Seed}{origin}"));
        var trainClock = Stopwatch.StartNew();
        if (timesteps > 0)
        {
            if (live is null)
                trainer.Learn(timesteps, [.. callbacks]);
            else
                live.Run(name, () => trainer.Learn(timesteps, [.. callbacks]));
        }

        double trainSeconds = trainClock.Elapsed.TotalSeconds;
        using IEnvironment evaluationEnvironment = CreateEnvironment(arguments);
        EvaluationResult evaluation = PolicyEvaluation.Run(trainer.Policy, evaluationEnvironment, episodes: 100, seed: seed + 1_000_000_000, observationNormalizer: trainer.ObservationNormalizer);
        double wallSeconds = wallClock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"evaluation over 100 episodes: mean return {evaluation.MeanReturn:F1} ± {evaluation.StandardDeviationOfReturn:F1}; trained in {trainSeconds:F2} s, {wallSeconds:F2} s in all"));

        if (timesteps > 0 || arguments.Text("--save") is not null)
        {
            trainer.Save(savePath);
            Console.WriteLine($"checkpoint: {savePath}");
        }
        if (curves is not null && arguments.Text("--plot") is string plotPath)
        {
            curves.Save(plotPath, string.Create(CultureInfo.InvariantCulture, $"{name}, seed {trainer.Seed}"), SolvedAt);
            Console.WriteLine($"curves: {plotPath}");
        }

        if (arguments.Text("--summary") is string summaryPath)
            SampleSummary.Write(summaryPath, name, trainer.Seed, trainer.TotalTimesteps, wallSeconds, trainSeconds, evaluation);
        return 0;
    }

    /// <summary>Names a run's files after its environment: <c>LunarLanderContinuous-v3</c> gives <c>lunarlandercontinuous</c>.</summary>
    private static string FileStem(string environmentName) => environmentName.Split('-')[0].ToLowerInvariant();

    private string Usage() => string.Join(
        Environment.NewLine,
        [
            $"usage: {Command} -- [options]",
            "  --seed N           seed of the run (default 1)",
            string.Create(CultureInfo.InvariantCulture, $"  --timesteps N      environment steps to train, e.g. 1e5 (default {DefaultTimesteps}; 0 with --load only evaluates)"),
            string.Create(CultureInfo.InvariantCulture, $"  --num-envs N       parallel environments (default {DefaultNumEnvs})"),
            "  --load PATH        continue from a checkpoint (or, with --timesteps 0, only evaluate it)",
            "  --save PATH        where to write the final checkpoint (default checkpoints/<environment>-seed<N>.ppo; none when only evaluating)",
            "  --summary PATH     write a JSON summary of the run",
            "  --metrics PATH     write one CSV row of metrics per update",
            "  --plot PATH        draw the training curves as a PNG image",
            "  --tensorboard DIR  write TensorBoard event files under DIR (open with tensorboard --logdir DIR)",
            .. ExtraUsage,
        ]);
}
