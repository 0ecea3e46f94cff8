using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Ppo.Tensors;

public static partial class Gemm
{
    /// <summary>Depth of one block over <c>k</c>: a packed panel holds this many rows.</summary>
    private const int DepthBlock = 256;

    /// <summary>Depth of one block over <c>k</c> when <c>C</c> is stored transposed.</summary>
    private const int TransposedDepthBlock = 4 * DepthBlock;

    /// <summary>Columns of <c>C</c> whose panels are packed together.</summary>
    private const int ColumnBlock = 512;

    /// <summary>
    /// Gets the rows of <c>C</c> computed against one set of packed panels before moving on: a whole number of register
    /// tiles whose rows of <c>A</c> (<see cref="DepthBlock"/> deep, when <c>C</c> is stored by rows) stay in the L2 cache
    /// while every panel passes over them. BLIS's block of the broadcast side, 480 rows for its 12-row AVX-512 kernel (<c>skx</c>, for a 1 MiB L2:
    /// 480 KiB here) and 168 for its 6-row AVX2 kernel (<c>haswell</c>: 168 KiB, inside a 256 KiB L2).
    /// </summary>
    private static int RowBlock<TOperations, TVector>()
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct =>
        TileRowCount<TOperations, TVector>() == 12 ? 480 : 168;

    /// <summary>
    /// Up to this many rows of <c>C</c>, a panel of <c>B</c> whose rows are contiguous is read where it lies: it is used by
    /// too few register tiles for a packed copy to pay for itself.
    /// </summary>
    private const int UnpackedRowLimit = 64;

    /// <summary>
    /// Panels of <c>B</c> are read in place only when their rows are at most this many floats apart; longer power-of-two
    /// strides map a panel's rows onto a few cache sets.
    /// </summary>
    private const int UnpackedStrideLimit = 512;

    /// <summary>
    /// From this distance between consecutive <c>p</c> of a row of <c>A</c> on, the rows of <c>A</c> are copied into contiguous
    /// micro-panels: strides this long put every <c>p</c> of a tile in a different cache line and the same cache set.
    /// </summary>
    private const int LongStride = 512;

    [ThreadStatic]
    private static float[]? t_panels;

    [ThreadStatic]
    private static float[]? t_rowPanels;

    /// <summary>
    /// Computes <c>C (+)= A·B</c> with packed panels of <c>B</c> and the register-tiled micro-kernel, where
    /// <c>A(i, p)</c> is read in <typeparamref name="TLayout"/> with stride <paramref name="aStride"/>,
    /// <c>B(p, j) = b[p·bRowStride + j·bColumnStride]</c> and <c>C(i, j) = c[i·cRowStride + j·cColumnStride]</c>.
    /// </summary>
    /// <remarks>
    /// Blocks over <c>k</c> are added to <c>C</c> in increasing order; within a block each element is one chain of
    /// fused multiply-adds, so the summation order depends only on <paramref name="k"/>.
    /// </remarks>
    private static void MultiplyBlocked<TOperations, TVector, TLayout>(
        ref float a, nint aStride,
        ref float b, nint bRowStride, nint bColumnStride,
        ref float c, nint cRowStride, nint cColumnStride,
        int m, int n, int k, bool accumulate)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
        where TLayout : struct, IBroadcastLayout
    {
        int tileRows = TileRowCount<TOperations, TVector>();
        int rowBlock = RowBlock<TOperations, TVector>();
        bool wide = m <= WideTileRowCount<TOperations, TVector>() && n > TileVectorCount * TOperations.Count;
        int tileColumns = (wide ? WideTileVectorCount : TileVectorCount) * TOperations.Count;
        int paddedColumns = (Math.Min(n, ColumnBlock) + tileColumns - 1) / tileColumns * tileColumns;
        bool contiguousRows = cColumnStride == 1;

        // Tiles of a C stored transposed are merged element by element; deeper blocks merge them less often.
        int depthBlock = contiguousRows ? DepthBlock : TransposedDepthBlock;
        ref float panels = ref MemoryMarshal.GetArrayDataReference(Scratch(ref t_panels, Math.Min(k, depthBlock) * paddedColumns));
        Span<float> tileBuffer = stackalloc float[tileRows * tileColumns];
        ref float tile = ref MemoryMarshal.GetReference(tileBuffer);
        bool unpacked = bColumnStride == 1 && m <= UnpackedRowLimit && bRowStride <= UnpackedStrideLimit;
        bool packRows = typeof(TLayout) == typeof(BroadcastLayout.ColumnMajor) && aStride >= LongStride && n > 4 * tileColumns;
        ref float rowPanels = ref packRows
            ? ref MemoryMarshal.GetArrayDataReference(Scratch(ref t_rowPanels, Math.Min(k, depthBlock) * (Math.Min(m, rowBlock) + tileRows)))
            : ref a;

        for (int pc = 0; pc < k; pc += depthBlock)
        {
            int kc = Math.Min(depthBlock, k - pc);
            bool add = accumulate || pc > 0;
            for (int jc = 0; jc < n; jc += ColumnBlock)
            {
                int nc = Math.Min(ColumnBlock, n - jc);
                ref float bBlock = ref Unsafe.Add(ref b, pc * bRowStride + jc * bColumnStride);
                PackPanels(ref bBlock, bRowStride, bColumnStride, kc, nc, tileColumns, unpacked, ref panels);
                for (int ic = 0; ic < m; ic += rowBlock)
                {
                    int mc = Math.Min(rowBlock, m - ic);
                    int fullTiles = mc / tileRows, edgeRows = mc % tileRows;
                    ref float aBlock = ref Unsafe.Add(ref a, TLayout.RowOffset(ic, aStride) + TLayout.ColumnOffset(pc, aStride));
                    nint blockStride = aStride;
                    nint aTileStride = TLayout.RowOffset(tileRows, aStride);
                    if (packRows)
                    {
                        PackRowPanels(ref aBlock, aStride, mc, kc, tileRows, ref rowPanels);
                        aBlock = ref rowPanels;
                        blockStride = tileRows;
                        aTileStride = (nint)tileRows * kc;
                    }

                    ref float aEdge = ref Unsafe.Add(ref aBlock, fullTiles * aTileStride);
                    for (int jr = 0; jr < nc; jr += tileColumns)
                    {
                        int columns = Math.Min(tileColumns, nc - jr);
                        bool inPlace = unpacked && columns == tileColumns;
                        ref float panel = ref inPlace ? ref Unsafe.Add(ref bBlock, jr) : ref Unsafe.Add(ref panels, (nint)jr * kc);
                        nint panelStride = inPlace ? bRowStride : tileColumns;

                        // Whole tiles of C are written directly; the others are computed into scratch and merged.
                        ref float cPanel = ref Unsafe.Add(ref c, ic * cRowStride + (jc + jr) * cColumnStride);
                        if (contiguousRows && columns == tileColumns)
                        {
                            if (fullTiles > 0 && tileRows == 12)
                            {
                                MicroKernel<TOperations, TVector, TileRows.Twelve, TLayout>(
                                    ref aBlock, blockStride, aTileStride, ref panel, panelStride, kc, ref cPanel, cRowStride, add, fullTiles);
                            }
                            else if (fullTiles > 0)
                            {
                                MicroKernel<TOperations, TVector, TileRows.Six, TLayout>(
                                    ref aBlock, blockStride, aTileStride, ref panel, panelStride, kc, ref cPanel, cRowStride, add, fullTiles);
                            }

                            if (edgeRows > 0)
                            {
                                MicroKernel<TOperations, TVector, TLayout>(
                                    edgeRows, wide, ref aEdge, blockStride, ref panel, panelStride, kc,
                                    ref Unsafe.Add(ref cPanel, fullTiles * tileRows * cRowStride), cRowStride, add);
                            }
                        }
                        else
                        {
                            for (int ir = 0; ir < mc; ir += tileRows)
                            {
                                int rows = Math.Min(tileRows, mc - ir);
                                MicroKernel<TOperations, TVector, TLayout>(
                                    rows, wide, ref Unsafe.Add(ref aBlock, ir / tileRows * aTileStride), blockStride, ref panel, panelStride, kc, ref tile, tileColumns, false);
                                MergeTile(ref tile, tileColumns, ref Unsafe.Add(ref cPanel, ir * cRowStride), cRowStride, cColumnStride, rows, columns, add);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Runs the micro-kernel specialized for <paramref name="rows"/> rows (1 to <see cref="TileRowCount{TOperations, TVector}"/>)
    /// on one tile, or with <paramref name="wide"/> the wide micro-kernel (1 to <see cref="WideTileRowCount{TOperations, TVector}"/> rows).
    /// </summary>
    private static void MicroKernel<TOperations, TVector, TLayout>(
        int rows, bool wide, ref float a, nint aStride, ref float panel, nint panelStride, int kc, ref float c, nint cStride, bool accumulate)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
        where TLayout : struct, IBroadcastLayout
    {
        if (wide)
        {
            switch (rows)
            {
                case 4: WideMicroKernel<TOperations, TVector, TileRows.Four, TLayout>(ref a, aStride, ref panel, panelStride, kc, ref c, cStride, accumulate); break;
                case 3: WideMicroKernel<TOperations, TVector, TileRows.Three, TLayout>(ref a, aStride, ref panel, panelStride, kc, ref c, cStride, accumulate); break;
                case 2: WideMicroKernel<TOperations, TVector, TileRows.Two, TLayout>(ref a, aStride, ref panel, panelStride, kc, ref c, cStride, accumulate); break;
                default: WideMicroKernel<TOperations, TVector, TileRows.One, TLayout>(ref a, aStride, ref panel, panelStride, kc, ref c, cStride, accumulate); break;
            }

            return;
        }

        switch (rows)
        {
            case 12: MicroKernel<TOperations, TVector, TileRows.Twelve, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 11: MicroKernel<TOperations, TVector, TileRows.Eleven, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 10: MicroKernel<TOperations, TVector, TileRows.Ten, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 9: MicroKernel<TOperations, TVector, TileRows.Nine, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 8: MicroKernel<TOperations, TVector, TileRows.Eight, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 7: MicroKernel<TOperations, TVector, TileRows.Seven, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 6: MicroKernel<TOperations, TVector, TileRows.Six, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 5: MicroKernel<TOperations, TVector, TileRows.Five, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 4: MicroKernel<TOperations, TVector, TileRows.Four, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 3: MicroKernel<TOperations, TVector, TileRows.Three, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            case 2: MicroKernel<TOperations, TVector, TileRows.Two, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
            default: MicroKernel<TOperations, TVector, TileRows.One, TLayout>(ref a, aStride, 0, ref panel, panelStride, kc, ref c, cStride, accumulate, 1); break;
        }
    }

    /// <summary>
    /// Copies the column-major block <c>A(i, p) = a[p·aStride + i]</c>, <c>i &lt; mc</c>, <c>p &lt; kc</c>, into micro-panels of
    /// <paramref name="tileRows"/> rows: panel <c>t</c> starts at <c>t·kc·tileRows</c> and holds column <c>p</c> of its rows
    /// contiguously at <c>p·tileRows</c>.
    /// </summary>
    private static void PackRowPanels(ref float a, nint aStride, int mc, int kc, int tileRows, ref float rowPanels)
    {
        nint panelStride = (nint)tileRows * kc;
        for (int ir = 0; ir < mc; ir += tileRows)
        {
            int rows = Math.Min(tileRows, mc - ir);
            ref float source = ref Unsafe.Add(ref a, ir);
            ref float panel = ref Unsafe.Add(ref rowPanels, ir / tileRows * panelStride);
            for (int p = 0; p < kc; p++)
                MergeRow(ref Unsafe.Add(ref source, p * aStride), ref Unsafe.Add(ref panel, (nint)p * tileRows), rows, false);
        }
    }

    /// <summary>Writes or adds the leading <paramref name="rows"/> × <paramref name="columns"/> of a computed tile into <c>C</c>.</summary>
    private static void MergeTile(
        ref float tile, int tileStride, ref float c, nint cRowStride, nint cColumnStride, int rows, int columns, bool accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            ref float tileRow = ref Unsafe.Add(ref tile, (nint)r * tileStride);
            ref float cRow = ref Unsafe.Add(ref c, r * cRowStride);
            if (cColumnStride == 1)
            {
                MergeRow(ref tileRow, ref cRow, columns, accumulate);
            }
            else
            {
                for (int j = 0; j < columns; j++)
                    StoreSum(Unsafe.Add(ref tileRow, j), ref Unsafe.Add(ref cRow, j * cColumnStride), accumulate);
            }
        }
    }

    /// <summary>Writes (or adds) <c>source[0..count)</c> to <c>destination</c>, a vector at a time where possible.</summary>
    /// <remarks>Adds are element-wise, so the result is the same whichever width handles an element.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MergeRow(ref float source, ref float destination, int count, bool accumulate)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<float>.Count <= count; j += Vector256<float>.Count)
            {
                Vector256<float> value = Vector256.LoadUnsafe(ref source, (nuint)j);
                if (accumulate)
                    value = Vector256.LoadUnsafe(ref destination, (nuint)j) + value;
                value.StoreUnsafe(ref destination, (nuint)j);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; j + Vector128<float>.Count <= count; j += Vector128<float>.Count)
            {
                Vector128<float> value = Vector128.LoadUnsafe(ref source, (nuint)j);
                if (accumulate)
                    value = Vector128.LoadUnsafe(ref destination, (nuint)j) + value;
                value.StoreUnsafe(ref destination, (nuint)j);
            }
        }

        for (; j < count; j++)
            StoreSum(Unsafe.Add(ref source, j), ref Unsafe.Add(ref destination, j), accumulate);
    }

    /// <summary>Returns the thread's scratch buffer, grown to at least <paramref name="length"/> elements when shorter.</summary>
    private static float[] Scratch(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
            buffer = new float[length];
        return buffer;
    }
}
