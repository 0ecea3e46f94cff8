using Ppo.Orleans.Workers;

namespace Ppo.Orleans;

/// <summary>What one distributed rollout cost and where it came from.</summary>
/// <param name="RoundTripSeconds">From sending the parameters to the last chunk's arrival.</param>
/// <param name="TotalSeconds">The round trip plus assembling the chunks into the buffer.</param>
/// <param name="SlowestWorkerSeconds">The longest any worker spent collecting (the rest of the round trip is overhead).</param>
/// <param name="CollectedBy">Where each worker's chunk was collected, in worker order.</param>
/// <param name="RecoveriesThisUpdate">The worker recoveries during this rollout (the trainer's <c>UpdateMetrics.RolloutRecoveries</c> counts them).</param>
/// <param name="TotalRecoveries">The worker recoveries since the run started.</param>
/// <param name="MovesThisUpdate">The workers moved to another silo before this rollout.</param>
public sealed record DistributedRolloutMetrics(double RoundTripSeconds, double TotalSeconds, double SlowestWorkerSeconds, IReadOnlyList<string> CollectedBy, IReadOnlyList<WorkerRecovery> RecoveriesThisUpdate, int TotalRecoveries, IReadOnlyList<WorkerMove> MovesThisUpdate)
{
    /// <summary>Gets the metrics before the first rollout.</summary>
    public static DistributedRolloutMetrics Empty { get; } = new(0, 0, 0, [], [], 0, []);

    internal static DistributedRolloutMetrics Of(RolloutChunk[] chunks, double roundTripSeconds, double totalSeconds, IReadOnlyList<WorkerRecovery> recoveries, int recoveriesBefore, IReadOnlyList<WorkerMove> moves, int movesBefore)
    {
        double slowest = 0;
        var collectedBy = new string[chunks.Length];
        for (int i = 0; i < chunks.Length; i++)
        {
            slowest = Math.Max(slowest, chunks[i].CollectionSeconds);
            collectedBy[i] = chunks[i].CollectedBy;
        }

        return new DistributedRolloutMetrics(roundTripSeconds, totalSeconds, slowest, collectedBy, [.. recoveries.Skip(recoveriesBefore)], recoveries.Count, [.. moves.Skip(movesBefore)]);
    }
}
