using Ppo.Environments;
using Ppo.Policies;
using Ppo.Training;

namespace Ppo.Tests.Training;

/// <summary>
/// A policy is trained, evaluated, compared and loaded only on environments of exactly its spaces: the kind and every
/// size (Discrete n, Box shape and bounds, MultiDiscrete nvec, MultiBinary n), not only the number of floats.
/// </summary>
public sealed class SpaceMatchingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-space-tests").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Pairs of action spaces of equal flat size that differ, as (policy's, environment's).</summary>
    public static TheoryData<string, string> DifferentActionSpaces => new()
    {
        { "Discrete(2)", "Discrete(4)" },
        { "Discrete(4)", "Discrete(3)" },
        { "Box(2; -1, 1)", "Box(2; -2, 2)" },
        { "MultiDiscrete(3, 3)", "MultiDiscrete(3, 4)" },
        { "MultiBinary(2)", "MultiDiscrete(2, 2)" },
        { "Discrete(2)", "MultiBinary(1)" },
    };

    private static PpoOptions Options => new() { NumSteps = 8, BatchSize = 8, NumEpochs = 1, Seed = 1 };

    [Theory]
    [MemberData(nameof(DifferentActionSpaces))]
    public void Load_CheckpointOfAnotherActionSpace_ThrowsNamingBothSpaces(string saved, string other)
    {
        string path = Path.Combine(_folder, "saved.ppo");
        new PpoTrainer(Vector(saved), Options).Save(path);

        var exception = Assert.Throws<ArgumentException>(() => PpoTrainer.Load(path, Vector(other)));

        AssertNamesBoth(exception, saved, other);
    }

    [Theory]
    [MemberData(nameof(DifferentActionSpaces))]
    public void PolicyEvaluationRun_PolicyOfAnotherActionSpace_ThrowsNamingBothSpaces(string policySpace, string environmentSpace)
    {
        var policy = new ActorCritic(2, Parse(policySpace), seed: 1);
        using var environment = new FixedSpacesEnvironment(Parse(environmentSpace));

        var exception = Assert.Throws<ArgumentException>(() => PolicyEvaluation.Run(policy, environment, episodes: 1, seed: 1));

        AssertNamesBoth(exception, policySpace, environmentSpace);
    }

    [Theory]
    [MemberData(nameof(DifferentActionSpaces))]
    public void ReferencePolicy_OfAnotherActionSpace_ThrowsNamingBothSpaces(string trainedSpace, string referenceSpace)
    {
        var trainer = new PpoTrainer(Vector(trainedSpace), Options);

        var exception = Assert.Throws<ArgumentException>(() => trainer.ReferencePolicy = new ActorCritic(2, Parse(referenceSpace), seed: 1));

        AssertNamesBoth(exception, referenceSpace, trainedSpace);
    }

    [Theory]
    [MemberData(nameof(DifferentActionSpaces))]
    public void TrainedPolicyLoad_OnAnEnvironmentOfAnotherActionSpace_ThrowsNamingBothSpaces(string saved, string other)
    {
        string path = Path.Combine(_folder, "policy.ppo");
        new PpoTrainer(Vector(saved), Options).Save(path);
        using var environment = new FixedSpacesEnvironment(Parse(other));

        var exception = Assert.Throws<ArgumentException>(() => TrainedPolicy.Load(path, environment));

        AssertNamesBoth(exception, saved, other);
    }

    [Fact]
    public void TrainedPolicyLoad_OnAnEnvironmentOfTheSameSpaces_Loads()
    {
        string path = Path.Combine(_folder, "same.ppo");
        new PpoTrainer(Vector("Box(2; -1, 1)"), Options).Save(path);
        using var environment = new FixedSpacesEnvironment(Parse("Box(2; -1, 1)"));

        TrainedPolicy policy = TrainedPolicy.Load(path, environment);

        Assert.Equal("Box(2; low [-1, -1], high [1, 1])", policy.ActionSpace.ToString());
    }

    [Fact]
    public void PolicyEvaluationRun_AnotherObservationSize_ThrowsNamingBothSizes()
    {
        var policy = new ActorCritic(3, new DiscreteSpace(2), seed: 1);
        using var environment = new FixedSpacesEnvironment(new DiscreteSpace(2), observationSize: 2);

        var exception = Assert.Throws<ArgumentException>(() => PolicyEvaluation.Run(policy, environment, episodes: 1, seed: 1));

        Assert.Contains("3 floats", exception.Message, StringComparison.Ordinal);
        Assert.Contains("produces 2", exception.Message, StringComparison.Ordinal);
    }

    private static SyncVectorEnvironment Vector(string actionSpace) => SyncVectorEnvironment.Create(2, _ => new FixedSpacesEnvironment(Parse(actionSpace)));

    private static void AssertNamesBoth(ArgumentException exception, string first, string second)
    {
        Assert.Contains(Parse(first).ToString()!, exception.Message, StringComparison.Ordinal);
        Assert.Contains(Parse(second).ToString()!, exception.Message, StringComparison.Ordinal);
    }

    private static Space Parse(string space) => space switch
    {
        "Discrete(2)" => new DiscreteSpace(2),
        "Discrete(3)" => new DiscreteSpace(3),
        "Discrete(4)" => new DiscreteSpace(4),
        "Box(2; -1, 1)" => new BoxSpace(-1f, 1f, 2),
        "Box(2; -2, 2)" => new BoxSpace(-2f, 2f, 2),
        "MultiDiscrete(3, 3)" => new MultiDiscreteSpace([3, 3]),
        "MultiDiscrete(3, 4)" => new MultiDiscreteSpace([3, 4]),
        "MultiDiscrete(2, 2)" => new MultiDiscreteSpace([2, 2]),
        "MultiBinary(1)" => new MultiBinarySpace(1),
        "MultiBinary(2)" => new MultiBinarySpace(2),
        _ => throw new ArgumentOutOfRangeException(nameof(space), space, "Unknown test space."),
    };
}
