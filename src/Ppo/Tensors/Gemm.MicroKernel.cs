using System.Runtime.CompilerServices;

namespace Ppo.Tensors;

public static partial class Gemm
{
    /// <summary>Vectors per row of the register tile: the tile is <c>2·TVector.Count</c> columns wide.</summary>
    private const int TileVectorCount = 2;

    /// <summary>Vectors per row of the wide register tile, so that few rows still give enough independent chains.</summary>
    private const int WideTileVectorCount = 4;

    /// <summary>The register file from which the tiles take their larger shapes.</summary>
    private const int LargeRegisterFile = 32;

    /// <summary>
    /// Gets the rows of the register tile on <typeparamref name="TOperations"/>'s vectors, so that the tile's accumulators,
    /// its two vectors of <c>B</c> and the broadcast of <c>A</c> fit the register file: 12 rows (24 + 2 + 1 = 27 registers)
    /// with 32 registers, 6 rows (12 + 2 + 1 = 15) with 16.
    /// </summary>
    /// <remarks>
    /// The shapes of the BLIS single-precision kernels for these register files, with our rows as their broadcast side:
    /// 32 × 12 on AVX-512 (<c>skx</c>: 2 vectors × 12), 8 × 12 on Arm64 NEON (<c>armv8a</c>: 2 vectors × 12) and 16 × 6
    /// on AVX2 (<c>haswell</c>: 2 vectors × 6). A tile of 8 rows needs 19 registers: on AVX2 the JIT kept 3 of its
    /// accumulators in stack slots inside the loop over <c>k</c>.
    /// </remarks>
    private static int TileRowCount<TOperations, TVector>()
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct =>
        TOperations.RegisterCount >= LargeRegisterFile ? 12 : 6;

    /// <summary>
    /// Gets the rows of the wide register tile, used when the product has no more rows than this: 4 with 32 registers
    /// (16 accumulators + 4 vectors of <c>B</c> + 1 = 21), 2 with 16 (8 + 4 + 1 = 13; 3 rows need 17).
    /// </summary>
    private static int WideTileRowCount<TOperations, TVector>()
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct =>
        TOperations.RegisterCount >= LargeRegisterFile ? 4 : 2;

    /// <summary>
    /// Computes <paramref name="tileCount"/> register tiles stacked down the rows of <c>C</c>, each
    /// <c>C[rows × 2w] (+)= A[rows × kc] · P[kc × 2w]</c> against the same panel <c>P</c>, with <c>w</c> the vector width and
    /// at most 12 rows. <c>A</c> is read in <typeparamref name="TLayout"/> with stride <paramref name="aStride"/>, the rows of
    /// successive tiles start <paramref name="aTileStride"/> apart, and row <c>p</c> of <c>P</c> is the <c>2w</c> floats at
    /// <c>p·panelStride</c>.
    /// </summary>
    /// <remarks>
    /// Each element is one chain of fused multiply-adds over <c>p = 0 … kc−1</c> in order, starting from zero, then stored
    /// (<paramref name="accumulate"/> false) or added to <c>C</c>. Rows of <c>C</c> are <paramref name="cStride"/> apart.
    /// Each row of the tile holds two accumulators, <c>low</c> and <c>high</c>, for its two vectors of columns.
    /// </remarks>
    private static void MicroKernel<TOperations, TVector, TRows, TLayout>(
        ref float a, nint aStride, nint aTileStride, ref float panel, nint panelStride, int kc, ref float c, nint cStride, bool accumulate, int tileCount)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
        where TRows : struct, ITileRows
        where TLayout : struct, IBroadcastLayout
    {
        nint width = TOperations.Count;
        nint step = TLayout.ColumnOffset(1, aStride);
        nint row1 = TLayout.RowOffset(1, aStride);
        nint row2 = TLayout.RowOffset(2, aStride);
        nint row3 = TLayout.RowOffset(3, aStride);
        nint row4 = TLayout.RowOffset(4, aStride);
        nint row5 = TLayout.RowOffset(5, aStride);
        nint row6 = TLayout.RowOffset(6, aStride);
        nint row7 = TLayout.RowOffset(7, aStride);
        nint row8 = TLayout.RowOffset(8, aStride);
        nint row9 = TLayout.RowOffset(9, aStride);
        nint row10 = TLayout.RowOffset(10, aStride);
        nint row11 = TLayout.RowOffset(11, aStride);
        nint tileOutputOffset = TRows.Value * cStride;
        for (int tile = 0; tile < tileCount; tile++)
        {
            ref float aColumn = ref a;
            ref float panelRow = ref panel;
            TVector low0 = default, high0 = default;
            TVector low1 = default, high1 = default;
            TVector low2 = default, high2 = default;
            TVector low3 = default, high3 = default;
            TVector low4 = default, high4 = default;
            TVector low5 = default, high5 = default;
            TVector low6 = default, high6 = default;
            TVector low7 = default, high7 = default;
            TVector low8 = default, high8 = default;
            TVector low9 = default, high9 = default;
            TVector low10 = default, high10 = default;
            TVector low11 = default, high11 = default;

            for (int p = 0; p < kc; p++)
            {
                TVector b0 = TOperations.Load(ref panelRow, 0);
                TVector b1 = TOperations.Load(ref panelRow, width);
                TVector x = TOperations.Broadcast(aColumn);
                low0 = TOperations.MultiplyAdd(x, b0, low0);
                high0 = TOperations.MultiplyAdd(x, b1, high0);
                if (TRows.Value > 1)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row1));
                    low1 = TOperations.MultiplyAdd(x, b0, low1);
                    high1 = TOperations.MultiplyAdd(x, b1, high1);
                }

                if (TRows.Value > 2)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row2));
                    low2 = TOperations.MultiplyAdd(x, b0, low2);
                    high2 = TOperations.MultiplyAdd(x, b1, high2);
                }

                if (TRows.Value > 3)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row3));
                    low3 = TOperations.MultiplyAdd(x, b0, low3);
                    high3 = TOperations.MultiplyAdd(x, b1, high3);
                }

                if (TRows.Value > 4)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row4));
                    low4 = TOperations.MultiplyAdd(x, b0, low4);
                    high4 = TOperations.MultiplyAdd(x, b1, high4);
                }

                if (TRows.Value > 5)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row5));
                    low5 = TOperations.MultiplyAdd(x, b0, low5);
                    high5 = TOperations.MultiplyAdd(x, b1, high5);
                }

                if (TRows.Value > 6)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row6));
                    low6 = TOperations.MultiplyAdd(x, b0, low6);
                    high6 = TOperations.MultiplyAdd(x, b1, high6);
                }

                if (TRows.Value > 7)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row7));
                    low7 = TOperations.MultiplyAdd(x, b0, low7);
                    high7 = TOperations.MultiplyAdd(x, b1, high7);
                }

                if (TRows.Value > 8)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row8));
                    low8 = TOperations.MultiplyAdd(x, b0, low8);
                    high8 = TOperations.MultiplyAdd(x, b1, high8);
                }

                if (TRows.Value > 9)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row9));
                    low9 = TOperations.MultiplyAdd(x, b0, low9);
                    high9 = TOperations.MultiplyAdd(x, b1, high9);
                }

                if (TRows.Value > 10)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row10));
                    low10 = TOperations.MultiplyAdd(x, b0, low10);
                    high10 = TOperations.MultiplyAdd(x, b1, high10);
                }

                if (TRows.Value > 11)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row11));
                    low11 = TOperations.MultiplyAdd(x, b0, low11);
                    high11 = TOperations.MultiplyAdd(x, b1, high11);
                }

                aColumn = ref Unsafe.Add(ref aColumn, step);
                panelRow = ref Unsafe.Add(ref panelRow, panelStride);
            }

            StoreTileRow<TOperations, TVector>(low0, high0, ref c, accumulate);
            if (TRows.Value > 1)
                StoreTileRow<TOperations, TVector>(low1, high1, ref Unsafe.Add(ref c, 1 * cStride), accumulate);
            if (TRows.Value > 2)
                StoreTileRow<TOperations, TVector>(low2, high2, ref Unsafe.Add(ref c, 2 * cStride), accumulate);
            if (TRows.Value > 3)
                StoreTileRow<TOperations, TVector>(low3, high3, ref Unsafe.Add(ref c, 3 * cStride), accumulate);
            if (TRows.Value > 4)
                StoreTileRow<TOperations, TVector>(low4, high4, ref Unsafe.Add(ref c, 4 * cStride), accumulate);
            if (TRows.Value > 5)
                StoreTileRow<TOperations, TVector>(low5, high5, ref Unsafe.Add(ref c, 5 * cStride), accumulate);
            if (TRows.Value > 6)
                StoreTileRow<TOperations, TVector>(low6, high6, ref Unsafe.Add(ref c, 6 * cStride), accumulate);
            if (TRows.Value > 7)
                StoreTileRow<TOperations, TVector>(low7, high7, ref Unsafe.Add(ref c, 7 * cStride), accumulate);
            if (TRows.Value > 8)
                StoreTileRow<TOperations, TVector>(low8, high8, ref Unsafe.Add(ref c, 8 * cStride), accumulate);
            if (TRows.Value > 9)
                StoreTileRow<TOperations, TVector>(low9, high9, ref Unsafe.Add(ref c, 9 * cStride), accumulate);
            if (TRows.Value > 10)
                StoreTileRow<TOperations, TVector>(low10, high10, ref Unsafe.Add(ref c, 10 * cStride), accumulate);
            if (TRows.Value > 11)
                StoreTileRow<TOperations, TVector>(low11, high11, ref Unsafe.Add(ref c, 11 * cStride), accumulate);

            a = ref Unsafe.Add(ref a, aTileStride);
            c = ref Unsafe.Add(ref c, tileOutputOffset);
        }
    }

    /// <summary>
    /// Computes one wide register tile <c>C[rows × 4w] (+)= A[rows × kc] · P[kc × 4w]</c>, with <c>w</c> the vector width and
    /// at most <see cref="WideTileRowCount{TOperations, TVector}"/> rows. <c>A</c> is read in <typeparamref name="TLayout"/> with stride
    /// <paramref name="aStride"/>, and row <c>p</c> of <c>P</c> is the <c>4w</c> floats at <c>p·panelStride</c>.
    /// </summary>
    /// <remarks>
    /// The same summation as <see cref="MicroKernel{TOperations, TVector, TRows, TLayout}"/>: each element is one chain of
    /// fused multiply-adds over <c>p = 0 … kc−1</c> in order, starting from zero, then stored or added to <c>C</c>.
    /// </remarks>
    private static void WideMicroKernel<TOperations, TVector, TRows, TLayout>(
        ref float a, nint aStride, ref float panel, nint panelStride, int kc, ref float c, nint cStride, bool accumulate)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
        where TRows : struct, ITileRows
        where TLayout : struct, IBroadcastLayout
    {
        nint width = TOperations.Count;
        nint step = TLayout.ColumnOffset(1, aStride);
        nint row1 = TLayout.RowOffset(1, aStride);
        nint row2 = TLayout.RowOffset(2, aStride);
        nint row3 = TLayout.RowOffset(3, aStride);
        TVector c00 = default, c01 = default, c02 = default, c03 = default;
        TVector c10 = default, c11 = default, c12 = default, c13 = default;
        TVector c20 = default, c21 = default, c22 = default, c23 = default;
        TVector c30 = default, c31 = default, c32 = default, c33 = default;

        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TOperations.Load(ref panel, 0);
            TVector b1 = TOperations.Load(ref panel, width);
            TVector b2 = TOperations.Load(ref panel, 2 * width);
            TVector b3 = TOperations.Load(ref panel, 3 * width);
            TVector x = TOperations.Broadcast(a);
            c00 = TOperations.MultiplyAdd(x, b0, c00);
            c01 = TOperations.MultiplyAdd(x, b1, c01);
            c02 = TOperations.MultiplyAdd(x, b2, c02);
            c03 = TOperations.MultiplyAdd(x, b3, c03);
            if (TRows.Value > 1)
            {
                x = TOperations.Broadcast(Unsafe.Add(ref a, row1));
                c10 = TOperations.MultiplyAdd(x, b0, c10);
                c11 = TOperations.MultiplyAdd(x, b1, c11);
                c12 = TOperations.MultiplyAdd(x, b2, c12);
                c13 = TOperations.MultiplyAdd(x, b3, c13);
            }

            if (TRows.Value > 2)
            {
                x = TOperations.Broadcast(Unsafe.Add(ref a, row2));
                c20 = TOperations.MultiplyAdd(x, b0, c20);
                c21 = TOperations.MultiplyAdd(x, b1, c21);
                c22 = TOperations.MultiplyAdd(x, b2, c22);
                c23 = TOperations.MultiplyAdd(x, b3, c23);
            }

            if (TRows.Value > 3)
            {
                x = TOperations.Broadcast(Unsafe.Add(ref a, row3));
                c30 = TOperations.MultiplyAdd(x, b0, c30);
                c31 = TOperations.MultiplyAdd(x, b1, c31);
                c32 = TOperations.MultiplyAdd(x, b2, c32);
                c33 = TOperations.MultiplyAdd(x, b3, c33);
            }

            a = ref Unsafe.Add(ref a, step);
            panel = ref Unsafe.Add(ref panel, panelStride);
        }

        StoreTileRow<TOperations, TVector>(c00, c01, ref c, accumulate);
        StoreTileRow<TOperations, TVector>(c02, c03, ref Unsafe.Add(ref c, 2 * width), accumulate);
        if (TRows.Value > 1)
        {
            ref float row = ref Unsafe.Add(ref c, 1 * cStride);
            StoreTileRow<TOperations, TVector>(c10, c11, ref row, accumulate);
            StoreTileRow<TOperations, TVector>(c12, c13, ref Unsafe.Add(ref row, 2 * width), accumulate);
        }

        if (TRows.Value > 2)
        {
            ref float row = ref Unsafe.Add(ref c, 2 * cStride);
            StoreTileRow<TOperations, TVector>(c20, c21, ref row, accumulate);
            StoreTileRow<TOperations, TVector>(c22, c23, ref Unsafe.Add(ref row, 2 * width), accumulate);
        }

        if (TRows.Value > 3)
        {
            ref float row = ref Unsafe.Add(ref c, 3 * cStride);
            StoreTileRow<TOperations, TVector>(c30, c31, ref row, accumulate);
            StoreTileRow<TOperations, TVector>(c32, c33, ref Unsafe.Add(ref row, 2 * width), accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTileRow<TOperations, TVector>(TVector low, TVector high, ref float c, bool accumulate)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        nint width = TOperations.Count;
        if (accumulate)
        {
            low = TOperations.Add(TOperations.Load(ref c, 0), low);
            high = TOperations.Add(TOperations.Load(ref c, width), high);
        }

        TOperations.Store(low, ref c, 0);
        TOperations.Store(high, ref c, width);
    }
}
