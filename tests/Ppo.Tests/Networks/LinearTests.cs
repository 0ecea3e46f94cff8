using Ppo.Networks;
using Ppo.Tensors;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Networks;

/// <summary>Checks <see cref="Linear"/> against PyTorch's <c>F.linear</c>, finite differences and its layer contract.</summary>
public sealed class LinearTests
{
    private const string Golden = "linear";

    [Fact]
    public void Forward_GoldenCase_MatchesPyTorch()
    {
        (Linear linear, Tensor x, int rows) = GoldenLayer();
        Tensor y = Tensor.Zeros(rows, linear.OutputSize);

        linear.Forward(x, y, rows);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "output"), y.AsSpan(), what: "output");
    }

    [Fact]
    public void Backward_GoldenCase_MatchesPyTorchGradients()
    {
        (Linear linear, Tensor x, int rows) = GoldenLayer();
        Tensor y = Tensor.Zeros(rows, linear.OutputSize);
        Tensor dy = Tensor.FromValues(GoldenVectors.Data(Golden, "grad_output"), rows, linear.OutputSize);
        Tensor dx = Tensor.Zeros(rows, linear.InputSize);

        linear.Forward(x, y, rows);
        linear.Backward(dy, dx, rows);

        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_input"), dx.AsSpan(), what: "grad_input");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_weight"), linear.Weight.Gradient.AsSpan(), what: "grad_weight");
        Tolerance.AssertClose(GoldenVectors.Data(Golden, "grad_bias"), linear.Bias.Gradient.AsSpan(), what: "grad_bias");
    }

    [Fact]
    public void Backward_InputGradient_MatchesFiniteDifference()
    {
        var check = new Check(seed: 11);

        double[] numeric = FiniteDifference.Gradient(input => check.Objective(input), check.Input);

        Tolerance.AssertClose(numeric, check.AnalyticInputGradient(), FiniteDifference.RelativeTolerance, "d/dx");
    }

    [Fact]
    public void Backward_WeightGradient_MatchesFiniteDifference()
    {
        var check = new Check(seed: 12);
        Tensor weight = check.Layer.Weight.Value;
        float[] original = weight.ToArray();

        double[] numeric = FiniteDifference.Gradient(
            values =>
            {
                weight.CopyFrom(values);
                return check.Objective(check.Input);
            },
            original);
        weight.CopyFrom(original);

        check.AnalyticInputGradient();
        Tolerance.AssertClose(numeric, check.Layer.Weight.Gradient.AsSpan(), FiniteDifference.RelativeTolerance, "d/dW");
    }

    [Fact]
    public void Backward_BiasGradient_MatchesFiniteDifference()
    {
        var check = new Check(seed: 13);
        Tensor bias = check.Layer.Bias.Value;
        float[] original = bias.ToArray();

        double[] numeric = FiniteDifference.Gradient(
            values =>
            {
                bias.CopyFrom(values);
                return check.Objective(check.Input);
            },
            original);
        bias.CopyFrom(original);

        check.AnalyticInputGradient();
        Tolerance.AssertClose(numeric, check.Layer.Bias.Gradient.AsSpan(), FiniteDifference.RelativeTolerance, "d/db");
    }

    [Fact]
    public void Backward_CalledTwice_AccumulatesParameterGradientsAndOverwritesInputGradient()
    {
        var check = new Check(seed: 14);
        float[] firstInputGradient = check.AnalyticInputGradient();
        float[] weightGradient = check.Layer.Weight.Gradient.ToArray();
        float[] biasGradient = check.Layer.Bias.Gradient.ToArray();

        Tensor dx = Tensor.Zeros(Check.Rows, check.Layer.InputSize);
        dx.Fill(1e6f);
        check.Layer.Backward(check.OutputGradient, dx, Check.Rows);

        Tolerance.AssertBitwiseEqual(firstInputGradient, dx.AsSpan(), "input gradient");
        Tolerance.AssertClose(Doubled(weightGradient), check.Layer.Weight.Gradient.AsSpan(), 1e-6, "weight gradient");
        Tolerance.AssertClose(Doubled(biasGradient), check.Layer.Bias.Gradient.AsSpan(), 1e-6, "bias gradient");
    }

    [Fact]
    public void Backward_WithoutInputGradient_StillAccumulatesParameterGradients()
    {
        var check = new Check(seed: 15);
        check.AnalyticInputGradient();
        float[] weightGradient = check.Layer.Weight.Gradient.ToArray();
        check.Parameters.ZeroGradients();

        check.Layer.Backward(check.OutputGradient, null, Check.Rows);

        Tolerance.AssertClose(weightGradient, check.Layer.Weight.Gradient.AsSpan(), 1e-6, "weight gradient");
    }

    [Fact]
    public void Forward_FewerRowsThanResized_UsesOnlyLeadingRows()
    {
        var check = new Check(seed: 16);
        Tensor full = Tensor.Zeros(Check.Rows, check.Layer.OutputSize);
        check.Layer.Forward(check.InputTensor, full, Check.Rows);
        Tensor partial = Tensor.Zeros(Check.Rows, check.Layer.OutputSize);
        partial.Fill(-7f);

        check.Layer.Forward(check.InputTensor, partial, 2);

        int leading = 2 * check.Layer.OutputSize;
        Tolerance.AssertBitwiseEqual(full.AsSpan()[..leading], partial.AsSpan()[..leading], "leading rows");
        Assert.All(partial.AsSpan()[leading..].ToArray(), value => Assert.Equal(-7f, value));
    }

    [Fact]
    public void Constructor_SizeBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(3, -1));
    }

    [Fact]
    public void Forward_RowCountAboveResize_Throws()
    {
        var check = new Check(seed: 17);
        Tensor input = Tensor.Zeros(Check.Rows + 1, check.Layer.InputSize);
        Tensor output = Tensor.Zeros(Check.Rows + 1, check.Layer.OutputSize);

        Assert.Throws<ArgumentOutOfRangeException>(() => check.Layer.Forward(input, output, Check.Rows + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => check.Layer.Forward(input, output, 0));
    }

    [Fact]
    public void Forward_WrongWidths_Throws()
    {
        var check = new Check(seed: 18);
        Tensor input = Tensor.Zeros(Check.Rows, check.Layer.InputSize);
        Tensor output = Tensor.Zeros(Check.Rows, check.Layer.OutputSize);

        Assert.Throws<ArgumentException>(() => check.Layer.Forward(Tensor.Zeros(Check.Rows, check.Layer.InputSize + 1), output, Check.Rows));
        Assert.Throws<ArgumentException>(() => check.Layer.Forward(input, Tensor.Zeros(Check.Rows, check.Layer.OutputSize - 1), Check.Rows));
        Assert.Throws<ArgumentException>(() => check.Layer.Forward(Tensor.Zeros(Check.Rows * check.Layer.InputSize), output, Check.Rows));
        Assert.Throws<ArgumentException>(() => check.Layer.Forward(Tensor.Zeros(Check.Rows - 1, check.Layer.InputSize), output, Check.Rows));
    }

    [Fact]
    public void Backward_WrongWidths_Throws()
    {
        var check = new Check(seed: 19);
        check.Layer.Forward(check.InputTensor, Tensor.Zeros(Check.Rows, check.Layer.OutputSize), Check.Rows);

        Assert.Throws<ArgumentException>(() => check.Layer.Backward(Tensor.Zeros(Check.Rows, check.Layer.OutputSize + 1), null, Check.Rows));
        Assert.Throws<ArgumentException>(() => check.Layer.Backward(check.OutputGradient, Tensor.Zeros(Check.Rows, check.Layer.InputSize - 1), Check.Rows));
        Assert.Throws<ArgumentOutOfRangeException>(() => check.Layer.Backward(check.OutputGradient, null, Check.Rows + 1));
    }

    [Fact]
    public void Backward_BeforeForward_Throws()
    {
        var linear = new Linear(2, 2);
        _ = new ParameterSet(linear.Parameters, Device.Cpu);
        linear.Resize(1);

        Assert.Throws<InvalidOperationException>(() => linear.Backward(Tensor.Zeros(1, 2), null, 1));
    }

    [Fact]
    public void Forward_ParametersWithoutStorage_Throws()
    {
        var linear = new Linear(2, 2);
        linear.Resize(1);

        Assert.Throws<InvalidOperationException>(() => linear.Forward(Tensor.Zeros(1, 2), Tensor.Zeros(1, 2), 1));
    }

    private static float[] Doubled(float[] values) => Array.ConvertAll(values, value => 2f * value);

    private static (Linear Layer, Tensor Input, int Rows) GoldenLayer()
    {
        int[] xShape = GoldenVectors.Shape(Golden, "x");
        int[] weightShape = GoldenVectors.Shape(Golden, "weight");
        int rows = xShape[0];
        var linear = new Linear(weightShape[1], weightShape[0]);
        _ = new ParameterSet(linear.Parameters, Device.Cpu);
        linear.Weight.Value.CopyFrom(GoldenVectors.Data(Golden, "weight"));
        linear.Bias.Value.CopyFrom(GoldenVectors.Data(Golden, "bias"));
        linear.Resize(rows);
        return (linear, Tensor.FromValues(GoldenVectors.Data(Golden, "x"), xShape), rows);
    }

    /// <summary>A 5 → 4 layer on 3 rows with the objective <c>Σ w ⊙ y</c>, whose output gradient is <c>w</c>.</summary>
    private sealed class Check
    {
        public const int Rows = 3;

        public Check(int seed)
        {
            var random = new Random(seed);
            Layer = new Linear(5, 4);
            Parameters = new ParameterSet(Layer.Parameters, Device.Cpu);
            Layer.Weight.Value.CopyFrom(TestData.Uniform(random, Layer.Weight.Length));
            Layer.Bias.Value.CopyFrom(TestData.Uniform(random, Layer.Bias.Length));
            Layer.Resize(Rows);
            Input = TestData.Uniform(random, Rows * Layer.InputSize, -2f, 2f);
            InputTensor = Tensor.FromValues(Input, Rows, Layer.InputSize);
            OutputGradient = Tensor.FromValues(TestData.Uniform(random, Rows * Layer.OutputSize), Rows, Layer.OutputSize);
        }

        public Linear Layer { get; }

        public ParameterSet Parameters { get; }

        public float[] Input { get; }

        public Tensor InputTensor { get; }

        public Tensor OutputGradient { get; }

        public double Objective(float[] input)
        {
            Tensor output = Tensor.Zeros(Rows, Layer.OutputSize);
            Layer.Forward(Tensor.FromValues(input, Rows, Layer.InputSize), output, Rows);
            return TestData.WeightedSum(OutputGradient.AsSpan(), output.AsSpan());
        }

        /// <summary>Runs forward and backward from zero parameter gradients; returns the input gradient.</summary>
        public float[] AnalyticInputGradient()
        {
            Parameters.ZeroGradients();
            Layer.Forward(InputTensor, Tensor.Zeros(Rows, Layer.OutputSize), Rows);
            Tensor dx = Tensor.Zeros(Rows, Layer.InputSize);
            Layer.Backward(OutputGradient, dx, Rows);
            return dx.ToArray();
        }
    }
}
