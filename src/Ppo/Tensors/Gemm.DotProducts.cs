using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppo.Tensors;

public static partial class Gemm
{
    [ThreadStatic]
    private static float[]? t_transposed;

    /// <summary>
    /// Computes <c>C[m×n] (+)= A[m×k] · Bt[n×k]ᵀ</c> as dot products along <c>k</c>: the path for outputs too narrow to
    /// fill a register tile, and for too few rows to pay for packing, where neither operand needs packing.
    /// </summary>
    /// <remarks>
    /// A tile holds <c>TVector.Count</c> outputs, one accumulator each: 4 rows by <c>Count/4</c> columns, or 2 rows or 1 row
    /// when that repeats fewer rows of a small <paramref name="m"/>, and fewer columns when fewer remain. An accumulator
    /// holds <c>TVector.Count</c> interleaved chains of fused multiply-adds in order of <c>p</c>; when <c>k</c> is not a
    /// multiple of the width, the last vector overlaps the one before it with the overlap masked to zero. A fixed tree of
    /// <see cref="IVectorOperations{TVector}.Fold"/> then sums the lanes of all accumulators at once.
    /// The order depends only on <paramref name="k"/>. Requires <c>k ≥ TVector.Count</c>.
    /// </remarks>
    private static void MultiplyByDotProducts<TOperations, TVector>(ref float a, ref float bt, ref float c, int m, int n, int k, bool accumulate)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        Span<float> spillBuffer = stackalloc float[TOperations.Count];
        ref float spill = ref MemoryMarshal.GetReference(spillBuffer);
        int preferredRows = m % 4 == 0 || m >= 7 ? 4 : m >= 2 ? 2 : 1;
        int j = 0;
        while (j < n)
        {
            int columns = TOperations.Count / preferredRows;
            while (columns > n - j)
                columns /= 2;
            int tileRows = TOperations.Count / columns;
            bool wholeRows = columns == n;
            ref float bColumns = ref Unsafe.Add(ref bt, (nint)j * k);
            for (int i = 0; i < m; i += tileRows)
            {
                int rows = Math.Min(tileRows, m - i);
                ref float aRows = ref Unsafe.Add(ref a, (nint)i * k);
                ref float cTile = ref Unsafe.Add(ref c, (nint)i * n + j);
                bool contiguous = wholeRows && rows == tileRows;
                switch (columns)
                {
                    case 16: DotTileSixteenColumns<TOperations, TVector>(ref aRows, rows, k, ref bColumns, ref cTile, n, accumulate, contiguous, ref spill); break;
                    case 8: DotTileEightColumns<TOperations, TVector>(ref aRows, rows, k, ref bColumns, ref cTile, n, accumulate, contiguous, ref spill); break;
                    case 4: DotTileFourColumns<TOperations, TVector>(ref aRows, rows, k, ref bColumns, ref cTile, n, accumulate, contiguous, ref spill); break;
                    case 2: DotTileTwoColumns<TOperations, TVector>(ref aRows, rows, k, ref bColumns, ref cTile, n, accumulate, contiguous, ref spill); break;
                    default: DotTileOneColumn<TOperations, TVector>(ref aRows, rows, k, ref bColumns, ref cTile, n, accumulate, contiguous, ref spill); break;
                }
            }

            j += columns;
        }
    }

    /// <summary>
    /// Computes the dot products of <c>TVector.Count / 1</c> rows of <c>A</c> (the last of them repeated when only
    /// <paramref name="rows"/> exist) with one column of <c>Bt</c>, and writes the leading <paramref name="rows"/> to <c>C</c>.
    /// When <paramref name="contiguous"/>, the tile's outputs are consecutive in <c>C</c> and are written as one vector.
    /// </summary>
    private static void DotTileOneColumn<TOperations, TVector>(
        ref float a, int rows, int k, ref float b, ref float c, int cStride, bool accumulate, bool contiguous, ref float spill)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        nint width = TOperations.Count;
        nint stride = k;
        int last = rows - 1;
        ref float a1 = ref TOperations.Count > 1 ? ref Unsafe.Add(ref a, Math.Min(1, last) * stride) : ref a;
        ref float a2 = ref TOperations.Count > 2 ? ref Unsafe.Add(ref a, Math.Min(2, last) * stride) : ref a;
        ref float a3 = ref TOperations.Count > 3 ? ref Unsafe.Add(ref a, Math.Min(3, last) * stride) : ref a;
        ref float a4 = ref TOperations.Count > 4 ? ref Unsafe.Add(ref a, Math.Min(4, last) * stride) : ref a;
        ref float a5 = ref TOperations.Count > 5 ? ref Unsafe.Add(ref a, Math.Min(5, last) * stride) : ref a;
        ref float a6 = ref TOperations.Count > 6 ? ref Unsafe.Add(ref a, Math.Min(6, last) * stride) : ref a;
        ref float a7 = ref TOperations.Count > 7 ? ref Unsafe.Add(ref a, Math.Min(7, last) * stride) : ref a;
        ref float a8 = ref TOperations.Count > 8 ? ref Unsafe.Add(ref a, Math.Min(8, last) * stride) : ref a;
        ref float a9 = ref TOperations.Count > 9 ? ref Unsafe.Add(ref a, Math.Min(9, last) * stride) : ref a;
        ref float a10 = ref TOperations.Count > 10 ? ref Unsafe.Add(ref a, Math.Min(10, last) * stride) : ref a;
        ref float a11 = ref TOperations.Count > 11 ? ref Unsafe.Add(ref a, Math.Min(11, last) * stride) : ref a;
        ref float a12 = ref TOperations.Count > 12 ? ref Unsafe.Add(ref a, Math.Min(12, last) * stride) : ref a;
        ref float a13 = ref TOperations.Count > 13 ? ref Unsafe.Add(ref a, Math.Min(13, last) * stride) : ref a;
        ref float a14 = ref TOperations.Count > 14 ? ref Unsafe.Add(ref a, Math.Min(14, last) * stride) : ref a;
        ref float a15 = ref TOperations.Count > 15 ? ref Unsafe.Add(ref a, Math.Min(15, last) * stride) : ref a;
        TVector s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        TVector s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
        nint p = 0;
        for (; p <= k - width; p += width)
        {
            TVector y0 = TOperations.Load(ref b, p);
            TVector x = TOperations.Load(ref a, p);
            s0 = TOperations.MultiplyAdd(x, y0, s0);
            x = TOperations.Load(ref a1, p);
            s2 = TOperations.MultiplyAdd(x, y0, s2);
            x = TOperations.Load(ref a2, p);
            s1 = TOperations.MultiplyAdd(x, y0, s1);
            x = TOperations.Load(ref a3, p);
            s3 = TOperations.MultiplyAdd(x, y0, s3);
            if (TOperations.Count > 4)
            {
                x = TOperations.Load(ref a4, p);
                s4 = TOperations.MultiplyAdd(x, y0, s4);
            }

            if (TOperations.Count > 5)
            {
                x = TOperations.Load(ref a5, p);
                s6 = TOperations.MultiplyAdd(x, y0, s6);
            }

            if (TOperations.Count > 6)
            {
                x = TOperations.Load(ref a6, p);
                s5 = TOperations.MultiplyAdd(x, y0, s5);
            }

            if (TOperations.Count > 7)
            {
                x = TOperations.Load(ref a7, p);
                s7 = TOperations.MultiplyAdd(x, y0, s7);
            }

            if (TOperations.Count > 8)
            {
                x = TOperations.Load(ref a8, p);
                s8 = TOperations.MultiplyAdd(x, y0, s8);
            }

            if (TOperations.Count > 9)
            {
                x = TOperations.Load(ref a9, p);
                s10 = TOperations.MultiplyAdd(x, y0, s10);
            }

            if (TOperations.Count > 10)
            {
                x = TOperations.Load(ref a10, p);
                s9 = TOperations.MultiplyAdd(x, y0, s9);
            }

            if (TOperations.Count > 11)
            {
                x = TOperations.Load(ref a11, p);
                s11 = TOperations.MultiplyAdd(x, y0, s11);
            }

            if (TOperations.Count > 12)
            {
                x = TOperations.Load(ref a12, p);
                s12 = TOperations.MultiplyAdd(x, y0, s12);
            }

            if (TOperations.Count > 13)
            {
                x = TOperations.Load(ref a13, p);
                s14 = TOperations.MultiplyAdd(x, y0, s14);
            }

            if (TOperations.Count > 14)
            {
                x = TOperations.Load(ref a14, p);
                s13 = TOperations.MultiplyAdd(x, y0, s13);
            }

            if (TOperations.Count > 15)
            {
                x = TOperations.Load(ref a15, p);
                s15 = TOperations.MultiplyAdd(x, y0, s15);
            }
        }

        if (p < k)
        {
            int remaining = (int)(k - p);
            p = k - width;
            TVector y0 = TOperations.KeepUpperLanes(TOperations.Load(ref b, p), remaining);
            TVector x = TOperations.KeepUpperLanes(TOperations.Load(ref a, p), remaining);
            s0 = TOperations.MultiplyAdd(x, y0, s0);
            x = TOperations.KeepUpperLanes(TOperations.Load(ref a1, p), remaining);
            s2 = TOperations.MultiplyAdd(x, y0, s2);
            x = TOperations.KeepUpperLanes(TOperations.Load(ref a2, p), remaining);
            s1 = TOperations.MultiplyAdd(x, y0, s1);
            x = TOperations.KeepUpperLanes(TOperations.Load(ref a3, p), remaining);
            s3 = TOperations.MultiplyAdd(x, y0, s3);
            if (TOperations.Count > 4)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a4, p), remaining);
                s4 = TOperations.MultiplyAdd(x, y0, s4);
            }

            if (TOperations.Count > 5)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a5, p), remaining);
                s6 = TOperations.MultiplyAdd(x, y0, s6);
            }

            if (TOperations.Count > 6)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a6, p), remaining);
                s5 = TOperations.MultiplyAdd(x, y0, s5);
            }

            if (TOperations.Count > 7)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a7, p), remaining);
                s7 = TOperations.MultiplyAdd(x, y0, s7);
            }

            if (TOperations.Count > 8)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a8, p), remaining);
                s8 = TOperations.MultiplyAdd(x, y0, s8);
            }

            if (TOperations.Count > 9)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a9, p), remaining);
                s10 = TOperations.MultiplyAdd(x, y0, s10);
            }

            if (TOperations.Count > 10)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a10, p), remaining);
                s9 = TOperations.MultiplyAdd(x, y0, s9);
            }

            if (TOperations.Count > 11)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a11, p), remaining);
                s11 = TOperations.MultiplyAdd(x, y0, s11);
            }

            if (TOperations.Count > 12)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a12, p), remaining);
                s12 = TOperations.MultiplyAdd(x, y0, s12);
            }

            if (TOperations.Count > 13)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a13, p), remaining);
                s14 = TOperations.MultiplyAdd(x, y0, s14);
            }

            if (TOperations.Count > 14)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a14, p), remaining);
                s13 = TOperations.MultiplyAdd(x, y0, s13);
            }

            if (TOperations.Count > 15)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a15, p), remaining);
                s15 = TOperations.MultiplyAdd(x, y0, s15);
            }
        }

        StoreDotTile<TOperations, TVector>(
            s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15,
            1, rows, ref c, cStride, accumulate, contiguous, ref spill);
    }

    /// <summary>
    /// Computes the dot products of <c>TVector.Count / 2</c> rows of <c>A</c> (the last of them repeated when only
    /// <paramref name="rows"/> exist) with two columns of <c>Bt</c>, and writes the leading <paramref name="rows"/> to <c>C</c>.
    /// When <paramref name="contiguous"/>, the tile's outputs are consecutive in <c>C</c> and are written as one vector.
    /// </summary>
    private static void DotTileTwoColumns<TOperations, TVector>(
        ref float a, int rows, int k, ref float b, ref float c, int cStride, bool accumulate, bool contiguous, ref float spill)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        nint width = TOperations.Count;
        nint stride = k;
        int last = rows - 1;
        ref float a1 = ref TOperations.Count > 2 ? ref Unsafe.Add(ref a, Math.Min(1, last) * stride) : ref a;
        ref float a2 = ref TOperations.Count > 4 ? ref Unsafe.Add(ref a, Math.Min(2, last) * stride) : ref a;
        ref float a3 = ref TOperations.Count > 6 ? ref Unsafe.Add(ref a, Math.Min(3, last) * stride) : ref a;
        ref float a4 = ref TOperations.Count > 8 ? ref Unsafe.Add(ref a, Math.Min(4, last) * stride) : ref a;
        ref float a5 = ref TOperations.Count > 10 ? ref Unsafe.Add(ref a, Math.Min(5, last) * stride) : ref a;
        ref float a6 = ref TOperations.Count > 12 ? ref Unsafe.Add(ref a, Math.Min(6, last) * stride) : ref a;
        ref float a7 = ref TOperations.Count > 14 ? ref Unsafe.Add(ref a, Math.Min(7, last) * stride) : ref a;
        ref float b1 = ref Unsafe.Add(ref b, 1 * stride);
        TVector s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        TVector s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
        nint p = 0;
        for (; p <= k - width; p += width)
        {
            TVector y0 = TOperations.Load(ref b, p);
            TVector y1 = TOperations.Load(ref b1, p);
            TVector x = TOperations.Load(ref a, p);
            s0 = TOperations.MultiplyAdd(x, y0, s0);
            s2 = TOperations.MultiplyAdd(x, y1, s2);
            x = TOperations.Load(ref a1, p);
            s1 = TOperations.MultiplyAdd(x, y0, s1);
            s3 = TOperations.MultiplyAdd(x, y1, s3);
            if (TOperations.Count > 4)
            {
                x = TOperations.Load(ref a2, p);
                s4 = TOperations.MultiplyAdd(x, y0, s4);
                s6 = TOperations.MultiplyAdd(x, y1, s6);
            }

            if (TOperations.Count > 6)
            {
                x = TOperations.Load(ref a3, p);
                s5 = TOperations.MultiplyAdd(x, y0, s5);
                s7 = TOperations.MultiplyAdd(x, y1, s7);
            }

            if (TOperations.Count > 8)
            {
                x = TOperations.Load(ref a4, p);
                s8 = TOperations.MultiplyAdd(x, y0, s8);
                s10 = TOperations.MultiplyAdd(x, y1, s10);
            }

            if (TOperations.Count > 10)
            {
                x = TOperations.Load(ref a5, p);
                s9 = TOperations.MultiplyAdd(x, y0, s9);
                s11 = TOperations.MultiplyAdd(x, y1, s11);
            }

            if (TOperations.Count > 12)
            {
                x = TOperations.Load(ref a6, p);
                s12 = TOperations.MultiplyAdd(x, y0, s12);
                s14 = TOperations.MultiplyAdd(x, y1, s14);
            }

            if (TOperations.Count > 14)
            {
                x = TOperations.Load(ref a7, p);
                s13 = TOperations.MultiplyAdd(x, y0, s13);
                s15 = TOperations.MultiplyAdd(x, y1, s15);
            }
        }

        if (p < k)
        {
            int remaining = (int)(k - p);
            p = k - width;
            TVector y0 = TOperations.KeepUpperLanes(TOperations.Load(ref b, p), remaining);
            TVector y1 = TOperations.KeepUpperLanes(TOperations.Load(ref b1, p), remaining);
            TVector x = TOperations.KeepUpperLanes(TOperations.Load(ref a, p), remaining);
            s0 = TOperations.MultiplyAdd(x, y0, s0);
            s2 = TOperations.MultiplyAdd(x, y1, s2);
            x = TOperations.KeepUpperLanes(TOperations.Load(ref a1, p), remaining);
            s1 = TOperations.MultiplyAdd(x, y0, s1);
            s3 = TOperations.MultiplyAdd(x, y1, s3);
            if (TOperations.Count > 4)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a2, p), remaining);
                s4 = TOperations.MultiplyAdd(x, y0, s4);
                s6 = TOperations.MultiplyAdd(x, y1, s6);
            }

            if (TOperations.Count > 6)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a3, p), remaining);
                s5 = TOperations.MultiplyAdd(x, y0, s5);
                s7 = TOperations.MultiplyAdd(x, y1, s7);
            }

            if (TOperations.Count > 8)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a4, p), remaining);
                s8 = TOperations.MultiplyAdd(x, y0, s8);
                s10 = TOperations.MultiplyAdd(x, y1, s10);
            }

            if (TOperations.Count > 10)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a5, p), remaining);
                s9 = TOperations.MultiplyAdd(x, y0, s9);
                s11 = TOperations.MultiplyAdd(x, y1, s11);
            }

            if (TOperations.Count > 12)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a6, p), remaining);
                s12 = TOperations.MultiplyAdd(x, y0, s12);
                s14 = TOperations.MultiplyAdd(x, y1, s14);
            }

            if (TOperations.Count > 14)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a7, p), remaining);
                s13 = TOperations.MultiplyAdd(x, y0, s13);
                s15 = TOperations.MultiplyAdd(x, y1, s15);
            }
        }

        StoreDotTile<TOperations, TVector>(
            s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15,
            2, rows, ref c, cStride, accumulate, contiguous, ref spill);
    }

    /// <summary>
    /// Computes the dot products of <c>TVector.Count / 4</c> rows of <c>A</c> (the last of them repeated when only
    /// <paramref name="rows"/> exist) with four columns of <c>Bt</c>, and writes the leading <paramref name="rows"/> to <c>C</c>.
    /// When <paramref name="contiguous"/>, the tile's outputs are consecutive in <c>C</c> and are written as one vector.
    /// </summary>
    private static void DotTileFourColumns<TOperations, TVector>(
        ref float a, int rows, int k, ref float b, ref float c, int cStride, bool accumulate, bool contiguous, ref float spill)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        nint width = TOperations.Count;
        nint stride = k;
        int last = rows - 1;
        ref float a1 = ref TOperations.Count > 4 ? ref Unsafe.Add(ref a, Math.Min(1, last) * stride) : ref a;
        ref float a2 = ref TOperations.Count > 8 ? ref Unsafe.Add(ref a, Math.Min(2, last) * stride) : ref a;
        ref float a3 = ref TOperations.Count > 12 ? ref Unsafe.Add(ref a, Math.Min(3, last) * stride) : ref a;
        ref float b1 = ref Unsafe.Add(ref b, 1 * stride);
        ref float b2 = ref Unsafe.Add(ref b, 2 * stride);
        ref float b3 = ref Unsafe.Add(ref b, 3 * stride);
        TVector s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        TVector s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
        nint p = 0;
        for (; p <= k - width; p += width)
        {
            TVector y0 = TOperations.Load(ref b, p);
            TVector y1 = TOperations.Load(ref b1, p);
            TVector y2 = TOperations.Load(ref b2, p);
            TVector y3 = TOperations.Load(ref b3, p);
            TVector x = TOperations.Load(ref a, p);
            s0 = TOperations.MultiplyAdd(x, y0, s0);
            s2 = TOperations.MultiplyAdd(x, y1, s2);
            s1 = TOperations.MultiplyAdd(x, y2, s1);
            s3 = TOperations.MultiplyAdd(x, y3, s3);
            if (TOperations.Count > 4)
            {
                x = TOperations.Load(ref a1, p);
                s4 = TOperations.MultiplyAdd(x, y0, s4);
                s6 = TOperations.MultiplyAdd(x, y1, s6);
                s5 = TOperations.MultiplyAdd(x, y2, s5);
                s7 = TOperations.MultiplyAdd(x, y3, s7);
            }

            if (TOperations.Count > 8)
            {
                x = TOperations.Load(ref a2, p);
                s8 = TOperations.MultiplyAdd(x, y0, s8);
                s10 = TOperations.MultiplyAdd(x, y1, s10);
                s9 = TOperations.MultiplyAdd(x, y2, s9);
                s11 = TOperations.MultiplyAdd(x, y3, s11);
            }

            if (TOperations.Count > 12)
            {
                x = TOperations.Load(ref a3, p);
                s12 = TOperations.MultiplyAdd(x, y0, s12);
                s14 = TOperations.MultiplyAdd(x, y1, s14);
                s13 = TOperations.MultiplyAdd(x, y2, s13);
                s15 = TOperations.MultiplyAdd(x, y3, s15);
            }
        }

        if (p < k)
        {
            int remaining = (int)(k - p);
            p = k - width;
            TVector y0 = TOperations.KeepUpperLanes(TOperations.Load(ref b, p), remaining);
            TVector y1 = TOperations.KeepUpperLanes(TOperations.Load(ref b1, p), remaining);
            TVector y2 = TOperations.KeepUpperLanes(TOperations.Load(ref b2, p), remaining);
            TVector y3 = TOperations.KeepUpperLanes(TOperations.Load(ref b3, p), remaining);
            TVector x = TOperations.KeepUpperLanes(TOperations.Load(ref a, p), remaining);
            s0 = TOperations.MultiplyAdd(x, y0, s0);
            s2 = TOperations.MultiplyAdd(x, y1, s2);
            s1 = TOperations.MultiplyAdd(x, y2, s1);
            s3 = TOperations.MultiplyAdd(x, y3, s3);
            if (TOperations.Count > 4)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a1, p), remaining);
                s4 = TOperations.MultiplyAdd(x, y0, s4);
                s6 = TOperations.MultiplyAdd(x, y1, s6);
                s5 = TOperations.MultiplyAdd(x, y2, s5);
                s7 = TOperations.MultiplyAdd(x, y3, s7);
            }

            if (TOperations.Count > 8)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a2, p), remaining);
                s8 = TOperations.MultiplyAdd(x, y0, s8);
                s10 = TOperations.MultiplyAdd(x, y1, s10);
                s9 = TOperations.MultiplyAdd(x, y2, s9);
                s11 = TOperations.MultiplyAdd(x, y3, s11);
            }

            if (TOperations.Count > 12)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a3, p), remaining);
                s12 = TOperations.MultiplyAdd(x, y0, s12);
                s14 = TOperations.MultiplyAdd(x, y1, s14);
                s13 = TOperations.MultiplyAdd(x, y2, s13);
                s15 = TOperations.MultiplyAdd(x, y3, s15);
            }
        }

        StoreDotTile<TOperations, TVector>(
            s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15,
            4, rows, ref c, cStride, accumulate, contiguous, ref spill);
    }

    /// <summary>
    /// Computes the dot products of <c>TVector.Count / 8</c> rows of <c>A</c> (the last of them repeated when only
    /// <paramref name="rows"/> exist) with eight columns of <c>Bt</c>, and writes the leading <paramref name="rows"/> to <c>C</c>.
    /// When <paramref name="contiguous"/>, the tile's outputs are consecutive in <c>C</c> and are written as one vector.
    /// </summary>
    private static void DotTileEightColumns<TOperations, TVector>(
        ref float a, int rows, int k, ref float b, ref float c, int cStride, bool accumulate, bool contiguous, ref float spill)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        nint width = TOperations.Count;
        nint stride = k;
        int last = rows - 1;
        ref float a1 = ref TOperations.Count > 8 ? ref Unsafe.Add(ref a, Math.Min(1, last) * stride) : ref a;
        ref float b1 = ref Unsafe.Add(ref b, 1 * stride);
        ref float b2 = ref Unsafe.Add(ref b, 2 * stride);
        ref float b3 = ref Unsafe.Add(ref b, 3 * stride);
        ref float b4 = ref Unsafe.Add(ref b, 4 * stride);
        ref float b5 = ref Unsafe.Add(ref b, 5 * stride);
        ref float b6 = ref Unsafe.Add(ref b, 6 * stride);
        ref float b7 = ref Unsafe.Add(ref b, 7 * stride);
        TVector s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        TVector s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
        nint p = 0;

        // Each column is loaded just before the multiply-adds that use it: loading all eight first needs 8 + 8 + 1 registers
        // on AVX2, one more than its 16.
        for (; p <= k - width; p += width)
        {
            TVector x = TOperations.Load(ref a, p);
            TVector x1 = TOperations.Count > 8 ? TOperations.Load(ref a1, p) : x;
            TVector y0 = TOperations.Load(ref b, p);
            s0 = TOperations.MultiplyAdd(x, y0, s0);
            if (TOperations.Count > 8)
                s8 = TOperations.MultiplyAdd(x1, y0, s8);

            TVector y1 = TOperations.Load(ref b1, p);
            s2 = TOperations.MultiplyAdd(x, y1, s2);
            if (TOperations.Count > 8)
                s10 = TOperations.MultiplyAdd(x1, y1, s10);

            TVector y2 = TOperations.Load(ref b2, p);
            s1 = TOperations.MultiplyAdd(x, y2, s1);
            if (TOperations.Count > 8)
                s9 = TOperations.MultiplyAdd(x1, y2, s9);

            TVector y3 = TOperations.Load(ref b3, p);
            s3 = TOperations.MultiplyAdd(x, y3, s3);
            if (TOperations.Count > 8)
                s11 = TOperations.MultiplyAdd(x1, y3, s11);

            TVector y4 = TOperations.Load(ref b4, p);
            s4 = TOperations.MultiplyAdd(x, y4, s4);
            if (TOperations.Count > 8)
                s12 = TOperations.MultiplyAdd(x1, y4, s12);

            TVector y5 = TOperations.Load(ref b5, p);
            s6 = TOperations.MultiplyAdd(x, y5, s6);
            if (TOperations.Count > 8)
                s14 = TOperations.MultiplyAdd(x1, y5, s14);

            TVector y6 = TOperations.Load(ref b6, p);
            s5 = TOperations.MultiplyAdd(x, y6, s5);
            if (TOperations.Count > 8)
                s13 = TOperations.MultiplyAdd(x1, y6, s13);

            TVector y7 = TOperations.Load(ref b7, p);
            s7 = TOperations.MultiplyAdd(x, y7, s7);
            if (TOperations.Count > 8)
                s15 = TOperations.MultiplyAdd(x1, y7, s15);
        }

        if (p < k)
        {
            int remaining = (int)(k - p);
            p = k - width;
            TVector y0 = TOperations.KeepUpperLanes(TOperations.Load(ref b, p), remaining);
            TVector y1 = TOperations.KeepUpperLanes(TOperations.Load(ref b1, p), remaining);
            TVector y2 = TOperations.KeepUpperLanes(TOperations.Load(ref b2, p), remaining);
            TVector y3 = TOperations.KeepUpperLanes(TOperations.Load(ref b3, p), remaining);
            TVector y4 = TOperations.KeepUpperLanes(TOperations.Load(ref b4, p), remaining);
            TVector y5 = TOperations.KeepUpperLanes(TOperations.Load(ref b5, p), remaining);
            TVector y6 = TOperations.KeepUpperLanes(TOperations.Load(ref b6, p), remaining);
            TVector y7 = TOperations.KeepUpperLanes(TOperations.Load(ref b7, p), remaining);
            TVector x = TOperations.KeepUpperLanes(TOperations.Load(ref a, p), remaining);
            s0 = TOperations.MultiplyAdd(x, y0, s0);
            s2 = TOperations.MultiplyAdd(x, y1, s2);
            s1 = TOperations.MultiplyAdd(x, y2, s1);
            s3 = TOperations.MultiplyAdd(x, y3, s3);
            s4 = TOperations.MultiplyAdd(x, y4, s4);
            s6 = TOperations.MultiplyAdd(x, y5, s6);
            s5 = TOperations.MultiplyAdd(x, y6, s5);
            s7 = TOperations.MultiplyAdd(x, y7, s7);
            if (TOperations.Count > 8)
            {
                x = TOperations.KeepUpperLanes(TOperations.Load(ref a1, p), remaining);
                s8 = TOperations.MultiplyAdd(x, y0, s8);
                s10 = TOperations.MultiplyAdd(x, y1, s10);
                s9 = TOperations.MultiplyAdd(x, y2, s9);
                s11 = TOperations.MultiplyAdd(x, y3, s11);
                s12 = TOperations.MultiplyAdd(x, y4, s12);
                s14 = TOperations.MultiplyAdd(x, y5, s14);
                s13 = TOperations.MultiplyAdd(x, y6, s13);
                s15 = TOperations.MultiplyAdd(x, y7, s15);
            }
        }

        StoreDotTile<TOperations, TVector>(
            s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15,
            8, rows, ref c, cStride, accumulate, contiguous, ref spill);
    }

    /// <summary>
    /// Computes the dot products of <c>TVector.Count / 16</c> rows of <c>A</c> (the last of them repeated when only
    /// <paramref name="rows"/> exist) with sixteen columns of <c>Bt</c>, and writes the leading <paramref name="rows"/> to <c>C</c>.
    /// When <paramref name="contiguous"/>, the tile's outputs are consecutive in <c>C</c> and are written as one vector.
    /// </summary>
    private static void DotTileSixteenColumns<TOperations, TVector>(
        ref float a, int rows, int k, ref float b, ref float c, int cStride, bool accumulate, bool contiguous, ref float spill)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        nint width = TOperations.Count;
        nint stride = k;
        ref float b1 = ref Unsafe.Add(ref b, 1 * stride);
        ref float b2 = ref Unsafe.Add(ref b, 2 * stride);
        ref float b3 = ref Unsafe.Add(ref b, 3 * stride);
        ref float b4 = ref Unsafe.Add(ref b, 4 * stride);
        ref float b5 = ref Unsafe.Add(ref b, 5 * stride);
        ref float b6 = ref Unsafe.Add(ref b, 6 * stride);
        ref float b7 = ref Unsafe.Add(ref b, 7 * stride);
        ref float b8 = ref Unsafe.Add(ref b, 8 * stride);
        ref float b9 = ref Unsafe.Add(ref b, 9 * stride);
        ref float b10 = ref Unsafe.Add(ref b, 10 * stride);
        ref float b11 = ref Unsafe.Add(ref b, 11 * stride);
        ref float b12 = ref Unsafe.Add(ref b, 12 * stride);
        ref float b13 = ref Unsafe.Add(ref b, 13 * stride);
        ref float b14 = ref Unsafe.Add(ref b, 14 * stride);
        ref float b15 = ref Unsafe.Add(ref b, 15 * stride);
        TVector s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        TVector s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
        nint p = 0;

        // Each column is loaded just before its multiply-add, so that the JIT can read it from memory in the instruction:
        // loading all sixteen first needs 16 + 16 + 1 registers, one more than the 32 of AVX-512.
        for (; p <= k - width; p += width)
        {
            TVector x = TOperations.Load(ref a, p);
            s0 = TOperations.MultiplyAdd(x, TOperations.Load(ref b, p), s0);
            s2 = TOperations.MultiplyAdd(x, TOperations.Load(ref b1, p), s2);
            s1 = TOperations.MultiplyAdd(x, TOperations.Load(ref b2, p), s1);
            s3 = TOperations.MultiplyAdd(x, TOperations.Load(ref b3, p), s3);
            s4 = TOperations.MultiplyAdd(x, TOperations.Load(ref b4, p), s4);
            s6 = TOperations.MultiplyAdd(x, TOperations.Load(ref b5, p), s6);
            s5 = TOperations.MultiplyAdd(x, TOperations.Load(ref b6, p), s5);
            s7 = TOperations.MultiplyAdd(x, TOperations.Load(ref b7, p), s7);
            s8 = TOperations.MultiplyAdd(x, TOperations.Load(ref b8, p), s8);
            s10 = TOperations.MultiplyAdd(x, TOperations.Load(ref b9, p), s10);
            s9 = TOperations.MultiplyAdd(x, TOperations.Load(ref b10, p), s9);
            s11 = TOperations.MultiplyAdd(x, TOperations.Load(ref b11, p), s11);
            s12 = TOperations.MultiplyAdd(x, TOperations.Load(ref b12, p), s12);
            s14 = TOperations.MultiplyAdd(x, TOperations.Load(ref b13, p), s14);
            s13 = TOperations.MultiplyAdd(x, TOperations.Load(ref b14, p), s13);
            s15 = TOperations.MultiplyAdd(x, TOperations.Load(ref b15, p), s15);
        }

        if (p < k)
        {
            int remaining = (int)(k - p);
            p = k - width;
            TVector y0 = TOperations.KeepUpperLanes(TOperations.Load(ref b, p), remaining);
            TVector y1 = TOperations.KeepUpperLanes(TOperations.Load(ref b1, p), remaining);
            TVector y2 = TOperations.KeepUpperLanes(TOperations.Load(ref b2, p), remaining);
            TVector y3 = TOperations.KeepUpperLanes(TOperations.Load(ref b3, p), remaining);
            TVector y4 = TOperations.KeepUpperLanes(TOperations.Load(ref b4, p), remaining);
            TVector y5 = TOperations.KeepUpperLanes(TOperations.Load(ref b5, p), remaining);
            TVector y6 = TOperations.KeepUpperLanes(TOperations.Load(ref b6, p), remaining);
            TVector y7 = TOperations.KeepUpperLanes(TOperations.Load(ref b7, p), remaining);
            TVector y8 = TOperations.KeepUpperLanes(TOperations.Load(ref b8, p), remaining);
            TVector y9 = TOperations.KeepUpperLanes(TOperations.Load(ref b9, p), remaining);
            TVector y10 = TOperations.KeepUpperLanes(TOperations.Load(ref b10, p), remaining);
            TVector y11 = TOperations.KeepUpperLanes(TOperations.Load(ref b11, p), remaining);
            TVector y12 = TOperations.KeepUpperLanes(TOperations.Load(ref b12, p), remaining);
            TVector y13 = TOperations.KeepUpperLanes(TOperations.Load(ref b13, p), remaining);
            TVector y14 = TOperations.KeepUpperLanes(TOperations.Load(ref b14, p), remaining);
            TVector y15 = TOperations.KeepUpperLanes(TOperations.Load(ref b15, p), remaining);
            TVector x = TOperations.KeepUpperLanes(TOperations.Load(ref a, p), remaining);
            s0 = TOperations.MultiplyAdd(x, y0, s0);
            s2 = TOperations.MultiplyAdd(x, y1, s2);
            s1 = TOperations.MultiplyAdd(x, y2, s1);
            s3 = TOperations.MultiplyAdd(x, y3, s3);
            s4 = TOperations.MultiplyAdd(x, y4, s4);
            s6 = TOperations.MultiplyAdd(x, y5, s6);
            s5 = TOperations.MultiplyAdd(x, y6, s5);
            s7 = TOperations.MultiplyAdd(x, y7, s7);
            s8 = TOperations.MultiplyAdd(x, y8, s8);
            s10 = TOperations.MultiplyAdd(x, y9, s10);
            s9 = TOperations.MultiplyAdd(x, y10, s9);
            s11 = TOperations.MultiplyAdd(x, y11, s11);
            s12 = TOperations.MultiplyAdd(x, y12, s12);
            s14 = TOperations.MultiplyAdd(x, y13, s14);
            s13 = TOperations.MultiplyAdd(x, y14, s13);
            s15 = TOperations.MultiplyAdd(x, y15, s15);
        }

        StoreDotTile<TOperations, TVector>(
            s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15,
            16, rows, ref c, cStride, accumulate, contiguous, ref spill);
    }

    /// <summary>
    /// Sums the lanes of each accumulator with a tree of folds, so that lane <c>o</c> of the result holds output <c>o</c>
    /// (row <c>o / columns</c>, column <c>o % columns</c>), and writes or adds the leading <paramref name="rows"/> into <c>C</c>.
    /// </summary>
    /// <remarks>Output <c>o</c> is held by accumulator <c>o</c> with 1 and 2 exchanged in every group of 4, which the tree undoes.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreDotTile<TOperations, TVector>(
        TVector s0, TVector s1, TVector s2, TVector s3, TVector s4, TVector s5, TVector s6, TVector s7,
        TVector s8, TVector s9, TVector s10, TVector s11, TVector s12, TVector s13, TVector s14, TVector s15,
        int columns, int rows, ref float c, int cStride, bool accumulate, bool contiguous, ref float spill)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        if (TOperations.Count == 16)
        {
            s0 = TOperations.Fold(s0, s8, 8);
            s1 = TOperations.Fold(s1, s9, 8);
            s2 = TOperations.Fold(s2, s10, 8);
            s3 = TOperations.Fold(s3, s11, 8);
            s4 = TOperations.Fold(s4, s12, 8);
            s5 = TOperations.Fold(s5, s13, 8);
            s6 = TOperations.Fold(s6, s14, 8);
            s7 = TOperations.Fold(s7, s15, 8);
        }

        if (TOperations.Count >= 8)
        {
            s0 = TOperations.Fold(s0, s4, 4);
            s1 = TOperations.Fold(s1, s5, 4);
            s2 = TOperations.Fold(s2, s6, 4);
            s3 = TOperations.Fold(s3, s7, 4);
        }

        s0 = TOperations.Fold(s0, s2, 2);
        s1 = TOperations.Fold(s1, s3, 2);
        TVector sums = TOperations.Fold(s0, s1, 1);

        if (contiguous)
        {
            if (accumulate)
                sums = TOperations.Add(TOperations.Load(ref c, 0), sums);
            TOperations.Store(sums, ref c, 0);
            return;
        }

        TOperations.Store(sums, ref spill, 0);
        for (int r = 0; r < rows; r++)
        {
            ref float source = ref Unsafe.Add(ref spill, r * columns);
            ref float destination = ref Unsafe.Add(ref c, (nint)r * cStride);
            switch (columns)
            {
                case 16: MergeVector(Vector512.LoadUnsafe(ref source), ref destination, accumulate); break;
                case 8: MergeVector(Vector256.LoadUnsafe(ref source), ref destination, accumulate); break;
                case 4: MergeVector(Vector128.LoadUnsafe(ref source), ref destination, accumulate); break;
                default:
                    for (int j = 0; j < columns; j++)
                        StoreSum(Unsafe.Add(ref source, j), ref Unsafe.Add(ref destination, j), accumulate);
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MergeVector(Vector512<float> value, ref float destination, bool accumulate) =>
        (accumulate ? Vector512.LoadUnsafe(ref destination) + value : value).StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MergeVector(Vector256<float> value, ref float destination, bool accumulate) =>
        (accumulate ? Vector256.LoadUnsafe(ref destination) + value : value).StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MergeVector(Vector128<float> value, ref float destination, bool accumulate) =>
        (accumulate ? Vector128.LoadUnsafe(ref destination) + value : value).StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSum(float sum, ref float c, bool accumulate) => c = accumulate ? c + sum : sum;

    /// <summary>
    /// Returns a reference to <c>Bᵀ</c> for <c>B[k×n]</c>: written into the thread's scratch buffer, or <paramref name="b"/>
    /// itself when <paramref name="n"/> is 1.
    /// </summary>
    /// <remarks>
    /// Blocks of 8 columns are transposed 8 × 8 at a time, reading 8 floats from each row even where fewer columns remain
    /// (the excess lands in scratch rows past <c>n</c>, which are never read), as long as the reads stay inside <c>B</c>.
    /// </remarks>
    private static ref float Transpose(ref float b, int k, int n)
    {
        if (n == 1)
            return ref b;

        int paddedRows = (n + 7) & ~7;
        ref float transposed = ref MemoryMarshal.GetArrayDataReference(Scratch(ref t_transposed, paddedRows * k));
        int blockedDepth = 0;
        if (Avx.IsSupported)
        {
            // A block starting at p reads up to (p + 7)·n + paddedRows, which must not pass k·n.
            int lastStart = k - 7 - (paddedRows + n - 1) / n;
            blockedDepth = lastStart < 0 ? 0 : (lastStart / 8 + 1) * 8;
            for (int p = 0; p < blockedDepth; p += 8)
            {
                for (int j = 0; j < n; j += 8)
                    Transpose8x8(ref Unsafe.Add(ref b, (nint)p * n + j), n, ref Unsafe.Add(ref transposed, (nint)j * k + p), k);
            }
        }

        for (int j = 0; j < n; j++)
        {
            ref float column = ref Unsafe.Add(ref b, j);
            ref float row = ref Unsafe.Add(ref transposed, (nint)j * k);
            for (int p = blockedDepth; p < k; p++)
                Unsafe.Add(ref row, p) = Unsafe.Add(ref column, (nint)p * n);
        }

        return ref transposed;
    }
}
