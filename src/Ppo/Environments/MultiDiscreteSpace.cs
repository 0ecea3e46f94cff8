using System.Globalization;

namespace Ppo.Environments;

/// <summary>
/// Several independent discrete choices per element, component <c>c</c> taking the integers {0, …, nᵥ − 1}, as
/// Gymnasium's <c>MultiDiscrete(nvec)</c> of rank 1.
/// </summary>
/// <remarks>
/// An element is <see cref="FlatSize"/> floats, one per component, each holding its integer. A policy over this space
/// is a product of independent categoricals, one per component, parameterized by <see cref="TotalCategoryCount"/>
/// logits laid out component after component; an action mask has the same layout (one flag per category).
/// </remarks>
public sealed class MultiDiscreteSpace : Space
{
    private readonly int[] _categoryCounts;

    /// <summary>Creates the space with <paramref name="categoryCounts"/>[c] categories in component c.</summary>
    /// <param name="categoryCounts">The number of categories of each component (Gymnasium's <c>nvec</c>); at least one component, each at least 1.</param>
    /// <exception cref="ArgumentException"><paramref name="categoryCounts"/> is empty or holds a count below 1.</exception>
    public MultiDiscreteSpace(ReadOnlySpan<int> categoryCounts)
    {
        if (categoryCounts.IsEmpty)
            throw new ArgumentException("A MultiDiscrete space needs at least one component.", nameof(categoryCounts));
        long total = 0;
        for (int c = 0; c < categoryCounts.Length; c++)
        {
            if (categoryCounts[c] < 1)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Component {c} must have at least 1 category (was {categoryCounts[c]})."), nameof(categoryCounts));
            total += categoryCounts[c];
        }

        if (total > int.MaxValue)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The total number of categories must fit in an int (was {total})."), nameof(categoryCounts));
        _categoryCounts = categoryCounts.ToArray();
        TotalCategoryCount = (int)total;
    }

    /// <summary>Gets the number of categories of each component (Gymnasium's <c>nvec</c>).</summary>
    public ReadOnlySpan<int> CategoryCounts => _categoryCounts;

    /// <summary>Gets the number of components.</summary>
    public int ComponentCount => _categoryCounts.Length;

    /// <summary>Gets the sum of the category counts: the number of logits, and of mask flags, per element.</summary>
    public int TotalCategoryCount { get; }

    /// <inheritdoc/>
    /// <remarks>One float per component.</remarks>
    public override int FlatSize => _categoryCounts.Length;

    /// <inheritdoc/>
    public override bool Contains(ReadOnlySpan<float> value)
    {
        if (value.Length != _categoryCounts.Length)
            return false;
        for (int c = 0; c < value.Length; c++)
        {
            if (!(value[c] >= 0 && value[c] < _categoryCounts[c] && value[c] == MathF.Floor(value[c])))
                return false;
        }

        return true;
    }

    /// <summary>Tells whether <paramref name="other"/> has the same category counts.</summary>
    /// <param name="other">The space to compare with.</param>
    /// <returns><see langword="true"/> when both spaces have equal components.</returns>
    public bool HasSameCategoryCounts(MultiDiscreteSpace other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _categoryCounts.AsSpan().SequenceEqual(other._categoryCounts);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"MultiDiscrete([{string.Join(", ", _categoryCounts)}])");
}
