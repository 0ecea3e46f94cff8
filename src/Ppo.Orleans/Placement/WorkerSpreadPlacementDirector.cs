using System.Globalization;
using Orleans.Runtime.Placement;

namespace Ppo.Orleans.Placement;

/// <summary>
/// Chooses the silo of a new rollout-worker activation: the placement hint when the call carries one naming a
/// compatible silo (the learner moving a worker), else slot <c>worker + incarnation</c> of its key, <c>run/worker/incarnation</c>.
/// </summary>
internal sealed class WorkerSpreadPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        SiloAddress[] silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0)
            throw new OrleansException($"No silo can host {target.GrainIdentity}.");
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint)
            return Task.FromResult(hint);
        Array.Sort(silos, static (a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        return Task.FromResult(silos[Slot(target.GrainIdentity.Key.ToString()) % silos.Length]);
    }

    /// <summary>Worker index plus incarnation, or 0 for a key of another form.</summary>
    private static int Slot(string key)
    {
        string[] parts = key.Split('/');
        return parts.Length == 3
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int worker)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int incarnation)
            ? (int)(((long)worker + incarnation) % int.MaxValue)
            : 0;
    }
}
