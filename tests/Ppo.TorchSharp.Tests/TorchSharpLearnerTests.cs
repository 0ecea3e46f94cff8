using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Training;
using Ppo.Tests.TestSupport;
using Ppo.TorchSharp.Tests.TestSupport;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.Tests;

/// <summary>The TorchSharp learner driven by <see cref="PpoTrainer"/>: it learns, it resumes exactly, and its checkpoints load as policies.</summary>
[Collection(TorchThreads.Collection)]
public sealed class TorchSharpLearnerTests
{
    private static PpoOptions ZooCartPole(int seed) => ZooPresets.CartPole with { Seed = seed };

    private static PpoTrainer CartPoleTrainer(PpoOptions options)
    {
        SyncVectorEnvironment environments = SyncVectorEnvironment.Create(options.NumEnvs, _ => new CartPole());
        TorchSharpLearner learner = TorchSharpLearner.Create(environments.ObservationSpace, environments.ActionSpace, options, new TorchSharpOptions { Threads = 1 });
        return new PpoTrainer(environments, learner, options);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Learn_CartPoleWithZooHyperparameters_ReachesTheSolvedThreshold()
    {
        PpoTrainer trainer = CartPoleTrainer(ZooCartPole(seed: 1));

        trainer.Learn(60_000);
        using var evaluationEnvironment = new CartPole();
        EvaluationResult evaluation = PolicyEvaluation.Run(trainer.Policy, evaluationEnvironment, episodes: 20, seed: 1_000_001);

        Assert.True(evaluation.MeanReturn >= 475, $"Mean evaluation return {evaluation.MeanReturn} is below 475.");
    }

    [Fact]
    public void Learn_SameSeedTwice_GivesTheSameWeights()
    {
        PpoTrainer a = CartPoleTrainer(ZooCartPole(seed: 3) with { NumEpochs = 2 });
        PpoTrainer b = CartPoleTrainer(ZooCartPole(seed: 3) with { NumEpochs = 2 });

        a.Learn(1024);
        b.Learn(1024);

        AssertSameParameters(a, b);
    }

    [Fact]
    public void Load_CheckpointMidRun_ResumesBitForBit()
    {
        PpoOptions options = ZooCartPole(seed: 4) with { NumEpochs = 2 };
        string path = Path.Combine(Path.GetTempPath(), $"ppo-torchsharp-{Guid.NewGuid():N}.ckpt");
        TorchSharpLearner.RegisterFactory((observationSpace, actionSpace) => TorchPolicies.Mlp(observationSpace, actionSpace));
        try
        {
            PpoTrainer straight = CartPoleTrainer(options);
            straight.Learn(1024);
            straight.Save(path);
            straight.Learn(1024);

            PpoTrainer resumed = PpoTrainer.Load(path, SyncVectorEnvironment.Create(options.NumEnvs, _ => new CartPole()), options);
            Assert.IsType<TorchSharpLearner>(resumed.Learner);
            resumed.Learn(1024);

            AssertSameParameters(straight, resumed);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrainedPolicyLoad_TorchSharpCheckpoint_ActsAsTheTrainedNetwork()
    {
        PpoOptions options = ZooCartPole(seed: 5) with { NumEpochs = 2 };
        string path = Path.Combine(Path.GetTempPath(), $"ppo-torchsharp-{Guid.NewGuid():N}.ckpt");
        TorchSharpLearner.RegisterFactory((observationSpace, actionSpace) => TorchPolicies.Mlp(observationSpace, actionSpace));
        try
        {
            PpoTrainer trainer = CartPoleTrainer(options);
            trainer.Learn(512);
            trainer.Save(path);

            TrainedPolicy loaded = TrainedPolicy.Load(path);

            float[] observations = [0.01f, -0.2f, 0.03f, 0.4f, -0.02f, 0.3f, -0.05f, -0.6f];
            float[] expected = new float[2], actual = new float[2], expectedLogProbabilities = new float[2], actualLogProbabilities = new float[2];
            trainer.Policy.Predict(observations, expected);
            loaded.Predict(observations, actual);
            trainer.Policy.LogProbabilities(observations, expected, expectedLogProbabilities);
            loaded.LogProbabilities(observations, expected, actualLogProbabilities);
            Assert.Equal(expected, actual);
            Assert.Equal(expectedLogProbabilities, actualLogProbabilities);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Save_NonFiniteParameter_RefusesAndWritesNoFile()
    {
        PpoTrainer trainer = CartPoleTrainer(ZooCartPole(seed: 6));
        string path = Path.Combine(Path.GetTempPath(), $"ppo-torchsharp-{Guid.NewGuid():N}.ckpt");
        using (no_grad())
            ((TorchSharpLearner)trainer.Learner).Network.parameters().First().fill_(float.NaN);

        var exception = Assert.Throws<InvalidOperationException>(() => trainer.Save(path));

        Assert.Contains("non-finite", exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Create_CudaWithTheCpuBundle_SaysWhichPackageToReference()
    {
        var exception = Assert.Throws<LibTorchUnavailableException>(() =>
            TorchSharpLearner.Create(new BoxSpace(-1f, 1f, 4), new DiscreteSpace(2), new PpoOptions(), new TorchSharpOptions { Device = global::TorchSharp.DeviceType.CUDA }));

        Assert.Contains("TorchSharp-cuda-linux", exception.Message, StringComparison.Ordinal);
    }

    private static void AssertSameParameters(PpoTrainer expected, PpoTrainer actual)
    {
        Tensor[] left = [.. ((TorchSharpLearner)expected.Learner).Network.parameters()];
        Tensor[] right = [.. ((TorchSharpLearner)actual.Learner).Network.parameters()];
        Assert.Equal(left.Length, right.Length);
        for (int i = 0; i < left.Length; i++)
            Tolerance.AssertBitwiseEqual(ManagedWeights.ToArray(left[i]), ManagedWeights.ToArray(right[i]), $"parameter {i}");
    }
}
