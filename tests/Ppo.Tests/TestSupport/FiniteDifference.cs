namespace Ppo.Tests.TestSupport;

/// <summary>Numerical gradients of a scalar function of float32 inputs, against which the analytic gradients are checked.</summary>
/// <remarks>
/// <para><b>Stencil.</b> Each partial derivative is the derivative at the centre of the polynomial through five
/// evaluations at offsets −2h, −h, 0, h, 2h. With exact offsets the weights are (1, −8, 0, 8, −1) / 12h and the
/// truncation error is h⁴/30 · |f⁽⁵⁾|. The offsets used are the differences, taken in double, between the float32
/// inputs actually evaluated and the centre, so an input whose neighbours round (next to a power of two) still gets
/// the exact weights of the points evaluated.</para>
/// <para><b>Step.</b> The functions under test are computed by the library in float32, so every evaluation carries
/// rounding noise δ of a few ulps of the terms that make up the result (about 1e-7 relative; a loss returned as a
/// float32 carries half an ulp of itself). The stencil multiplies that noise by Σ|w| = 1.5/h. With the default
/// h = 2⁻⁵ ≈ 0.031 for inputs of order one the noise term is about 5e-6 of the terms' size and the truncation term
/// about 3e-8 · |f⁽⁵⁾|, so a check to 1e-4 relative keeps a margin of several times even where each partial derivative
/// is a tenth of the function (a mean over ten rows). A second-order difference would need h below 1e-3 to match that
/// truncation error and would then amplify the noise more than twenty times as much. h is a power of two, so x ± kh is
/// exact unless it crosses the power of two above |x|; there the weights follow the offsets actually evaluated.</para>
/// <para><b>Kinks.</b> The stencil reaches 2h ≈ 0.0625 from the centre: inputs must lie further than that from every
/// point where the function changes branch (ReLU at 0, the clip boundaries of the losses).</para>
/// <para><b>Accumulation.</b> The function returns a double: callers add the library's float32 outputs in double, so
/// the sum contributes no rounding of its own.</para>
/// </remarks>
internal static class FiniteDifference
{
    /// <summary>The default step h = 2⁻⁵, for inputs of order one.</summary>
    public const float DefaultStep = 1f / 32;

    /// <summary>
    /// The relative tolerance, scaled to the largest partial derivative, within which an analytic float32 gradient must
    /// match the numerical one: twenty times the stencil's noise term at the default step.
    /// </summary>
    public const double RelativeTolerance = 1e-4;

    /// <summary>Returns the numerical gradient of <paramref name="function"/> at <paramref name="point"/>, every coordinate.</summary>
    /// <param name="function">The scalar function; it receives a working copy of the point and must not change it.</param>
    /// <param name="point">The point; not modified.</param>
    /// <param name="step">The step h.</param>
    /// <returns>One partial derivative per coordinate.</returns>
    public static double[] Gradient(Func<float[], double> function, float[] point, float step = DefaultStep) =>
        Gradient(function, point, [.. Enumerable.Range(0, point.Length)], step);

    /// <summary>Returns the partial derivatives of <paramref name="function"/> at <paramref name="point"/> along <paramref name="indices"/>.</summary>
    /// <param name="function">The scalar function; it receives a working copy of the point and must not change it.</param>
    /// <param name="point">The point; not modified.</param>
    /// <param name="indices">The coordinates to differentiate along.</param>
    /// <param name="step">The step h; positive.</param>
    /// <returns>One partial derivative per index, in the order of <paramref name="indices"/>.</returns>
    public static double[] Gradient(Func<float[], double> function, float[] point, IReadOnlyList<int> indices, float step = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);

        float[] x = (float[])point.Clone();
        double centreValue = function(x);
        double[] gradient = new double[indices.Count];
        Span<double> offsets = stackalloc double[5];
        Span<double> values = stackalloc double[5];
        for (int n = 0; n < indices.Count; n++)
        {
            int i = indices[n];
            float centre = point[i];
            for (int k = 0; k < 5; k++)
            {
                if (k == 2)
                {
                    offsets[k] = 0;
                    values[k] = centreValue;
                    continue;
                }

                x[i] = centre + (k - 2) * step;
                offsets[k] = (double)x[i] - centre;
                if (offsets[k] == 0)
                    throw new ArgumentException($"The step {step} is below the resolution of input {i} ({centre}).", nameof(step));
                values[k] = function(x);
            }

            x[i] = centre;
            gradient[n] = DerivativeAtCentre(offsets, values);
        }

        return gradient;
    }

    /// <summary>
    /// The derivative at offset 0 of the polynomial through (offsets[k], values[k]): Σₖ Lₖ′(0)·values[k], where
    /// Lₖ′(0) = Πⱼ≠ₖ,c(−sⱼ) / Πⱼ≠ₖ(sₖ − sⱼ) for k ≠ c and L_c′(0) = −Σⱼ≠c 1/sⱼ for the centre c (offset 0).
    /// </summary>
    private static double DerivativeAtCentre(ReadOnlySpan<double> offsets, ReadOnlySpan<double> values)
    {
        const int Centre = 2;
        double derivative = 0;
        for (int k = 0; k < offsets.Length; k++)
        {
            double weight;
            if (k == Centre)
            {
                weight = 0;
                for (int j = 0; j < offsets.Length; j++)
                {
                    if (j != Centre)
                        weight -= 1 / offsets[j];
                }
            }
            else
            {
                double numerator = 1, denominator = 1;
                for (int j = 0; j < offsets.Length; j++)
                {
                    if (j == k)
                        continue;
                    denominator *= offsets[k] - offsets[j];
                    if (j != Centre)
                        numerator *= -offsets[j];
                }

                weight = numerator / denominator;
            }

            derivative += weight * values[k];
        }

        return derivative;
    }
}
