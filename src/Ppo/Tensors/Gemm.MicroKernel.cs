using System.Runtime.CompilerServices;

namespace Ppo.Tensors;

public static partial class Gemm
{
    /// <summary>Rows of the register tile the micro-kernel computes.</summary>
    private const int TileRowCount = 8;

    /// <summary>Vectors per row of the register tile: the tile is <c>2·TVector.Count</c> columns wide.</summary>
    private const int TileVectorCount = 2;

    /// <summary>Rows of the wide register tile, used when the product has no more rows than this.</summary>
    private const int WideTileRowCount = 4;

    /// <summary>Vectors per row of the wide register tile, so that few rows still give enough independent chains.</summary>
    private const int WideTileVectorCount = 4;

    /// <summary>
    /// Computes <paramref name="tileCount"/> register tiles stacked down the rows of <c>C</c>, each
    /// <c>C[rows × 2w] (+)= A[rows × kc] · P[kc × 2w]</c> against the same panel <c>P</c>, with <c>w</c> the vector width.
    /// <c>A</c> is read in <typeparamref name="TLayout"/> with stride <paramref name="aStride"/>, the rows of successive tiles
    /// start <paramref name="aTileStride"/> apart, and row <c>p</c> of <c>P</c> is the <c>2w</c> floats at <c>p·panelStride</c>.
    /// </summary>
    /// <remarks>
    /// Each element is one chain of fused multiply-adds over <c>p = 0 … kc−1</c> in order, starting from zero, then stored
    /// (<paramref name="accumulate"/> false) or added to <c>C</c>. Rows of <c>C</c> are <paramref name="cStride"/> apart.
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
        nint tileOutputOffset = TRows.Value * cStride;
        for (int tile = 0; tile < tileCount; tile++)
        {
            ref float aColumn = ref a;
            ref float panelRow = ref panel;
            TVector c00 = default, c01 = default;
            TVector c10 = default, c11 = default;
            TVector c20 = default, c21 = default;
            TVector c30 = default, c31 = default;
            TVector c40 = default, c41 = default;
            TVector c50 = default, c51 = default;
            TVector c60 = default, c61 = default;
            TVector c70 = default, c71 = default;

            for (int p = 0; p < kc; p++)
            {
                TVector b0 = TOperations.Load(ref panelRow, 0);
                TVector b1 = TOperations.Load(ref panelRow, width);
                TVector x = TOperations.Broadcast(aColumn);
                c00 = TOperations.MultiplyAdd(x, b0, c00);
                c01 = TOperations.MultiplyAdd(x, b1, c01);
                if (TRows.Value > 1)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row1));
                    c10 = TOperations.MultiplyAdd(x, b0, c10);
                    c11 = TOperations.MultiplyAdd(x, b1, c11);
                }

                if (TRows.Value > 2)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row2));
                    c20 = TOperations.MultiplyAdd(x, b0, c20);
                    c21 = TOperations.MultiplyAdd(x, b1, c21);
                }

                if (TRows.Value > 3)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row3));
                    c30 = TOperations.MultiplyAdd(x, b0, c30);
                    c31 = TOperations.MultiplyAdd(x, b1, c31);
                }

                if (TRows.Value > 4)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row4));
                    c40 = TOperations.MultiplyAdd(x, b0, c40);
                    c41 = TOperations.MultiplyAdd(x, b1, c41);
                }

                if (TRows.Value > 5)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row5));
                    c50 = TOperations.MultiplyAdd(x, b0, c50);
                    c51 = TOperations.MultiplyAdd(x, b1, c51);
                }

                if (TRows.Value > 6)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row6));
                    c60 = TOperations.MultiplyAdd(x, b0, c60);
                    c61 = TOperations.MultiplyAdd(x, b1, c61);
                }

                if (TRows.Value > 7)
                {
                    x = TOperations.Broadcast(Unsafe.Add(ref aColumn, row7));
                    c70 = TOperations.MultiplyAdd(x, b0, c70);
                    c71 = TOperations.MultiplyAdd(x, b1, c71);
                }

                aColumn = ref Unsafe.Add(ref aColumn, step);
                panelRow = ref Unsafe.Add(ref panelRow, panelStride);
            }

            StoreTileRow<TOperations, TVector>(c00, c01, ref c, accumulate);
            if (TRows.Value > 1)
                StoreTileRow<TOperations, TVector>(c10, c11, ref Unsafe.Add(ref c, 1 * cStride), accumulate);
            if (TRows.Value > 2)
                StoreTileRow<TOperations, TVector>(c20, c21, ref Unsafe.Add(ref c, 2 * cStride), accumulate);
            if (TRows.Value > 3)
                StoreTileRow<TOperations, TVector>(c30, c31, ref Unsafe.Add(ref c, 3 * cStride), accumulate);
            if (TRows.Value > 4)
                StoreTileRow<TOperations, TVector>(c40, c41, ref Unsafe.Add(ref c, 4 * cStride), accumulate);
            if (TRows.Value > 5)
                StoreTileRow<TOperations, TVector>(c50, c51, ref Unsafe.Add(ref c, 5 * cStride), accumulate);
            if (TRows.Value > 6)
                StoreTileRow<TOperations, TVector>(c60, c61, ref Unsafe.Add(ref c, 6 * cStride), accumulate);
            if (TRows.Value > 7)
                StoreTileRow<TOperations, TVector>(c70, c71, ref Unsafe.Add(ref c, 7 * cStride), accumulate);

            a = ref Unsafe.Add(ref a, aTileStride);
            c = ref Unsafe.Add(ref c, tileOutputOffset);
        }
    }

    /// <summary>
    /// Computes one wide register tile <c>C[rows × 4w] (+)= A[rows × kc] · P[kc × 4w]</c>, with <c>w</c> the vector width and
    /// at most <see cref="WideTileRowCount"/> rows. <c>A</c> is read in <typeparamref name="TLayout"/> with stride
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
