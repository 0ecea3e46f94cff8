using Ppo.Training;

namespace Ppo.Orleans.Policies;

/// <summary>Ships the <see cref="Ppo.Policies.ActorCritic"/> of a <see cref="ManagedLearner"/>: its architecture once, its flat parameters each update.</summary>
public sealed class ManagedPolicyReplication : IPolicyReplication
{
    /// <summary>Gets the instance.</summary>
    public static ManagedPolicyReplication Instance { get; } = new();

    /// <inheritdoc/>
    public PolicyDescription Describe(ILearner learner) => ManagedPolicyDescription.Of(Managed(learner).Network);

    /// <inheritdoc/>
    public PolicyParameters Snapshot(ILearner learner, long version) => new(version, Managed(learner).Network.Parameters.Values.ToArray());

    private static ManagedLearner Managed(ILearner learner)
    {
        ArgumentNullException.ThrowIfNull(learner);
        return learner as ManagedLearner ?? throw new ArgumentException($"The managed engine's replication ships a {nameof(ManagedLearner)}, not a '{learner.Kind}' learner ({learner.GetType().Name}).", nameof(learner));
    }
}
