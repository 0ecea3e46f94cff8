namespace Ppo.Orleans.Workers;

/// <summary>One recovery of a rollout worker: its slice was lost and recreated, and the chunk collected again.</summary>
/// <param name="PolicyVersion">The version of the parameters (the update) whose chunk was recollected.</param>
/// <param name="WorkerIndex">The worker.</param>
/// <param name="Incarnation">The incarnation of the new slice.</param>
/// <param name="Reason">What went wrong: the failed call's exception, a timeout, or an activation that had lost its slice.</param>
public sealed record WorkerRecovery(long PolicyVersion, int WorkerIndex, int Incarnation, string Reason);
