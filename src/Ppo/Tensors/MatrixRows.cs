using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        if (width < Vector128<float>.Count || !Vector128.IsHardwareAccelerated)
        {
            for (int r = 0; r < rowCount; r++)
                row.CopyTo(matrix.Slice(r * width, width));
            return;
        }

        // Vectors of the row stored into every row, the last one overlapping the one before where the width is not a
        // whole number of vectors: a copy call per row cost more than the copy for the rows of a layer (64 floats).
        ref float source = ref MemoryMarshal.GetReference(row);
        ref float destination = ref MemoryMarshal.GetReference(matrix);
        for (int r = 0; r < rowCount; r++)
        {
            ref float target = ref Unsafe.Add(ref destination, (nint)r * width);
            if (Vector512.IsHardwareAccelerated && width >= Vector512<float>.Count)
                CopyRow<Vector512Operations, Vector512<float>>(ref source, ref target, width);
            else if (Vector256.IsHardwareAccelerated && width >= Vector256<float>.Count)
                CopyRow<Vector256Operations, Vector256<float>>(ref source, ref target, width);
            else
                CopyRow<Vector128Operations, Vector128<float>>(ref source, ref target, width);
        }
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

        // Each column's running sum stays in a register while the rows are added to it in order: the same additions in
        // the same order as adding the rows one after another, without a pass over the destination per row.
        ref float rows = ref MemoryMarshal.GetReference(matrix);
        ref float sums = ref MemoryMarshal.GetReference(destination);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            j = SumColumns<Vector512Operations, Vector512<float>>(ref rows, rowCount, width, ref sums, j);
        if (Vector256.IsHardwareAccelerated)
            j = SumColumns<Vector256Operations, Vector256<float>>(ref rows, rowCount, width, ref sums, j);
        if (Vector128.IsHardwareAccelerated)
            j = SumColumns<Vector128Operations, Vector128<float>>(ref rows, rowCount, width, ref sums, j);
        for (; j < width; j++)
        {
            float sum = destination[j];
            for (int r = 0; r < rowCount; r++)
                sum += matrix[(r * width) + j];
            destination[j] = sum;
        }
    }

    /// <summary>Copies <paramref name="width"/> floats (at least one vector), the last vector overlapping its neighbour when the width is not a multiple.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow<TOperations, TVector>(ref float source, ref float destination, int width)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        int last = width - TOperations.Count;
        for (int j = 0; j < last; j += TOperations.Count)
            TOperations.Store(TOperations.Load(ref source, j), ref destination, j);
        TOperations.Store(TOperations.Load(ref source, last), ref destination, last);
    }

    /// <summary>Adds the rows to the sums of the whole vectors of columns from <paramref name="start"/>; returns where they end.</summary>
    private static int SumColumns<TOperations, TVector>(ref float rows, int rowCount, int width, ref float sums, int start)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        // Four vectors of columns a pass over the rows where the width allows: four independent chains of additions
        // instead of one, whose latency bounded the pass.
        int j = start;
        nint count = TOperations.Count;
        for (; j <= width - (4 * count); j += 4 * (int)count)
        {
            TVector sum0 = TOperations.Load(ref sums, j), sum1 = TOperations.Load(ref sums, j + count);
            TVector sum2 = TOperations.Load(ref sums, j + (2 * count)), sum3 = TOperations.Load(ref sums, j + (3 * count));
            ref float column = ref Unsafe.Add(ref rows, j);
            for (int r = 0; r < rowCount; r++)
            {
                ref float row = ref Unsafe.Add(ref column, (nint)r * width);
                sum0 = TOperations.Add(sum0, TOperations.Load(ref row, 0));
                sum1 = TOperations.Add(sum1, TOperations.Load(ref row, count));
                sum2 = TOperations.Add(sum2, TOperations.Load(ref row, 2 * count));
                sum3 = TOperations.Add(sum3, TOperations.Load(ref row, 3 * count));
            }

            TOperations.Store(sum0, ref sums, j);
            TOperations.Store(sum1, ref sums, j + count);
            TOperations.Store(sum2, ref sums, j + (2 * count));
            TOperations.Store(sum3, ref sums, j + (3 * count));
        }

        for (; j <= width - count; j += (int)count)
        {
            TVector sum = TOperations.Load(ref sums, j);
            ref float column = ref Unsafe.Add(ref rows, j);
            for (int r = 0; r < rowCount; r++)
                sum = TOperations.Add(sum, TOperations.Load(ref column, (nint)r * width));
            TOperations.Store(sum, ref sums, j);
        }

        return j;
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

            // Rows of a few elements (a minibatch's log-probabilities, returns, CartPole's observations) are copied by
            // element: a span copy per row cost about 3 ns of call for a 4-byte row, 5 µs a minibatch of 256 rows.
            if (rowLength <= ShortRowLength)
            {
                for (int j = 0; j < rowLength; j++)
                    destination[(i * rowLength) + j] = source[(index * rowLength) + j];
            }
            else
            {
                source.Slice(index * rowLength, rowLength).CopyTo(destination.Slice(i * rowLength, rowLength));
            }
        }
    }

    /// <summary>The longest row that <see cref="Gather{T}"/> copies element by element rather than as a span.</summary>
    private const int ShortRowLength = 8;
}
