using Ppo.Networks;
using Ppo.Tensors;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Networks;

/// <summary>Checks <see cref="ActivationLayer"/>'s gradients by finite differences and its argument checks.</summary>
public sealed class ActivationLayerTests
{
    private const int Rows = 3;
    private const int Size = 7;

    [Theory]
    [InlineData(ActivationFunction.Tanh)]
    [InlineData(ActivationFunction.Relu)]
    public void Backward_AwayFromZero_MatchesFiniteDifference(ActivationFunction function)
    {
        var random = new Random(31 + (int)function);
        var layer = new ActivationLayer(function, Size);
        layer.Resize(Rows);
        // ReLU has its kink at 0: keep every input further from it than the stencil reaches (2h ≈ 0.0625).
        float[] input = TestData.AwayFromZero(random, Rows * Size, margin: 0.1f, high: 2f);
        Tensor outputGradient = Tensor.FromValues(TestData.Uniform(random, Rows * Size), Rows, Size);

        double[] numeric = FiniteDifference.Gradient(
            x =>
            {
                Tensor output = Tensor.Zeros(Rows, Size);
                layer.Forward(Tensor.FromValues(x, Rows, Size), output, Rows);
                return TestData.WeightedSum(outputGradient.AsSpan(), output.AsSpan());
            },
            input);
        layer.Forward(Tensor.FromValues(input, Rows, Size), Tensor.Zeros(Rows, Size), Rows);
        Tensor inputGradient = Tensor.Zeros(Rows, Size);
        layer.Backward(outputGradient, inputGradient, Rows);

        Tolerance.AssertClose(numeric, inputGradient.AsSpan(), FiniteDifference.RelativeTolerance, "d/dx");
    }

    [Fact]
    public void Backward_Relu_PassesGradientOnlyWherePositive()
    {
        var layer = new ActivationLayer(ActivationFunction.Relu, 4);
        layer.Resize(1);
        layer.Forward(Tensor.FromValues([-1f, 0f, 2f, -0f], 1, 4), Tensor.Zeros(1, 4), 1);
        Tensor inputGradient = Tensor.Zeros(1, 4);

        layer.Backward(Tensor.FromValues([5f, 6f, 7f, 8f], 1, 4), inputGradient, 1);

        Assert.Equal([0f, 0f, 7f, 0f], inputGradient.ToArray());
    }

    [Fact]
    public void Parameters_Always_Empty()
    {
        Assert.Empty(new ActivationLayer(ActivationFunction.Tanh, 3).Parameters);
    }

    [Fact]
    public void Constructor_BadArguments_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActivationLayer((ActivationFunction)7, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActivationLayer(ActivationFunction.Tanh, 0));
    }

    [Fact]
    public void Backward_BeforeForward_Throws()
    {
        var layer = new ActivationLayer(ActivationFunction.Tanh, 2);
        layer.Resize(1);

        Assert.Throws<InvalidOperationException>(() => layer.Backward(Tensor.Zeros(1, 2), Tensor.Zeros(1, 2), 1));
    }

    [Fact]
    public void Forward_BadRowCountOrWidth_Throws()
    {
        var layer = new ActivationLayer(ActivationFunction.Tanh, 2);
        layer.Resize(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(Tensor.Zeros(3, 2), Tensor.Zeros(3, 2), 3));
        Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(2, 3), Tensor.Zeros(2, 2), 2));
        Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(2, 2), Tensor.Zeros(2, 3), 2));
    }
}
