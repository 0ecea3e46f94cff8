using Ppo.Networks;
using Ppo.Tensors;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Networks;

/// <summary>Checks <see cref="Mlp"/> against PyTorch (6 → 8 → 8 → 3), finite differences and its layer contract.</summary>
public sealed class MlpTests
{
    public static TheoryData<string, ActivationFunction> GoldenCases => new()
    {
        { "mlp_tanh", ActivationFunction.Tanh },
        { "mlp_relu", ActivationFunction.Relu },
    };

    [Theory, MemberData(nameof(GoldenCases))]
    public void Forward_GoldenCase_MatchesPyTorch(string golden, ActivationFunction activation)
    {
        (Mlp mlp, Tensor x, int rows) = GoldenNetwork(golden, activation);
        Tensor y = Tensor.Zeros(rows, mlp.OutputSize);

        mlp.Forward(x, y, rows);

        Tolerance.AssertClose(GoldenVectors.Data(golden, "output"), y.AsSpan(), what: "output");
    }

    [Theory, MemberData(nameof(GoldenCases))]
    public void Backward_GoldenCase_MatchesPyTorchGradients(string golden, ActivationFunction activation)
    {
        (Mlp mlp, Tensor x, int rows) = GoldenNetwork(golden, activation);
        Tensor dy = Tensor.FromValues(GoldenVectors.Data(golden, "grad_output"), rows, mlp.OutputSize);
        Tensor dx = Tensor.Zeros(rows, mlp.InputSize);

        mlp.Forward(x, Tensor.Zeros(rows, mlp.OutputSize), rows);
        mlp.Backward(dy, dx, rows);

        Tolerance.AssertClose(GoldenVectors.Data(golden, "grad_input"), dx.AsSpan(), what: "grad_input");
        for (int i = 0; i < mlp.LinearLayers.Count; i++)
        {
            Linear layer = mlp.LinearLayers[i];
            Tolerance.AssertClose(GoldenVectors.Data(golden, $"grad_weight{i}"), layer.Weight.Gradient.AsSpan(), what: $"grad_weight{i}");
            Tolerance.AssertClose(GoldenVectors.Data(golden, $"grad_bias{i}"), layer.Bias.Gradient.AsSpan(), what: $"grad_bias{i}");
        }
    }

    [Fact]
    public void Backward_InputGradient_MatchesFiniteDifference()
    {
        var check = new Check(seed: 21);

        double[] numeric = FiniteDifference.Gradient(check.Objective, check.Input);

        Tolerance.AssertClose(numeric, check.Analytic().InputGradient, FiniteDifference.RelativeTolerance, "d/dx");
    }

    [Fact]
    public void Backward_ParameterGradients_MatchFiniteDifference()
    {
        var check = new Check(seed: 22);
        Tensor values = check.Parameters.Values;
        float[] original = values.ToArray();

        double[] numeric = FiniteDifference.Gradient(
            parameters =>
            {
                values.CopyFrom(parameters);
                return check.Objective(check.Input);
            },
            original);
        values.CopyFrom(original);

        Tolerance.AssertClose(numeric, check.Analytic().ParameterGradient, FiniteDifference.RelativeTolerance, "d/dθ");
    }

    [Fact]
    public void Backward_CalledTwice_AccumulatesParameterGradientsAndOverwritesInputGradient()
    {
        var check = new Check(seed: 23);
        (float[] inputGradient, float[] parameterGradient) = check.Analytic();
        Tensor dx = Tensor.Zeros(Check.Rows, check.Network.InputSize);
        dx.Fill(float.NaN);

        check.Network.Backward(check.OutputGradient, dx, Check.Rows);

        Tolerance.AssertBitwiseEqual(inputGradient, dx.AsSpan(), "input gradient");
        Tolerance.AssertClose(Array.ConvertAll(parameterGradient, g => 2f * g), check.Parameters.Gradients.AsSpan(), 1e-6, "parameter gradient");
    }

    [Fact]
    public void Backward_WithoutInputGradient_ComputesEveryParameterGradient()
    {
        var check = new Check(seed: 24);
        float[] expected = check.Analytic().ParameterGradient;
        check.Parameters.ZeroGradients();

        check.Network.Backward(check.OutputGradient, null, Check.Rows);

        Tolerance.AssertBitwiseEqual(expected, check.Parameters.Gradients.AsSpan(), "parameter gradient");
    }

    [Fact]
    public void Constructor_HiddenSizesAndOutput_AlternatesLinearAndActivationLayers()
    {
        var mlp = new Mlp(4, [6, 5], 3, ActivationFunction.Relu, Device.Cpu);

        Assert.Collection(
            mlp.Layers,
            layer => Assert.Equal((4, 6), (Assert.IsType<Linear>(layer).InputSize, layer.OutputSize)),
            layer => Assert.Equal(ActivationFunction.Relu, Assert.IsType<ActivationLayer>(layer).Function),
            layer => Assert.Equal((6, 5), (Assert.IsType<Linear>(layer).InputSize, layer.OutputSize)),
            layer => Assert.Equal(5, Assert.IsType<ActivationLayer>(layer).InputSize),
            layer => Assert.Equal((5, 3), (Assert.IsType<Linear>(layer).InputSize, layer.OutputSize)));
        Assert.True(mlp.HasOutputLayer);
        Assert.Equal(6, mlp.Parameters.Count);
    }

    [Fact]
    public void Constructor_NoLayerOrBadSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Mlp(4, [], null, ActivationFunction.Tanh, Device.Cpu));
        Assert.Throws<ArgumentException>(() => new Mlp(4, [6, 0], 3, ActivationFunction.Tanh, Device.Cpu));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp(0, [6], 3, ActivationFunction.Tanh, Device.Cpu));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp(4, [6], 0, ActivationFunction.Tanh, Device.Cpu));
    }

    [Fact]
    public void Forward_RowCountAboveResize_Throws()
    {
        var check = new Check(seed: 25);
        Tensor input = Tensor.Zeros(Check.Rows + 1, check.Network.InputSize);
        Tensor output = Tensor.Zeros(Check.Rows + 1, check.Network.OutputSize);

        Assert.Throws<ArgumentOutOfRangeException>(() => check.Network.Forward(input, output, Check.Rows + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => check.Network.Forward(input, output, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => check.Network.Backward(check.OutputGradient, null, Check.Rows + 1));
    }

    [Fact]
    public void Forward_WrongWidths_Throws()
    {
        var check = new Check(seed: 26);
        Tensor input = Tensor.Zeros(Check.Rows, check.Network.InputSize);
        Tensor output = Tensor.Zeros(Check.Rows, check.Network.OutputSize);

        Assert.Throws<ArgumentException>(() => check.Network.Forward(Tensor.Zeros(Check.Rows, check.Network.InputSize + 1), output, Check.Rows));
        Assert.Throws<ArgumentException>(() => check.Network.Forward(input, Tensor.Zeros(Check.Rows, check.Network.OutputSize + 1), Check.Rows));
    }

    private static (Mlp Network, Tensor Input, int Rows) GoldenNetwork(string golden, ActivationFunction activation)
    {
        int[] xShape = GoldenVectors.Shape(golden, "x");
        int rows = xShape[0];
        int outputSize = GoldenVectors.Shape(golden, "output")[1];
        var mlp = new Mlp(xShape[1], [8, 8], outputSize, activation, Device.Cpu);
        _ = new ParameterSet(mlp.Parameters, Device.Cpu);
        for (int i = 0; i < mlp.LinearLayers.Count; i++)
        {
            mlp.LinearLayers[i].Weight.Value.CopyFrom(GoldenVectors.Data(golden, $"weight{i}"));
            mlp.LinearLayers[i].Bias.Value.CopyFrom(GoldenVectors.Data(golden, $"bias{i}"));
        }

        mlp.Resize(rows);
        return (mlp, Tensor.FromValues(GoldenVectors.Data(golden, "x"), xShape), rows);
    }

    /// <summary>A tanh network 4 → 6 → 5 → 3 on 3 rows with the objective <c>Σ w ⊙ y</c>.</summary>
    private sealed class Check
    {
        public const int Rows = 3;

        public Check(int seed)
        {
            var random = new Random(seed);
            Network = new Mlp(4, [6, 5], 3, ActivationFunction.Tanh, Device.Cpu);
            Parameters = new ParameterSet(Network.Parameters, Device.Cpu);
            Parameters.Values.CopyFrom(TestData.Uniform(random, Parameters.Count, -0.8f, 0.8f));
            Network.Resize(Rows);
            Input = TestData.Uniform(random, Rows * Network.InputSize, -2f, 2f);
            OutputGradient = Tensor.FromValues(TestData.Uniform(random, Rows * Network.OutputSize), Rows, Network.OutputSize);
        }

        public Mlp Network { get; }

        public ParameterSet Parameters { get; }

        public float[] Input { get; }

        public Tensor OutputGradient { get; }

        public double Objective(float[] input)
        {
            Tensor output = Tensor.Zeros(Rows, Network.OutputSize);
            Network.Forward(Tensor.FromValues(input, Rows, Network.InputSize), output, Rows);
            return TestData.WeightedSum(OutputGradient.AsSpan(), output.AsSpan());
        }

        public (float[] InputGradient, float[] ParameterGradient) Analytic()
        {
            Parameters.ZeroGradients();
            Network.Forward(Tensor.FromValues(Input, Rows, Network.InputSize), Tensor.Zeros(Rows, Network.OutputSize), Rows);
            Tensor dx = Tensor.Zeros(Rows, Network.InputSize);
            Network.Backward(OutputGradient, dx, Rows);
            return (dx.ToArray(), Parameters.Gradients.ToArray());
        }
    }
}
