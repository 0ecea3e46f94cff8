using System.Diagnostics;
using System.Globalization;
using Ppo.Environments;
using Ppo.Environments.Box2D;
using Ppo.Environments.ClassicControl;
using Ppo.Environments.MinAtar;
using Ppo.Optimization;
using Ppo.Plotting;
using Ppo.TorchSharp;
using Ppo.Training;

// dotnet run -c Release --project samples/MinAtar -- [breakout|cartpole|lunarlander] [--seed S] [--steps N] [--threads T] [--out DIR]
// Trains with the TorchSharp engine, prints the evaluation return and the process's resident memory along the way, and
// writes the training curve (breakout) next to the metrics.
string game = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "breakout";
int seed = IntOption("--seed", 1);
int threads = IntOption("--threads", 1);
string output = Option("--out") ?? Path.Combine("artifacts", "minatar");
Directory.CreateDirectory(output);

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
    _ => throw new ArgumentException($"Unknown game '{game}'; choose breakout, cartpole or lunarlander."),
};
long steps = Option("--steps") is string text ? long.Parse(text, CultureInfo.InvariantCulture) : defaultSteps;

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

string? Option(string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int IntOption(string name, int fallback) => Option(name) is string value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

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
