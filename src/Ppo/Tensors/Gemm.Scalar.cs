using System.Runtime.CompilerServices;

namespace Ppo.Tensors;

public static partial class Gemm
{
    /// <summary>
    /// Computes <c>C (+)= A·B</c> one element at a time, for hardware without vector acceleration and for sizes too
    /// small for a vector, with <c>A(i, p) = a[i·aRowStride + p·aColumnStride]</c>, <c>B(p, j) = b[p·bRowStride + j·bColumnStride]</c>
    /// and <c>C(i, j) = c[i·cRowStride + j]</c>.
    /// </summary>
    /// <remarks>Each element is one chain of fused multiply-adds over <c>p</c> in increasing order.</remarks>
    private static void MultiplyScalar(
        ref float a, nint aRowStride, nint aColumnStride,
        ref float b, nint bRowStride, nint bColumnStride,
        ref float c, nint cRowStride,
        int m, int n, int k, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            ref float aRow = ref Unsafe.Add(ref a, i * aRowStride);
            ref float cRow = ref Unsafe.Add(ref c, i * cRowStride);
            for (int j = 0; j < n; j++)
            {
                ref float bColumn = ref Unsafe.Add(ref b, j * bColumnStride);
                float sum = 0f;
                for (int p = 0; p < k; p++)
                    sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref aRow, p * aColumnStride), Unsafe.Add(ref bColumn, p * bRowStride), sum);
                StoreSum(sum, ref Unsafe.Add(ref cRow, j), accumulate);
            }
        }
    }
}
