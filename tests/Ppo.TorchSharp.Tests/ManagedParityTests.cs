using Ppo.Environments;
using Ppo.Losses;
using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Tests.TestSupport;
using Ppo.TorchSharp.Tests.TestSupport;
using TorchSharp;
using static TorchSharp.torch;
using ManagedTensor = Ppo.Tensors.Tensor;

namespace Ppo.TorchSharp.Tests;

/// <summary>
/// The TorchSharp engine against the managed one, given the same weights and minibatch: log-probabilities, entropy,
/// values, KL, the loss and its parts, every parameter gradient, and one Adam step agree to 1e-5 relative, for every
/// action distribution, with and without action masks.
/// </summary>
public sealed class ManagedParityTests
{
    private const int ObservationSize = 5;
    private const int BatchSize = 16;
    private const float LearningRate = 3e-4f;

    public static TheoryData<bool, bool, bool, PolicyObjective> Cases()
    {
        var cases = new TheoryData<bool, bool, bool, PolicyObjective>();
        foreach (bool continuous in new[] { false, true })
        {
            foreach (bool clipValues in new[] { false, true })
            {
                foreach (bool normalize in new[] { false, true })
                    cases.Add(continuous, clipValues, normalize, PolicyObjective.ClippedSurrogate);
            }

            cases.Add(continuous, false, true, PolicyObjective.KlPenalty);
            cases.Add(continuous, true, true, PolicyObjective.ClippedSurrogateWithKlPenalty);
        }

        return cases;
    }

    /// <summary>The action spaces and masks of the distribution cases: masked categoricals that leave one, several and all but one action valid, MultiDiscrete with and without masks, MultiBinary.</summary>
    public static TheoryData<string, PolicyObjective> DistributionCases()
    {
        var cases = new TheoryData<string, PolicyObjective>();
        foreach (string name in DistributionCase.Names)
        {
            cases.Add(name, PolicyObjective.ClippedSurrogate);
            cases.Add(name, PolicyObjective.ClippedSurrogateWithKlPenalty);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LossAndGradients_SameWeightsAndMinibatch_MatchManagedEngine(bool continuous, bool clipValues, bool normalizeAdvantage, PolicyObjective objective)
    {
        var settings = new PpoLossSettings(0.2f, clipValues ? 0.05f : null, normalizeAdvantage, 0.01f, 0.5f, objective, 0.3f);
        using var fixture = new Fixture(continuous ? new BoxSpace(-1f, 1f, 2) : new DiscreteSpace(3), seed: 11);
        AssertSameLossAndGradients(fixture, settings);
    }

    [Theory]
    [MemberData(nameof(DistributionCases))]
    public void LossAndGradients_MaskedAndMultiComponentDistributions_MatchManagedEngine(string distribution, PolicyObjective objective)
    {
        var settings = new PpoLossSettings(0.2f, 0.05f, true, 0.01f, 0.5f, objective, 0.3f);
        DistributionCase chosen = DistributionCase.Named(distribution);
        using var fixture = new Fixture(chosen.ActionSpace, seed: 13, chosen.Masks);
        AssertSameLossAndGradients(fixture, settings);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AdamStep_SameGradients_MatchesManagedAdam(bool continuous)
    {
        var settings = new PpoLossSettings(0.2f, null, true, 0.01f, 0.5f);
        using var fixture = new Fixture(continuous ? new BoxSpace(-1f, 1f, 2) : new DiscreteSpace(3), seed: 12);
        fixture.ManagedForward(settings);
        (Tensor loss, _) = fixture.TorchForward(settings);
        loss.backward();
        fixture.ManagedBackward();

        // Adam's first step is lr·g/(|g| + eps): where |g| is near eps it magnifies the engines' 1e-5 gradient differences
        // a thousandfold, so both optimizers start from the managed gradients bit for bit and only Adam is compared.
        foreach ((_, Ppo.Networks.Parameter managed, Tensor torchParameter) in fixture.Parameters())
            TorchInitialization.Assign(torchParameter.grad!, managed.Gradient.ToArray());
        var managedAdam = new Adam(fixture.Managed.Parameters.Values, fixture.Managed.Parameters.Gradients);
        using var torchAdam = optim.Adam(fixture.Torch.parameters(), LearningRate, eps: 1e-5);

        managedAdam.Step(LearningRate);
        torchAdam.step();

        foreach ((string name, Ppo.Networks.Parameter managed, Tensor torchParameter) in fixture.Parameters())
            Tolerance.AssertClose(managed.Value.AsSpan(), ManagedWeights.ToArray(torchParameter), what: $"{name} after one step");
    }

    private static void AssertSameLossAndGradients(Fixture fixture, PpoLossSettings settings)
    {
        fixture.ManagedForward(settings);
        (Tensor loss, PpoLossResult result) = fixture.TorchForward(settings);

        AssertCloseOrRounding(fixture.LogProbabilities.AsSpan(), ManagedWeights.ToArray(fixture.TorchLogProbabilities!), "log-probabilities");
        AssertCloseOrRounding(fixture.Entropy.AsSpan(), ManagedWeights.ToArray(fixture.TorchEntropy!), "entropy");
        Tolerance.AssertClose(fixture.Values.AsSpan(), ManagedWeights.ToArray(fixture.TorchValues!), what: "values");
        if (settings.PenalizesKl)
            AssertCloseOrRounding(fixture.KlDivergence.AsSpan(), ManagedWeights.ToArray(fixture.TorchKlDivergence!), "KL divergence");
        PpoLossResult expected = fixture.ManagedResult;
        Tolerance.AssertClose(expected.Loss, result.Loss, what: "loss");
        Tolerance.AssertClose(expected.Policy.Loss, result.Policy.Loss, what: "policy loss");
        Tolerance.AssertClose(expected.ValueLoss, result.ValueLoss, what: "value loss");
        AssertCloseOrRounding([expected.EntropyLoss], [result.EntropyLoss], "entropy loss");
        Tolerance.AssertClose(expected.Policy.ApproximateKl, result.Policy.ApproximateKl, 1e-4, what: "approximate KL");
        Tolerance.AssertClose(expected.Policy.RatioMean, result.Policy.RatioMean, what: "ratio mean");
        Tolerance.AssertClose(expected.Policy.RatioStandardDeviation, result.Policy.RatioStandardDeviation, 1e-4, what: "ratio standard deviation");
        Assert.Equal(expected.Policy.ClipFraction, result.Policy.ClipFraction);
        Assert.InRange(result.Policy.ClipFraction, 0.05f, 0.95f);

        loss.backward();
        fixture.ManagedBackward();
        foreach ((string name, Ppo.Networks.Parameter managed, Tensor torchParameter) in fixture.Parameters())
            AssertCloseOrRounding(managed.Gradient.AsSpan(), ManagedWeights.ToArray(torchParameter.grad!), $"gradient of {name}");
    }

    /// <summary>
    /// Compares to 1e-5 of the field's largest magnitude, or, for a field that is zero but for float32 rounding (a mask
    /// that leaves one valid action has log-probability, entropy and policy gradients exactly 0, which either engine may
    /// miss by an ulp of the 1 it subtracts), asserts that both sides are that zero.
    /// </summary>
    private static void AssertCloseOrRounding(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        const float Rounding = 1e-6f;
        if (MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(expected)) >= Rounding)
        {
            Tolerance.AssertClose(expected, actual, what: what);
            return;
        }

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(MathF.Abs(actual[i]) < Rounding, $"{what}[{i}]: expected 0 up to rounding ({expected[i]:R}), actual {actual[i]:R}.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mlp_SameSeedAsManaged_StartsFromTheSameWeights(bool continuous)
    {
        Space actionSpace = continuous ? new BoxSpace(-1f, 1f, 2) : new DiscreteSpace(3);
        var options = new ActorCriticOptions { LogStdInit = -0.5f };
        var managed = new ActorCritic(ObservationSize, actionSpace, options, seed: 42);
        using TorchActorCritic torchPolicy = TorchPolicies.Mlp(new BoxSpace(float.NegativeInfinity, float.PositiveInfinity, ObservationSize), actionSpace, options, seed: 42);

        foreach ((string name, Ppo.Networks.Parameter parameter, Tensor torchParameter) in ManagedWeights.Parameters(managed, torchPolicy))
            Tolerance.AssertBitwiseEqual(parameter.Value.AsSpan(), ManagedWeights.ToArray(torchParameter), name);
    }

    /// <summary>An action space and the masks its minibatch is evaluated under.</summary>
    private sealed record DistributionCase(Space ActionSpace, Func<SeededRandom, int, bool[]>? Masks)
    {
        private static readonly Dictionary<string, DistributionCase> Cases = new()
        {
            ["Discrete(5), one valid action"] = new(new DiscreteSpace(5), (random, rows) => RowMasks(random, rows, [5], count => 1)),
            ["Discrete(5), two or three valid actions"] = new(new DiscreteSpace(5), (random, rows) => RowMasks(random, rows, [5], count => 2 + random.NextInt(2))),
            ["Discrete(5), all but one valid"] = new(new DiscreteSpace(5), (random, rows) => RowMasks(random, rows, [5], count => count - 1)),
            ["MultiDiscrete([3, 4, 2])"] = new(new MultiDiscreteSpace([3, 4, 2]), null),
            ["MultiDiscrete([3, 4, 2]), masked"] = new(new MultiDiscreteSpace([3, 4, 2]), (random, rows) => RowMasks(random, rows, [3, 4, 2], count => 1 + random.NextInt(count))),
            ["MultiBinary(3)"] = new(new MultiBinarySpace(3), null),
        };

        public static IEnumerable<string> Names => Cases.Keys;

        public static DistributionCase Named(string name) => Cases[name];

        /// <summary>Masks whose component of <c>n</c> categories leaves <c>validCount(n)</c> of them valid, chosen at random.</summary>
        private static bool[] RowMasks(SeededRandom random, int rows, int[] categoryCounts, Func<int, int> validCount)
        {
            int width = categoryCounts.Sum();
            bool[] masks = new bool[rows * width];
            for (int row = 0, offset = 0; row < rows; row++)
            {
                foreach (int count in categoryCounts)
                {
                    int[] order = Enumerable.Range(0, count).ToArray();
                    random.Shuffle(order);
                    foreach (int category in order.Take(validCount(count)))
                        masks[offset + category] = true;
                    offset += count;
                }
            }

            return masks;
        }
    }

    /// <summary>A managed network, a TorchSharp copy of it, and one minibatch for both.</summary>
    private sealed class Fixture : IDisposable
    {
        private readonly DisposeScope _scope = NewDisposeScope();
        private readonly ManagedTensor _observations;
        private readonly ManagedTensor _actions;
        private readonly ManagedTensor _oldLogProbabilities;
        private readonly ManagedTensor _advantages;
        private readonly ManagedTensor _returns;
        private readonly ManagedTensor _oldValues;
        private readonly ManagedTensor _oldDistributionParameters;
        private readonly ManagedTensor _logProbabilityGradient = ManagedTensor.Zeros(BatchSize);
        private readonly ManagedTensor _entropyGradient = ManagedTensor.Zeros(BatchSize);
        private readonly ManagedTensor _valueGradient = ManagedTensor.Zeros(BatchSize);
        private readonly ManagedTensor _klGradient = ManagedTensor.Zeros(BatchSize);
        private readonly bool[] _actionMasks;
        private bool _penalizesKl;

        /// <param name="actionSpace">The action space of both networks.</param>
        /// <param name="seed">The seed of the weights and the minibatch.</param>
        /// <param name="masks">Draws the minibatch's action masks (<c>BatchSize</c> rows), or <see langword="null"/> for none.</param>
        public Fixture(Space actionSpace, ulong seed, Func<SeededRandom, int, bool[]>? masks = null)
        {
            var options = new ActorCriticOptions { LogStdInit = -0.3f };
            Managed = new ActorCritic(ObservationSize, actionSpace, options, seed: seed);
            Managed.Resize(BatchSize);
            Torch = TorchPolicies.Mlp(new BoxSpace(float.NegativeInfinity, float.PositiveInfinity, ObservationSize), actionSpace, options, seed: seed + 1000);
            ManagedWeights.CopyInto(Managed, Torch);

            var random = new SeededRandom(seed);
            _actionMasks = masks?.Invoke(random, BatchSize) ?? [];
            _observations = Gaussian(random, 2f, BatchSize, ObservationSize);
            _actions = ManagedTensor.Zeros(BatchSize, Managed.ActionSize);
            ManagedTensor logProbabilities = ManagedTensor.Zeros(BatchSize), values = ManagedTensor.Zeros(BatchSize);
            _oldDistributionParameters = ManagedTensor.Zeros(BatchSize, Managed.DistributionParameterSize);
            Managed.Act(_observations, BatchSize, random, deterministic: false, _actions, logProbabilities, values, _oldDistributionParameters, _actionMasks);

            // Move the policy the data was "collected" with away from the current one, so that ratios spread over the clip range.
            _oldLogProbabilities = Perturbed(logProbabilities, random, 0.3f);
            _oldValues = Perturbed(values, random, 0.1f);
            Span<float> old = _oldDistributionParameters.AsSpan();
            for (int i = 0; i < old.Length; i++)
                old[i] += 0.2f * (float)random.NextGaussian();
            if (actionSpace is BoxSpace)
            {
                // The old log standard deviation is state-independent: one value per dimension, the same in every row.
                for (int r = 1; r < BatchSize; r++)
                    _oldDistributionParameters.Row(0)[2..].CopyTo(_oldDistributionParameters.Row(r)[2..]);
            }

            _advantages = Gaussian(random, 1.5f, BatchSize);
            _returns = Gaussian(random, 1f, BatchSize);
        }

        public ActorCritic Managed { get; }

        public TorchActorCritic Torch { get; }

        public ManagedTensor LogProbabilities { get; } = ManagedTensor.Zeros(BatchSize);

        public ManagedTensor Entropy { get; } = ManagedTensor.Zeros(BatchSize);

        public ManagedTensor Values { get; } = ManagedTensor.Zeros(BatchSize);

        public ManagedTensor KlDivergence { get; } = ManagedTensor.Zeros(BatchSize);

        public PpoLossResult ManagedResult { get; private set; }

        public Tensor? TorchLogProbabilities { get; private set; }

        public Tensor? TorchEntropy { get; private set; }

        public Tensor? TorchValues { get; private set; }

        public Tensor? TorchKlDivergence { get; private set; }

        public void ManagedForward(PpoLossSettings settings)
        {
            _penalizesKl = settings.PenalizesKl;
            Managed.Evaluate(_observations, _actions, BatchSize, LogProbabilities, Entropy, Values, _penalizesKl ? _oldDistributionParameters : null, _penalizesKl ? KlDivergence : null, _actionMasks);
            ManagedResult = PpoLoss.Compute(
                LogProbabilities.AsSpan(), _oldLogProbabilities.AsSpan(), _advantages.AsSpan(), Values.AsSpan(), _oldValues.AsSpan(), _returns.AsSpan(), Entropy.AsSpan(), KlDivergence.AsSpan(),
                settings, _logProbabilityGradient.AsSpan(), _valueGradient.AsSpan(), _entropyGradient.AsSpan(), _klGradient.AsSpan());
        }

        public (Tensor Loss, PpoLossResult Result) TorchForward(PpoLossSettings settings)
        {
            (Tensor headOutput, Tensor values) = Torch.Forward(ToTorch(_observations));
            if (_actionMasks.Length > 0)
                headOutput = Torch.Distribution.ApplyMask(headOutput, tensor(_actionMasks, [BatchSize, Torch.Distribution.ActionMaskLength]));
            TorchLogProbabilities = Torch.Distribution.LogProbabilities(headOutput, ToTorch(_actions));
            TorchEntropy = Torch.Distribution.Entropy(headOutput);
            TorchValues = values;
            TorchKlDivergence = settings.PenalizesKl ? Torch.Distribution.KlDivergence(ToTorch(_oldDistributionParameters), headOutput) : null;
            return TorchPpoLoss.Compute(TorchLogProbabilities, ToTorch(_oldLogProbabilities), ToTorch(_advantages), values, ToTorch(_oldValues), ToTorch(_returns), TorchEntropy, TorchKlDivergence, settings);
        }

        public void ManagedBackward()
        {
            Managed.Parameters.ZeroGradients();
            Managed.Backward(_logProbabilityGradient, _entropyGradient, _valueGradient, BatchSize, _penalizesKl ? _klGradient : null);
        }

        public IEnumerable<(string Name, Ppo.Networks.Parameter Managed, Tensor Torch)> Parameters() => ManagedWeights.Parameters(Managed, Torch);

        public void Dispose()
        {
            Torch.Dispose();
            _scope.Dispose();
        }

        private static Tensor ToTorch(ManagedTensor source)
        {
            long[] shape = new long[source.Rank];
            for (int i = 0; i < shape.Length; i++)
                shape[i] = source.Shape[i];
            return tensor(source.ToArray(), shape);
        }

        private static ManagedTensor Gaussian(SeededRandom random, float scale, params int[] shape)
        {
            ManagedTensor result = ManagedTensor.Zeros(shape);
            Span<float> values = result.AsSpan();
            for (int i = 0; i < values.Length; i++)
                values[i] = scale * (float)random.NextGaussian();
            return result;
        }

        private static ManagedTensor Perturbed(ManagedTensor source, SeededRandom random, float scale)
        {
            ManagedTensor result = ManagedTensor.Zeros(source.Length);
            for (int i = 0; i < source.Length; i++)
                result.AsSpan()[i] = source.AsSpan()[i] + (scale * (float)random.NextGaussian());
            return result;
        }
    }
}
