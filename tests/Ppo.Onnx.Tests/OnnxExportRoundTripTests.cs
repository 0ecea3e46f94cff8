using Ppo.Training;
using Ppo.Environments;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Tensors;
using Xunit.Abstractions;

namespace Ppo.Onnx.Tests;

/// <summary>
/// Exported policies run in ONNX Runtime on 1,000 observations of their environment and are compared with the managed
/// engine: discrete actions exactly, the rest to 1e-5 relative (see <see cref="AssertClose"/>).
/// </summary>
public sealed class OnnxExportRoundTripTests(ITestOutputHelper output)
{
    private const int ObservationCount = 1000;
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<string> Cases => PolicyCases.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_ObservationsOfTheEnvironment_MatchesTrainedPolicy(string name)
    {
        using IEnvironment environment = PolicyCases.CreateEnvironment(name);
        float[] observations = PolicyCases.CollectObservations(environment, ObservationCount, seed: 17);
        TrainedPolicy policy = PolicyCases.CreatePolicy(name, environment, observations);
        var network = (ActorCritic)policy.Policy;
        float[] expectedActions = new float[ObservationCount * network.ActionSize];
        policy.Predict(observations, expectedActions);
        (float[] expectedDistribution, float[] expectedValues) = DistributionAndValues(policy, observations);

        using var session = new OnnxPolicySession(policy);
        Dictionary<string, float[]> outputs = session.Run(observations);

        int size = network.ActionSize;
        if (network.ActionSpace is DiscreteSpace)
        {
            Assert.Equal(expectedActions, outputs[OnnxExport.ActionsName]);
            AssertClose(expectedDistribution, outputs[OnnxExport.LogitsName], "logits");
        }
        else
        {
            AssertClose(expectedActions, outputs[OnnxExport.ActionsName], "actions");
            AssertClose(Columns(expectedDistribution, 2 * size, 0, size), outputs[OnnxExport.MeanName], "mean");
            AssertClose(Columns(expectedDistribution, 2 * size, size, size), outputs[OnnxExport.LogStandardDeviationName], "log_std");
        }

        AssertClose(expectedValues, outputs[OnnxExport.ValuesName], "values");
        if (name.EndsWith("Clipped", StringComparison.Ordinal))
            Assert.True(ReachesClipping(policy, observations, expectedActions), "The case should reach a clipping bound.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Run_AnyBatchSize_MatchesTrainedPolicyRowByRow(int rowCount)
    {
        using IEnvironment environment = PolicyCases.CreateEnvironment("LunarLanderContinuousNormalizedClipped");
        float[] observations = PolicyCases.CollectObservations(environment, rowCount, seed: 23);
        TrainedPolicy policy = PolicyCases.CreatePolicy("LunarLanderContinuousNormalizedClipped", environment, PolicyCases.CollectObservations(environment, ObservationCount, seed: 17));
        float[] expected = new float[rowCount * policy.Policy.ActionSize];
        policy.Predict(observations, expected);

        using var session = new OnnxPolicySession(policy);
        float[] actions = session.Run(observations)[OnnxExport.ActionsName];

        AssertClose(expected, actions, "actions");
    }

    [Fact]
    public void Run_LogitsTied_TakesTheFirstActionAsTrainedPolicyDoes()
    {
        using IEnvironment environment = PolicyCases.CreateEnvironment("LunarLanderSharedReluNormalized");
        float[] observations = PolicyCases.CollectObservations(environment, 50, seed: 29);
        TrainedPolicy policy = PolicyCases.CreatePolicy("LunarLanderSharedReluNormalized", environment, observations);
        ((ActorCritic)policy.Policy).PolicyNetwork.LinearLayers[^1].Weight.Value.Fill(0f);
        ((ActorCritic)policy.Policy).PolicyNetwork.LinearLayers[^1].Bias.Value.AsSpan()[1..].Fill(0.25f);
        float[] expected = new float[50];
        policy.Predict(observations, expected);

        using var session = new OnnxPolicySession(policy);
        float[] actions = session.Run(observations)[OnnxExport.ActionsName];

        Assert.All(expected, action => Assert.Equal(1f, action));
        Assert.Equal(expected, actions);
    }

    /// <summary>Computes the distribution parameters and values as the managed network does, after the normalizer.</summary>
    private static (float[] Distribution, float[] Values) DistributionAndValues(TrainedPolicy policy, float[] observations)
    {
        var network = (ActorCritic)policy.Policy;
        int rowCount = observations.Length / network.ObservationSize;
        float[] features = (float[])observations.Clone();
        policy.ObservationNormalizer?.Normalize(observations, features);
        network.Resize(rowCount);
        Tensor distribution = Tensor.Zeros(rowCount, network.DistributionParameterSize);
        Tensor values = Tensor.Zeros(rowCount);
        network.Act(Tensor.FromValues(features, rowCount, network.ObservationSize), rowCount, new SeededRandom(0), deterministic: true, Tensor.Zeros(rowCount, network.ActionSize), Tensor.Zeros(rowCount), values, distribution);
        return (distribution.ToArray(), values.ToArray());
    }

    private static float[] Columns(float[] rows, int rowLength, int start, int count)
    {
        int rowCount = rows.Length / rowLength;
        float[] columns = new float[rowCount * count];
        for (int r = 0; r < rowCount; r++)
            rows.AsSpan(r * rowLength + start, count).CopyTo(columns.AsSpan(r * count, count));
        return columns;
    }

    /// <summary>Tells whether a normalized observation or a continuous action lies on its clipping bound.</summary>
    private static bool ReachesClipping(TrainedPolicy policy, float[] observations, float[] actions)
    {
        if (policy.ObservationNormalizer is ObservationNormalizer normalizer)
        {
            float[] normalized = new float[observations.Length];
            normalizer.Normalize(observations, normalized);
            if (Array.Exists(normalized, value => Math.Abs(value) == normalizer.Clip))
                return true;
        }

        if (policy.Policy.ActionSpace is not BoxSpace box)
            return false;
        for (int i = 0; i < actions.Length; i++)
        {
            int dimension = i % box.Size;
            if (actions[i] == box.Low[dimension] || actions[i] == box.High[dimension])
                return true;
        }

        return false;
    }

    /// <summary>
    /// Asserts <c>|actual − expected| ≤ 1e-5 · max(|expected|, rms)</c> element by element, where <c>rms</c> is the root
    /// mean square of all expected numbers: a number near zero, the result of cancellation in a dot product, is compared
    /// on the scale of the output it belongs to rather than on its own.
    /// </summary>
    private void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double sumOfSquares = 0;
        foreach (float value in expected)
            sumOfSquares += (double)value * value;
        double rootMeanSquare = Math.Sqrt(sumOfSquares / expected.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(actual[i] - (double)expected[i]);
            double scale = Math.Max(Math.Abs(expected[i]), rootMeanSquare);
            Assert.True(difference <= RelativeTolerance * scale, $"{what}[{i}]: expected {expected[i]:R}, ONNX Runtime gave {actual[i]:R}.");
            if (difference > 0)
                worst = Math.Max(worst, difference / scale);
        }

        output.WriteLine($"{what}: largest scaled difference {worst:E2} over {expected.Length} numbers (rms {rootMeanSquare:E2})");
    }
}
