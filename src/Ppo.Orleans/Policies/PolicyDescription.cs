using Ppo.Environments;

namespace Ppo.Orleans.Policies;

/// <summary>
/// What a worker needs to build a replica of the learner's policy, without its parameters (those travel with every
/// update as <see cref="PolicyParameters"/>). Each policy engine derives one serializable description.
/// </summary>
[GenerateSerializer]
public abstract record PolicyDescription
{
    /// <summary>Builds a replica for environments with these spaces; its parameters are loaded before each collection.</summary>
    /// <param name="observationSpace">The environments' observation space.</param>
    /// <param name="actionSpace">The environments' action space.</param>
    /// <param name="maxRowCount">The largest batch the replica is asked about (the slice's environment count).</param>
    /// <returns>The new replica.</returns>
    /// <exception cref="ArgumentException">The description does not fit the spaces.</exception>
    public abstract IRolloutPolicy CreateReplica(BoxSpace observationSpace, Space actionSpace, int maxRowCount);
}
