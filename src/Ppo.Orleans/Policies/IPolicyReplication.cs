using Ppo.Training;

namespace Ppo.Orleans.Policies;

/// <summary>
/// How a learner's policy reaches the workers: a description to build replicas from, once, and a copy of the
/// parameters each update. One implementation per policy engine (<see cref="ManagedPolicyReplication"/> for the managed one).
/// </summary>
public interface IPolicyReplication
{
    /// <summary>Describes the learner's policy, so that a worker can build a replica of it.</summary>
    /// <param name="learner">The learner the trainer drives.</param>
    /// <returns>The description.</returns>
    /// <exception cref="ArgumentException">The learner is not of this engine.</exception>
    PolicyDescription Describe(ILearner learner);

    /// <summary>Copies the learner's current parameters.</summary>
    /// <param name="learner">The learner the trainer drives.</param>
    /// <param name="version">The number of updates the parameters have been through.</param>
    /// <returns>A copy that later updates do not change.</returns>
    /// <exception cref="ArgumentException">The learner is not of this engine.</exception>
    PolicyParameters Snapshot(ILearner learner, long version);
}
