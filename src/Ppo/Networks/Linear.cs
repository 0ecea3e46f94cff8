using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Networks;

/// <summary>A fully connected layer: <c>y = x·Wᵀ + b</c> over a batch of row vectors, with <c>W</c> of shape [out × in].</summary>
/// <remarks>
/// Backward computes <c>dW += dYᵀ·X</c>, <c>db += Σ_rows dY</c> and <c>dX = dY·W</c> with the blocked
/// <see cref="Gemm"/> kernels; it accumulates into the parameter gradients and overwrites the input gradient.
/// </remarks>
public sealed class Linear : ILayer
{
    private readonly Parameter[] _parameters;
    private Tensor? _input;
    private int _maxRowCount;

    /// <summary>Creates a layer mapping <paramref name="inputSize"/> features to <paramref name="outputSize"/>.</summary>
    /// <param name="inputSize">The input width; at least 1.</param>
    /// <param name="outputSize">The output width; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public Linear(int inputSize, int outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        InputSize = inputSize;
        OutputSize = outputSize;
        Weight = new Parameter("weight", outputSize, inputSize);
        Bias = new Parameter("bias", outputSize);
        _parameters = [Weight, Bias];
    }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int OutputSize { get; }

    /// <summary>Gets the weight matrix, [out × in].</summary>
    public Parameter Weight { get; }

    /// <summary>Gets the bias vector, [out].</summary>
    public Parameter Bias { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Sets the weights to an orthogonal matrix times <paramref name="gain"/> and the bias to zero.</summary>
    /// <param name="gain">The scale of the orthogonal matrix (√2 for hidden tanh layers, 0.01 for a policy head, 1 for a value head).</param>
    /// <param name="random">The generator that draws the matrix.</param>
    /// <exception cref="InvalidOperationException">The parameters have no storage yet.</exception>
    public void InitializeOrthogonal(double gain, SeededRandom random)
    {
        Initializers.Orthogonal(Weight.Value.AsSpan(), OutputSize, InputSize, gain, random);
        Bias.Value.Fill(0f);
    }

    /// <inheritdoc/>
    public void Resize(int maxRowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRowCount);
        _maxRowCount = Math.Max(_maxRowCount, maxRowCount);
    }

    /// <inheritdoc/>
    public void Forward(Tensor input, Tensor output, int rowCount)
    {
        LayerChecks.Forward(this, input, output, rowCount, _maxRowCount);
        _input = input;
        LayerKernels.LinearForward(input, Weight.Value, Bias.Value, output, rowCount, InputSize, OutputSize);
    }

    /// <inheritdoc/>
    public void Backward(Tensor outputGradient, Tensor? inputGradient, int rowCount)
    {
        Tensor input = _input ?? throw new InvalidOperationException("Backward needs a Forward call first.");
        LayerChecks.Backward(this, outputGradient, inputGradient, rowCount, _maxRowCount);
        LayerKernels.LinearBackward(input, Weight.Value, outputGradient, Weight.Gradient, Bias.Gradient, inputGradient, rowCount, InputSize, OutputSize);
    }
}
