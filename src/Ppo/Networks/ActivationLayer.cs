using Ppo.Tensors;

namespace Ppo.Networks;

/// <summary>An element-wise activation layer (tanh or ReLU) without parameters.</summary>
/// <remarks>Forward caches its output, from which both derivatives are computed.</remarks>
public sealed class ActivationLayer : ILayer
{
    private Tensor? _output;
    private int _maxRowCount;

    /// <summary>Creates an activation layer over rows of <paramref name="size"/> features.</summary>
    /// <param name="function">The nonlinearity.</param>
    /// <param name="size">The row width; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1 or <paramref name="function"/> is unknown.</exception>
    public ActivationLayer(ActivationFunction function, int size)
    {
        if (!Enum.IsDefined(function))
            throw new ArgumentOutOfRangeException(nameof(function), function, "Unknown activation function.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Function = function;
        InputSize = size;
    }

    /// <summary>Gets the nonlinearity.</summary>
    public ActivationFunction Function { get; }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int OutputSize => InputSize;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

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
        _output = output;
        LayerKernels.Activate(Function, input, output, rowCount * InputSize);
    }

    /// <inheritdoc/>
    public void Backward(Tensor outputGradient, Tensor? inputGradient, int rowCount)
    {
        Tensor output = _output ?? throw new InvalidOperationException("Backward needs a Forward call first.");
        LayerChecks.Backward(this, outputGradient, inputGradient, rowCount, _maxRowCount);
        if (inputGradient is not null)
            LayerKernels.ActivateBackward(Function, output, outputGradient, inputGradient, rowCount * InputSize);
    }
}
