using Ppo.Networks;

namespace Ppo.Onnx;

/// <summary>One fully connected layer of an exported network: <c>y = activation(x·Wᵀ + b)</c>.</summary>
/// <param name="Weight">The weight matrix, <c>OutputSize × InputSize</c>, row-major.</param>
/// <param name="Bias">The bias, <c>OutputSize</c>.</param>
/// <param name="InputSize">The input width.</param>
/// <param name="OutputSize">The output width.</param>
/// <param name="Activation">The nonlinearity after the layer, or <see langword="null"/> for a linear output layer.</param>
internal sealed record DenseLayer(float[] Weight, float[] Bias, int InputSize, int OutputSize, ActivationFunction? Activation);
