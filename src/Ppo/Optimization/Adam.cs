using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Ppo.Internal;
using Ppo.Tensors;

namespace Ppo.Optimization;

/// <summary>
/// The Adam optimizer (Kingma and Ba 2015) with PyTorch's semantics, over one flat parameter buffer and its gradient
/// buffer, so that a step is a single SIMD pass.
/// </summary>
/// <remarks>
/// <para>For step <c>t</c> (from 1): <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>,
/// <c>θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)</c>: the bias-corrected square root of the second moment
/// gets ε added after the correction, as <c>torch.optim.Adam</c> computes it. The default ε is 1e-5, the value
/// Stable-Baselines3 uses for PPO policies.</para>
/// </remarks>
public sealed class Adam
{
    private readonly Tensor _parameters;
    private readonly Tensor _gradients;

    /// <summary>Creates an optimizer for <paramref name="parameters"/>, reading gradients from <paramref name="gradients"/>.</summary>
    /// <param name="parameters">The flat parameter buffer, updated in place.</param>
    /// <param name="gradients">The flat gradient buffer, same length.</param>
    /// <param name="beta1">The first-moment decay β₁, in [0, 1).</param>
    /// <param name="beta2">The second-moment decay β₂, in [0, 1).</param>
    /// <param name="epsilon">The denominator term ε; finite and &gt; 0.</param>
    /// <exception cref="ArgumentException">The buffers differ in length or device.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range.</exception>
    public Adam(Tensor parameters, Tensor gradients, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (parameters.Length != gradients.Length || parameters.Device != gradients.Device)
            throw new ArgumentException($"The gradients must match the parameters in length and device (parameters: {parameters}, gradients: {gradients}).", nameof(gradients));
        if (!(beta1 is >= 0f and < 1f))
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 is >= 0f and < 1f))
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!float.IsFinite(epsilon) || epsilon <= 0f)
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and > 0.");

        _parameters = parameters;
        _gradients = gradients;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        FirstMoment = parameters.Device.Zeros(parameters.Length);
        SecondMoment = parameters.Device.Zeros(parameters.Length);
    }

    /// <summary>Gets the first-moment decay β₁.</summary>
    public float Beta1 { get; }

    /// <summary>Gets the second-moment decay β₂.</summary>
    public float Beta2 { get; }

    /// <summary>Gets the denominator term ε.</summary>
    public float Epsilon { get; }

    /// <summary>Gets or sets the number of steps taken, which drives the bias correction.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative.</exception>
    public long StepCount
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>Gets the running first moment <c>m</c>, one element per parameter.</summary>
    public Tensor FirstMoment { get; }

    /// <summary>Gets the running second moment <c>v</c>, one element per parameter.</summary>
    public Tensor SecondMoment { get; }

    /// <summary>Takes one step with the current gradients.</summary>
    /// <param name="learningRate">The step size; finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    public void Step(float learningRate)
    {
        if (!float.IsFinite(learningRate) || learningRate < 0f)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and >= 0.");
        StepCount++;
        _parameters.Device.Kernels.AdamStep(_parameters, _gradients, FirstMoment, SecondMoment, StepCount, learningRate, Beta1, Beta2, Epsilon);
    }

    /// <summary>Clears both moments and the step count.</summary>
    public void Reset()
    {
        FirstMoment.Fill(0f);
        SecondMoment.Fill(0f);
        StepCount = 0;
    }

    /// <summary>The Adam update on spans (the CPU kernel behind <see cref="Step"/>).</summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradients">The gradients.</param>
    /// <param name="firstMoment">The first moment, updated in place.</param>
    /// <param name="secondMoment">The second moment, updated in place.</param>
    /// <param name="step">The step number, from 1.</param>
    /// <param name="learningRate">The learning rate.</param>
    /// <param name="beta1">β₁.</param>
    /// <param name="beta2">β₂.</param>
    /// <param name="epsilon">ε.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is below 1.</exception>
    public static void Update(
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> firstMoment,
        Span<float> secondMoment,
        long step,
        float learningRate,
        float beta1,
        float beta2,
        float epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        int length = parameters.Length;
        Guard.HasLength(gradients, length, nameof(gradients));
        Guard.HasLength(firstMoment, length, nameof(firstMoment));
        Guard.HasLength(secondMoment, length, nameof(secondMoment));

        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        float stepSize = (float)(learningRate / (1.0 - Math.Pow(beta1, step)));
        float correction2 = (float)Math.Sqrt(1.0 - Math.Pow(beta2, step));

        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float m = ref MemoryMarshal.GetReference(firstMoment);
        ref float v = ref MemoryMarshal.GetReference(secondMoment);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                nuint k = (nuint)i;
                Vector512<float> grad = Vector512.LoadUnsafe(ref g, k);
                Vector512<float> mNew = Vector512.LoadUnsafe(ref m, k) * beta1 + grad * oneMinusBeta1;
                Vector512<float> vNew = Vector512.LoadUnsafe(ref v, k) * beta2 + grad * grad * oneMinusBeta2;
                Vector512<float> denominator = Vector512.Sqrt(vNew) / correction2 + Vector512.Create(epsilon);
                mNew.StoreUnsafe(ref m, k);
                vNew.StoreUnsafe(ref v, k);
                (Vector512.LoadUnsafe(ref p, k) - mNew / denominator * stepSize).StoreUnsafe(ref p, k);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                nuint k = (nuint)i;
                Vector256<float> grad = Vector256.LoadUnsafe(ref g, k);
                Vector256<float> mNew = Vector256.LoadUnsafe(ref m, k) * beta1 + grad * oneMinusBeta1;
                Vector256<float> vNew = Vector256.LoadUnsafe(ref v, k) * beta2 + grad * grad * oneMinusBeta2;
                Vector256<float> denominator = Vector256.Sqrt(vNew) / correction2 + Vector256.Create(epsilon);
                mNew.StoreUnsafe(ref m, k);
                vNew.StoreUnsafe(ref v, k);
                (Vector256.LoadUnsafe(ref p, k) - mNew / denominator * stepSize).StoreUnsafe(ref p, k);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                nuint k = (nuint)i;
                Vector128<float> grad = Vector128.LoadUnsafe(ref g, k);
                Vector128<float> mNew = Vector128.LoadUnsafe(ref m, k) * beta1 + grad * oneMinusBeta1;
                Vector128<float> vNew = Vector128.LoadUnsafe(ref v, k) * beta2 + grad * grad * oneMinusBeta2;
                Vector128<float> denominator = Vector128.Sqrt(vNew) / correction2 + Vector128.Create(epsilon);
                mNew.StoreUnsafe(ref m, k);
                vNew.StoreUnsafe(ref v, k);
                (Vector128.LoadUnsafe(ref p, k) - mNew / denominator * stepSize).StoreUnsafe(ref p, k);
            }
        }

        for (; i < length; i++)
        {
            float grad = gradients[i];
            float mNew = firstMoment[i] * beta1 + grad * oneMinusBeta1;
            float vNew = secondMoment[i] * beta2 + grad * grad * oneMinusBeta2;
            float denominator = MathF.Sqrt(vNew) / correction2 + epsilon;
            firstMoment[i] = mNew;
            secondMoment[i] = vNew;
            parameters[i] -= mNew / denominator * stepSize;
        }
    }
}
