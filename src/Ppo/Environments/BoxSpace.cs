using System.Globalization;

namespace Ppo.Environments;

/// <summary>
/// A box of real arrays, each element bounded by its own low and high, as Gymnasium's <c>Box</c>: a vector (rank 1) or
/// an array of any shape, such as an image of <c>[channels, height, width]</c>.
/// </summary>
/// <remarks>
/// A bound may be infinite: an unbounded dimension has low −∞ and high +∞. Whatever its shape, a value is stored flat
/// in row-major order, <see cref="Size"/> floats, which is how environments, vector environments and rollout buffers
/// carry it; only a policy that understands the shape (a convolutional one) reads it back.
/// </remarks>
public sealed class BoxSpace : Space
{
    private readonly float[] _low;
    private readonly float[] _high;
    private readonly int[] _shape;

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
        _shape = [low.Length];
    }

    /// <summary>Creates a box of the given shape with the same bounds for every element, such as an image.</summary>
    /// <param name="low">The lower bound of every element.</param>
    /// <param name="high">The upper bound of every element; must not be below <paramref name="low"/>.</param>
    /// <param name="shape">The length of each dimension, outermost first (for an image <c>[channels, height, width]</c>); each at least 1.</param>
    /// <exception cref="ArgumentException">The shape is empty or has a dimension below 1, a bound is NaN, or <paramref name="high"/> is below <paramref name="low"/>.</exception>
    public BoxSpace(float low, float high, int[] shape)
        : this(Fill(low, ShapeSize(shape)), Fill(high, ShapeSize(shape)))
    {
        _shape = (int[])shape.Clone();
    }

    /// <summary>Gets the number of elements (for a vector, its number of dimensions).</summary>
    public int Size => _low.Length;

    /// <summary>Gets the length of each dimension, outermost first; a vector has the shape <c>[Size]</c>.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Gets the number of dimensions of the shape: 1 for a vector, 3 for an image of <c>[channels, height, width]</c>.</summary>
    public int Rank => _shape.Length;

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

    /// <summary>Tells whether <paramref name="other"/> has the same shape and bounds.</summary>
    /// <param name="other">The box to compare with.</param>
    /// <returns><see langword="true"/> when both boxes are equal element by element and have the same shape.</returns>
    public bool HasSameBounds(BoxSpace other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _shape.AsSpan().SequenceEqual(other._shape) && _low.AsSpan().SequenceEqual(other._low) && _high.AsSpan().SequenceEqual(other._high);
    }

    /// <inheritdoc/>
    public override string ToString() => Rank == 1
        ? string.Create(CultureInfo.InvariantCulture, $"Box({Size}; low [{string.Join(", ", _low)}], high [{string.Join(", ", _high)}])")
        : string.Create(CultureInfo.InvariantCulture, $"Box(({string.Join(", ", _shape)}); low {_low.Min()}, high {_high.Max()})");

    private static int ShapeSize(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0)
            throw new ArgumentException("A shape needs at least one dimension.", nameof(shape));
        long size = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 1)
                throw new ArgumentException($"Dimension {i} of the shape must be at least 1 (was {shape[i]}).", nameof(shape));
            size *= shape[i];
            if (size > Array.MaxLength)
                throw new ArgumentException($"The shape [{string.Join(", ", shape)}] has more elements than an array can hold.", nameof(shape));
        }

        return (int)size;
    }

    private static float[] Fill(float value, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        float[] values = new float[size];
        Array.Fill(values, value);
        return values;
    }
}
