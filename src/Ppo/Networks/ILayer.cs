using Ppo.Tensors;

namespace Ppo.Networks;

/// <summary>
/// A network layer with an explicit forward and backward pass over a batch of row vectors.
/// </summary>
/// <remarks>
/// <para><see cref="Resize"/> is the only member that may allocate: it sizes the caches for the largest batch.</para>
/// <para><see cref="Forward"/> caches what <see cref="Backward"/> needs; the input tensor must stay unchanged until then.
/// <see cref="Backward"/> accumulates into the parameter gradients and overwrites the input gradient.</para>
/// </remarks>
public interface ILayer
{
    /// <summary>Gets the width of an input row.</summary>
    int InputSize { get; }

    /// <summary>Gets the width of an output row.</summary>
    int OutputSize { get; }

    /// <summary>Gets the trainable parameters, in a fixed order.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Prepares the layer for batches of up to <paramref name="maxRowCount"/> rows.</summary>
    /// <param name="maxRowCount">The largest batch; at least 1.</param>
    void Resize(int maxRowCount);

    /// <summary>Computes the outputs of the first <paramref name="rowCount"/> input rows.</summary>
    /// <param name="input">The inputs, at least <c>rowCount × InputSize</c> elements.</param>
    /// <param name="output">Receives the outputs, at least <c>rowCount × OutputSize</c> elements.</param>
    /// <param name="rowCount">The number of rows, at most the size given to <see cref="Resize"/>.</param>
    void Forward(Tensor input, Tensor output, int rowCount);

    /// <summary>Back-propagates the gradient of the last <see cref="Forward"/> call.</summary>
    /// <param name="outputGradient">The gradient with respect to the outputs.</param>
    /// <param name="inputGradient">Receives the gradient with respect to the inputs, or <see langword="null"/> when it is not needed.</param>
    /// <param name="rowCount">The number of rows of the last forward call.</param>
    void Backward(Tensor outputGradient, Tensor? inputGradient, int rowCount);
}
