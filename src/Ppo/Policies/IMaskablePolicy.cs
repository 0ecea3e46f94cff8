using Ppo.Randomness;

namespace Ppo.Policies;

/// <summary>
/// A policy that can choose under action masks (see <see cref="Environments.IMaskableEnvironment"/>): invalid actions
/// get probability 0, so that neither the mode nor a sample is ever one of them.
/// </summary>
public interface IMaskablePolicy : IPolicy
{
    /// <summary>Gets the number of flags in one action mask (<see cref="Environments.ActionMasks.Length"/> of the action space), or 0 when the action space cannot be masked.</summary>
    int ActionMaskLength { get; }

    /// <summary>Chooses a valid action for each observation: the most probable valid one, or one sampled from the masked policy.</summary>
    /// <param name="observations">One or more observations, back to back.</param>
    /// <param name="actionMasks">The valid actions of each observation, <see cref="ActionMaskLength"/> flags each, <see langword="true"/> for a valid one.</param>
    /// <param name="actions">Receives one action of <see cref="IPolicy.ActionSize"/> floats per observation.</param>
    /// <param name="deterministic">Takes the most probable valid action (the default) instead of sampling.</param>
    /// <param name="random">The generator for sampling; required when <paramref name="deterministic"/> is false.</param>
    /// <exception cref="ArgumentException">The lengths do not match, an observation is not finite, a mask has no valid action, the action space cannot be masked, or sampling has no generator.</exception>
    void Predict(ReadOnlySpan<float> observations, ReadOnlySpan<bool> actionMasks, Span<float> actions, bool deterministic = true, SeededRandom? random = null);
}
