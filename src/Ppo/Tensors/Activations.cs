using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
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
    /// <summary>Computes <c>y = tanh(x)</c>, within 2 ulp of the correctly rounded value, with the same bits at every length.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="y">Receives the outputs; same length as <paramref name="x"/>; may alias it.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <remarks>
    /// For <c>|x| &lt; 0.625</c>, the minimax polynomial of the Cephes library, <c>|x| + |x|·x²·P(x²)</c>, which keeps
    /// relative accuracy near 0 (where <c>e^{2x} − 1</c> cancels); elsewhere <c>1 − 2/(e^{2|x|} + 1)</c> with
    /// <c>e^{2|x|} = 2ⁿ·e^g</c>, <c>g = 2|x| − n·ln 2</c> reduced in two steps (Cody and Waite) and <c>e^g</c> by its
    /// degree-7 Taylor polynomial. |x| is capped at 9, where tanh rounds to 1. The sign is copied from <c>x</c>, so
    /// <c>tanh(±0) = ±0</c>. The tail runs through the same code in a zero-padded vector, so the result of an element
    /// does not depend on where it sits.
    /// </remarks>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        Guard.SameLength(x, (ReadOnlySpan<float>)y, nameof(x), nameof(y));
        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float yRef = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            i = TanhVectors<Vector512Operations, Vector512<float>>(ref xRef, ref yRef, x.Length);
        else if (Vector256.IsHardwareAccelerated)
            i = TanhVectors<Vector256Operations, Vector256<float>>(ref xRef, ref yRef, x.Length);
        i += TanhVectors<Vector128Operations, Vector128<float>>(ref Unsafe.Add(ref xRef, i), ref Unsafe.Add(ref yRef, i), x.Length - i);

        if (i < x.Length)
        {
            Span<float> tail = stackalloc float[Vector128<float>.Count];
            tail.Clear();
            x[i..].CopyTo(tail);
            TanhVectors<Vector128Operations, Vector128<float>>(ref MemoryMarshal.GetReference(tail), ref MemoryMarshal.GetReference(tail), tail.Length);
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

        ApplyDerivative<TanhDerivative>(y, outputGradient, inputGradient);
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

        ApplyDerivative<ReluDerivative>(y, outputGradient, inputGradient);
    }

    /// <summary>
    /// <c>dx[i] = derivative(y[i], dy[i])</c>: the loop written once, at the widest accelerated width first, then narrower,
    /// then scalar, every path evaluating the operator's one expression.
    /// </summary>
    private static void ApplyDerivative<TDerivative>(ReadOnlySpan<float> y, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
        where TDerivative : struct, IActivationDerivative
    {
        ref float yRef = ref MemoryMarshal.GetReference(y);
        ref float dyRef = ref MemoryMarshal.GetReference(outputGradient);
        ref float dxRef = ref MemoryMarshal.GetReference(inputGradient);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            i = ApplyDerivative<TDerivative, Vector512Operations, Vector512<float>>(ref yRef, ref dyRef, ref dxRef, i, y.Length);
        if (Vector256.IsHardwareAccelerated)
            i = ApplyDerivative<TDerivative, Vector256Operations, Vector256<float>>(ref yRef, ref dyRef, ref dxRef, i, y.Length);
        if (Vector128.IsHardwareAccelerated)
            i = ApplyDerivative<TDerivative, Vector128Operations, Vector128<float>>(ref yRef, ref dyRef, ref dxRef, i, y.Length);

        for (; i < y.Length; i++)
            inputGradient[i] = TDerivative.Invoke(y[i], outputGradient[i]);
    }

    private static int ApplyDerivative<TDerivative, TOperations, TVector>(ref float y, ref float outputGradient, ref float inputGradient, int start, int length)
        where TDerivative : struct, IActivationDerivative
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        int i = start;
        for (; i <= length - TOperations.Count; i += TOperations.Count)
            TOperations.Store(TDerivative.Invoke<TOperations, TVector>(TOperations.Load(ref y, i), TOperations.Load(ref outputGradient, i)), ref inputGradient, i);
        return i;
    }

    /// <summary>An activation's input gradient from its output and the output gradient, as a scalar and as a vector expression.</summary>
    private interface IActivationDerivative
    {
        static abstract float Invoke(float y, float outputGradient);

        static abstract TVector Invoke<TOperations, TVector>(TVector y, TVector outputGradient)
            where TOperations : struct, IVectorOperations<TVector>
            where TVector : struct;
    }

    /// <summary><c>dx = dy · (1 − y²)</c>.</summary>
    private readonly struct TanhDerivative : IActivationDerivative
    {
        public static float Invoke(float y, float outputGradient) => outputGradient * (1f - y * y);

        public static TVector Invoke<TOperations, TVector>(TVector y, TVector outputGradient)
            where TOperations : struct, IVectorOperations<TVector>
            where TVector : struct =>
            TOperations.Multiply(outputGradient, TOperations.Subtract(TOperations.Broadcast(1f), TOperations.Multiply(y, y)));
    }

    /// <summary><c>dx = y &gt; 0 ? dy : 0</c>.</summary>
    private readonly struct ReluDerivative : IActivationDerivative
    {
        public static float Invoke(float y, float outputGradient) => y > 0f ? outputGradient : 0f;

        public static TVector Invoke<TOperations, TVector>(TVector y, TVector outputGradient)
            where TOperations : struct, IVectorOperations<TVector>
            where TVector : struct
        {
            TVector zero = TOperations.Broadcast(0f);
            return TOperations.SelectWhereLess(zero, y, outputGradient, zero);
        }
    }

    /// <summary>Applies the tanh kernel to every whole vector of <paramref name="length"/> elements; returns how many it covered.</summary>
    private static int TanhVectors<TOperations, TVector>(ref float x, ref float y, int length)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        // With 32 registers, four vectors a turn, loaded before any is computed: about 14 % faster than one at a time
        // (AVX-512, 16,384 elements), the long chains of one vector overlapping those of the next. With 16 (AVX2), the
        // three waiting vectors left too few registers for the kernel: 40 % slower than one at a time.
        int i = 0;
        nint count = TOperations.Count;
        for (; TOperations.RegisterCount >= 32 && i <= length - (4 * count); i += 4 * (int)count)
        {
            TVector x0 = TOperations.Load(ref x, i), x1 = TOperations.Load(ref x, i + count);
            TVector x2 = TOperations.Load(ref x, i + (2 * count)), x3 = TOperations.Load(ref x, i + (3 * count));
            TOperations.Store(TanhKernel<TOperations, TVector>(x0), ref y, i);
            TOperations.Store(TanhKernel<TOperations, TVector>(x1), ref y, i + count);
            TOperations.Store(TanhKernel<TOperations, TVector>(x2), ref y, i + (2 * count));
            TOperations.Store(TanhKernel<TOperations, TVector>(x3), ref y, i + (3 * count));
        }

        for (; i <= length - count; i += (int)count)
            TOperations.Store(TanhKernel<TOperations, TVector>(TOperations.Load(ref x, i)), ref y, i);
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector TanhKernel<TOperations, TVector>(TVector x)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        TVector a = TOperations.Min(TOperations.Abs(x), TOperations.Broadcast(TanhSaturation));
        TVector z = TOperations.Multiply(x, x);

        TVector p = TOperations.Broadcast(TanhP0);
        p = TOperations.MultiplyAdd(p, z, TOperations.Broadcast(TanhP1));
        p = TOperations.MultiplyAdd(p, z, TOperations.Broadcast(TanhP2));
        p = TOperations.MultiplyAdd(p, z, TOperations.Broadcast(TanhP3));
        p = TOperations.MultiplyAdd(p, z, TOperations.Broadcast(TanhP4));
        TVector small = TOperations.MultiplyAdd(TOperations.Multiply(a, z), p, a);

        // n = round(2|x|·log₂e), ties to even, by adding and subtracting 1.5·2²³: the sum keeps n + 1.5·2²³ exactly,
        // with n in its low mantissa bits, so its bits give 2ⁿ without a conversion; the same n as rounding would give.
        TVector twoA = TOperations.Add(a, a);
        TVector shifted = TOperations.Add(TOperations.Multiply(twoA, TOperations.Broadcast(Log2E)), TOperations.Broadcast(RoundingShift));
        TVector n = TOperations.Subtract(shifted, TOperations.Broadcast(RoundingShift));
        TVector g = TOperations.MultiplyAdd(n, TOperations.Broadcast(-Ln2High), twoA);
        g = TOperations.MultiplyAdd(n, TOperations.Broadcast(-Ln2Low), g);
        TVector e = TOperations.Broadcast(1f / 5040);
        e = TOperations.MultiplyAdd(e, g, TOperations.Broadcast(1f / 720));
        e = TOperations.MultiplyAdd(e, g, TOperations.Broadcast(1f / 120));
        e = TOperations.MultiplyAdd(e, g, TOperations.Broadcast(1f / 24));
        e = TOperations.MultiplyAdd(e, g, TOperations.Broadcast(1f / 6));
        e = TOperations.MultiplyAdd(e, g, TOperations.Broadcast(0.5f));
        e = TOperations.MultiplyAdd(e, g, TOperations.Broadcast(1f));
        e = TOperations.MultiplyAdd(e, g, TOperations.Broadcast(1f));
        TVector one = TOperations.Broadcast(1f);
        TVector exponential = TOperations.MultiplyAdd(e, TOperations.PowerOfTwoOfShifted(shifted), one);
        TVector large = TOperations.Subtract(one, TOperations.Divide(TOperations.Broadcast(2f), exponential));

        return TOperations.CopySign(TOperations.SelectWhereLess(a, TOperations.Broadcast(TanhPolynomialBound), small, large), x);
    }

    // Cephes tanhf: tanh(x) ≈ x + x·x²·P(x²) for |x| < 0.625.
    private const float TanhPolynomialBound = 0.625f;
    private const float TanhP0 = -5.70498872745e-3f;
    private const float TanhP1 = 2.06390887954e-2f;
    private const float TanhP2 = -5.37397155531e-2f;
    private const float TanhP3 = 1.33314422036e-1f;
    private const float TanhP4 = -3.33332819422e-1f;

    // Beyond 9, tanh rounds to 1 in float32; capping keeps 2^n in range.
    private const float TanhSaturation = 9f;
    private const float Log2E = 1.44269504088896341f;

    // 1.5·2²³: added to a float of magnitude below 2²², it rounds it to an integer held in the low mantissa bits.
    private const float RoundingShift = 12582912f;

    // ln 2 split so that n·Ln2High is exact for the n used here (Cody and Waite).
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
}
