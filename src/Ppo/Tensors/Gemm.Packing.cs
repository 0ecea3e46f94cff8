using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppo.Tensors;

public static partial class Gemm
{
    /// <summary>
    /// Packs <c>B(p, j) = b[p·rowStride + j·columnStride]</c>, one of the strides being 1, for <c>p &lt; kc</c>, <c>j &lt; nc</c>
    /// into panels of <paramref name="tileColumns"/> columns: panel <c>q</c> starts at <c>q·kc·tileColumns</c> and holds its row
    /// <c>p</c> contiguously.
    /// Columns past <paramref name="nc"/> in the last panel are zero. With <paramref name="partialOnly"/>, full panels are
    /// left unpacked, to be read in place.
    /// </summary>
    private static void PackPanels(ref float b, nint rowStride, nint columnStride, int kc, int nc, int tileColumns, bool partialOnly, ref float panels)
    {
        for (int jr = 0; jr < nc; jr += tileColumns)
        {
            int columns = Math.Min(tileColumns, nc - jr);
            if (partialOnly && columns == tileColumns)
                continue;

            ref float source = ref Unsafe.Add(ref b, jr * columnStride);
            ref float panel = ref Unsafe.Add(ref panels, (nint)jr * kc);
            if (columnStride == 1)
            {
                for (int p = 0; p < kc; p++)
                    MergeRow(ref Unsafe.Add(ref source, p * rowStride), ref Unsafe.Add(ref panel, (nint)p * tileColumns), columns, false);
            }
            else
            {
                PackTransposed(ref source, columnStride, kc, columns, ref panel, tileColumns);
            }

            if (columns < tileColumns)
            {
                for (int p = 0; p < kc; p++)
                    ClearRow(ref Unsafe.Add(ref panel, (nint)p * tileColumns + columns), tileColumns - columns);
            }
        }
    }

    /// <summary>Sets <c>destination[0..count)</c> to zero, a vector at a time where possible.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ClearRow(ref float destination, int count)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<float>.Count <= count; j += Vector256<float>.Count)
                Vector256<float>.Zero.StoreUnsafe(ref destination, (nuint)j);
        }

        for (; j < count; j++)
            Unsafe.Add(ref destination, j) = 0f;
    }

    /// <summary>
    /// Packs one panel from a matrix stored transposed: <c>panel[p·tileColumns + j] = source[j·columnStride + p]</c> for
    /// <c>p &lt; kc</c>, <c>j &lt; columns</c>, in 8 × 8 blocks where the hardware has the shuffles for it.
    /// </summary>
    private static void PackTransposed(ref float source, nint columnStride, int kc, int columns, ref float panel, int tileColumns)
    {
        int blockedColumns = 0, blockedDepth = 0;
        if (Avx.IsSupported)
        {
            blockedColumns = columns & ~7;
            blockedDepth = kc & ~7;
            for (int p = 0; p < blockedDepth; p += 8)
            {
                for (int j = 0; j < blockedColumns; j += 8)
                    Transpose8x8(ref Unsafe.Add(ref source, j * columnStride + p), columnStride, ref Unsafe.Add(ref panel, (nint)p * tileColumns + j), tileColumns);
            }
        }

        for (int j = 0; j < columns; j++)
        {
            ref float sourceRow = ref Unsafe.Add(ref source, j * columnStride);
            for (int p = j < blockedColumns ? blockedDepth : 0; p < kc; p++)
                Unsafe.Add(ref panel, (nint)p * tileColumns + j) = Unsafe.Add(ref sourceRow, p);
        }
    }

    /// <summary>Transposes an 8 × 8 block: <c>destination[c·destinationStride + r] = source[r·sourceStride + c]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float source, nint sourceStride, ref float destination, nint destinationStride)
    {
        Vector256<float> row0 = Vector256.LoadUnsafe(ref source);
        Vector256<float> row1 = Vector256.LoadUnsafe(ref source, (nuint)sourceStride);
        Vector256<float> row2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        Vector256<float> row3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        Vector256<float> row4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        Vector256<float> row5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        Vector256<float> row6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        Vector256<float> row7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceStride));

        // Pairs of rows interleaved, then quadruples, within each 128-bit half; the halves are swapped last.
        Vector256<float> pair0 = Avx.UnpackLow(row0, row1), pair1 = Avx.UnpackHigh(row0, row1);
        Vector256<float> pair2 = Avx.UnpackLow(row2, row3), pair3 = Avx.UnpackHigh(row2, row3);
        Vector256<float> pair4 = Avx.UnpackLow(row4, row5), pair5 = Avx.UnpackHigh(row4, row5);
        Vector256<float> pair6 = Avx.UnpackLow(row6, row7), pair7 = Avx.UnpackHigh(row6, row7);
        Vector256<float> columns04 = Avx.Shuffle(pair0, pair2, 0x44), columns15 = Avx.Shuffle(pair0, pair2, 0xEE);
        Vector256<float> columns26 = Avx.Shuffle(pair1, pair3, 0x44), columns37 = Avx.Shuffle(pair1, pair3, 0xEE);
        Vector256<float> lowerColumns04 = Avx.Shuffle(pair4, pair6, 0x44), lowerColumns15 = Avx.Shuffle(pair4, pair6, 0xEE);
        Vector256<float> lowerColumns26 = Avx.Shuffle(pair5, pair7, 0x44), lowerColumns37 = Avx.Shuffle(pair5, pair7, 0xEE);

        Avx.Permute2x128(columns04, lowerColumns04, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(columns15, lowerColumns15, 0x20).StoreUnsafe(ref destination, (nuint)destinationStride);
        Avx.Permute2x128(columns26, lowerColumns26, 0x20).StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        Avx.Permute2x128(columns37, lowerColumns37, 0x20).StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
        Avx.Permute2x128(columns04, lowerColumns04, 0x31).StoreUnsafe(ref destination, (nuint)(4 * destinationStride));
        Avx.Permute2x128(columns15, lowerColumns15, 0x31).StoreUnsafe(ref destination, (nuint)(5 * destinationStride));
        Avx.Permute2x128(columns26, lowerColumns26, 0x31).StoreUnsafe(ref destination, (nuint)(6 * destinationStride));
        Avx.Permute2x128(columns37, lowerColumns37, 0x31).StoreUnsafe(ref destination, (nuint)(7 * destinationStride));
    }
}
