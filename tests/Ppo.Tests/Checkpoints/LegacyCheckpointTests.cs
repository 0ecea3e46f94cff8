using System.Text.Json;
using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Tests.TestSupport;
using Ppo.Training;

namespace Ppo.Tests.Checkpoints;

/// <summary>
/// A checkpoint written before trainers and learners wrote their own sections (format version 1 without a learner
/// section, see <c>Fixtures/README.md</c>) still loads, predicts as the code that wrote it did, and continues training
/// as it did to within float rounding: the categorical head's exp has been vectorized since, which moves the last bits of
/// every update (a checkpoint that lost its optimizer state or its normalizer would move the parameters by the learning
/// rate's order, 1e-4).
/// </summary>
public sealed class LegacyCheckpointTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures");

    [Fact]
    public void Load_CheckpointOfTheFirstFormat_ContinuesTrainingAsTheWritingCodeDid()
    {
        using JsonDocument expected = Expected();
        PpoTrainer trainer = PpoTrainer.Load(Path.Combine(Fixtures, "main-da400b8.ppo"), SyncVectorEnvironment.Create(2, _ => new CartPole()));

        UpdateMetrics metrics = trainer.Learn(32);

        Assert.Equal(expected.RootElement.GetProperty("total_timesteps_after_resume").GetInt64(), trainer.TotalTimesteps);
        Tolerance.AssertClose(expected.RootElement.GetProperty("policy_loss_after_resume").GetSingle(), metrics.PolicyLoss, 1e-2, "policy loss");
        Tolerance.AssertClose(Floats(expected, "parameters_after_resume"), trainer.Network().Parameters.Values.ToArray(), 1e-6, "parameters");
    }

    [Fact]
    public void TrainedPolicyLoad_CheckpointOfTheFirstFormat_PredictsAsTheWritingCodeDid()
    {
        using JsonDocument expected = Expected();
        TrainedPolicy policy = TrainedPolicy.Load(Path.Combine(Fixtures, "main-da400b8.ppo"));
        float[] actions = new float[3];

        policy.Predict(Floats(expected, "observations"), actions);

        Assert.NotNull(policy.ObservationNormalizer);
        Assert.Equal(Floats(expected, "deterministic_actions"), actions);
    }

    private static JsonDocument Expected() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Fixtures, "main-da400b8.json")));

    private static float[] Floats(JsonDocument document, string name) =>
        [.. document.RootElement.GetProperty(name).EnumerateArray().Select(value => value.GetSingle())];
}
