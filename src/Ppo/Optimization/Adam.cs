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
/// <para>From <see cref="ParallelLength"/> parameters on, a step updates the two halves of the buffers on two threads
/// (see <see cref="StepInParallel"/>). The update is element-wise, so the results are bit-identical to one pass.
/// The managed learner of the trainer splits its steps at the critic instead, each network's parameters stepped on
/// the thread that computed their gradients.</para>
/// </remarks>
public sealed class Adam
{
    /// <summary>
    /// The number of parameters from which a step runs in two halves on two threads. The halves of the [64, 64] actor and
    /// critic of Stable-Baselines3 (about 10,000 parameters) take 1–2 µs each, too little for the second thread to take
    /// its half in time once in a while: the lost calls sent the paired worker back to one thread, and with it the actor
    /// and critic, whose pieces pay (CartPole's update of 256 rows took 130 µs with the halves handed over and 93 µs
    /// without). From 65,536 parameters each half holds 32,768 or more.
    /// </summary>
    public const int ParallelLength = 65536;

    private readonly Tensor _parameters;
    private readonly Tensor _gradients;
    private readonly Action? _stepFirstHalf;
    private readonly Action? _stepSecondHalf;
    private float _learningRate;

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

        if (parameters.Length >= ParallelLength)
        {
            // Split at a whole number of 512-bit vectors, so that the first half runs its vector loop to the end.
            int split = parameters.Length / 2 / 16 * 16;
            _stepFirstHalf = () => StepRange(0, split);
            _stepSecondHalf = () => StepRange(split, parameters.Length - split);
        }
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

    /// <summary>
    /// Gets or sets a value indicating whether a step of at least <see cref="ParallelLength"/> parameters updates the two
    /// halves of the buffers on two threads. The results are bit-identical either way.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool StepInParallel { get; set; } = true;

    /// <summary>Gets the running first moment <c>m</c>, one element per parameter.</summary>
    public Tensor FirstMoment { get; }

    /// <summary>Gets the running second moment <c>v</c>, one element per parameter.</summary>
    public Tensor SecondMoment { get; }

    /// <summary>Takes one step with the current gradients.</summary>
    /// <param name="learningRate">The step size; finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    public void Step(float learningRate)
    {
        BeginStep(learningRate);
        if (StepInParallel && _stepFirstHalf is not null && _stepSecondHalf is not null)
            PairedWorker.Run(_stepSecondHalf, _stepFirstHalf);
        else
            StepRange(0, _parameters.Length);
    }

    /// <summary>
    /// Starts a step taken in parts: checks the learning rate and counts the step; <see cref="StepRange"/> then updates
    /// each part, from any thread. Together the parts give the bits of <see cref="Step"/>: the update is element-wise.
    /// </summary>
    /// <param name="learningRate">The step size; finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    internal void BeginStep(float learningRate)
    {
        if (!float.IsFinite(learningRate) || learningRate < 0f)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and >= 0.");
        StepCount++;
        _learningRate = learningRate;
    }

    /// <summary>Updates the <paramref name="length"/> parameters from <paramref name="start"/> for the step begun by <see cref="BeginStep"/>.</summary>
    internal void StepRange(int start, int length) =>
        Update(_parameters.AsSpan().Slice(start, length), _gradients.AsSpan().Slice(start, length), FirstMoment.AsSpan().Slice(start, length), SecondMoment.AsSpan().Slice(start, length), StepCount, _learningRate, Beta1, Beta2, Epsilon);

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

        var constants = new AdamStepConstants(beta1, beta2, oneMinusBeta1, oneMinusBeta2, correction2, epsilon, stepSize);
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float m = ref MemoryMarshal.GetReference(firstMoment);
        ref float v = ref MemoryMarshal.GetReference(secondMoment);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            i = UpdateVectors<Vector512Operations, Vector512<float>>(ref p, ref g, ref m, ref v, constants, i, length);
        if (Vector256.IsHardwareAccelerated)
            i = UpdateVectors<Vector256Operations, Vector256<float>>(ref p, ref g, ref m, ref v, constants, i, length);
        if (Vector128.IsHardwareAccelerated)
            i = UpdateVectors<Vector128Operations, Vector128<float>>(ref p, ref g, ref m, ref v, constants, i, length);

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

    /// <summary>The Adam update over the whole vectors from <paramref name="start"/>, the same expression as the scalar tail; returns where they end.</summary>
    private static int UpdateVectors<TOperations, TVector>(ref float p, ref float g, ref float m, ref float v, AdamStepConstants step, int start, int length)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        TVector beta1 = TOperations.Broadcast(step.Beta1), beta2 = TOperations.Broadcast(step.Beta2);
        TVector oneMinusBeta1 = TOperations.Broadcast(step.OneMinusBeta1), oneMinusBeta2 = TOperations.Broadcast(step.OneMinusBeta2);
        TVector correction2 = TOperations.Broadcast(step.Correction2), epsilon = TOperations.Broadcast(step.Epsilon), stepSize = TOperations.Broadcast(step.StepSize);
        int i = start;
        for (; i <= length - TOperations.Count; i += TOperations.Count)
        {
            TVector grad = TOperations.Load(ref g, i);
            TVector mNew = TOperations.Add(TOperations.Multiply(TOperations.Load(ref m, i), beta1), TOperations.Multiply(grad, oneMinusBeta1));
            TVector vNew = TOperations.Add(TOperations.Multiply(TOperations.Load(ref v, i), beta2), TOperations.Multiply(TOperations.Multiply(grad, grad), oneMinusBeta2));
            TVector denominator = TOperations.Add(TOperations.Divide(TOperations.Sqrt(vNew), correction2), epsilon);
            TOperations.Store(mNew, ref m, i);
            TOperations.Store(vNew, ref v, i);
            TOperations.Store(TOperations.Subtract(TOperations.Load(ref p, i), TOperations.Multiply(TOperations.Divide(mNew, denominator), stepSize)), ref p, i);
        }

        return i;
    }

    /// <summary>The per-step numbers of the Adam update.</summary>
    private readonly record struct AdamStepConstants(float Beta1, float Beta2, float OneMinusBeta1, float OneMinusBeta2, float Correction2, float Epsilon, float StepSize);
}
