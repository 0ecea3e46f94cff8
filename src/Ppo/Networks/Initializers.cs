using Ppo.Internal;
using Ppo.Randomness;

namespace Ppo.Networks;

/// <summary>Weight initializers.</summary>
public static class Initializers
{
    /// <summary>
    /// Fills a <c>rows × columns</c> matrix with a random (semi-)orthogonal matrix times <paramref name="gain"/>
    /// (Saxe et al. 2014), as <c>torch.nn.init.orthogonal_</c>: orthonormal rows when <c>rows ≤ columns</c>,
    /// orthonormal columns otherwise.
    /// </summary>
    /// <param name="matrix">The row-major matrix to fill, <c>rows × columns</c> elements.</param>
    /// <param name="rows">The number of rows; at least 1.</param>
    /// <param name="columns">The number of columns; at least 1.</param>
    /// <param name="gain">The scale of the result.</param>
    /// <param name="random">The source of the Gaussian matrix that is orthogonalized.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> has the wrong length.</exception>
    /// <remarks>
    /// A Gaussian matrix is drawn, its longer dimension's vectors are orthonormalized by the QR decomposition (Householder,
    /// in double precision), and the signs are fixed by the diagonal of R so that the result is uniformly distributed.
    /// </remarks>
    public static void Orthogonal(Span<float> matrix, int rows, int columns, double gain, SeededRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentNullException.ThrowIfNull(random);
        Guard.HasLength(matrix, rows * columns, nameof(matrix));

        // Work on the tall orientation m × n (m ≥ n): the transpose when the matrix is wide.
        bool wide = rows < columns;
        int m = wide ? columns : rows;
        int n = wide ? rows : columns;
        double[] a = new double[m * n];
        for (int i = 0; i < a.Length; i++)
            a[i] = random.NextGaussian();

        double[] q = HouseholderQ(a, m, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float value = (float)(gain * q[i * n + j]);
                if (wide)
                    matrix[j * columns + i] = value;
                else
                    matrix[i * columns + j] = value;
            }
        }
    }

    /// <summary>
    /// Returns the m × n factor Q of the QR decomposition of the m × n matrix <paramref name="a"/> (m ≥ n), with each
    /// column multiplied by the sign of the matching diagonal element of R. <paramref name="a"/> is overwritten.
    /// </summary>
    private static double[] HouseholderQ(double[] a, int m, int n)
    {
        double[] reflectors = new double[m * n];
        double[] signs = new double[n];
        for (int k = 0; k < n; k++)
        {
            double norm = 0;
            for (int i = k; i < m; i++)
                norm += a[i * n + k] * a[i * n + k];
            norm = Math.Sqrt(norm);
            double alpha = a[k * n + k] >= 0 ? -norm : norm;

            // v = x − alpha·e₁, normalized; R[k, k] = alpha.
            double vNorm = 0;
            for (int i = k; i < m; i++)
            {
                double vi = a[i * n + k] - (i == k ? alpha : 0);
                reflectors[i * n + k] = vi;
                vNorm += vi * vi;
            }

            vNorm = Math.Sqrt(vNorm);
            if (vNorm > 0)
            {
                for (int i = k; i < m; i++)
                    reflectors[i * n + k] /= vNorm;
            }

            signs[k] = alpha >= 0 ? 1 : -1;
            for (int j = k; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++)
                    dot += reflectors[i * n + k] * a[i * n + j];
                for (int i = k; i < m; i++)
                    a[i * n + j] -= 2 * dot * reflectors[i * n + k];
            }
        }

        // Q = H₀ H₁ … H_{n−1} applied to the first n columns of the identity, then the sign fix.
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++)
            q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--)
        {
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++)
                    dot += reflectors[i * n + k] * q[i * n + j];
                for (int i = k; i < m; i++)
                    q[i * n + j] -= 2 * dot * reflectors[i * n + k];
            }
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
                q[i * n + j] *= signs[j];
        }

        return q;
    }
}
