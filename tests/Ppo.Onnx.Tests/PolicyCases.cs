using Ppo.Environments;
using Ppo.Environments.Box2D;
using Ppo.Environments.ClassicControl;
using Ppo.Networks;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Training;

namespace Ppo.Onnx.Tests;

/// <summary>The policies the exporter is checked on, and the observations of their environments.</summary>
internal static class PolicyCases
{
    /// <summary>The names of the cases, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names =>
    [
        "CartPole",
        "CartPoleNormalizedClipped",
        "LunarLanderSharedReluNormalized",
        "LunarLanderContinuousNormalizedClipped",
        "Pendulum",
        "PendulumTrainedNormalized",
    ];

    /// <summary>Creates the environment of a case.</summary>
    public static IEnvironment CreateEnvironment(string name) => name switch
    {
        _ when name.StartsWith("CartPole", StringComparison.Ordinal) => new CartPole(),
        _ when name.StartsWith("LunarLanderContinuous", StringComparison.Ordinal) => new LunarLander(new LunarLanderOptions { Continuous = true }),
        _ when name.StartsWith("LunarLander", StringComparison.Ordinal) => new LunarLander(),
        _ when name.StartsWith("Pendulum", StringComparison.Ordinal) => new Pendulum(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case."),
    };

    /// <summary>
    /// Creates the policy of a case. <paramref name="observations"/> (collected from its environment) set the statistics
    /// of the observation normalizer where the case has one. Cases whose name ends in <c>Clipped</c> scale the actor's
    /// output layer so that the normalizer's or the action space's clipping is reached.
    /// </summary>
    public static TrainedPolicy CreatePolicy(string name, IEnvironment environment, float[] observations)
    {
        int observationSize = environment.ObservationSpace.Size;
        switch (name)
        {
            case "CartPole":
                return new TrainedPolicy(new ActorCritic(observationSize, environment.ActionSpace, seed: 1));
            case "CartPoleNormalizedClipped":
                return new TrainedPolicy(new ActorCritic(observationSize, environment.ActionSpace, seed: 2), Normalizer(observationSize, observations, clip: 1.5f));
            case "LunarLanderSharedReluNormalized":
            {
                var options = new ActorCriticOptions { SharedHiddenSizes = [64], PolicyHiddenSizes = [32], ValueHiddenSizes = [48], Activation = ActivationFunction.Relu };
                return new TrainedPolicy(new ActorCritic(observationSize, environment.ActionSpace, options, seed: 3), Normalizer(observationSize, observations, clip: 10f));
            }

            case "LunarLanderContinuousNormalizedClipped":
            {
                var options = new ActorCriticOptions { LogStdInit = -0.5f };
                var network = new ActorCritic(observationSize, environment.ActionSpace, options, seed: 4);
                ScaleOutputLayer(network, 100f);
                return new TrainedPolicy(network, Normalizer(observationSize, observations, clip: 2f));
            }

            case "Pendulum":
                return new TrainedPolicy(new ActorCritic(observationSize, environment.ActionSpace, new ActorCriticOptions { OrthogonalInitialization = false }, seed: 5));
            case "PendulumTrainedNormalized":
                return TrainPendulum();
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case.");
        }
    }

    /// <summary>Collects <paramref name="count"/> observations by stepping <paramref name="environment"/> with random actions.</summary>
    public static float[] CollectObservations(IEnvironment environment, int count, ulong seed)
    {
        int size = environment.ObservationSpace.Size;
        float[] observations = new float[count * size];
        float[] action = new float[environment.ActionSpace.FlatSize];
        var random = new SeededRandom(seed);
        int episode = 0;
        environment.Reset(observations.AsSpan(0, size), seed: episode);
        for (int i = 1; i < count; i++)
        {
            RandomAction(environment.ActionSpace, random, action);
            Span<float> next = observations.AsSpan(i * size, size);
            StepResult step = environment.Step(action, next);
            if (step.Terminated || step.Truncated)
                environment.Reset(next, seed: ++episode);
        }

        return observations;
    }

    private static void RandomAction(Space space, SeededRandom random, Span<float> action)
    {
        switch (space)
        {
            case DiscreteSpace discrete:
                action[0] = random.NextInt(discrete.Count);
                break;
            case BoxSpace box:
                for (int i = 0; i < action.Length; i++)
                    action[i] = random.NextUniform(box.Low[i], box.High[i]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(space), space, "Unsupported action space.");
        }
    }

    private static ObservationNormalizer Normalizer(int size, float[] observations, float clip)
    {
        var normalizer = new ObservationNormalizer(size, clip);
        normalizer.Statistics.Update(observations);
        return normalizer;
    }

    private static void ScaleOutputLayer(ActorCritic network, float factor)
    {
        Span<float> weight = network.PolicyNetwork.LinearLayers[^1].Weight.Value.AsSpan();
        for (int i = 0; i < weight.Length; i++)
            weight[i] *= factor;
    }

    private static TrainedPolicy TrainPendulum()
    {
        using var environment = new SyncVectorEnvironment([new Pendulum(), new Pendulum()]);
        var options = new PpoOptions { NumEnvs = 2, NumSteps = 128, BatchSize = 64, NumEpochs = 2, NormalizeObservations = true, Seed = 6 };
        var trainer = new PpoTrainer(environment, options);
        trainer.Learn(1024);
        return new TrainedPolicy(((ActorCritic)trainer.Policy).Clone(), trainer.ObservationNormalizer);
    }
}
