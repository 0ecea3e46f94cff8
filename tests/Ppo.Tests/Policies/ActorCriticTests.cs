using Ppo.Distributions;
using Ppo.Environments;
using Ppo.Networks;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Tensors;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Policies;

/// <summary>
/// Checks <see cref="ActorCritic"/>: the whole training path (Evaluate, then Backward into <c>Parameters.Gradients</c>)
/// by finite differences, with separate networks and with a shared trunk, and the inference API's contract.
/// </summary>
public sealed class ActorCriticTests
{
    private const int ObservationSize = 5;
    private const int ActionCount = 3;
    private const int Rows = 6;

    public static TheoryData<int[]> Trunks => [[], [16]];

    public static TheoryData<int[], bool> TrunksAndHeads => new() { { [], false }, { [16], false }, { [], true }, { [16], true } };

    /// <summary>
    /// The loss <c>L = Σ a·log π(action) + Σ b·H + Σ c·V</c> over the outputs of <see cref="ActorCritic.Evaluate"/>,
    /// differentiated numerically along a sample of parameters (five per parameter tensor), against
    /// <see cref="ActorCritic.Backward"/> with upstream gradients (a, b, c).
    /// </summary>
    [Theory, MemberData(nameof(TrunksAndHeads))]
    public void Backward_SampledParameters_MatchFiniteDifference(int[] sharedHiddenSizes, bool continuous)
    {
        Setup setup = Setup.Create(sharedHiddenSizes, seed: 121, continuous);
        Tensor values = setup.Network.Parameters.Values;
        float[] original = values.ToArray();
        int[] sample = SampleIndices(setup.Network.Parameters, perParameter: 5, new Random(122));

        double[] numeric = FiniteDifference.Gradient(
            parameters =>
            {
                values.CopyFrom(parameters);
                return setup.Loss();
            },
            original,
            sample);
        values.CopyFrom(original);
        setup.Network.Parameters.ZeroGradients();
        setup.Loss();
        setup.Backward();

        float[] gradients = setup.Network.Parameters.Gradients.ToArray();
        Tolerance.AssertClose(numeric, Array.ConvertAll(sample, i => gradients[i]), FiniteDifference.RelativeTolerance, "dL/dθ");
    }

    [Fact]
    public void Backward_SharedTrunk_SumsGradientsFromBothHeads()
    {
        Setup setup = Setup.Create([16], seed: 123);
        Parameter trunkWeight = setup.Network.SharedTrunk!.LinearLayers[0].Weight;
        float[] total = Gradient(setup, trunkWeight, a: 1f, b: 1f, c: 1f);
        float[] fromPolicy = Gradient(setup, trunkWeight, a: 1f, b: 1f, c: 0f);
        float[] fromValue = Gradient(setup, trunkWeight, a: 0f, b: 0f, c: 1f);

        Tolerance.AssertClose(Array.ConvertAll(total, g => (double)g), Sum(fromPolicy, fromValue), 1e-5, "trunk gradient");
        Assert.Contains(fromPolicy, g => g != 0f);
        Assert.Contains(fromValue, g => g != 0f);
    }

    [Fact]
    public void Backward_CalledTwice_DoublesParameterGradients()
    {
        Setup setup = Setup.Create([16], seed: 124);
        setup.Network.Parameters.ZeroGradients();
        setup.Loss();
        setup.Backward();
        float[] once = setup.Network.Parameters.Gradients.ToArray();

        setup.Backward();

        Tolerance.AssertClose(Array.ConvertAll(once, g => 2f * g), setup.Network.Parameters.Gradients.AsSpan(), 1e-6, "gradients");
    }

    [Fact]
    public void Evaluate_Outputs_AgreeWithNetworksAndCategoricalKernels()
    {
        Setup setup = Setup.Create([], seed: 125);
        setup.Loss();
        Tensor logits = Tensor.Zeros(Rows, ActionCount);
        Tensor values = Tensor.Zeros(Rows, 1);

        setup.Network.PolicyNetwork.Forward(setup.Observations, logits, Rows);
        setup.Network.ValueNetwork.Forward(setup.Observations, values, Rows);

        float[] logP = new float[Rows * ActionCount], p = new float[Rows * ActionCount];
        float[] logProb = new float[Rows], entropy = new float[Rows];
        Categorical.Normalize(logits.AsSpan(), logP, p, Rows, ActionCount);
        Categorical.LogProbability(logP, setup.Actions.AsSpan(), logProb, ActionCount);
        Categorical.Entropy(logP, p, entropy, ActionCount);
        Tolerance.AssertBitwiseEqual(logProb, setup.LogProbabilities.AsSpan(), "log-probabilities");
        Tolerance.AssertBitwiseEqual(entropy, setup.Entropy.AsSpan(), "entropy");
        Tolerance.AssertBitwiseEqual(values.AsSpan(), setup.Values.AsSpan(), "values");
    }

    [Theory, MemberData(nameof(Trunks))]
    public void Predict_Deterministic_TakesArgmaxOfLogits(int[] sharedHiddenSizes)
    {
        Setup setup = Setup.Create(sharedHiddenSizes, seed: 126);
        float[] observations = setup.Observations.ToArray();
        float[] actions = new float[Rows];

        setup.Network.Predict(observations, actions);

        float[] logits = setup.Logits();
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<float> row = logits.AsSpan(r * ActionCount, ActionCount);
            int argmax = 0;
            for (int i = 1; i < ActionCount; i++)
            {
                if (row[i] > row[argmax])
                    argmax = i;
            }

            Assert.Equal(argmax, actions[r]);
        }
    }

    [Fact]
    public void Predict_OneObservationAfterABatch_MatchesItsRowInTheBatch()
    {
        Setup setup = Setup.Create([16], seed: 129);
        float[] observations = setup.Observations.ToArray();
        float[] batch = new float[Rows];
        setup.Network.Predict(observations, batch);

        for (int r = 0; r < Rows; r++)
        {
            float[] single = new float[1];
            setup.Network.Predict(observations.AsSpan(r * ObservationSize, ObservationSize), single);
            Assert.Equal(batch[r], single[0]);
        }
    }

    [Fact]
    public void Predict_Sampling_IsReproducibleForASeed()
    {
        Setup setup = Setup.Create([], seed: 127);
        float[] observations = setup.Observations.ToArray();
        float[] first = new float[Rows], second = new float[Rows];

        setup.Network.Predict(observations, first, deterministic: false, new SeededRandom(5));
        setup.Network.Predict(observations, second, deterministic: false, new SeededRandom(5));

        Assert.Equal(first, second);
        Assert.All(first, action => Assert.InRange(action, 0f, ActionCount - 1));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Predict_NonFiniteObservation_Throws(float bad)
    {
        var network = new ActorCritic(ObservationSize, new DiscreteSpace(ActionCount));
        float[] observations = new float[2 * ObservationSize];
        observations[7] = bad;

        ArgumentException exception = Assert.Throws<ArgumentException>(() => network.Predict(observations, new float[2]));
        Assert.Equal("observations", exception.ParamName);
    }

    [Fact]
    public void Predict_BadLengths_Throws()
    {
        var network = new ActorCritic(ObservationSize, new DiscreteSpace(ActionCount));

        Assert.Throws<ArgumentException>(() => network.Predict([], []));
        Assert.Throws<ArgumentException>(() => network.Predict(new float[ObservationSize + 1], new float[1]));
        Assert.Throws<ArgumentException>(() => network.Predict(new float[2 * ObservationSize], new float[1]));
        Assert.Throws<ArgumentException>(() => network.Predict(new float[2 * ObservationSize], new float[3]));
        Assert.Throws<ArgumentException>(() => network.Predict(new float[ObservationSize], new float[1], deterministic: false));
    }

    [Fact]
    public void Evaluate_RowCountAboveResize_Throws()
    {
        Setup setup = Setup.Create([], seed: 128);
        Tensor larger = Tensor.Zeros(Rows + 1, ObservationSize);
        Tensor one = Tensor.Zeros(Rows + 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => setup.Network.Evaluate(larger, one, Rows + 1, one, one, one));
        Assert.Throws<ArgumentOutOfRangeException>(() => setup.Network.Evaluate(larger, one, 0, one, one, one));
    }

    [Fact]
    public void Constructor_BadOptionsOrSizes_Throw()
    {
        Assert.Throws<ArgumentException>(() => new ActorCritic(ObservationSize, new DiscreteSpace(2), new ActorCriticOptions { PolicyHiddenSizes = [0] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorCritic(0, new DiscreteSpace(2)));
    }

    [Fact]
    public void Constructor_OrthogonalInitialization_UsesStableBaselinesGains()
    {
        var network = new ActorCritic(ObservationSize, new DiscreteSpace(ActionCount), new ActorCriticOptions { PolicyHiddenSizes = [4], ValueHiddenSizes = [4] }, seed: 9);

        // Wide matrices (out ≤ in) have orthonormal rows scaled by the gain: every row norm equals the gain.
        AssertRowNorms(network.PolicyNetwork.LinearLayers[1], 0.01);
        AssertRowNorms(network.ValueNetwork.LinearLayers[1], 1.0);
        AssertRowNorms(network.PolicyNetwork.LinearLayers[0], Math.Sqrt(2));
        Assert.All(network.Parameters.Parameters.Where(p => p.Name == "bias"), bias => Assert.All(bias.Value.ToArray(), b => Assert.Equal(0f, b)));
    }

    [Fact]
    public void Clone_CopiesParametersIntoAnIndependentNetwork()
    {
        var network = new ActorCritic(ObservationSize, new BoxSpace(-1f, 1f, 2), new ActorCriticOptions { LogStdInit = -0.5f }, seed: 3);

        ActorCritic copy = network.Clone();
        float[] original = network.Parameters.Values.ToArray();
        copy.Parameters.Values.Fill(0f);

        Assert.Equal(original, network.Parameters.Values.ToArray());
        Assert.Equal(network.Options, copy.Options);
        Assert.Equal(network.ActionSpace, copy.ActionSpace);
        Assert.Equal(original, network.Clone().Parameters.Values.ToArray());
    }

    [Fact]
    public void Constructor_SameSeed_SameParameters()
    {
        var options = new ActorCriticOptions { SharedHiddenSizes = [16], PolicyHiddenSizes = [8], ValueHiddenSizes = [8] };

        float[] first = new ActorCritic(ObservationSize, new DiscreteSpace(ActionCount), options, seed: 4).Parameters.Values.ToArray();
        float[] second = new ActorCritic(ObservationSize, new DiscreteSpace(ActionCount), options, seed: 4).Parameters.Values.ToArray();
        float[] other = new ActorCritic(ObservationSize, new DiscreteSpace(ActionCount), options, seed: 5).Parameters.Values.ToArray();

        Tolerance.AssertBitwiseEqual(first, second, "parameters");
        Assert.NotEqual(first, other);
    }

    private static void AssertRowNorms(Linear layer, double gain)
    {
        float[] weight = layer.Weight.Value.ToArray();
        for (int r = 0; r < layer.OutputSize; r++)
        {
            double squares = 0;
            for (int c = 0; c < layer.InputSize; c++)
                squares += (double)weight[r * layer.InputSize + c] * weight[r * layer.InputSize + c];
            Tolerance.AssertClose(gain, Math.Sqrt(squares), 1e-6, $"norm of row {r}");
        }
    }

    private static float[] Gradient(Setup setup, Parameter parameter, float a, float b, float c)
    {
        setup.Network.Parameters.ZeroGradients();
        setup.Loss();
        setup.Network.Backward(Scaled(setup.LogProbabilityWeights, a), Scaled(setup.EntropyWeights, b), Scaled(setup.ValueWeights, c), Rows);
        return parameter.Gradient.ToArray();
    }

    private static Tensor Scaled(Tensor tensor, float factor) => Tensor.FromValues(Array.ConvertAll(tensor.ToArray(), value => value * factor), tensor.Length);

    private static double[] Sum(float[] first, float[] second)
    {
        double[] sum = new double[first.Length];
        for (int i = 0; i < sum.Length; i++)
            sum[i] = (double)first[i] + second[i];
        return sum;
    }

    /// <summary>Picks <paramref name="perParameter"/> distinct positions inside each parameter tensor (all of it when smaller).</summary>
    private static int[] SampleIndices(ParameterSet parameters, int perParameter, Random random)
    {
        var indices = new List<int>();
        int offset = 0;
        foreach (Parameter parameter in parameters.Parameters)
        {
            int[] positions = [.. Enumerable.Range(0, parameter.Length)];
            random.Shuffle(positions);
            indices.AddRange(positions.Take(perParameter).Select(position => offset + position));
            offset += parameter.Length;
        }

        return [.. indices];
    }

    /// <summary>
    /// A network with PyTorch's default uniform initialization, so that every layer has gradients of order one, a batch
    /// of observations and actions, and the upstream weights (a, b, c) of the loss.
    /// </summary>
    private sealed class Setup
    {
        private Setup(ActorCritic network, Random random)
        {
            Network = network;
            Observations = Tensor.FromValues(TestData.Uniform(random, Rows * ObservationSize, -2f, 2f), Rows, ObservationSize);
            Actions = network.ActionSpace is BoxSpace box
                ? Tensor.FromValues(TestData.Uniform(random, Rows * box.Size, -1.5f, 1.5f), Rows, box.Size)
                : Tensor.FromValues(TestData.Actions(random, Rows, ActionCount), Rows);
            LogProbabilityWeights = Tensor.FromValues(TestData.Uniform(random, Rows), Rows);
            EntropyWeights = Tensor.FromValues(TestData.Uniform(random, Rows), Rows);
            ValueWeights = Tensor.FromValues(TestData.Uniform(random, Rows), Rows);
        }

        public ActorCritic Network { get; }

        public Tensor Observations { get; }

        public Tensor Actions { get; }

        public Tensor LogProbabilityWeights { get; }

        public Tensor EntropyWeights { get; }

        public Tensor ValueWeights { get; }

        public Tensor LogProbabilities { get; } = Tensor.Zeros(Rows);

        public Tensor Entropy { get; } = Tensor.Zeros(Rows);

        public Tensor Values { get; } = Tensor.Zeros(Rows);

        public static Setup Create(int[] sharedHiddenSizes, int seed, bool continuous = false)
        {
            var options = new ActorCriticOptions
            {
                SharedHiddenSizes = sharedHiddenSizes,
                PolicyHiddenSizes = [8, 6],
                ValueHiddenSizes = [7],
                OrthogonalInitialization = false,
                LogStdInit = -0.3f,
            };
            Space actionSpace = continuous ? new BoxSpace(-1f, 1f, 2) : new DiscreteSpace(ActionCount);
            var network = new ActorCritic(ObservationSize, actionSpace, options, seed: (ulong)seed);
            network.Resize(Rows);
            return new Setup(network, new Random(seed));
        }

        /// <summary>Runs Evaluate and returns <c>Σ a·log π + Σ b·H + Σ c·V</c>, accumulated in double.</summary>
        public double Loss()
        {
            Network.Evaluate(Observations, Actions, Rows, LogProbabilities, Entropy, Values);
            return TestData.WeightedSum(LogProbabilityWeights.AsSpan(), LogProbabilities.AsSpan())
                + TestData.WeightedSum(EntropyWeights.AsSpan(), Entropy.AsSpan())
                + TestData.WeightedSum(ValueWeights.AsSpan(), Values.AsSpan());
        }

        public void Backward() => Network.Backward(LogProbabilityWeights, EntropyWeights, ValueWeights, Rows);

        /// <summary>Computes the policy logits of the observations through the trunk (if any) and the actor network.</summary>
        public float[] Logits()
        {
            Tensor features = Observations;
            if (Network.SharedTrunk is Mlp trunk)
            {
                features = Tensor.Zeros(Rows, trunk.OutputSize);
                trunk.Forward(Observations, features, Rows);
            }

            Tensor logits = Tensor.Zeros(Rows, ActionCount);
            Network.PolicyNetwork.Forward(features, logits, Rows);
            return logits.ToArray();
        }
    }
}
