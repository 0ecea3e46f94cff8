using System.Numerics.Tensors;
using Ppo.Internal;

namespace Ppo.Tensors;

/// <summary>Row-wise operations on row-major matrices: broadcasting a row, summing rows, gathering rows by index.</summary>
public static class MatrixRows
{
    /// <summary>Writes <paramref name="row"/> into each of the first <paramref name="rowCount"/> rows of <paramref name="matrix"/>.</summary>
    /// <param name="row">The row to copy; its length is the row length.</param>
    /// <param name="matrix">The destination, at least <c>rowCount × row.Length</c> elements.</param>
    /// <param name="rowCount">The number of rows to write.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is too short.</exception>
    public static void Broadcast(ReadOnlySpan<float> row, Span<float> matrix, int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        int width = row.Length;
        Guard.HasAtLeast(matrix, rowCount * width, nameof(matrix));
        for (int r = 0; r < rowCount; r++)
            row.CopyTo(matrix.Slice(r * width, width));
    }

    /// <summary>Adds the sum of the first <paramref name="rowCount"/> rows of <paramref name="matrix"/> to <paramref name="destination"/>.</summary>
    /// <param name="matrix">The rows, at least <c>rowCount × destination.Length</c> elements.</param>
    /// <param name="rowCount">The number of rows to sum.</param>
    /// <param name="destination">The accumulator; its length is the row length.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is too short.</exception>
    /// <remarks>Rows are added in order 0, 1, …, so the result is reproducible.</remarks>
    public static void SumInto(ReadOnlySpan<float> matrix, int rowCount, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        int width = destination.Length;
        Guard.HasAtLeast(matrix, rowCount * width, nameof(matrix));
        for (int r = 0; r < rowCount; r++)
            TensorPrimitives.Add(destination, matrix.Slice(r * width, width), destination);
    }

    /// <summary>Copies rows <paramref name="indices"/>[i] of <paramref name="source"/> into row i of <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type (floats for the tensors, flags for action masks).</typeparam>
    /// <param name="source">The source matrix.</param>
    /// <param name="rowLength">The number of elements per row; at least 1.</param>
    /// <param name="indices">The source rows to take, in order.</param>
    /// <param name="destination">Receives <c>indices.Length × rowLength</c> elements.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <paramref name="source"/>.</exception>
    public static void Gather<T>(ReadOnlySpan<T> source, int rowLength, ReadOnlySpan<int> indices, Span<T> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowLength);
        Guard.HasAtLeast(destination, indices.Length * rowLength, nameof(destination));
        int sourceRows = source.Length / rowLength;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)sourceRows)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Row indices must be in [0, {sourceRows - 1}].");
            source.Slice(index * rowLength, rowLength).CopyTo(destination.Slice(i * rowLength, rowLength));
        }
    }
}
