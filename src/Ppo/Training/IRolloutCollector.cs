using Ppo.Checkpoints;
using Ppo.Environments;

namespace Ppo.Training;

/// <summary>
/// Fills the rollout buffer of each update with transitions: steps the environments with the learner's actions and
/// records observations, actions, rewards, episode ends, values and log-probabilities. <see cref="LocalRolloutCollector"/>
/// steps a vector environment in this process; another collector (remote workers, for example) stands in for it
/// through this contract.
/// </summary>
public interface IRolloutCollector
{
    /// <summary>Gets the number of environments whose steps fill one row block of the buffer (the buffer's <c>EnvironmentCount</c>).</summary>
    int EnvironmentCount { get; }

    /// <summary>Gets the observation space of the environments.</summary>
    BoxSpace ObservationSpace { get; }

    /// <summary>Gets the action space of the environments.</summary>
    Space ActionSpace { get; }

    /// <summary>
    /// Gets the number of flags in the action mask of one step when the collector records masks (the environments
    /// expose them; <see cref="Environments.ActionMasks.Length"/> of the action space), or 0 when it records none. The
    /// trainer sizes the buffer's mask column with it and then needs an <see cref="IMaskableLearner"/>.
    /// </summary>
    int ActionMaskLength => 0;

    /// <summary>
    /// Collects <c>request.Buffer.Steps</c> steps of every environment into the cleared buffer, adds the bootstrap of
    /// each truncated episode (<c>γ·V(final observation)</c>) to its last reward, and sets the buffer's last values
    /// (the values of the observations after the last step) for GAE.
    /// </summary>
    /// <param name="request">The learner, the buffer and what the trainer asks of this rollout.</param>
    /// <returns>What the trainer needs beyond the buffer.</returns>
    /// <exception cref="ArgumentException">An environment returned a NaN or infinite observation or reward.</exception>
    RolloutSummary Collect(RolloutRequest request);

    /// <summary>Writes what continuing the collection exactly needs (for example, the current observations) into the trainer's checkpoint section.</summary>
    /// <param name="writer">The trainer section being written.</param>
    void WriteState(BinaryWriter writer);

    /// <summary>Reads back what <see cref="WriteState"/> wrote.</summary>
    /// <param name="reader">The trainer section being read.</param>
    /// <exception cref="CheckpointException">The state does not fit this collector.</exception>
    void ReadState(BinaryReader reader);

    /// <summary>Adds the environments' own state to a checkpoint, when they can save it.</summary>
    /// <param name="sections">The checkpoint being written.</param>
    void SaveEnvironments(CheckpointSections sections);

    /// <summary>
    /// Restores the environments' state from a checkpoint when it holds one and the environments can load it; otherwise
    /// the environments are reset at the next <see cref="Collect"/>.
    /// </summary>
    /// <param name="sections">The checkpoint being read.</param>
    /// <exception cref="CheckpointException">The environments' section is invalid.</exception>
    void LoadEnvironments(CheckpointSections sections);
}
