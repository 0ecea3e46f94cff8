using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Losses;
using Ppo.Optimization;
using Ppo.Tests.TestSupport;
using Ppo.Training;

namespace Ppo.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-checkpoint-tests").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PpoOptions Options(bool normalize = true) => new()
    {
        NumEnvs = 2,
        NumSteps = 64,
        BatchSize = 32,
        NumEpochs = 2,
        LearningRate = 1e-3,
        NormalizeObservations = normalize,
        NormalizeRewards = normalize,
        Seed = 7,
    };

    private static SyncVectorEnvironment CartPoles(int count = 2) => SyncVectorEnvironment.Create(count, _ => new CartPole());

    private string PathOf(string name) => Path.Combine(_folder, name);

    private string SavedCheckpoint(bool normalize = true)
    {
        string path = PathOf($"trained-{normalize}.ppo");
        var trainer = new PpoTrainer(CartPoles(), Options(normalize));
        trainer.Learn(256);
        trainer.Save(path);
        return path;
    }

    [Fact]
    public void SaveThenLoad_ResumedTraining_IsBitIdenticalToAnUnbrokenRun()
    {
        string path = PathOf("half.ppo");
        var unbroken = new PpoTrainer(CartPoles(), Options());
        unbroken.Learn(2 * 512);

        var first = new PpoTrainer(CartPoles(), Options());
        first.Learn(512);
        first.Save(path);
        PpoTrainer resumed = PpoTrainer.Load(path, CartPoles());
        resumed.Learn(512);

        Assert.Equal(unbroken.Network().Parameters.Values.ToArray(), resumed.Network().Parameters.Values.ToArray());
        Assert.Equal(unbroken.Optimizer().SecondMoment.ToArray(), resumed.Optimizer().SecondMoment.ToArray());
        Assert.Equal(unbroken.TotalTimesteps, resumed.TotalTimesteps);
        Assert.Equal(unbroken.UpdateCount, resumed.UpdateCount);
        Assert.Equal(unbroken.Episodes.MeanReturn, resumed.Episodes.MeanReturn);
    }

    [Fact]
    public void Load_RestoresOptionsParametersOptimizerAndNormalization()
    {
        string path = PathOf("state.ppo");
        var trainer = new PpoTrainer(CartPoles(), Options() with
        {
            LearningRate = Schedule.Linear(1e-3, 1e-4),
            ClipRangeVf = 0.3,
            PolicyObjective = PolicyObjective.ClippedSurrogateWithKlPenalty,
            AdaptiveKlTarget = 0.02f,
        });
        trainer.Learn(256);
        trainer.Save(path);

        PpoTrainer loaded = PpoTrainer.Load(path, CartPoles());

        Assert.Equal(trainer.Options.NumSteps, loaded.Options.NumSteps);
        Assert.Equal(trainer.Options.LearningRate.ValueAt(0.25), loaded.Options.LearningRate.ValueAt(0.25));
        Assert.Equal(0.3, loaded.Options.ClipRangeVf!.ValueAt(1));
        Assert.Equal(PolicyObjective.ClippedSurrogateWithKlPenalty, loaded.Options.PolicyObjective);
        Assert.Equal(0.02f, loaded.Options.AdaptiveKlTarget);
        Assert.Equal(trainer.KlCoefficient, loaded.KlCoefficient);
        Assert.Equal(trainer.Network().Parameters.Values.ToArray(), loaded.Network().Parameters.Values.ToArray());
        Assert.Equal(trainer.Optimizer().FirstMoment.ToArray(), loaded.Optimizer().FirstMoment.ToArray());
        Assert.Equal(trainer.Optimizer().StepCount, loaded.Optimizer().StepCount);
        Assert.Equal(trainer.Normalization!.ObservationStatistics.Mean.ToArray(), loaded.Normalization!.ObservationStatistics.Mean.ToArray());
        Assert.Equal(trainer.Normalization.ReturnStatistics.Count, loaded.Normalization.ReturnStatistics.Count);
    }

    [Fact]
    public void TrainedPolicy_Load_PredictsLikeTheTrainer()
    {
        string path = SavedCheckpoint();
        var trainer = PpoTrainer.Load(path, CartPoles());
        TrainedPolicy policy = TrainedPolicy.Load(path);
        float[] observation = [0.01f, -0.2f, 0.03f, 0.1f];
        float[] normalized = new float[4];
        trainer.ObservationNormalizer!.Normalize(observation, normalized);
        float[] expected = new float[1], actual = new float[1];

        trainer.Policy.Predict(normalized, expected);
        policy.Predict(observation, actual);

        Assert.NotNull(policy.ObservationNormalizer);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Save_LeavesNoTemporaryFileAndReplacesAnExistingCheckpoint()
    {
        string path = PathOf("replace.ppo");
        File.WriteAllText(path, "old");
        var trainer = new PpoTrainer(CartPoles(), Options());

        trainer.Save(path);

        Assert.Equal([path], Directory.GetFiles(_folder));
        Assert.NotNull(TrainedPolicy.Load(path));
    }

    [Fact]
    public void Load_EveryFlippedByte_IsRejected()
    {
        string path = SavedCheckpoint(normalize: false);
        byte[] original = File.ReadAllBytes(path);
        string corrupt = PathOf("corrupt.ppo");

        for (int offset = 0; offset < original.Length; offset += Math.Max(1, original.Length / 509))
        {
            byte[] bytes = (byte[])original.Clone();
            bytes[offset] ^= 0x5A;
            File.WriteAllBytes(corrupt, bytes);

            var exception = Assert.Throws<CheckpointException>(() => PpoTrainer.Load(corrupt, CartPoles()));
            Assert.False(string.IsNullOrWhiteSpace(exception.Message));
        }
    }

    [Fact]
    public void Load_EveryTruncation_IsRejectedAsTruncated()
    {
        string path = SavedCheckpoint(normalize: false);
        byte[] original = File.ReadAllBytes(path);
        string truncated = PathOf("truncated.ppo");

        for (int length = 0; length < original.Length; length += Math.Max(1, original.Length / 311))
        {
            File.WriteAllBytes(truncated, original.AsSpan(0, length).ToArray());

            var exception = Assert.Throws<CheckpointException>(() => TrainedPolicy.Load(truncated));
            Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_MagicFollowedByLessThanAHeader_SaysItIsTruncated()
    {
        string path = SavedCheckpoint(normalize: false);
        byte[] original = File.ReadAllBytes(path);
        string truncated = PathOf("short.ppo");

        for (int length = 8; length < 20; length++)
        {
            File.WriteAllBytes(truncated, original.AsSpan(0, length).ToArray());

            var exception = Assert.Throws<CheckpointException>(() => TrainedPolicy.Load(truncated));

            Assert.Contains($"is truncated: {length} bytes, shorter than the 20-byte header", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Save_StaleTemporaryFilesOfAKilledSave_AreRemoved()
    {
        string path = PathOf("stale.ppo");
        string stale = PathOf($".stale.ppo.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "half a checkpoint");
        var trainer = new PpoTrainer(CartPoles(), Options());

        trainer.Save(path);

        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Save_NonFiniteParameter_ThrowsAndWritesNothing()
    {
        string path = PathOf("nan.ppo");
        var trainer = new PpoTrainer(CartPoles(), Options(normalize: false));
        trainer.Network().Parameters.Values.AsSpan()[17] = float.NaN;

        var exception = Assert.Throws<InvalidOperationException>(() => trainer.Save(path));

        Assert.Contains("policy's parameters hold a non-finite value (NaN) at 17", exception.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Save_InfiniteOptimizerState_ThrowsAndKeepsTheOldCheckpoint()
    {
        string path = PathOf("inf.ppo");
        var trainer = new PpoTrainer(CartPoles(), Options(normalize: false));
        trainer.Save(path);
        byte[] before = File.ReadAllBytes(path);
        trainer.Optimizer().SecondMoment.AsSpan()[3] = float.PositiveInfinity;

        var exception = Assert.Throws<InvalidOperationException>(() => trainer.Save(path));

        Assert.Contains("optimizer's second moments", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Load_AnotherFormat_SaysItIsNotACheckpoint()
    {
        string path = PathOf("other.json");
        File.WriteAllText(path, "{\"weights\": [1, 2, 3], \"padding\": \"................\"}");

        var exception = Assert.Throws<CheckpointException>(() => TrainedPolicy.Load(path));

        Assert.Contains("not a Ppo checkpoint", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_VersionFromTheFuture_NamesBothVersions()
    {
        string path = SavedCheckpoint(normalize: false);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[8] = 9;
        File.WriteAllBytes(path, bytes);

        var exception = Assert.Throws<CheckpointException>(() => TrainedPolicy.Load(path));

        Assert.Contains("format version 9", exception.Message, StringComparison.Ordinal);
        Assert.Contains("versions 1 to 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EnvironmentThatDoesNotMatchTheNetwork_Throws()
    {
        string path = SavedCheckpoint(normalize: false);
        using var pendulums = SyncVectorEnvironment.Create(2, _ => new Pendulum());

        var exception = Assert.Throws<ArgumentException>(() => PpoTrainer.Load(path, pendulums));

        Assert.Contains("4 floats", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DifferentEnvironmentCount_Throws()
    {
        string path = SavedCheckpoint(normalize: false);

        Assert.Throws<ArgumentException>(() => PpoTrainer.Load(path, CartPoles(count: 3)));
        Assert.Throws<CheckpointException>(() => PpoTrainer.Load(path, CartPoles(count: 3), Options(normalize: false) with { NumEnvs = 3 }));
    }

    [Fact]
    public void Load_CustomSchedule_NeedsTheOptionsAgain()
    {
        string path = PathOf("custom.ppo");
        PpoOptions options = Options(normalize: false) with { LearningRate = Schedule.Custom(p => 1e-3 * p * p, "quadratic") };
        new PpoTrainer(CartPoles(), options).Save(path);

        var exception = Assert.Throws<CheckpointException>(() => PpoTrainer.Load(path, CartPoles()));
        PpoTrainer loaded = PpoTrainer.Load(path, CartPoles(), options);

        Assert.Contains("LearningRate ('quadratic')", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1e-3 * 0.25, loaded.Options.LearningRate.ValueAt(0.5), 12);
    }

    [Fact]
    public void Load_WithoutEnvironmentState_ResetsTheEnvironmentsAtTheNextRollout()
    {
        string path = SavedCheckpoint(normalize: false);
        using var stateless = new SyncVectorEnvironment([new CartPole(), new StatelessCartPole()]);

        PpoTrainer trainer = PpoTrainer.Load(path, stateless);
        trainer.Learn(128);

        Assert.Equal(256 + 128, trainer.TotalTimesteps);
    }

    /// <summary>A CartPole that does not expose its state.</summary>
    private sealed class StatelessCartPole : IEnvironment
    {
        private readonly CartPole _inner = new();

        public BoxSpace ObservationSpace => _inner.ObservationSpace;

        public Space ActionSpace => _inner.ActionSpace;

        public void Reset(Span<float> observation, int? seed = null) => _inner.Reset(observation, seed);

        public StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => _inner.Step(action, observation);

        public void Dispose() => _inner.Dispose();
    }
}
