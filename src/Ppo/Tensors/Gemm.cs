using System.Numerics.Tensors;

namespace Ppo.Tensors;

/// <summary>
/// Single-precision matrix products for dense layers, on row-major contiguous matrices: the forward product
/// <c>X·Wᵀ</c>, the input gradient <c>dY·W</c> and the weight gradient <c>dYᵀ·X</c>.
/// </summary>
/// <remarks>
/// Each form writes <c>C</c> (<c>accumulate</c> false) or adds to it (<c>accumulate</c> true).
/// <c>C</c> must not overlap <c>A</c> or <c>B</c>. The summation order over <c>k</c> is fixed for given sizes,
/// so equal inputs give bit-identical outputs.
/// </remarks>
public static class Gemm
{
    /// <summary>Computes <c>C[m×n] (+)= A[m×k] · B[n×k]ᵀ</c>.</summary>
    /// <param name="a">The left matrix, <c>m × k</c>, row-major.</param>
    /// <param name="b">The right matrix before transposition, <c>n × k</c>, row-major.</param>
    /// <param name="c">The result, <c>m × n</c>, row-major.</param>
    /// <param name="m">Rows of <c>A</c> and <c>C</c>.</param>
    /// <param name="n">Rows of <c>B</c>, columns of <c>C</c>.</param>
    /// <param name="k">Columns of <c>A</c> and <c>B</c>.</param>
    /// <param name="accumulate">Adds to <c>C</c> when true; overwrites it when false.</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix or a size is negative.</exception>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate)
    {
        CheckSizes(a.Length, b.Length, c.Length, m * k, n * k, m, n, k, nameof(a), nameof(b), nameof(c));
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> aRow = a.Slice(i * k, k);
            Span<float> cRow = c.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                float dot = TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
                cRow[j] = accumulate ? cRow[j] + dot : dot;
            }
        }
    }

    /// <summary>Computes <c>C[m×n] (+)= A[m×k] · B[k×n]</c>.</summary>
    /// <param name="a">The left matrix, <c>m × k</c>, row-major.</param>
    /// <param name="b">The right matrix, <c>k × n</c>, row-major.</param>
    /// <param name="c">The result, <c>m × n</c>, row-major.</param>
    /// <param name="m">Rows of <c>A</c> and <c>C</c>.</param>
    /// <param name="n">Columns of <c>B</c> and <c>C</c>.</param>
    /// <param name="k">Columns of <c>A</c>, rows of <c>B</c>.</param>
    /// <param name="accumulate">Adds to <c>C</c> when true; overwrites it when false.</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix or a size is negative.</exception>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate)
    {
        CheckSizes(a.Length, b.Length, c.Length, m * k, k * n, m, n, k, nameof(a), nameof(b), nameof(c));
        for (int i = 0; i < m; i++)
        {
            Span<float> cRow = c.Slice(i * n, n);
            if (!accumulate)
                cRow.Clear();
            for (int p = 0; p < k; p++)
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), a[i * k + p], cRow, cRow);
        }
    }

    /// <summary>Computes <c>C[m×n] (+)= A[k×m]ᵀ · B[k×n]</c>.</summary>
    /// <param name="a">The left matrix before transposition, <c>k × m</c>, row-major.</param>
    /// <param name="b">The right matrix, <c>k × n</c>, row-major.</param>
    /// <param name="c">The result, <c>m × n</c>, row-major.</param>
    /// <param name="m">Columns of <c>A</c>, rows of <c>C</c>.</param>
    /// <param name="n">Columns of <c>B</c> and <c>C</c>.</param>
    /// <param name="k">Rows of <c>A</c> and <c>B</c>.</param>
    /// <param name="accumulate">Adds to <c>C</c> when true; overwrites it when false.</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix or a size is negative.</exception>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate)
    {
        CheckSizes(a.Length, b.Length, c.Length, k * m, k * n, m, n, k, nameof(a), nameof(b), nameof(c));
        if (!accumulate)
            c[..(m * n)].Clear();
        for (int p = 0; p < k; p++)
        {
            ReadOnlySpan<float> bRow = b.Slice(p * n, n);
            for (int i = 0; i < m; i++)
            {
                Span<float> cRow = c.Slice(i * n, n);
                TensorPrimitives.MultiplyAdd(bRow, a[p * m + i], cRow, cRow);
            }
        }
    }

    private static void CheckSizes(int aLength, int bLength, int cLength, int aNeeded, int bNeeded, int m, int n, int k, string aName, string bName, string cName)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Matrix sizes must be non-negative (m {m}, n {n}, k {k}).");
        if (aLength < aNeeded)
            throw new ArgumentException($"A needs {aNeeded} elements for m {m}, n {n}, k {k} (has {aLength}).", aName);
        if (bLength < bNeeded)
            throw new ArgumentException($"B needs {bNeeded} elements for m {m}, n {n}, k {k} (has {bLength}).", bName);
        if (cLength < m * n)
            throw new ArgumentException($"C needs {m * n} elements for m {m}, n {n} (has {cLength}).", cName);
    }
}
