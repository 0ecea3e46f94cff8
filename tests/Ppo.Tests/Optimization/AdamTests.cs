using Ppo.Optimization;
using Ppo.Tensors;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Optimization;

/// <summary>Checks <see cref="Adam"/> against <c>torch.optim.Adam</c>, a scalar reference at every tail length, and its contract.</summary>
public sealed class AdamTests
{
    public static TheoryData<int> Lengths => [.. Enumerable.Range(0, 68)];

    [Fact]
    public void Update_GoldenThreeSteps_MatchesPyTorch()
    {
        const string Golden = "adam";
        float[] parameters = GoldenVectors.Data(Golden, "params");
        float[] gradients = GoldenVectors.Data(Golden, "grads");
        float[] expected = GoldenVectors.Data(Golden, "params_after");
        int length = parameters.Length;
        float[] m = new float[length], v = new float[length];

        for (int step = 1; step <= 3; step++)
        {
            Adam.Update(
                parameters, gradients.AsSpan((step - 1) * length, length), m, v, step,
                GoldenVectors.Scalar(Golden, "lr"), GoldenVectors.Scalar(Golden, "beta1"), GoldenVectors.Scalar(Golden, "beta2"), GoldenVectors.Scalar(Golden, "eps"));

            Tolerance.AssertClose(expected.AsSpan((step - 1) * length, length), parameters, what: $"parameters after step {step}");
        }
    }

    [Fact]
    public void Step_GoldenThreeStepsOverTensors_MatchesPyTorch()
    {
        const string Golden = "adam";
        Tensor parameters = Tensor.FromValues(GoldenVectors.Data(Golden, "params"), GoldenVectors.Shape(Golden, "params"));
        Tensor gradients = Tensor.Zeros(parameters.Length);
        float[] allGradients = GoldenVectors.Data(Golden, "grads");
        float[] expected = GoldenVectors.Data(Golden, "params_after");
        var adam = new Adam(parameters, gradients, GoldenVectors.Scalar(Golden, "beta1"), GoldenVectors.Scalar(Golden, "beta2"), GoldenVectors.Scalar(Golden, "eps"));

        for (int step = 1; step <= 3; step++)
        {
            gradients.CopyFrom(allGradients.AsSpan((step - 1) * parameters.Length, parameters.Length));
            adam.Step(GoldenVectors.Scalar(Golden, "lr"));

            Assert.Equal(step, adam.StepCount);
            Tolerance.AssertClose(expected.AsSpan((step - 1) * parameters.Length, parameters.Length), parameters.AsSpan(), what: $"parameters after step {step}");
        }
    }

    [Fact]
    public void Update_GoldenWithGlobalNormClipping_MatchesPyTorch()
    {
        const string Golden = "adam_clipped";
        float[] parameters = GoldenVectors.Data(Golden, "params");
        float[] gradients = GoldenVectors.Data(Golden, "grads");
        float[] expected = GoldenVectors.Data(Golden, "params_after");
        float[] expectedNorms = GoldenVectors.Data(Golden, "grad_norms");
        float maxNorm = GoldenVectors.Scalar(Golden, "max_grad_norm");
        int length = parameters.Length;
        float[] m = new float[length], v = new float[length];

        for (int step = 1; step <= 3; step++)
        {
            float[] gradient = gradients.AsSpan((step - 1) * length, length).ToArray();

            float norm = GradientClipping.ClipByGlobalNorm(gradient, maxNorm);
            Adam.Update(
                parameters, gradient, m, v, step,
                GoldenVectors.Scalar(Golden, "lr"), GoldenVectors.Scalar(Golden, "beta1"), GoldenVectors.Scalar(Golden, "beta2"), GoldenVectors.Scalar(Golden, "eps"));

            Tolerance.AssertClose(expectedNorms[step - 1], norm, what: $"gradient norm at step {step}");
            Tolerance.AssertClose(expected.AsSpan((step - 1) * length, length), parameters, what: $"parameters after step {step}");
        }
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Update_AnyLength_MatchesScalarReferenceBitForBit(int length)
    {
        const float LearningRate = 3e-4f, Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-5f;
        var random = new Random(100 + length);
        float[] parameters = TestData.Uniform(random, length);
        float[] m = new float[length], v = new float[length];
        float[] expectedParameters = (float[])parameters.Clone();
        float[] expectedM = new float[length], expectedV = new float[length];

        for (int step = 1; step <= 3; step++)
        {
            float[] gradients = TestData.Uniform(random, length, -2f, 2f);
            Adam.Update(parameters, gradients, m, v, step, LearningRate, Beta1, Beta2, Epsilon);

            float stepSize = (float)(LearningRate / (1.0 - Math.Pow(Beta1, step)));
            float correction2 = (float)Math.Sqrt(1.0 - Math.Pow(Beta2, step));
            for (int i = 0; i < length; i++)
            {
                float g = gradients[i];
                expectedM[i] = expectedM[i] * Beta1 + g * (1f - Beta1);
                expectedV[i] = expectedV[i] * Beta2 + g * g * (1f - Beta2);
                float denominator = MathF.Sqrt(expectedV[i]) / correction2 + Epsilon;
                expectedParameters[i] -= expectedM[i] / denominator * stepSize;
            }

            Tolerance.AssertBitwiseEqual(expectedM, m, $"first moment after step {step}");
            Tolerance.AssertBitwiseEqual(expectedV, v, $"second moment after step {step}");
            Tolerance.AssertBitwiseEqual(expectedParameters, parameters, $"parameters after step {step}");
        }
    }

    [Theory]
    [InlineData(Adam.ParallelLength - 1)]
    [InlineData(Adam.ParallelLength)]
    [InlineData(9669)]
    [InlineData(10_007)]
    public void Step_InParallelOrNot_GivesBitIdenticalResults(int length)
    {
        var random = new Random(length);
        float[] initial = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        Tensor parallelParameters = Tensor.FromValues(initial, length), sequentialParameters = Tensor.FromValues(initial, length);
        Tensor parallelGradients = Tensor.Zeros(length), sequentialGradients = Tensor.Zeros(length);
        var parallel = new Adam(parallelParameters, parallelGradients);
        var sequential = new Adam(sequentialParameters, sequentialGradients) { StepInParallel = false };

        for (int step = 0; step < 5; step++)
        {
            float[] gradients = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            parallelGradients.CopyFrom(gradients);
            sequentialGradients.CopyFrom(gradients);
            parallel.Step(1e-3f);
            sequential.Step(1e-3f);
        }

        Assert.Equal(sequentialParameters.ToArray(), parallelParameters.ToArray());
        Assert.Equal(sequential.FirstMoment.ToArray(), parallel.FirstMoment.ToArray());
        Assert.Equal(sequential.SecondMoment.ToArray(), parallel.SecondMoment.ToArray());
    }

    [Fact]
    public void Update_FirstStep_MovesEveryParameterByAboutTheLearningRate()
    {
        // After one step m̂ = g and v̂ = g², so the update is lr·g/(|g| + ε): lr·sign(g) when |g| ≫ ε.
        float[] parameters = [0f, 0f, 0f, 0f];
        float[] m = new float[4], v = new float[4];

        Adam.Update(parameters, [3f, -0.5f, 100f, -1e-2f], m, v, 1, 0.01f, 0.9f, 0.999f, 1e-5f);

        Tolerance.AssertClose([-0.01, 0.01, -0.01, 0.01], Array.ConvertAll(parameters, p => (double)p), 2e-3, "update");
    }

    [Fact]
    public void Update_BadArguments_Throws()
    {
        float[] three = new float[3];

        Assert.Throws<ArgumentOutOfRangeException>(() => Adam.Update(three, three, three, three, 0, 0.1f, 0.9f, 0.999f, 1e-5f));
        Assert.Throws<ArgumentException>(() => Adam.Update(three, new float[2], three, three, 1, 0.1f, 0.9f, 0.999f, 1e-5f));
        Assert.Throws<ArgumentException>(() => Adam.Update(three, three, new float[4], three, 1, 0.1f, 0.9f, 0.999f, 1e-5f));
        Assert.Throws<ArgumentException>(() => Adam.Update(three, three, three, new float[2], 1, 0.1f, 0.9f, 0.999f, 1e-5f));
    }

    [Fact]
    public void Constructor_BadArguments_Throws()
    {
        Tensor three = Tensor.Zeros(3);

        Assert.Throws<ArgumentException>(() => new Adam(three, Tensor.Zeros(4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(three, Tensor.Zeros(3), beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(three, Tensor.Zeros(3), beta1: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(three, Tensor.Zeros(3), beta2: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(three, Tensor.Zeros(3), epsilon: 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(three, Tensor.Zeros(3), epsilon: float.PositiveInfinity));
        Assert.Throws<ArgumentNullException>(() => new Adam(null!, three));
    }

    [Fact]
    public void Step_BadLearningRate_ThrowsWithoutCountingAStep()
    {
        var adam = new Adam(Tensor.Zeros(3), Tensor.Zeros(3));

        Assert.Throws<ArgumentOutOfRangeException>(() => adam.Step(-1e-3f));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.Step(float.NaN));
        Assert.Equal(0, adam.StepCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.StepCount = -1);
    }

    [Fact]
    public void Reset_AfterSteps_ClearsMomentsAndStepCount()
    {
        Tensor parameters = Tensor.FromValues([1f, 2f], 2);
        Tensor gradients = Tensor.FromValues([0.5f, -0.5f], 2);
        var adam = new Adam(parameters, gradients);
        adam.Step(0.1f);
        adam.Step(0.1f);

        adam.Reset();

        Assert.Equal(0, adam.StepCount);
        Assert.Equal([0f, 0f], adam.FirstMoment.ToArray());
        Assert.Equal([0f, 0f], adam.SecondMoment.ToArray());
        Assert.Equal(1e-5f, adam.Epsilon);
        Assert.Equal((0.9f, 0.999f), (adam.Beta1, adam.Beta2));
    }
}
