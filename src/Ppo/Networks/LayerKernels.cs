using Ppo.Tensors;

namespace Ppo.Networks;

/// <summary>The layers' operations on tensors: each calls the managed SIMD kernel on the leading rows' spans.</summary>
internal static class LayerKernels
{
    public static void LinearForward(Tensor input, Tensor weight, Tensor bias, Tensor output, int rowCount, int inputSize, int outputSize)
    {
        Span<float> y = output.AsSpan()[..(rowCount * outputSize)];
        MatrixRows.Broadcast(bias.AsSpan(), y, rowCount);
        Gemm.MultiplyTransposedB(input.AsSpan()[..(rowCount * inputSize)], weight.AsSpan(), y, rowCount, outputSize, inputSize, accumulate: true);
    }

    public static void LinearBackward(Tensor input, Tensor weight, Tensor outputGradient, Tensor weightGradient, Tensor biasGradient, Tensor? inputGradient, int rowCount, int inputSize, int outputSize)
    {
        ReadOnlySpan<float> dy = outputGradient.AsSpan()[..(rowCount * outputSize)];
        Gemm.MultiplyTransposedA(dy, input.AsSpan()[..(rowCount * inputSize)], weightGradient.AsSpan(), outputSize, inputSize, rowCount, accumulate: true);
        MatrixRows.SumInto(dy, rowCount, biasGradient.AsSpan());
        if (inputGradient is not null)
            Gemm.Multiply(dy, weight.AsSpan(), inputGradient.AsSpan()[..(rowCount * inputSize)], rowCount, inputSize, outputSize, accumulate: false);
    }

    public static void Activate(ActivationFunction function, Tensor input, Tensor output, int count)
    {
        ReadOnlySpan<float> x = input.AsSpan()[..count];
        Span<float> y = output.AsSpan()[..count];
        if (function == ActivationFunction.Tanh)
            Activations.Tanh(x, y);
        else
            Activations.Relu(x, y);
    }

    public static void ActivateBackward(ActivationFunction function, Tensor output, Tensor outputGradient, Tensor inputGradient, int count)
    {
        ReadOnlySpan<float> y = output.AsSpan()[..count];
        ReadOnlySpan<float> dy = outputGradient.AsSpan()[..count];
        Span<float> dx = inputGradient.AsSpan()[..count];
        if (function == ActivationFunction.Tanh)
            Activations.TanhBackward(y, dy, dx);
        else
            Activations.ReluBackward(y, dy, dx);
    }
}
