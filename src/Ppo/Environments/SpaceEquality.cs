namespace Ppo.Environments;

/// <summary>Compares whole spaces, as Gymnasium's space equality does: the kind and every size, shape and bound.</summary>
internal static class SpaceEquality
{
    /// <summary>Tells whether two spaces are the same set: Discrete n, Box shape and bounds, MultiDiscrete nvec, MultiBinary n.</summary>
    /// <param name="first">One space.</param>
    /// <param name="second">The other.</param>
    /// <returns><see langword="true"/> when both are of the same kind with equal sizes (and, for a box, equal shape and bounds).</returns>
    public static bool AreEqual(Space first, Space second) => (first, second) switch
    {
        (DiscreteSpace a, DiscreteSpace b) => a.Count == b.Count,
        (BoxSpace a, BoxSpace b) => a.HasSameBounds(b),
        (MultiDiscreteSpace a, MultiDiscreteSpace b) => a.HasSameCategoryCounts(b),
        (MultiBinarySpace a, MultiBinarySpace b) => a.Size == b.Size,
        _ => false,
    };
}
