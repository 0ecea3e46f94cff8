using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ppo.Environments;
using Ppo.Environments.Box2D;
using Ppo.Environments.ClassicControl;
using Ppo.Environments.MinAtar;
using Ppo.Optimization;
using Ppo.Plotting;
using Ppo.Samples;
using Ppo.TorchSharp;
using Ppo.Training;

RootCommand command = SampleCommandLine.Root(
    "dotnet run -c Release --project samples/MinAtar",
    "Trains PPO with the TorchSharp engine (a CNN policy on MinAtar's Breakout, or the MLP policy on CartPole-v1 or LunarLander-v3 with rl-baselines3-zoo's settings), prints the evaluation return and the process's resident memory along the way, and draws the training curve.");
Argument<string> gameArgument = SampleCommandLine.ChoiceArgument("game", "The environment", "breakout", "breakout", "cartpole", "lunarlander");
Option<int> seedOption = SampleCommandLine.Seed();
Option<long?> stepsOption = SampleCommandLine.Count("--steps", "Environment steps to train, e.g. 1e6", "1000000 for breakout and lunarlander, 100000 for cartpole", 1, SampleCommandLine.MostTimesteps);
Option<int> threadsOption = SampleCommandLine.Integer("--threads", "libtorch's threads", 1, 1, 256);
Option<string> outOption = SampleCommandLine.PathWithDefault("--out", "The folder of the training curve", Path.Combine("artifacts", "minatar"), helpName: "DIR");
command.Arguments.Add(gameArgument);
foreach (Option option in (Option[])[seedOption, stepsOption, threadsOption, outOption])
    command.Options.Add(option);
return SampleCommandLine.Invoke(command, args, Console.Out, Console.Error, parsed =>
{
    string output = parsed.GetRequiredValue(outOption);
    return OutputLocation.PrepareFolder(outOption.Name, output) is string problem
        ? SampleCommandLine.Reject(Console.Error, problem)
        : Train(parsed.GetRequiredValue(gameArgument), parsed.GetValue(seedOption), parsed.GetValue(stepsOption), parsed.GetValue(threadsOption), output);
});

// Trains with the TorchSharp engine (libtorch is loaded here, not for --help), evaluates and draws the curve.
static int Train(string game, int seed, long? requestedSteps, int threads, string output)
{
    (Func<IEnvironment> create, PpoOptions options, long defaultSteps, double? reference) = game switch
    {
        // CleanRL's Atari PPO settings (Huang et al. 2022, "The 37 implementation details of PPO"), 8 environments of 128 steps.
        "breakout" => ((Func<IEnvironment>)(() => new Breakout()), new PpoOptions
        {
            NumEnvs = 8,
            NumSteps = 128,
            BatchSize = 256,
            NumEpochs = 4,
            Gamma = 0.99f,
            GaeLambda = 0.95f,
            LearningRate = Schedule.Linear(2.5e-4),
            ClipRange = 0.1,
            EntCoef = 0.01f,
            Seed = seed,
        }, 1_000_000L, (double?)null),
        // rl-baselines3-zoo's CartPole-v1 settings; solved at 475.
        "cartpole" => (() => new CartPole(), ZooPresets.CartPole with { Seed = seed }, 100_000L, 475.0),
        // rl-baselines3-zoo's LunarLander-v3 settings; solved at 200.
        "lunarlander" => (() => new LunarLander(), ZooPresets.LunarLander with { Seed = seed }, 1_000_000L, 200.0),
        _ => throw new ArgumentOutOfRangeException(nameof(game), game, "The game must be breakout, cartpole or lunarlander."),
    };
    long steps = requestedSteps ?? defaultSteps;

    var environments = SyncVectorEnvironment.Create(options.NumEnvs, _ => create());
    TorchSharpLearner learner = TorchSharpLearner.Create(environments.ObservationSpace, environments.ActionSpace, options, new TorchSharpOptions { Threads = threads });
    var trainer = new PpoTrainer(environments, learner, options);
    var curve = new List<(double Steps, double Return)>();
    var memory = new List<(long Steps, long ResidentBytes)>();
    long nextMemoryReport = 0;
    var clock = Stopwatch.StartNew();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{game}: TorchSharp engine, seed {seed}, {steps:N0} steps, {threads} libtorch thread(s)"));
    trainer.Learn(steps, new Reporter(curve, metrics =>
    {
        if (metrics.TotalTimesteps < nextMemoryReport)
            return;
        nextMemoryReport += steps / 10;
        long resident = ResidentBytes();
        memory.Add((metrics.TotalTimesteps, resident));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {metrics.TotalTimesteps,9:N0} steps  {clock.Elapsed.TotalSeconds,7:F1} s  resident {resident / (1024.0 * 1024.0),7:F1} MiB  recent return {RecentMean(curve),7:F2}"));
    }));
    clock.Stop();

    using IEnvironment evaluationEnvironment = create();
    EvaluationResult evaluation = PolicyEvaluation.Run(trainer.Policy, evaluationEnvironment, episodes: game == "breakout" ? 50 : 20, seed: 1_000_001);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Evaluation (deterministic): mean return {evaluation.MeanReturn:F2} ± {evaluation.StandardDeviationOfReturn:F2} over {evaluation.Returns.Count} episodes; training took {clock.Elapsed.TotalSeconds:F0} s."));
    if (reference is double threshold)
        Console.WriteLine(evaluation.MeanReturn >= threshold ? $"Solved: at or above {threshold}." : $"Not solved: below {threshold}.");
    if (memory.Count >= 2)
    {
        (long firstSteps, long firstBytes) = memory[1];
        (long lastSteps, long lastBytes) = memory[^1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Resident memory from {firstSteps:N0} to {lastSteps:N0} steps: {firstBytes / 1048576.0:F1} → {lastBytes / 1048576.0:F1} MiB ({(lastBytes - firstBytes) / 1048576.0:+0.0;-0.0} MiB)."));
    }

    string plot = Path.Combine(output, $"{game}-seed{seed}.png");
    var figure = new Figure(rows: 1, columns: 1, panelWidth: 640, panelHeight: 360, title: $"{game}, TorchSharp engine, seed {seed}", scale: 2);
    double[] x = [.. curve.Select(point => point.Steps)], y = [.. curve.Select(point => point.Return)];
    Panel panel = figure.Panel(0, 0).Title("Episode return").XLabel("steps").YLabel("return")
        .Line(x, y, "episode", faint: true)
        .Line(x, Series.RollingMean(y, Math.Clamp(y.Length / 20, 1, 200)), "rolling mean");
    if (reference is double line)
        panel.HorizontalLine(line, $"solved at {line:0}");
    figure.SavePng(plot);
    Console.WriteLine($"Wrote {plot}.");
    return 0;
}

static double RecentMean(List<(double Steps, double Return)> curve)
{
    int count = Math.Min(100, curve.Count);
    double sum = 0;
    for (int i = curve.Count - count; i < curve.Count; i++)
        sum += curve[i].Return;
    return count == 0 ? double.NaN : sum / count;
}

// The resident set size (VmRSS) of this process, which counts libtorch's native allocations as well as the managed heap.
static long ResidentBytes()
{
    foreach (string line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
    }

    return Environment.WorkingSet;
}

/// <summary>Records each finished episode's return and reports each update.</summary>
internal sealed class Reporter(List<(double Steps, double Return)> curve, Action<UpdateMetrics> onUpdate) : TrainingCallback
{
    public override void OnEpisodeEnd(PpoTrainer trainer, double episodeReturn, int length) => curve.Add((trainer.TotalTimesteps, episodeReturn));

    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        onUpdate(metrics);
        return true;
    }
}
