using System.Diagnostics;
using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Optimization;
using Ppo.Training;

namespace Ppo.Samples.Ablations;

/// <summary>
/// Trains PPO on CartPole-v1 once per clip range and seed, with the rl-baselines3-zoo hyperparameters except that the
/// clip range is held constant instead of decaying linearly from 0.2.
/// </summary>
/// <remarks>
/// Every run is single-threaded and deterministic for its seed, so running several at once on separate threads gives
/// the same results as running them one after another.
/// </remarks>
public sealed class ClipRangeStudy
{
    /// <summary>The finished training episodes averaged into the rolling-mean return.</summary>
    public const int RollingWindow = 20;

    /// <summary>The deterministic episodes that evaluate each trained policy.</summary>
    public const int EvaluationEpisodes = 20;

    /// <summary>The return at which CartPole-v1 counts as solved.</summary>
    public const double SolvedAt = 475;

    /// <summary>Gets the clip ranges to compare.</summary>
    public IReadOnlyList<double> ClipRanges { get; init; } = [0.1, 0.2, 0.3, 0.5];

    /// <summary>Gets the number of seeds per clip range; the seeds are 1, 2, …</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Gets the environment steps of each run.</summary>
    public long Timesteps { get; init; } = 100_000;

    /// <summary>Gets the number of runs trained at once, each on its own thread.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The rl-baselines3-zoo hyperparameters of CartPole-v1 with a constant clip range.</summary>
    public static PpoOptions Options(double clipRange, int seed) => new PpoOptions
    {
        NumEnvs = 8,
        NumSteps = 32,
        BatchSize = 256,
        NumEpochs = 20,
        Gamma = 0.98f,
        GaeLambda = 0.8f,
        EntCoef = 0f,
        LearningRate = Schedule.Linear(1e-3),
        ClipRange = clipRange,
        Seed = seed,
    }.Validate();

    /// <summary>Trains every clip range with every seed.</summary>
    /// <param name="finished">Called as each run finishes, from the thread that trained it.</param>
    /// <returns>The runs ordered by clip range, then seed, whatever order they finished in.</returns>
    public IReadOnlyList<ClipRangeRun> Run(Action<ClipRangeRun>? finished = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(ClipRanges.Count, nameof(ClipRanges));
        ArgumentOutOfRangeException.ThrowIfLessThan(Seeds, 1, nameof(Seeds));
        ArgumentOutOfRangeException.ThrowIfLessThan(Timesteps, 1, nameof(Timesteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1, nameof(Parallelism));

        var runs = new ClipRangeRun[ClipRanges.Count * Seeds];
        Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, i =>
        {
            runs[i] = Train(ClipRanges[i / Seeds], seed: 1 + i % Seeds, Timesteps);
            finished?.Invoke(runs[i]);
        });
        return runs;
    }

    /// <summary>Trains one run, then evaluates its policy deterministically.</summary>
    public static ClipRangeRun Train(double clipRange, int seed, long timesteps)
    {
        var clock = Stopwatch.StartNew();
        PpoOptions options = Options(clipRange, seed);
        using var environment = SyncVectorEnvironment.Create(options.NumEnvs, _ => new CartPole());
        var trainer = new PpoTrainer(environment, options);
        var recorder = new LearningCurveRecorder(RollingWindow);
        trainer.Learn(timesteps, recorder);

        using var evaluationEnvironment = new CartPole();
        EvaluationResult evaluation = PolicyEvaluation.Run(trainer.Policy, evaluationEnvironment, EvaluationEpisodes, seed: seed + 1_000_000_000);
        return new ClipRangeRun(clipRange, seed, recorder.Steps, recorder.RollingReturns, recorder.ClipFractions, evaluation.MeanReturn, clock.Elapsed.TotalSeconds);
    }
}
