using Ppo.Environments;
using Ppo.Environments.Games;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Training;
using Ppo.TorchSharp.Tests.TestSupport;
using Xunit.Abstractions;

namespace Ppo.TorchSharp.Tests;

/// <summary>
/// The TorchSharp engine under action masks and with the MultiDiscrete and MultiBinary action spaces: it trains Connect
/// Four with masks, its checkpoints keep the space, and a loaded policy predicts under masks.
/// </summary>
/// <param name="output">Receives the evaluation of the learning test (shown with <c>--logger "console;verbosity=detailed"</c>).</param>
[Collection(TorchThreads.Collection)]
public sealed class TorchSharpMaskingTests(ITestOutputHelper output)
{
    private const double MinimumConnectFourReturn = 0.8;

    private static readonly PpoOptions ConnectFourOptions = new() { NumEnvs = 8, NumSteps = 128, BatchSize = 256, NumEpochs = 4, EntCoef = 0.01f, Seed = 1 };

    /// <summary>
    /// Connect Four against the random opponent, masked, with the settings of the managed engine's masking test on one
    /// libtorch thread: after 50,000 steps with seed 1 the policy evaluates at 0.880 over 200 deterministic games (the
    /// managed engine's at 0.790; a random first player scores about 0.1); the test asks for 0.8.
    /// </summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void Learn_ConnectFourWithMasks_BeatsTheRandomOpponent()
    {
        const int Budget = 50_000;
        PpoTrainer trainer = ConnectFourTrainer(ConnectFourOptions);

        trainer.Learn(Budget);
        using var evaluated = new ConnectFour();
        double meanReturn = PolicyEvaluation.Run(trainer.Policy, evaluated, episodes: 200, seed: 1000).MeanReturn;
        output.WriteLine($"Connect Four vs random after {Budget} steps on the TorchSharp engine, seed 1: masked mean return {meanReturn:F3} over 200 games");

        Assert.True(meanReturn >= MinimumConnectFourReturn, $"Mean evaluation return {meanReturn} is below {MinimumConnectFourReturn}.");
    }

    [Fact]
    public void TrainedPolicyLoad_MaskedTorchSharpCheckpoint_PredictsOnlyValidColumns()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ppo-torchsharp-masks-{Guid.NewGuid():N}.ckpt");
        TorchSharpLearner.RegisterFactory((observationSpace, actionSpace) => TorchPolicies.Mlp(observationSpace, actionSpace));
        try
        {
            PpoTrainer trainer = ConnectFourTrainer(ConnectFourOptions with { NumEpochs = 1 });
            trainer.Learn(1024);
            trainer.Save(path);

            TrainedPolicy loaded = TrainedPolicy.Load(path);

            Assert.Equal(ConnectFour.ColumnCount, loaded.ActionMaskLength);
            var random = new SeededRandom(7);
            float[] observations = new float[2 * ConnectFour.RowCount * ConnectFour.ColumnCount];
            for (int i = 0; i < observations.Length; i++)
                observations[i] = random.NextInt(3) - 1;
            bool[] masks = new bool[2 * ConnectFour.ColumnCount];
            masks[3] = true;
            masks[ConnectFour.ColumnCount + 1] = masks[ConnectFour.ColumnCount + 5] = true;
            float[] expected = new float[2], actual = new float[2];
            ((IMaskablePolicy)trainer.Policy).Predict(observations, masks, expected);
            loaded.Predict(observations, masks, actual);
            Assert.Equal(expected, actual);
            for (int draw = 0; draw < 50; draw++)
            {
                loaded.Predict(observations, masks, actual, deterministic: false, random);
                Assert.Equal(3f, actual[0]);
                Assert.True(actual[1] is 1f or 5f, $"Sampled the masked column {actual[1]}.");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Act_MaskWithoutValidAction_ThrowsNamingTheRow()
    {
        using TorchSharpLearner learner = TorchSharpLearner.Create(new BoxSpace(-1f, 1f, 3), new DiscreteSpace(2), new PpoOptions(), new TorchSharpOptions { Threads = 1 });
        learner.Reserve(2, 2);

        var exception = Assert.Throws<ArgumentException>(() =>
            learner.Act(new float[6], [true, false, false, false], new SeededRandom(1), new float[2], new float[2], new float[2], []));

        Assert.Contains("Row 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Act_MultiDiscreteMask_SamplesOnlyValidCategories()
    {
        using TorchSharpLearner learner = TorchSharpLearner.Create(new BoxSpace(-1f, 1f, 2), new MultiDiscreteSpace([3, 2]), new PpoOptions(), new TorchSharpOptions { Threads = 1 });
        learner.Reserve(1, 1);
        bool[] mask = [true, false, true, false, true];
        float[] action = new float[2], logProbability = new float[1], value = new float[1];
        var random = new SeededRandom(3);

        for (int draw = 0; draw < 50; draw++)
        {
            learner.Act([0.2f, -0.4f], mask, random, action, logProbability, value, []);
            Assert.NotEqual(1f, action[0]);
            Assert.Equal(1f, action[1]);
            Assert.True(float.IsFinite(logProbability[0]));
        }
    }

    [Fact]
    public void SaveAndLoad_MultiDiscreteLearner_RecordsTheActionSpace()
    {
        var options = new PpoOptions { NumEnvs = 2, NumSteps = 16, BatchSize = 16, NumEpochs = 1, Seed = 4 };
        string path = Path.Combine(Path.GetTempPath(), $"ppo-torchsharp-multidiscrete-{Guid.NewGuid():N}.ckpt");
        TorchSharpLearner.RegisterFactory((observationSpace, actionSpace) => TorchPolicies.Mlp(observationSpace, actionSpace));
        try
        {
            var environment = SyncVectorEnvironment.Create(2, _ => new CueMatching([3, 4, 2]));
            var trainer = new PpoTrainer(environment, TorchSharpLearner.Create(environment.ObservationSpace, environment.ActionSpace, options, new TorchSharpOptions { Threads = 1 }), options);
            trainer.Learn(32);
            trainer.Save(path);

            TrainedPolicy loaded = TrainedPolicy.Load(path);

            MultiDiscreteSpace space = Assert.IsType<MultiDiscreteSpace>(loaded.ActionSpace);
            Assert.Equal([3, 4, 2], space.CategoryCounts.ToArray());
            float[] observation = new float[9], expected = new float[3], actual = new float[3];
            observation[1] = observation[5] = observation[8] = 1f;
            trainer.Policy.Predict(observation, expected);
            loaded.Predict(observation, actual);
            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(SavedSpaces))]
    public void SpaceSerialization_MultiComponentActionSpaces_RoundTrip(Space actionSpace)
    {
        var observationSpace = new BoxSpace(-1f, 1f, 4);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            SpaceSerialization.Write(writer, observationSpace, actionSpace);
        stream.Position = 0;
        using var reader = new BinaryReader(stream);

        (_, Space read) = SpaceSerialization.Read(reader);

        Assert.Equal(actionSpace.ToString(), read.ToString());
        Assert.Equal(actionSpace.GetType(), read.GetType());
    }

    public static TheoryData<Space> SavedSpaces() => new() { new MultiDiscreteSpace([3, 4, 2]), new MultiBinarySpace(5) };

    private static PpoTrainer ConnectFourTrainer(PpoOptions options)
    {
        SyncVectorEnvironment environments = SyncVectorEnvironment.Create(options.NumEnvs, _ => new ConnectFour());
        TorchSharpLearner learner = TorchSharpLearner.Create(environments.ObservationSpace, environments.ActionSpace, options, new TorchSharpOptions { Threads = 1 });
        return new PpoTrainer(environments, learner, options);
    }
}
