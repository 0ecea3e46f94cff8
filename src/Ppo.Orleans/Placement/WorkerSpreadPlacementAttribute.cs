using Orleans.Placement;

namespace Ppo.Orleans.Placement;

/// <summary>Marks a grain class to be placed by <see cref="WorkerSpreadPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class WorkerSpreadPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public WorkerSpreadPlacementAttribute()
        : base(WorkerSpreadPlacement.Instance)
    {
    }
}
