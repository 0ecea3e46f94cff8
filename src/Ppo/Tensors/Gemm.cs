using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Ppo.Tensors;

/// <summary>
/// Single-precision matrix products for dense layers, on row-major contiguous matrices: the forward product
/// <c>X·Wᵀ</c>, the input gradient <c>dY·W</c> and the weight gradient <c>dYᵀ·X</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each form writes <c>C</c> (<c>accumulate</c> false) or adds to it (<c>accumulate</c> true). Only the leading
/// <c>m·n</c> elements of <c>C</c> are touched. <c>C</c> must not overlap <c>A</c> or <c>B</c>.
/// </para>
/// <para>
/// The products are cache-blocked in the manner of BLIS: panels of <c>B</c> (and, for long strides, of <c>A</c>) are
/// packed into contiguous scratch that each thread keeps and grows only when too small, and a micro-kernel holding a
/// tile of <c>C</c> in registers runs fused multiply-adds on the widest accelerated vector (512, 256 or 128 bits). The tile
/// is sized to the register file of its width: 12 rows × 2 vectors with 32 registers (AVX-512, Arm64), 6 rows × 2 vectors
/// with 16 (AVX2, SSE), so that no accumulator leaves the registers. Outputs narrower than 16 columns (and forward products of at most 8 rows) are computed as dot products
/// along <c>k</c> instead, and the weight gradient of a narrow layer swaps the roles of its operands. Nothing is
/// allocated once the scratch has grown to the largest sizes used.
/// </para>
/// <para>
/// The path and the summation order depend only on <c>m</c>, <c>n</c> and <c>k</c>, so equal inputs give bit-identical
/// outputs on every call. Results may differ in the last bits between sizes that take different paths, for example
/// when the rows of one product are split into several calls.
/// </para>
/// </remarks>
public static partial class Gemm
{
    /// <summary>Outputs with fewer columns than this take the dot-product path in the forms with a row-major <c>A</c>.</summary>
    private const int NarrowColumns = 16;

    /// <summary>
    /// Weight gradients with at most this many columns (and more rows) are computed transposed, the narrow side becoming the
    /// rows of the register tiles.
    /// </summary>
    private const int NarrowTransposedRows = 16;

    /// <summary>Outputs with at most this many rows take the dot-product path in the forward form, which packs nothing.</summary>
    private const int FewRows = 8;

    /// <summary>
    /// The depth below which few-row forward products still take the blocked path: with short dot products the
    /// horizontal sums cost more than packing (8×64×8 takes about 4× longer as dot products; the two cross near k = 48).
    /// </summary>
    private const int ShortestDotProduct = 48;

    /// <summary>Computes <c>C[m×n] (+)= A[m×k] · B[n×k]ᵀ</c>.</summary>
    /// <param name="a">The left matrix, <c>m × k</c>, row-major.</param>
    /// <param name="b">The right matrix before transposition, <c>n × k</c>, row-major.</param>
    /// <param name="c">The result, <c>m × n</c>, row-major.</param>
    /// <param name="m">Rows of <c>A</c> and <c>C</c>.</param>
    /// <param name="n">Rows of <c>B</c>, columns of <c>C</c>.</param>
    /// <param name="k">Columns of <c>A</c> and <c>B</c>.</param>
    /// <param name="accumulate">Adds to <c>C</c> when true; overwrites it when false.</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, <c>C</c> overlaps <c>A</c> or <c>B</c>, or a size is negative.</exception>
    /// <remarks><c>C[i, j] = (accumulate ? C[i, j] : 0) + Σ_p A[i, p]·B[j, p]</c>.</remarks>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate) =>
        MultiplyTransposedB(a, b, c, m, n, k, accumulate, WidestAcceleratedVector);

    /// <summary>Computes <see cref="MultiplyTransposedB(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/> on vectors of <paramref name="width"/>.</summary>
    internal static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate, VectorWidth width)
    {
        CheckArguments(a, b, c, m, n, k);
        if (IsTrivial(c, m, n, k, accumulate))
            return;

        ref float aRef = ref MemoryMarshal.GetReference(a);
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float cRef = ref MemoryMarshal.GetReference(c);
        if (width == VectorWidth.Scalar)
            MultiplyScalar(ref aRef, k, 1, ref bRef, 1, k, ref cRef, n, m, n, k, accumulate);
        else if (n < NarrowColumns || (m <= FewRows && k >= ShortestDotProduct))
            MultiplyByDotProducts(ref aRef, ref bRef, ref cRef, m, n, k, accumulate, width);
        else
            MultiplyBlocked<BroadcastLayout.RowMajor>(ref aRef, k, ref bRef, 1, k, ref cRef, n, 1, m, n, k, accumulate, width);
    }

    /// <summary>Computes <c>C[m×n] (+)= A[m×k] · B[k×n]</c>.</summary>
    /// <param name="a">The left matrix, <c>m × k</c>, row-major.</param>
    /// <param name="b">The right matrix, <c>k × n</c>, row-major.</param>
    /// <param name="c">The result, <c>m × n</c>, row-major.</param>
    /// <param name="m">Rows of <c>A</c> and <c>C</c>.</param>
    /// <param name="n">Columns of <c>B</c> and <c>C</c>.</param>
    /// <param name="k">Columns of <c>A</c>, rows of <c>B</c>.</param>
    /// <param name="accumulate">Adds to <c>C</c> when true; overwrites it when false.</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, <c>C</c> overlaps <c>A</c> or <c>B</c>, or a size is negative.</exception>
    /// <remarks><c>C[i, j] = (accumulate ? C[i, j] : 0) + Σ_p A[i, p]·B[p, j]</c>.</remarks>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate) =>
        Multiply(a, b, c, m, n, k, accumulate, WidestAcceleratedVector);

    /// <summary>Computes <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/> on vectors of <paramref name="width"/>.</summary>
    internal static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate, VectorWidth width)
    {
        CheckArguments(a, b, c, m, n, k);
        if (IsTrivial(c, m, n, k, accumulate))
            return;

        ref float aRef = ref MemoryMarshal.GetReference(a);
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float cRef = ref MemoryMarshal.GetReference(c);
        if (width == VectorWidth.Scalar)
            MultiplyScalar(ref aRef, k, 1, ref bRef, n, 1, ref cRef, n, m, n, k, accumulate);
        else if (n < NarrowColumns)
            MultiplyByDotProducts(ref aRef, ref Transpose(ref bRef, k, n), ref cRef, m, n, k, accumulate, width);
        else
            MultiplyBlocked<BroadcastLayout.RowMajor>(ref aRef, k, ref bRef, n, 1, ref cRef, n, 1, m, n, k, accumulate, width);
    }

    /// <summary>Computes <c>C[m×n] (+)= A[k×m]ᵀ · B[k×n]</c>.</summary>
    /// <param name="a">The left matrix before transposition, <c>k × m</c>, row-major.</param>
    /// <param name="b">The right matrix, <c>k × n</c>, row-major.</param>
    /// <param name="c">The result, <c>m × n</c>, row-major.</param>
    /// <param name="m">Columns of <c>A</c>, rows of <c>C</c>.</param>
    /// <param name="n">Columns of <c>B</c> and <c>C</c>.</param>
    /// <param name="k">Rows of <c>A</c> and <c>B</c>.</param>
    /// <param name="accumulate">Adds to <c>C</c> when true; overwrites it when false.</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, <c>C</c> overlaps <c>A</c> or <c>B</c>, or a size is negative.</exception>
    /// <remarks><c>C[i, j] = (accumulate ? C[i, j] : 0) + Σ_p A[p, i]·B[p, j]</c>.</remarks>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate) =>
        MultiplyTransposedA(a, b, c, m, n, k, accumulate, WidestAcceleratedVector);

    /// <summary>Computes <see cref="MultiplyTransposedA(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/> on vectors of <paramref name="width"/>.</summary>
    internal static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate, VectorWidth width)
    {
        CheckArguments(a, b, c, m, n, k);
        if (IsTrivial(c, m, n, k, accumulate))
            return;

        ref float aRef = ref MemoryMarshal.GetReference(a);
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float cRef = ref MemoryMarshal.GetReference(c);
        if (width == VectorWidth.Scalar)
        {
            MultiplyScalar(ref aRef, 1, m, ref bRef, n, 1, ref cRef, n, m, n, k, accumulate);
        }
        else if (n <= NarrowTransposedRows && n < m)
        {
            // Cᵀ[n×m] = Bᵀ·A: the narrow side becomes the rows of the register tile and the wide side its vectors.
            MultiplyBlocked<BroadcastLayout.ColumnMajor>(ref bRef, n, ref aRef, m, 1, ref cRef, 1, n, n, m, k, accumulate, width);
        }
        else
        {
            MultiplyBlocked<BroadcastLayout.ColumnMajor>(ref aRef, m, ref bRef, n, 1, ref cRef, n, 1, m, n, k, accumulate, width);
        }
    }

    /// <summary>
    /// Runs <see cref="MultiplyBlocked{TOperations, TVector, TLayout}"/> on the widest accelerated vector whose register
    /// tile is less than twice as wide as <paramref name="n"/> (on 128-bit vectors otherwise): for narrower outputs, a
    /// narrower tile does as much useful work per instruction and pads, packs and merges less.
    /// </summary>
    private static void MultiplyBlocked<TLayout>(
        ref float a, nint aStride,
        ref float b, nint bRowStride, nint bColumnStride,
        ref float c, nint cRowStride, nint cColumnStride,
        int m, int n, int k, bool accumulate, VectorWidth width)
        where TLayout : struct, IBroadcastLayout
    {
        if (width == VectorWidth.Vector512 && n > Vector256<float>.Count * TileVectorCount)
            MultiplyBlocked<Vector512Operations, Vector512<float>, TLayout>(ref a, aStride, ref b, bRowStride, bColumnStride, ref c, cRowStride, cColumnStride, m, n, k, accumulate);
        else if (width >= VectorWidth.Vector256 && n > Vector128<float>.Count * TileVectorCount)
            MultiplyBlocked<Vector256Operations, Vector256<float>, TLayout>(ref a, aStride, ref b, bRowStride, bColumnStride, ref c, cRowStride, cColumnStride, m, n, k, accumulate);
        else
            MultiplyBlocked<Vector128Operations, Vector128<float>, TLayout>(ref a, aStride, ref b, bRowStride, bColumnStride, ref c, cRowStride, cColumnStride, m, n, k, accumulate);
    }

    /// <summary>Runs <see cref="MultiplyByDotProducts{TOperations, TVector}"/> on the widest accelerated vector no longer than <paramref name="k"/>.</summary>
    private static void MultiplyByDotProducts(ref float a, ref float bt, ref float c, int m, int n, int k, bool accumulate, VectorWidth width)
    {
        if (width == VectorWidth.Vector512 && k >= Vector512<float>.Count)
            MultiplyByDotProducts<Vector512Operations, Vector512<float>>(ref a, ref bt, ref c, m, n, k, accumulate);
        else if (width >= VectorWidth.Vector256 && k >= Vector256<float>.Count)
            MultiplyByDotProducts<Vector256Operations, Vector256<float>>(ref a, ref bt, ref c, m, n, k, accumulate);
        else if (k >= Vector128<float>.Count)
            MultiplyByDotProducts<Vector128Operations, Vector128<float>>(ref a, ref bt, ref c, m, n, k, accumulate);
        else
            MultiplyScalar(ref a, k, 1, ref bt, 1, k, ref c, n, m, n, k, accumulate);
    }

    /// <summary>Gets the widest vector width the hardware accelerates.</summary>
    internal static VectorWidth WidestAcceleratedVector =>
        Vector512.IsHardwareAccelerated ? VectorWidth.Vector512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Vector256
        : Vector128.IsHardwareAccelerated ? VectorWidth.Vector128
        : VectorWidth.Scalar;

    /// <summary>Handles empty products: returns true, after clearing <c>C</c> when overwriting, if there is nothing to sum.</summary>
    private static bool IsTrivial(Span<float> c, int m, int n, int k, bool accumulate)
    {
        if (m == 0 || n == 0)
            return true;
        if (k != 0)
            return false;
        if (!accumulate)
            c[..(m * n)].Clear();
        return true;
    }

    private static void CheckArguments(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        long aNeeded = (long)m * k, bNeeded = (long)n * k, cNeeded = (long)m * n;
        if (a.Length < aNeeded)
            throw new ArgumentException($"A needs {aNeeded} elements for m {m}, n {n}, k {k} (has {a.Length}).", nameof(a));
        if (b.Length < bNeeded)
            throw new ArgumentException($"B needs {bNeeded} elements for m {m}, n {n}, k {k} (has {b.Length}).", nameof(b));
        if (c.Length < cNeeded)
            throw new ArgumentException($"C needs {cNeeded} elements for m {m}, n {n} (has {c.Length}).", nameof(c));

        ReadOnlySpan<float> output = c[..(int)cNeeded];
        if (output.Overlaps(a[..(int)aNeeded]))
            throw new ArgumentException("C must not overlap A.", nameof(c));
        if (output.Overlaps(b[..(int)bNeeded]))
            throw new ArgumentException("C must not overlap B.", nameof(c));
    }
}
