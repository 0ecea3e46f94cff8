using System.Globalization;

namespace Ppo.Environments;

/// <summary>A box of real vectors, each dimension bounded by its own low and high, as Gymnasium's <c>Box</c> of rank 1.</summary>
/// <remarks>A bound may be infinite: an unbounded dimension has low −∞ and high +∞.</remarks>
public sealed class BoxSpace : Space
{
    private readonly float[] _low;
    private readonly float[] _high;

    /// <summary>Creates a box with the same bounds in every one of <paramref name="size"/> dimensions.</summary>
    /// <param name="low">The lower bound of every dimension.</param>
    /// <param name="high">The upper bound of every dimension; must not be below <paramref name="low"/>.</param>
    /// <param name="size">The number of dimensions; must be at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A bound is NaN or <paramref name="high"/> is below <paramref name="low"/>.</exception>
    public BoxSpace(float low, float high, int size)
        : this(Fill(low, size), Fill(high, size))
    {
    }

    /// <summary>Creates a box with per-dimension bounds.</summary>
    /// <param name="low">The lower bound of each dimension.</param>
    /// <param name="high">The upper bound of each dimension; same length as <paramref name="low"/>.</param>
    /// <exception cref="ArgumentException">The bounds differ in length, are empty, contain NaN, or a high is below its low.</exception>
    public BoxSpace(ReadOnlySpan<float> low, ReadOnlySpan<float> high)
    {
        if (low.Length == 0 || low.Length != high.Length)
            throw new ArgumentException($"The bounds must be non-empty and equally long (low has {low.Length}, high has {high.Length}).", nameof(high));
        for (int i = 0; i < low.Length; i++)
        {
            if (float.IsNaN(low[i]) || float.IsNaN(high[i]) || high[i] < low[i])
                throw new ArgumentException($"Dimension {i} must have low <= high, neither NaN (low {low[i]}, high {high[i]}).", nameof(high));
        }

        _low = low.ToArray();
        _high = high.ToArray();
    }

    /// <summary>Gets the number of dimensions.</summary>
    public int Size => _low.Length;

    /// <inheritdoc/>
    public override int FlatSize => _low.Length;

    /// <summary>Gets the lower bound of each dimension.</summary>
    public ReadOnlySpan<float> Low => _low;

    /// <summary>Gets the upper bound of each dimension.</summary>
    public ReadOnlySpan<float> High => _high;

    /// <summary>Gets a value indicating whether every bound is finite.</summary>
    public bool IsBounded
    {
        get
        {
            for (int i = 0; i < _low.Length; i++)
            {
                if (!float.IsFinite(_low[i]) || !float.IsFinite(_high[i]))
                    return false;
            }

            return true;
        }
    }

    /// <inheritdoc/>
    public override bool Contains(ReadOnlySpan<float> value)
    {
        if (value.Length != _low.Length)
            return false;
        for (int i = 0; i < value.Length; i++)
        {
            if (!(value[i] >= _low[i] && value[i] <= _high[i]))
                return false;
        }

        return true;
    }

    /// <summary>Writes <paramref name="value"/> clipped to the bounds into <paramref name="destination"/>.</summary>
    /// <param name="value">A vector of length <see cref="Size"/>.</param>
    /// <param name="destination">Receives the clipped vector; may be the same memory as <paramref name="value"/>.</param>
    /// <exception cref="ArgumentException">A span does not have length <see cref="Size"/>.</exception>
    public void Clip(ReadOnlySpan<float> value, Span<float> destination)
    {
        if (value.Length != Size || destination.Length != Size)
            throw new ArgumentException($"Both spans must have length {Size} (value has {value.Length}, destination has {destination.Length}).", nameof(value));
        for (int i = 0; i < value.Length; i++)
            destination[i] = Math.Clamp(value[i], _low[i], _high[i]);
    }

    /// <summary>Tells whether <paramref name="other"/> has the same size and bounds.</summary>
    /// <param name="other">The box to compare with.</param>
    /// <returns><see langword="true"/> when both boxes are equal dimension by dimension.</returns>
    public bool HasSameBounds(BoxSpace other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _low.AsSpan().SequenceEqual(other._low) && _high.AsSpan().SequenceEqual(other._high);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Box({Size}; low [{string.Join(", ", _low)}], high [{string.Join(", ", _high)}])");

    private static float[] Fill(float value, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        float[] values = new float[size];
        Array.Fill(values, value);
        return values;
    }
}
