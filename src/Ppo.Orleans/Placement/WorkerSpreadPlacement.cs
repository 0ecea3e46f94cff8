namespace Ppo.Orleans.Placement;

/// <summary>
/// Places rollout worker <c>w</c>, incarnation <c>k</c>, on silo <c>(w + k) mod n</c> of the <c>n</c> compatible silos
/// in address order: a layout's workers spread evenly over the worker processes, and a slice recreated after a fault
/// moves to the next silo. A call that carries a placement hint (the learner moving a worker to a silo that joined)
/// goes to that silo. Placement never changes a result, only where the work runs.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class WorkerSpreadPlacement : PlacementStrategy
{
    /// <summary>Gets the instance.</summary>
    public static WorkerSpreadPlacement Instance { get; } = new();
}
