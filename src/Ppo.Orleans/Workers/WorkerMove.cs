namespace Ppo.Orleans.Workers;

/// <summary>One move of a rollout worker to another silo, made to spread the workers over the live silos before an update.</summary>
/// <param name="PolicyVersion">The version of the parameters (the update) whose chunk was the first collected after the move.</param>
/// <param name="WorkerIndex">The worker.</param>
/// <param name="Incarnation">The incarnation that collects on the new silo: the same when the slice kept its state, the next one when it restarted.</param>
/// <param name="From">The silo the worker left.</param>
/// <param name="To">The silo the worker moved to.</param>
/// <param name="KeptState">
/// Whether the slice moved with its environments' state, its random stream and its observations, so that the run keeps
/// every bit; otherwise it restarted on the new silo as a new incarnation, which is also listed as a recovery.
/// </param>
public sealed record WorkerMove(long PolicyVersion, int WorkerIndex, int Incarnation, string From, string To, bool KeptState);
