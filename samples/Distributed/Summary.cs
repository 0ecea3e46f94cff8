using System.Text.Json.Serialization;

namespace Ppo.Samples.Distributed;

/// <summary>What a run measured, written with <c>--summary</c>.</summary>
/// <param name="Environment">The environments' name.</param>
/// <param name="Workers">The worker processes; 0 when the environments stepped in the learner's process.</param>
/// <param name="Seed">The seed.</param>
/// <param name="SpinMicroseconds">The simulated cost of each environment step.</param>
/// <param name="Updates">The updates done.</param>
/// <param name="Timesteps">The environment steps collected.</param>
/// <param name="Seconds">The training time.</param>
/// <param name="StepsPerSecond">Timesteps over training time.</param>
/// <param name="MeanRoundTripSeconds">The mean time from sending the parameters to the last chunk (0 without workers).</param>
/// <param name="MeanSlowestWorkerSeconds">The mean collection time of the slowest worker (0 without workers).</param>
/// <param name="EvaluationMeanReturn">The mean return of 100 deterministic episodes.</param>
/// <param name="EvaluationStandardDeviation">Their standard deviation.</param>
/// <param name="Recoveries">The rollout recoveries, summed over the trainer's metrics (<c>UpdateMetrics.RolloutRecoveries</c>).</param>
/// <param name="Moves">The workers moved to another silo during the run.</param>
public sealed record Summary(string Environment, int Workers, int Seed, int SpinMicroseconds, int Updates, long Timesteps, double Seconds, double StepsPerSecond, double MeanRoundTripSeconds, double MeanSlowestWorkerSeconds, double EvaluationMeanReturn, double EvaluationStandardDeviation, int Recoveries, int Moves);

/// <summary>The source-generated JSON of <see cref="Summary"/>.</summary>
[JsonSerializable(typeof(Summary))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class SummaryJson : JsonSerializerContext;
