using Ppo.Environments;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Tensors;
using Ppo.Training;

namespace Ppo.Checkpoints;

/// <summary>
/// A trained policy loaded from a checkpoint for inference: the network and, when training normalized observations,
/// the normalizer that must be applied first. No trainer or environment is needed.
/// </summary>
public sealed class TrainedPolicy
{
    private float[] _normalized = [];

    /// <summary>Wraps a policy and the observation normalizer it was trained with.</summary>
    /// <param name="policy">The network.</param>
    /// <param name="observationNormalizer">The normalizer applied to observations before the network, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The normalizer's size differs from the policy's observation size.</exception>
    public TrainedPolicy(ActorCritic policy, ObservationNormalizer? observationNormalizer = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (observationNormalizer is not null && observationNormalizer.Size != policy.ObservationSize)
            throw new ArgumentException($"The normalizer handles {observationNormalizer.Size} floats but the policy observes {policy.ObservationSize}.", nameof(observationNormalizer));
        Policy = policy;
        ObservationNormalizer = observationNormalizer;
    }

    /// <summary>Gets the network.</summary>
    public ActorCritic Policy { get; }

    /// <summary>Gets the observation normalizer the policy was trained with, or <see langword="null"/>.</summary>
    public ObservationNormalizer? ObservationNormalizer { get; }

    /// <summary>Loads the policy of a checkpoint written by <see cref="PpoTrainer.Save"/>.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="device">The device for the network, or <see langword="null"/> for the CPU.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="CheckpointException">The file is truncated, corrupt, of another format or version, or inconsistent.</exception>
    public static TrainedPolicy Load(string path, Device? device = null)
    {
        IReadOnlyDictionary<string, byte[]> sections = CheckpointFile.Read(path);
        ActorCritic policy = PpoTrainer.ReadPolicy(sections, device ?? Device.Cpu);
        return new TrainedPolicy(policy, PpoTrainer.ReadObservationNormalizer(sections, policy.ObservationSize));
    }

    /// <summary>Chooses an action for each raw observation, normalizing it first when the policy was trained so.</summary>
    /// <param name="observations">One or more raw observations, back to back.</param>
    /// <param name="actions">Receives one action per observation; continuous actions are clipped to the action space.</param>
    /// <param name="deterministic">Takes the most probable action (the default) instead of sampling.</param>
    /// <param name="random">The generator for sampling; required when <paramref name="deterministic"/> is false.</param>
    /// <exception cref="ArgumentException">The lengths do not match or an observation is not finite.</exception>
    /// <remarks>Not thread-safe.</remarks>
    public void Predict(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic = true, SeededRandom? random = null)
    {
        if (ObservationNormalizer is null)
        {
            Policy.Predict(observations, actions, deterministic, random);
            return;
        }

        if (_normalized.Length != observations.Length)
            _normalized = new float[observations.Length];
        for (int i = 0; i < observations.Length; i++)
        {
            if (!float.IsFinite(observations[i]))
                throw new ArgumentException($"Observation element {i} is {observations[i]}; observations must be finite.", nameof(observations));
        }

        ObservationNormalizer.Normalize(observations, _normalized);
        Policy.Predict(_normalized, actions, deterministic, random);
    }
}
