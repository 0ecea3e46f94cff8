using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.Policies;
using Ppo.Randomness;

namespace Ppo.Training;

/// <summary>
/// A trained policy for inference on raw observations: the policy and, when training normalized observations, the
/// normalizer that must be applied first. Loaded from a checkpoint, it needs no trainer or environment.
/// </summary>
public sealed class TrainedPolicy : IMaskablePolicy
{
    private float[] _normalized = [];

    /// <summary>Wraps a policy and the observation normalizer it was trained with.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="observationNormalizer">The normalizer applied to observations before the policy, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The normalizer's size differs from the policy's observation size.</exception>
    public TrainedPolicy(IPolicy policy, ObservationNormalizer? observationNormalizer = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (observationNormalizer is not null && observationNormalizer.Size != policy.ObservationSize)
            throw new ArgumentException($"The normalizer handles {observationNormalizer.Size} floats but the policy observes {policy.ObservationSize}.", nameof(observationNormalizer));
        Policy = policy;
        ObservationNormalizer = observationNormalizer;
    }

    /// <summary>Gets the policy, which takes normalized observations when <see cref="ObservationNormalizer"/> is set.</summary>
    public IPolicy Policy { get; }

    /// <summary>Gets the observation normalizer the policy was trained with, or <see langword="null"/>.</summary>
    public ObservationNormalizer? ObservationNormalizer { get; }

    /// <inheritdoc/>
    public int ObservationSize => Policy.ObservationSize;

    /// <inheritdoc/>
    public Space ActionSpace => Policy.ActionSpace;

    /// <inheritdoc/>
    public int ActionSize => Policy.ActionSize;

    /// <inheritdoc/>
    /// <remarks>0 when the wrapped policy is not an <see cref="IMaskablePolicy"/>.</remarks>
    public int ActionMaskLength => (Policy as IMaskablePolicy)?.ActionMaskLength ?? 0;

    /// <summary>
    /// Loads the policy of a checkpoint written by <see cref="PpoTrainer.Save"/>, with the factory registered in
    /// <see cref="LearnerRegistry"/> for the learner kind the checkpoint names.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="CheckpointException">The file is truncated, corrupt, of another format or version, inconsistent, or names an unregistered learner kind.</exception>
    public static TrainedPolicy Load(string path)
    {
        CheckpointSections sections = CheckpointSections.ReadFile(path);
        IPolicy policy = PpoTrainer.LearnerFactoryOf(sections).LoadPolicy(sections);
        return new TrainedPolicy(policy, PpoTrainer.ReadObservationNormalizer(sections, policy.ObservationSize));
    }

    /// <summary>
    /// Loads the policy of a checkpoint to act in <paramref name="environment"/>, and checks that it fits it, as
    /// Stable-Baselines3's <c>load(path, env)</c> does: the same observation size and the same action space (kind and
    /// sizes: Discrete n, Box shape and bounds, MultiDiscrete nvec, MultiBinary n).
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="environment">The environment the policy will act in.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="CheckpointException">The file is truncated, corrupt, of another format or version, inconsistent, or names an unregistered learner kind.</exception>
    /// <exception cref="ArgumentException">The policy does not fit the environment; the message names both spaces.</exception>
    public static TrainedPolicy Load(string path, IEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        TrainedPolicy policy = Load(path);
        PolicyCompatibility.ThrowIfMismatched(policy.Policy, environment.ObservationSpace, environment.ActionSpace, nameof(environment));
        return policy;
    }

    /// <summary>Chooses an action for each raw observation, normalizing it first when the policy was trained so.</summary>
    /// <param name="observations">One or more raw observations, back to back.</param>
    /// <param name="actions">Receives one action per observation; continuous actions are clipped to the action space.</param>
    /// <param name="deterministic">Takes the most probable action (the default) instead of sampling.</param>
    /// <param name="random">The generator for sampling; required when <paramref name="deterministic"/> is false.</param>
    /// <exception cref="ArgumentException">The lengths do not match or an observation is not finite.</exception>
    /// <remarks>Not thread-safe.</remarks>
    public void Predict(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic = true, SeededRandom? random = null) =>
        Policy.Predict(Normalized(observations), actions, deterministic, random);

    /// <summary>Chooses a valid action for each raw observation under its action mask, normalizing the observation first when the policy was trained so.</summary>
    /// <param name="observations">One or more raw observations, back to back.</param>
    /// <param name="actionMasks">The valid actions of each observation, <see cref="ActionMaskLength"/> flags each.</param>
    /// <param name="actions">Receives one action per observation.</param>
    /// <param name="deterministic">Takes the most probable valid action (the default) instead of sampling.</param>
    /// <param name="random">The generator for sampling; required when <paramref name="deterministic"/> is false.</param>
    /// <exception cref="ArgumentException">The lengths do not match, an observation is not finite, a mask has no valid action, or the policy cannot take masks.</exception>
    /// <remarks>Not thread-safe.</remarks>
    public void Predict(ReadOnlySpan<float> observations, ReadOnlySpan<bool> actionMasks, Span<float> actions, bool deterministic = true, SeededRandom? random = null)
    {
        if (Policy is not IMaskablePolicy maskable)
            throw new ArgumentException($"The policy ({Policy.GetType().Name}) does not take action masks.", nameof(actionMasks));
        maskable.Predict(Normalized(observations), actionMasks, actions, deterministic, random);
    }

    /// <summary>Computes the log-probability of each given action for raw observations, normalizing them first when the policy was trained so.</summary>
    /// <param name="observations">One or more raw observations, back to back.</param>
    /// <param name="actions">One action per observation.</param>
    /// <param name="logProbabilities">Receives one log-probability per observation.</param>
    /// <exception cref="ArgumentException">The lengths do not match or an observation is not finite.</exception>
    /// <remarks>Not thread-safe.</remarks>
    public void LogProbabilities(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, Span<float> logProbabilities) =>
        Policy.LogProbabilities(Normalized(observations), actions, logProbabilities);

    private ReadOnlySpan<float> Normalized(ReadOnlySpan<float> observations)
    {
        if (ObservationNormalizer is null)
            return observations;
        for (int i = 0; i < observations.Length; i++)
        {
            if (!float.IsFinite(observations[i]))
                throw new ArgumentException($"Observation element {i} is {observations[i]}; observations must be finite.", nameof(observations));
        }

        if (_normalized.Length != observations.Length)
            _normalized = new float[observations.Length];
        ObservationNormalizer.Normalize(observations, _normalized);
        return _normalized;
    }
}
