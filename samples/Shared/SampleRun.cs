using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.TensorBoard;
using Ppo.Onnx;
using Ppo.Training;

namespace Ppo.Samples;

/// <summary>
/// What a sample trains: the environment, its defaults and its hyperparameters. <see cref="Run"/> parses the common
/// options, checks every output path, trains (or continues a checkpoint), evaluates 100 deterministic episodes, saves
/// a checkpoint and writes the optional outputs.
/// </summary>
internal sealed class SampleRun
{
    private const string CheckpointFolder = "checkpoints";

    public required string Command { get; init; }

    /// <summary>Gets what the sample does, the first line of its help.</summary>
    public required string Description { get; init; }

    public long DefaultTimesteps { get; init; }

    public int DefaultNumEnvs { get; init; }

    public double? SolvedAt { get; init; }

    /// <summary>Gets the sample's own options, which <see cref="EnvironmentName"/>, <see cref="CreateEnvironment"/> and <see cref="Options"/> read.</summary>
    public IReadOnlyList<Option> ExtraOptions { get; init; } = [];

    /// <summary>Gets the engines besides the managed default that <c>--engine</c> offers; without any, the sample has no <c>--engine</c>.</summary>
    public IReadOnlyList<SampleEngine> Engines { get; init; } = [];

    /// <summary>Gets a value indicating whether the environments are stepped on two threads (for environments whose step is expensive).</summary>
    public bool StepInParallel { get; init; }

    /// <summary>Returns the environment's name for the parsed command line.</summary>
    public required Func<ParseResult, string> EnvironmentName { get; init; }

    /// <summary>Creates one environment for the parsed command line.</summary>
    public required Func<ParseResult, IEnvironment> CreateEnvironment { get; init; }

    /// <summary>Returns the hyperparameters for the parsed command line.</summary>
    public required Func<ParseResult, PpoOptions> Options { get; init; }

    /// <summary>Runs the sample with <paramref name="args"/>.</summary>
    /// <returns>0 on success; 1 when a checkpoint cannot be loaded or an output could not be written where asked; 2 for a command-line mistake.</returns>
    public int Run(string[] args)
    {
        Option<string>? engine = Engines.Count == 0
            ? null
            : SampleCommandLine.ChoiceOption("--engine", "The engine that computes the policy; with --load, the checkpoint's", SampleEngine.Managed, [SampleEngine.Managed, .. Engines.Select(candidate => candidate.Name)]);
        Option[] options = engine is null ? [.. ExtraOptions] : [.. ExtraOptions, engine, .. Engines.SelectMany(candidate => candidate.Options)];
        var command = new SampleCommand(Command, Description, DefaultTimesteps, DefaultNumEnvs, options);
        return SampleCommandLine.Invoke(command.Root, args, Console.Out, Console.Error, parsed => Train(command, engine, parsed, Console.Out, Console.Error));
    }

    private int Train(SampleCommand command, Option<string>? engineOption, ParseResult parsed, TextWriter output, TextWriter error)
    {
        var wallClock = Stopwatch.StartNew();
        string? loadPath = parsed.GetValue(command.Load), savePath = parsed.GetValue(command.Save);
        string? plotPath = parsed.GetValue(command.Plot), summaryPath = parsed.GetValue(command.Summary);
        string? metricsPath = parsed.GetValue(command.Metrics), logFolder = parsed.GetValue(command.TensorBoard);
        string? onnxPath = parsed.GetValue(command.ExportOnnx);
        int seed = parsed.GetValue(command.Seed);
        long timesteps = parsed.GetValue(command.Timesteps);
        if (timesteps == 0 && loadPath is null)
            return SampleCommandLine.Reject(error, SampleCommandLine.CountRangeMessage(command.Timesteps.Name, 1, SampleCommandLine.MostTimesteps, "0") + " Only with --load does 0 mean: evaluate it.");

        PpoOptions options;
        try
        {
            options = (Options(parsed) with { NumEnvs = parsed.GetValue(command.NumEnvs), Seed = seed }).Validate();
        }
        catch (ArgumentException exception)
        {
            return SampleCommandLine.Reject(error, exception.Message);
        }

        bool saves = timesteps > 0 || savePath is not null;
        // The folder of default checkpoints comes last, so that a mistake in a path named by the user creates nothing.
        string? problem = (saves && savePath is not null ? OutputLocation.PrepareFile(command.Save.Name, savePath) : null)
            ?? (plotPath is null ? null : OutputLocation.PrepareFile(command.Plot.Name, plotPath))
            ?? (summaryPath is null ? null : OutputLocation.PrepareFile(command.Summary.Name, summaryPath))
            ?? (metricsPath is null ? null : OutputLocation.PrepareFile(command.Metrics.Name, metricsPath))
            ?? (onnxPath is null ? null : OutputLocation.PrepareFile(command.ExportOnnx.Name, onnxPath))
            ?? (logFolder is null ? null : OutputLocation.PrepareFolder(command.TensorBoard.Name, logFolder))
            ?? (saves && savePath is null ? OutputLocation.PrepareFolder(command.Save.Name, CheckpointFolder) : null);
        if (problem is not null)
            return SampleCommandLine.Reject(error, problem);

        string name = EnvironmentName(parsed);
        string stem = string.Create(CultureInfo.InvariantCulture, $"{FileStem(name)}-seed{seed}");
        int runNumber = RunNames.Next(stem, savePath is null ? CheckpointFolder : null, logFolder);
        using var environment = SyncVectorEnvironment.Create(options.NumEnvs, _ => CreateEnvironment(parsed));
        environment.StepInParallel = StepInParallel;
        string engineName = engineOption is null ? SampleEngine.Managed : parsed.GetValue(engineOption)!;
        SampleEngine? engine = Engines.FirstOrDefault(candidate => candidate.Name == engineName);
        PpoTrainer trainer;
        try
        {
            if (loadPath is null)
            {
                trainer = engine is null ? new PpoTrainer(environment, options) : new PpoTrainer(environment, engine.CreateLearner(parsed, environment, options), options);
            }
            else
            {
                foreach (SampleEngine candidate in Engines)
                    candidate.RegisterCheckpointFactory(parsed);
                trainer = PpoTrainer.Load(loadPath, environment);
            }
        }
        catch (Exception exception) when (Unavailable(exception) is string message)
        {
            error.WriteLine($"error: {message}");
            return 1;
        }
        catch (Exception exception) when (exception is CheckpointException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error.WriteLine($"error: cannot continue from '{loadPath}': {exception.Message}");
            return 1;
        }

        if (engineOption is not null && parsed.GetResult(engineOption) is { Implicit: false } && trainer.Learner.Kind != engineName)
            return SampleCommandLine.Reject(error, $"--engine {engineName} was asked for, but '{loadPath}' was trained by the {trainer.Learner.Kind} engine; leave --engine out to continue with the checkpoint's.");
        if (onnxPath is not null && trainer.Learner.Kind != SampleEngine.Managed)
            return SampleCommandLine.Reject(error, $"{command.ExportOnnx.Name} exports the managed engine's network; it cannot export a policy of the {trainer.Learner.Kind} engine.");

        var callbacks = new List<TrainingCallback>();
        var live = LiveProgress.IsSupported ? new LiveProgress(name, timesteps) : null;
        callbacks.Add(live is null ? new ProgressPrinter(everyUpdates: Math.Max(1, (int)(timesteps / trainer.Options.RolloutSize / 8)), output) : live);
        using MetricsCsvWriter? metrics = metricsPath is null ? null : new MetricsCsvWriter(metricsPath);
        if (metrics is not null)
            callbacks.Add(metrics);
        string? runFolder = logFolder is null ? null : Path.Combine(logFolder, RunNames.Numbered(stem, runNumber));
        using TensorBoardCallback? tensorBoard = runFolder is null ? null : new TensorBoardCallback(runFolder);
        if (tensorBoard is not null)
            callbacks.Add(tensorBoard);
        TrainingCurves? curves = plotPath is null ? null : new TrainingCurves();
        if (curves is not null)
            callbacks.Add(curves);

        string origin = loadPath is null ? string.Empty : $", continuing '{loadPath}' from {trainer.TotalTimesteps} steps";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {timesteps} steps, {trainer.Options.NumEnvs} environments, seed {trainer.Seed}{origin}"));
        if (runFolder is not null)
            output.WriteLine($"TensorBoard run: {runFolder}");
        var trainClock = Stopwatch.StartNew();
        if (timesteps > 0)
        {
            if (live is null)
                trainer.Learn(timesteps, [.. callbacks]);
            else
                live.Run(() => trainer.Learn(timesteps, [.. callbacks]));
        }

        double trainSeconds = trainClock.Elapsed.TotalSeconds;
        using IEnvironment evaluationEnvironment = CreateEnvironment(parsed);
        EvaluationResult evaluation = PolicyEvaluation.Run(trainer.Policy, evaluationEnvironment, episodes: 100, seed: seed + 1_000_000_000, observationNormalizer: trainer.ObservationNormalizer);
        double wallSeconds = wallClock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"evaluation over 100 episodes: mean return {evaluation.MeanReturn:F1} ± {evaluation.StandardDeviationOfReturn:F1}; trained in {trainSeconds:F2} s, {wallSeconds:F2} s in all"));

        // A checkpoint the user did not name takes the run's number, or the next free one if another run took it meanwhile.
        bool allWritten = true;
        if (saves)
            allWritten &= OutputLocation.Write("checkpoint", savePath ?? RunNames.FreeCheckpoint(CheckpointFolder, stem, runNumber), trainer.Save, output, error);
        if (curves is not null && plotPath is not null)
            allWritten &= OutputLocation.Write("curves", plotPath, path => curves.Save(path, string.Create(CultureInfo.InvariantCulture, $"{name}, seed {trainer.Seed}"), SolvedAt), output, error);
        if (onnxPath is not null)
            allWritten &= OutputLocation.Write("ONNX model", onnxPath, path => OnnxExport.Save(trainer.ToTrainedPolicy(), path), output, error);
        if (summaryPath is not null)
            allWritten &= OutputLocation.Write("summary", summaryPath, path => SampleSummary.Write(path, name, trainer.Seed, trainer.TotalTimesteps, wallSeconds, trainSeconds, evaluation), output, error);
        return allWritten ? 0 : 1;
    }

    /// <summary>Returns what an engine says about an exception that means it cannot run here, or <see langword="null"/>.</summary>
    private string? Unavailable(Exception exception) =>
        Engines.Select(candidate => candidate.Unavailable(exception)).FirstOrDefault(message => message is not null);

    /// <summary>Names a run's files after its environment: <c>LunarLanderContinuous-v3</c> gives <c>lunarlandercontinuous</c>.</summary>
    private static string FileStem(string environmentName) => environmentName.Split('-')[0].ToLowerInvariant();
}
