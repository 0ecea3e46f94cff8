using Ppo.Environments;

namespace Ppo.Training;

/// <summary>
/// Evaluates the policy on a separate environment every <see cref="EveryTimesteps"/> steps, and optionally stops
/// training once the mean evaluation return reaches a threshold (Stable-Baselines3's <c>EvalCallback</c> with
/// <c>StopTrainingOnRewardThreshold</c>).
/// </summary>
public sealed class EvaluationCallback : TrainingCallback
{
    private readonly IEnvironment _environment;
    private readonly List<(long Timesteps, EvaluationResult Result)> _results = [];
    private long _nextEvaluation;

    /// <summary>Creates the callback.</summary>
    /// <param name="environment">The evaluation environment, separate from the training ones.</param>
    /// <param name="everyTimesteps">The interval in environment steps; at least 1.</param>
    /// <param name="episodes">The episodes per evaluation; at least 1.</param>
    /// <param name="seed">The seed of each evaluation's first reset.</param>
    /// <param name="stopAtMeanReturn">Stops training once an evaluation's mean return is at least this, or <see langword="null"/> to never stop.</param>
    /// <exception cref="ArgumentOutOfRangeException">An interval or count is below 1.</exception>
    public EvaluationCallback(IEnvironment environment, long everyTimesteps, int episodes = 5, int seed = 0, double? stopAtMeanReturn = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(everyTimesteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(episodes);
        _environment = environment;
        EveryTimesteps = everyTimesteps;
        Episodes = episodes;
        Seed = seed;
        StopAtMeanReturn = stopAtMeanReturn;
    }

    /// <summary>Gets the interval in environment steps.</summary>
    public long EveryTimesteps { get; }

    /// <summary>Gets the episodes per evaluation.</summary>
    public int Episodes { get; }

    /// <summary>Gets the seed of each evaluation's first reset.</summary>
    public int Seed { get; }

    /// <summary>Gets the mean return at which training stops, if any.</summary>
    public double? StopAtMeanReturn { get; }

    /// <summary>Gets every evaluation so far with the step count at which it ran.</summary>
    public IReadOnlyList<(long Timesteps, EvaluationResult Result)> Results => _results;

    /// <summary>Gets the best mean evaluation return so far, or NaN before the first evaluation.</summary>
    public double BestMeanReturn { get; private set; } = double.NaN;

    /// <inheritdoc/>
    public override void OnTrainingStart(PpoTrainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        _nextEvaluation = trainer.TotalTimesteps + EveryTimesteps;
    }

    /// <inheritdoc/>
    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (trainer.TotalTimesteps < _nextEvaluation)
            return true;
        while (_nextEvaluation <= trainer.TotalTimesteps)
            _nextEvaluation += EveryTimesteps;

        EvaluationResult result = PolicyEvaluation.Run(trainer.Policy, _environment, Episodes, Seed, observationNormalizer: trainer.ObservationNormalizer);
        _results.Add((trainer.TotalTimesteps, result));
        if (double.IsNaN(BestMeanReturn) || result.MeanReturn > BestMeanReturn)
            BestMeanReturn = result.MeanReturn;
        return StopAtMeanReturn is not double threshold || result.MeanReturn < threshold;
    }
}
