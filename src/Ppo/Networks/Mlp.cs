using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Networks;

/// <summary>
/// A multilayer perceptron: <c>Linear → activation</c> for each hidden size, then an optional linear output layer.
/// It is itself an <see cref="ILayer"/> and owns the buffers between its layers.
/// </summary>
public sealed class Mlp : ILayer
{
    private readonly ILayer[] _layers;
    private readonly Linear[] _linearLayers;
    private readonly Parameter[] _parameters;
    private readonly Device _device;
    private Tensor[] _outputs = [];
    private Tensor[] _gradients = [];
    private int _maxRowCount;

    /// <summary>Creates the network.</summary>
    /// <param name="inputSize">The input width; at least 1.</param>
    /// <param name="hiddenSizes">The width of each hidden layer, each followed by <paramref name="activation"/>; each at least 1.</param>
    /// <param name="outputSize">The width of a final linear layer without activation, or <see langword="null"/> for none.</param>
    /// <param name="activation">The nonlinearity after each hidden layer.</param>
    /// <param name="device">The device of the buffers between layers.</param>
    /// <exception cref="ArgumentException">The network would have no layer, or a size is below 1.</exception>
    public Mlp(int inputSize, IReadOnlyList<int> hiddenSizes, int? outputSize, ActivationFunction activation, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(device);
        if (hiddenSizes.Count == 0 && outputSize is null)
            throw new ArgumentException("A network needs at least one hidden size or an output size.", nameof(hiddenSizes));

        var layers = new List<ILayer>();
        var linearLayers = new List<Linear>();
        int width = inputSize;
        for (int i = 0; i < hiddenSizes.Count; i++)
        {
            if (hiddenSizes[i] < 1)
                throw new ArgumentException($"Hidden size {i} must be at least 1 (was {hiddenSizes[i]}).", nameof(hiddenSizes));
            var linear = new Linear(width, hiddenSizes[i]);
            linearLayers.Add(linear);
            layers.Add(linear);
            layers.Add(new ActivationLayer(activation, hiddenSizes[i]));
            width = hiddenSizes[i];
        }

        if (outputSize is int size)
        {
            var linear = new Linear(width, size);
            linearLayers.Add(linear);
            layers.Add(linear);
            width = size;
        }

        _layers = [.. layers];
        _linearLayers = [.. linearLayers];
        _parameters = [.. linearLayers.SelectMany(layer => layer.Parameters)];
        _device = device;
        InputSize = inputSize;
        OutputSize = width;
        HasOutputLayer = outputSize is not null;
    }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int OutputSize { get; }

    /// <summary>Gets a value indicating whether the last layer is a linear layer without activation.</summary>
    public bool HasOutputLayer { get; }

    /// <summary>Gets the layers in order.</summary>
    public IReadOnlyList<ILayer> Layers => _layers;

    /// <summary>Gets the linear layers in order.</summary>
    public IReadOnlyList<Linear> LinearLayers => _linearLayers;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>
    /// Initializes every linear layer orthogonally: hidden layers with <paramref name="hiddenGain"/>, the output layer (if
    /// any) with <paramref name="outputGain"/>; biases zero.
    /// </summary>
    /// <param name="hiddenGain">The gain of hidden layers (√2 in Stable-Baselines3).</param>
    /// <param name="outputGain">The gain of the output layer.</param>
    /// <param name="random">The generator that draws the matrices, layer by layer in order.</param>
    public void InitializeOrthogonal(double hiddenGain, double outputGain, SeededRandom random)
    {
        for (int i = 0; i < _linearLayers.Length; i++)
        {
            bool isOutput = HasOutputLayer && i == _linearLayers.Length - 1;
            _linearLayers[i].InitializeOrthogonal(isOutput ? outputGain : hiddenGain, random);
        }
    }

    /// <inheritdoc/>
    public void Resize(int maxRowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRowCount);
        if (maxRowCount <= _maxRowCount)
            return;
        _maxRowCount = maxRowCount;
        foreach (ILayer layer in _layers)
            layer.Resize(maxRowCount);

        // Buffers sit between layer i and layer i + 1; the last layer writes into the caller's output.
        _outputs = new Tensor[_layers.Length - 1];
        _gradients = new Tensor[_layers.Length - 1];
        for (int i = 0; i < _outputs.Length; i++)
        {
            _outputs[i] = _device.Zeros(maxRowCount, _layers[i].OutputSize);
            _gradients[i] = _device.Zeros(maxRowCount, _layers[i].OutputSize);
        }
    }

    /// <inheritdoc/>
    public void Forward(Tensor input, Tensor output, int rowCount)
    {
        CheckRowCount(rowCount);
        Tensor current = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            Tensor next = i == _layers.Length - 1 ? output : _outputs[i];
            _layers[i].Forward(current, next, rowCount);
            current = next;
        }
    }

    /// <inheritdoc/>
    public void Backward(Tensor outputGradient, Tensor? inputGradient, int rowCount)
    {
        CheckRowCount(rowCount);
        Tensor current = outputGradient;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            Tensor? previous = i == 0 ? inputGradient : _gradients[i - 1];
            _layers[i].Backward(current, previous, rowCount);
            if (previous is null)
                break;
            current = previous;
        }
    }

    private void CheckRowCount(int rowCount)
    {
        if (rowCount < 1 || rowCount > _maxRowCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"The row count must be in [1, {_maxRowCount}] (call Resize for larger batches).");
    }
}
