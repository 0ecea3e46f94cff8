using Ppo.Tensors;

namespace Ppo.Tests.Tensors;

/// <summary>The three <see cref="Gemm"/> forms, a naive double-precision reference for each, and test data.</summary>
public static class GemmReference
{
    public enum Form
    {
        TransposedB,
        Plain,
        TransposedA,
    }

    public static readonly Form[] Forms = [Form.TransposedB, Form.Plain, Form.TransposedA];

    public static void Invoke(Form form, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate)
    {
        switch (form)
        {
            case Form.TransposedB: Gemm.MultiplyTransposedB(a, b, c, m, n, k, accumulate); break;
            case Form.Plain: Gemm.Multiply(a, b, c, m, n, k, accumulate); break;
            default: Gemm.MultiplyTransposedA(a, b, c, m, n, k, accumulate); break;
        }
    }

    internal static void Invoke(Form form, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate, VectorWidth width)
    {
        switch (form)
        {
            case Form.TransposedB: Gemm.MultiplyTransposedB(a, b, c, m, n, k, accumulate, width); break;
            case Form.Plain: Gemm.Multiply(a, b, c, m, n, k, accumulate, width); break;
            default: Gemm.MultiplyTransposedA(a, b, c, m, n, k, accumulate, width); break;
        }
    }

    /// <summary>Returns <c>A(i, p)</c> as the form stores it.</summary>
    public static float ElementOfA(Form form, float[] a, int m, int k, int i, int p) =>
        form == Form.TransposedA ? a[p * m + i] : a[i * k + p];

    /// <summary>Returns <c>B(p, j)</c> as the form stores it.</summary>
    public static float ElementOfB(Form form, float[] b, int n, int k, int p, int j) =>
        form == Form.TransposedB ? b[j * k + p] : b[p * n + j];

    /// <summary>
    /// Checks every element of <paramref name="actual"/> against <c>initial + A·B</c> (or <c>A·B</c>) computed in double
    /// precision. The allowed error is the bound for a float sum of <c>k</c> products, <c>(k + 2)·2⁻²³·(Σ|A(i, p)·B(p, j)| + |initial|)</c>.
    /// </summary>
    public static void AssertMatches(Form form, float[] a, float[] b, float[] initial, float[] actual, int m, int n, int k, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double product = (double)ElementOfA(form, a, m, k, i, p) * ElementOfB(form, b, n, k, p, j);
                    sum += product;
                    magnitude += Math.Abs(product);
                }

                double start = accumulate ? initial[i * n + j] : 0;
                double expected = start + sum;
                double tolerance = (k + 2) * Math.ScaleB(1, -23) * (magnitude + Math.Abs(start));
                double error = Math.Abs(actual[i * n + j] - expected);
                if (!(error <= tolerance))
                {
                    Assert.Fail(
                        $"{form} m {m} n {n} k {k} accumulate {accumulate}: C[{i}, {j}] = {actual[i * n + j]:R}, expected {expected:R} (error {error:E3}, tolerance {tolerance:E3}).");
                }
            }
        }
    }

    /// <summary>Returns values uniform in [−1, 1).</summary>
    public static float[] Uniform(Random random, int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>Returns <paramref name="length"/> copies of <paramref name="value"/>.</summary>
    public static float[] Filled(int length, float value)
    {
        float[] values = new float[length];
        Array.Fill(values, value);
        return values;
    }
}
