using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Ppo.Internal;

namespace Ppo.Tensors;

/// <summary>Element-wise activation functions and their derivatives.</summary>
/// <remarks>
/// The backward kernels take the forward <em>output</em>, which is all that tanh and ReLU need, and overwrite the
/// input gradient. SIMD bodies and scalar tails evaluate the same expression, so results do not depend on the length.
/// </remarks>
public static class Activations
{
    /// <summary>Computes <c>y = tanh(x)</c>, within 3 ulp of <see cref="MathF.Tanh"/>, with the same bits at every length.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="y">Receives the outputs; same length as <paramref name="x"/>; may alias it.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <remarks>
    /// For <c>|x| &lt; 0.625</c>, the minimax polynomial of the Cephes library, <c>|x| + |x|·x²·P(x²)</c>, which keeps
    /// relative accuracy near 0 (where <c>e^{2x} − 1</c> cancels); elsewhere <c>1 − 2/(e^{2|x|} + 1)</c>. The sign is
    /// copied from <c>x</c>, so <c>tanh(±0) = ±0</c>. The tail runs through the same vector code in a zero-padded
    /// vector, so the result of an element does not depend on where it sits.
    /// </remarks>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        Guard.SameLength(x, (ReadOnlySpan<float>)y, nameof(x), nameof(y));
        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float yRef = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (int last = x.Length - Vector256<float>.Count; i <= last; i += Vector256<float>.Count)
                TanhKernel(Vector256.LoadUnsafe(ref xRef, (nuint)i)).StoreUnsafe(ref yRef, (nuint)i);
        }

        for (int last = x.Length - Vector128<float>.Count; i <= last; i += Vector128<float>.Count)
            TanhKernel(Vector128.LoadUnsafe(ref xRef, (nuint)i)).StoreUnsafe(ref yRef, (nuint)i);

        if (i < x.Length)
        {
            Span<float> tail = stackalloc float[Vector128<float>.Count];
            tail.Clear();
            x[i..].CopyTo(tail);
            TanhKernel(Vector128.Create((ReadOnlySpan<float>)tail)).CopyTo(tail);
            tail[..(x.Length - i)].CopyTo(y[i..]);
        }
    }

    /// <summary>Computes the input gradient of tanh from its output: <c>dx = dy · (1 − y²)</c>.</summary>
    /// <param name="y">The forward outputs <c>tanh(x)</c>.</param>
    /// <param name="outputGradient">The gradient with respect to <paramref name="y"/>.</param>
    /// <param name="inputGradient">Receives the gradient with respect to <c>x</c>; may alias <paramref name="outputGradient"/>.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        Guard.SameLength(y, outputGradient, nameof(y), nameof(outputGradient));
        Guard.SameLength(y, (ReadOnlySpan<float>)inputGradient, nameof(y), nameof(inputGradient));

        ref float yRef = ref MemoryMarshal.GetReference(y);
        ref float dyRef = ref MemoryMarshal.GetReference(outputGradient);
        ref float dxRef = ref MemoryMarshal.GetReference(inputGradient);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> one = Vector512<float>.One;
            for (int last = y.Length - Vector512<float>.Count; i <= last; i += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref yRef, (nuint)i);
                (Vector512.LoadUnsafe(ref dyRef, (nuint)i) * (one - v * v)).StoreUnsafe(ref dxRef, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> one = Vector256<float>.One;
            for (int last = y.Length - Vector256<float>.Count; i <= last; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref yRef, (nuint)i);
                (Vector256.LoadUnsafe(ref dyRef, (nuint)i) * (one - v * v)).StoreUnsafe(ref dxRef, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> one = Vector128<float>.One;
            for (int last = y.Length - Vector128<float>.Count; i <= last; i += Vector128<float>.Count)
            {
                Vector128<float> v = Vector128.LoadUnsafe(ref yRef, (nuint)i);
                (Vector128.LoadUnsafe(ref dyRef, (nuint)i) * (one - v * v)).StoreUnsafe(ref dxRef, (nuint)i);
            }
        }

        for (; i < y.Length; i++)
            inputGradient[i] = outputGradient[i] * (1f - y[i] * y[i]);
    }

    /// <summary>Computes <c>y = max(x, 0)</c>.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="y">Receives the outputs; same length as <paramref name="x"/>; may alias it.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        Guard.SameLength(x, (ReadOnlySpan<float>)y, nameof(x), nameof(y));
        TensorPrimitives.Max(x, 0f, y);
    }

    /// <summary>Computes the input gradient of ReLU from its output: <c>dx = y &gt; 0 ? dy : 0</c>.</summary>
    /// <param name="y">The forward outputs <c>max(x, 0)</c>.</param>
    /// <param name="outputGradient">The gradient with respect to <paramref name="y"/>.</param>
    /// <param name="inputGradient">Receives the gradient with respect to <c>x</c>; may alias <paramref name="outputGradient"/>.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <remarks>The derivative at 0 is taken as 0, as PyTorch does.</remarks>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        Guard.SameLength(y, outputGradient, nameof(y), nameof(outputGradient));
        Guard.SameLength(y, (ReadOnlySpan<float>)inputGradient, nameof(y), nameof(inputGradient));

        ref float yRef = ref MemoryMarshal.GetReference(y);
        ref float dyRef = ref MemoryMarshal.GetReference(outputGradient);
        ref float dxRef = ref MemoryMarshal.GetReference(inputGradient);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (int last = y.Length - Vector512<float>.Count; i <= last; i += Vector512<float>.Count)
            {
                Vector512<float> positive = Vector512.GreaterThan(Vector512.LoadUnsafe(ref yRef, (nuint)i), Vector512<float>.Zero);
                (Vector512.LoadUnsafe(ref dyRef, (nuint)i) & positive).StoreUnsafe(ref dxRef, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (int last = y.Length - Vector256<float>.Count; i <= last; i += Vector256<float>.Count)
            {
                Vector256<float> positive = Vector256.GreaterThan(Vector256.LoadUnsafe(ref yRef, (nuint)i), Vector256<float>.Zero);
                (Vector256.LoadUnsafe(ref dyRef, (nuint)i) & positive).StoreUnsafe(ref dxRef, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (int last = y.Length - Vector128<float>.Count; i <= last; i += Vector128<float>.Count)
            {
                Vector128<float> positive = Vector128.GreaterThan(Vector128.LoadUnsafe(ref yRef, (nuint)i), Vector128<float>.Zero);
                (Vector128.LoadUnsafe(ref dyRef, (nuint)i) & positive).StoreUnsafe(ref dxRef, (nuint)i);
            }
        }

        for (; i < y.Length; i++)
            inputGradient[i] = y[i] > 0f ? outputGradient[i] : 0f;
    }

    private static Vector256<float> TanhKernel(Vector256<float> x)
    {
        Vector256<float> a = Vector256.Abs(x), z = x * x;
        Vector256<float> p = ((((Vector256.Create(TanhP0) * z + Vector256.Create(TanhP1)) * z - Vector256.Create(TanhP2)) * z + Vector256.Create(TanhP3)) * z) - Vector256.Create(TanhP4);
        Vector256<float> small = a + a * z * p;
        Vector256<float> large = Vector256<float>.One - Vector256.Create(2f) / (Vector256.Exp(a + a) + Vector256<float>.One);
        return Vector256.CopySign(Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(TanhPolynomialBound)), small, large), x);
    }

    private static Vector128<float> TanhKernel(Vector128<float> x)
    {
        Vector128<float> a = Vector128.Abs(x), z = x * x;
        Vector128<float> p = ((((Vector128.Create(TanhP0) * z + Vector128.Create(TanhP1)) * z - Vector128.Create(TanhP2)) * z + Vector128.Create(TanhP3)) * z) - Vector128.Create(TanhP4);
        Vector128<float> small = a + a * z * p;
        Vector128<float> large = Vector128<float>.One - Vector128.Create(2f) / (Vector128.Exp(a + a) + Vector128<float>.One);
        return Vector128.CopySign(Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(TanhPolynomialBound)), small, large), x);
    }

    // Cephes tanhf: tanh(x) ≈ x + x·x²·P(x²) for |x| < 0.625.
    private const float TanhPolynomialBound = 0.625f;
    private const float TanhP0 = -5.70498872745e-3f;
    private const float TanhP1 = 2.06390887954e-2f;
    private const float TanhP2 = 5.37397155531e-2f;
    private const float TanhP3 = 1.33314422036e-1f;
    private const float TanhP4 = 3.33332819422e-1f;
}
