using System.Diagnostics;
using System.Globalization;
using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Optimization;
using Ppo.Samples;
using Ppo.Training;

// Trains PPO on CartPole-v1 with the rl-baselines3-zoo hyperparameters, then evaluates 100 deterministic episodes.
const string Usage = """
    usage: dotnet run -c Release --project samples/CartPole -- [options]
      --seed N           seed of the run (default 1)
      --timesteps N      environment steps to train, e.g. 1e5 (default 100000)
      --num-envs N       parallel environments (default 8)
      --summary PATH     write a JSON summary of the run
      --metrics PATH     write one CSV row of metrics per update
    """;

var wallClock = Stopwatch.StartNew();
SampleArguments arguments;
int seed, numEnvs;
long timesteps;
try
{
    arguments = SampleArguments.Parse(args, ["--seed", "--timesteps", "--num-envs", "--summary", "--metrics"], ["--help"]);
    if (arguments.Has("--help"))
    {
        Console.WriteLine(Usage);
        return 0;
    }

    seed = arguments.Integer("--seed", 1, 0, int.MaxValue);
    timesteps = arguments.Count("--timesteps", 100_000, 1, 1_000_000_000);
    numEnvs = arguments.Integer("--num-envs", 8, 1, 1024);
}
catch (SampleUsageException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}

var options = new PpoOptions
{
    NumEnvs = numEnvs,
    NumSteps = 32,
    BatchSize = 256,
    GaeLambda = 0.8f,
    Gamma = 0.98f,
    NumEpochs = 20,
    EntCoef = 0f,
    LearningRate = Schedule.Linear(1e-3),
    ClipRange = Schedule.Linear(0.2),
    Seed = seed,
};

try
{
    options.Validate();
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 2;
}

using var environment = SyncVectorEnvironment.Create(numEnvs, _ => new CartPole());
var trainer = new PpoTrainer(environment, options);
var callbacks = new List<TrainingCallback> { new ProgressPrinter(everyUpdates: 50, Console.Out) };
using MetricsCsvWriter? metrics = arguments.Text("--metrics") is string metricsPath ? new MetricsCsvWriter(metricsPath) : null;
if (metrics is not null)
    callbacks.Add(metrics);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CartPole-v1: {timesteps} steps, {numEnvs} environments, seed {seed}"));
var trainClock = Stopwatch.StartNew();
trainer.Learn(timesteps, [.. callbacks]);
double trainSeconds = trainClock.Elapsed.TotalSeconds;

using var evaluationEnvironment = new CartPole();
EvaluationResult evaluation = PolicyEvaluation.Run(trainer.Policy, evaluationEnvironment, episodes: 100, seed: seed + 1_000_000);
double wallSeconds = wallClock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"evaluation over 100 episodes: mean return {evaluation.MeanReturn:F1} ± {evaluation.StandardDeviationOfReturn:F1}; trained in {trainSeconds:F2} s, {wallSeconds:F2} s in all"));

if (arguments.Text("--summary") is string summaryPath)
    SampleSummary.Write(summaryPath, "CartPole-v1", seed, trainer.TotalTimesteps, wallSeconds, trainSeconds, evaluation);
return 0;
