using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ppo.Tensors;

public static partial class Gemm
{
    [ThreadStatic]
    private static float[]? t_transposed;

    /// <summary>
    /// Computes <c>C[m×n] (+)= A[m×k] · Bt[n×k]ᵀ</c> as dot products along <c>k</c>: the path for outputs too narrow to
    /// fill a register tile, where neither operand needs packing.
    /// </summary>
    /// <remarks>
    /// Each element accumulates <c>TVector.Count</c> interleaved partial sums of fused multiply-adds in order of <c>p</c>,
    /// the last partial vector overlapping the one before it with the overlap masked to zero, then sums the lanes in a
    /// fixed order. The order depends only on <paramref name="k"/>. Requires <c>k ≥ TVector.Count</c>.
    /// </remarks>
    private static void MultiplyByDotProducts<TOperations, TVector>(ref float a, ref float bt, ref float c, int m, int n, int k, bool accumulate)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        int i = 0;
        for (; i + TileRowCount <= m; i += TileRowCount)
        {
            ref float aRows = ref Unsafe.Add(ref a, (nint)i * k);
            ref float cRows = ref Unsafe.Add(ref c, (nint)i * n);
            for (int j = 0; j < n; j++)
                DotTile<TOperations, TVector, TileRows.Eight>(ref aRows, k, ref Unsafe.Add(ref bt, (nint)j * k), ref Unsafe.Add(ref cRows, j), n, accumulate);
        }

        for (; i < m; i++)
        {
            ref float aRow = ref Unsafe.Add(ref a, (nint)i * k);
            ref float cRow = ref Unsafe.Add(ref c, (nint)i * n);
            for (int j = 0; j < n; j++)
                DotTile<TOperations, TVector, TileRows.One>(ref aRow, k, ref Unsafe.Add(ref bt, (nint)j * k), ref Unsafe.Add(ref cRow, j), n, accumulate);
        }
    }

    /// <summary>Computes <c>c[r·cStride] (+)= Σ_p a[r·k + p]·b[p]</c> for the rows <c>r</c> of one tile.</summary>
    private static void DotTile<TOperations, TVector, TRows>(ref float a, int k, ref float b, ref float c, nint cStride, bool accumulate)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
        where TRows : struct, ITileRows
    {
        nint width = TOperations.Count;
        ref float a1 = ref TRows.Value > 1 ? ref Unsafe.Add(ref a, 1 * (nint)k) : ref a;
        ref float a2 = ref TRows.Value > 2 ? ref Unsafe.Add(ref a, 2 * (nint)k) : ref a;
        ref float a3 = ref TRows.Value > 3 ? ref Unsafe.Add(ref a, 3 * (nint)k) : ref a;
        ref float a4 = ref TRows.Value > 4 ? ref Unsafe.Add(ref a, 4 * (nint)k) : ref a;
        ref float a5 = ref TRows.Value > 5 ? ref Unsafe.Add(ref a, 5 * (nint)k) : ref a;
        ref float a6 = ref TRows.Value > 6 ? ref Unsafe.Add(ref a, 6 * (nint)k) : ref a;
        ref float a7 = ref TRows.Value > 7 ? ref Unsafe.Add(ref a, 7 * (nint)k) : ref a;
        TVector sum0 = default;
        TVector sum1 = default;
        TVector sum2 = default;
        TVector sum3 = default;
        TVector sum4 = default;
        TVector sum5 = default;
        TVector sum6 = default;
        TVector sum7 = default;
        nint p = 0;
        for (; p <= k - width; p += width)
        {
            TVector x = TOperations.Load(ref b, p);
            sum0 = TOperations.MultiplyAdd(TOperations.Load(ref a, p), x, sum0);
            if (TRows.Value > 1)
                sum1 = TOperations.MultiplyAdd(TOperations.Load(ref a1, p), x, sum1);
            if (TRows.Value > 2)
                sum2 = TOperations.MultiplyAdd(TOperations.Load(ref a2, p), x, sum2);
            if (TRows.Value > 3)
                sum3 = TOperations.MultiplyAdd(TOperations.Load(ref a3, p), x, sum3);
            if (TRows.Value > 4)
                sum4 = TOperations.MultiplyAdd(TOperations.Load(ref a4, p), x, sum4);
            if (TRows.Value > 5)
                sum5 = TOperations.MultiplyAdd(TOperations.Load(ref a5, p), x, sum5);
            if (TRows.Value > 6)
                sum6 = TOperations.MultiplyAdd(TOperations.Load(ref a6, p), x, sum6);
            if (TRows.Value > 7)
                sum7 = TOperations.MultiplyAdd(TOperations.Load(ref a7, p), x, sum7);
        }

        if (p < k)
        {
            int remaining = (int)(k - p);
            p = k - width;
            TVector x = TOperations.KeepUpperLanes(TOperations.Load(ref b, p), remaining);
            sum0 = TOperations.MultiplyAdd(TOperations.KeepUpperLanes(TOperations.Load(ref a, p), remaining), x, sum0);
            if (TRows.Value > 1)
                sum1 = TOperations.MultiplyAdd(TOperations.KeepUpperLanes(TOperations.Load(ref a1, p), remaining), x, sum1);
            if (TRows.Value > 2)
                sum2 = TOperations.MultiplyAdd(TOperations.KeepUpperLanes(TOperations.Load(ref a2, p), remaining), x, sum2);
            if (TRows.Value > 3)
                sum3 = TOperations.MultiplyAdd(TOperations.KeepUpperLanes(TOperations.Load(ref a3, p), remaining), x, sum3);
            if (TRows.Value > 4)
                sum4 = TOperations.MultiplyAdd(TOperations.KeepUpperLanes(TOperations.Load(ref a4, p), remaining), x, sum4);
            if (TRows.Value > 5)
                sum5 = TOperations.MultiplyAdd(TOperations.KeepUpperLanes(TOperations.Load(ref a5, p), remaining), x, sum5);
            if (TRows.Value > 6)
                sum6 = TOperations.MultiplyAdd(TOperations.KeepUpperLanes(TOperations.Load(ref a6, p), remaining), x, sum6);
            if (TRows.Value > 7)
                sum7 = TOperations.MultiplyAdd(TOperations.KeepUpperLanes(TOperations.Load(ref a7, p), remaining), x, sum7);
        }

        StoreSum(TOperations.Sum(sum0), ref c, accumulate);
        if (TRows.Value > 1)
            StoreSum(TOperations.Sum(sum1), ref Unsafe.Add(ref c, 1 * cStride), accumulate);
        if (TRows.Value > 2)
            StoreSum(TOperations.Sum(sum2), ref Unsafe.Add(ref c, 2 * cStride), accumulate);
        if (TRows.Value > 3)
            StoreSum(TOperations.Sum(sum3), ref Unsafe.Add(ref c, 3 * cStride), accumulate);
        if (TRows.Value > 4)
            StoreSum(TOperations.Sum(sum4), ref Unsafe.Add(ref c, 4 * cStride), accumulate);
        if (TRows.Value > 5)
            StoreSum(TOperations.Sum(sum5), ref Unsafe.Add(ref c, 5 * cStride), accumulate);
        if (TRows.Value > 6)
            StoreSum(TOperations.Sum(sum6), ref Unsafe.Add(ref c, 6 * cStride), accumulate);
        if (TRows.Value > 7)
            StoreSum(TOperations.Sum(sum7), ref Unsafe.Add(ref c, 7 * cStride), accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSum(float sum, ref float c, bool accumulate) => c = accumulate ? c + sum : sum;

    /// <summary>Writes <c>Bᵀ</c> for <c>B[k×n]</c> into the thread's scratch buffer and returns a reference to it.</summary>
    private static ref float Transpose(ref float b, int k, int n)
    {
        ref float transposed = ref MemoryMarshal.GetArrayDataReference(Scratch(ref t_transposed, n * k));
        for (int p = 0; p < k; p++)
        {
            ref float row = ref Unsafe.Add(ref b, (nint)p * n);
            for (int j = 0; j < n; j++)
                Unsafe.Add(ref transposed, (nint)j * k + p) = Unsafe.Add(ref row, j);
        }

        return ref transposed;
    }
}
