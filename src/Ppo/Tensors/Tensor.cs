using System.Globalization;
using Ppo.Internal;

namespace Ppo.Tensors;

/// <summary>
/// A dense, row-major tensor of 32-bit floats with a shape and a <see cref="Tensors.Device"/>. A tensor either owns its
/// storage or is a view of a contiguous part of another tensor (a layer's weights inside a network's flat parameter
/// buffer, for example).
/// </summary>
/// <remarks>
/// Dimension 0 is the row (batch) dimension. Kernels take an explicit row count and work on the leading rows, so a
/// tensor allocated for the largest minibatch also serves smaller ones without reallocation.
/// </remarks>
public sealed class Tensor
{
    private readonly float[] _data;
    private readonly int _offset;
    private readonly int[] _shape;

    private Tensor(Device device, float[] data, int offset, int[] shape, int length)
    {
        Device = device;
        _data = data;
        _offset = offset;
        _shape = shape;
        Length = length;
    }

    /// <summary>Gets the device that holds the tensor.</summary>
    public Device Device { get; }

    /// <summary>Gets the size of each dimension.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Gets the number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Gets the total number of elements.</summary>
    public int Length { get; }

    /// <summary>Gets the size of dimension 0.</summary>
    public int RowCount => _shape[0];

    /// <summary>Gets the number of elements in one row (the product of every dimension after the first).</summary>
    public int RowLength => Length / _shape[0];

    /// <summary>Allocates a zero-filled tensor on the CPU.</summary>
    /// <param name="shape">The size of each dimension; each at least 1.</param>
    /// <returns>The new tensor.</returns>
    /// <exception cref="ArgumentException">The shape is empty or has a dimension below 1.</exception>
    public static Tensor Zeros(params int[] shape) => Allocate(Device.Cpu, shape);

    /// <summary>Creates a CPU tensor holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="shape">The shape; its element count must equal the number of values.</param>
    /// <returns>The new tensor.</returns>
    /// <exception cref="ArgumentException">The shape is invalid or does not match the number of values.</exception>
    public static Tensor FromValues(ReadOnlySpan<float> values, params int[] shape)
    {
        Tensor tensor = Allocate(Device.Cpu, shape);
        Guard.HasLength(values, tensor.Length, nameof(values));
        values.CopyTo(tensor.AsSpan());
        return tensor;
    }

    /// <summary>Returns the elements as a span of host memory.</summary>
    /// <returns>A span of <see cref="Length"/> elements.</returns>
    public Span<float> AsSpan() => _data.AsSpan(_offset, Length);

    /// <summary>Returns the leading <paramref name="rowCount"/> rows as a span.</summary>
    /// <param name="rowCount">The number of rows, from 0 to <see cref="RowCount"/>.</param>
    /// <returns>A span of <c>rowCount × RowLength</c> elements.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowCount"/> is outside [0, <see cref="RowCount"/>].</exception>
    public Span<float> Rows(int rowCount)
    {
        CheckRowCount(rowCount);
        return _data.AsSpan(_offset, rowCount * RowLength);
    }

    /// <summary>Returns row <paramref name="index"/> as a span.</summary>
    /// <param name="index">The row, from 0 to <see cref="RowCount"/> − 1.</param>
    /// <returns>A span of <see cref="RowLength"/> elements.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the tensor.</exception>
    public Span<float> Row(int index)
    {
        if ((uint)index >= (uint)RowCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The row must be in [0, {RowCount - 1}].");
        int rowLength = RowLength;
        return _data.AsSpan(_offset + index * rowLength, rowLength);
    }

    /// <summary>Creates a tensor that shares this tensor's storage from element <paramref name="start"/> on, with a new shape.</summary>
    /// <param name="start">The first element of the view.</param>
    /// <param name="shape">The shape of the view; it must fit inside this tensor.</param>
    /// <returns>The view; writes through it change this tensor.</returns>
    /// <exception cref="ArgumentException">The shape is invalid or the view does not fit.</exception>
    public Tensor View(int start, params int[] shape)
    {
        int length = CheckShape(shape);
        if (start < 0 || start > Length - length)
            throw new ArgumentException($"A view of {length} elements from {start} does not fit in a tensor of {Length}.", nameof(start));
        return new Tensor(Device, _data, _offset + start, (int[])shape.Clone(), length);
    }

    /// <summary>Fills the tensor with <paramref name="value"/>.</summary>
    /// <param name="value">The value of every element.</param>
    public void Fill(float value) => AsSpan().Fill(value);

    /// <summary>Copies <paramref name="source"/> into the tensor.</summary>
    /// <param name="source">Exactly <see cref="Length"/> elements.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> has the wrong length.</exception>
    public void CopyFrom(ReadOnlySpan<float> source)
    {
        Guard.HasLength(source, Length, nameof(source));
        source.CopyTo(AsSpan());
    }

    /// <summary>Copies the tensor into <paramref name="destination"/>.</summary>
    /// <param name="destination">Exactly <see cref="Length"/> elements.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    public void CopyTo(Span<float> destination)
    {
        Guard.HasLength(destination, Length, nameof(destination));
        AsSpan().CopyTo(destination);
    }

    /// <summary>Copies the elements into a new array.</summary>
    /// <returns>The elements in row-major order.</returns>
    public float[] ToArray() => AsSpan().ToArray();

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Tensor[{string.Join(" × ", _shape)}] on {Device}");

    internal static Tensor Allocate(Device device, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int length = CheckShape(shape);
        return new Tensor(device, new float[length], 0, (int[])shape.Clone(), length);
    }

    private static int CheckShape(int[] shape)
    {
        if (shape.Length == 0)
            throw new ArgumentException("A tensor needs at least one dimension.", nameof(shape));
        long length = 1;
        foreach (int size in shape)
        {
            if (size < 1)
                throw new ArgumentException($"Every dimension must be at least 1 (shape was [{string.Join(", ", shape)}]).", nameof(shape));
            length *= size;
            if (length > Array.MaxLength)
                throw new ArgumentException($"The shape [{string.Join(", ", shape)}] has too many elements.", nameof(shape));
        }

        return (int)length;
    }

    private void CheckRowCount(int rowCount)
    {
        if ((uint)rowCount > (uint)RowCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"The row count must be in [0, {RowCount}].");
    }
}
