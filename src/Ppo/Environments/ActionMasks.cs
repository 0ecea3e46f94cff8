using System.Globalization;

namespace Ppo.Environments;

/// <summary>The layout of action masks (see <see cref="IMaskableEnvironment"/>) and the checks every consumer of them shares.</summary>
public static class ActionMasks
{
    /// <summary>Tells whether actions of <paramref name="actionSpace"/> can be masked.</summary>
    /// <param name="actionSpace">The action space.</param>
    /// <returns><see langword="true"/> for <see cref="DiscreteSpace"/> and <see cref="MultiDiscreteSpace"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="actionSpace"/> is null.</exception>
    public static bool Supports(Space actionSpace)
    {
        ArgumentNullException.ThrowIfNull(actionSpace);
        return actionSpace is DiscreteSpace or MultiDiscreteSpace;
    }

    /// <summary>Returns the number of flags in one mask of <paramref name="actionSpace"/>: one per category.</summary>
    /// <param name="actionSpace">A <see cref="DiscreteSpace"/> or <see cref="MultiDiscreteSpace"/>.</param>
    /// <returns><c>Count</c> for a discrete space, <c>TotalCategoryCount</c> for a multi-discrete one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="actionSpace"/> is null.</exception>
    /// <exception cref="ArgumentException">The space cannot be masked (a <see cref="BoxSpace"/> or <see cref="MultiBinarySpace"/>).</exception>
    public static int Length(Space actionSpace) => actionSpace switch
    {
        null => throw new ArgumentNullException(nameof(actionSpace)),
        DiscreteSpace discrete => discrete.Count,
        MultiDiscreteSpace multiDiscrete => multiDiscrete.TotalCategoryCount,
        _ => throw new ArgumentException($"Action masks need a Discrete or MultiDiscrete action space (was {actionSpace}).", nameof(actionSpace)),
    };

    /// <summary>Returns the first component of <paramref name="mask"/> that leaves no valid category, or −1 when every component has one.</summary>
    /// <param name="mask">One mask of <paramref name="actionSpace"/>.</param>
    /// <param name="actionSpace">A <see cref="DiscreteSpace"/> or <see cref="MultiDiscreteSpace"/>.</param>
    /// <returns>The index of the first fully masked component (0 for a discrete space), or −1.</returns>
    /// <exception cref="ArgumentException">The space cannot be masked, or <paramref name="mask"/> has the wrong length.</exception>
    public static int FindEmptyComponent(ReadOnlySpan<bool> mask, Space actionSpace)
    {
        int length = Length(actionSpace);
        if (mask.Length != length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The mask must have length {length} (was {mask.Length})."), nameof(mask));
        if (actionSpace is DiscreteSpace)
            return mask.Contains(true) ? -1 : 0;

        ReadOnlySpan<int> counts = ((MultiDiscreteSpace)actionSpace).CategoryCounts;
        int offset = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            if (!mask.Slice(offset, counts[c]).Contains(true))
                return c;
            offset += counts[c];
        }

        return -1;
    }

    /// <summary>Tells whether <paramref name="action"/> is allowed by <paramref name="mask"/>.</summary>
    /// <param name="action">A flat action of <paramref name="actionSpace"/>.</param>
    /// <param name="mask">One mask of <paramref name="actionSpace"/>.</param>
    /// <param name="actionSpace">A <see cref="DiscreteSpace"/> or <see cref="MultiDiscreteSpace"/>.</param>
    /// <returns><see langword="true"/> when the action is in the space and every component's category is valid.</returns>
    /// <exception cref="ArgumentException">The space cannot be masked, or <paramref name="mask"/> has the wrong length.</exception>
    public static bool Allows(ReadOnlySpan<float> action, ReadOnlySpan<bool> mask, Space actionSpace)
    {
        int length = Length(actionSpace);
        if (mask.Length != length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The mask must have length {length} (was {mask.Length})."), nameof(mask));
        if (!actionSpace.Contains(action))
            return false;
        if (actionSpace is DiscreteSpace)
            return mask[(int)action[0]];

        ReadOnlySpan<int> counts = ((MultiDiscreteSpace)actionSpace).CategoryCounts;
        int offset = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            if (!mask[offset + (int)action[c]])
                return false;
            offset += counts[c];
        }

        return true;
    }
}
