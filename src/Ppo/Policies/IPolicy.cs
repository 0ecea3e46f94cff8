using Ppo.Environments;
using Ppo.Randomness;

namespace Ppo.Policies;

/// <summary>
/// A policy as inference sees it: it maps observations to actions, one or many at a time, either deterministically or by
/// sampling, and scores given actions. Evaluation, the trained policy of a checkpoint and the reference of a KL penalty
/// use only this contract, so a policy computed by any engine fits them.
/// </summary>
/// <remarks>
/// Observations and actions are flat float spans: observation <c>i</c> occupies floats
/// <c>[i·ObservationSize, (i+1)·ObservationSize)</c>, action <c>i</c> floats <c>[i·ActionSize, (i+1)·ActionSize)</c>; a
/// discrete action is one float holding the index. Implementations are not required to be thread-safe.
/// </remarks>
public interface IPolicy
{
    /// <summary>Gets the number of floats in one observation.</summary>
    int ObservationSize { get; }

    /// <summary>Gets the action space the policy acts in.</summary>
    Space ActionSpace { get; }

    /// <summary>Gets the number of floats one action occupies.</summary>
    int ActionSize { get; }

    /// <summary>Chooses an action for each observation: the most probable one, or one sampled from the policy.</summary>
    /// <param name="observations">One or more observations, back to back; the length is a whole, non-zero multiple of <see cref="ObservationSize"/>.</param>
    /// <param name="actions">Receives one action of <see cref="ActionSize"/> floats per observation; continuous actions are clipped to the action space.</param>
    /// <param name="deterministic">Takes the most probable action (the default) instead of sampling.</param>
    /// <param name="random">The generator for sampling; required when <paramref name="deterministic"/> is false.</param>
    /// <exception cref="ArgumentException">The lengths do not match, an observation is not finite, or sampling has no generator.</exception>
    void Predict(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic = true, SeededRandom? random = null);

    /// <summary>Computes the log-probability of each given action under the policy (for example, the reference of a per-step KL penalty).</summary>
    /// <param name="observations">One or more observations, back to back.</param>
    /// <param name="actions">One action per observation, as stored in a rollout (before clipping to the action space).</param>
    /// <param name="logProbabilities">Receives one log-probability per observation.</param>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    void LogProbabilities(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, Span<float> logProbabilities);
}
