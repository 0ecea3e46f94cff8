using Ppo.Environments;
using Ppo.Networks;
using Ppo.Policies;

namespace Ppo.Orleans.Policies;

/// <summary>Describes an <see cref="ActorCritic"/> of the managed engine: its architecture, which is all a worker needs besides the parameters.</summary>
[GenerateSerializer, Immutable]
public sealed record ManagedPolicyDescription : PolicyDescription
{
    /// <summary>Gets the observation floats the network takes.</summary>
    [Id(0)]
    public required int ObservationSize { get; init; }

    /// <summary>Gets the hidden sizes of the trunk shared by actor and critic (empty for separate networks).</summary>
    [Id(1)]
    public required int[] SharedHiddenSizes { get; init; }

    /// <summary>Gets the hidden sizes of the actor.</summary>
    [Id(2)]
    public required int[] PolicyHiddenSizes { get; init; }

    /// <summary>Gets the hidden sizes of the critic.</summary>
    [Id(3)]
    public required int[] ValueHiddenSizes { get; init; }

    /// <summary>Gets the activation of the hidden layers.</summary>
    [Id(4)]
    public required ActivationFunction Activation { get; init; }

    /// <summary>Gets the initial log standard deviation of a Gaussian head (its value is overwritten by the parameters).</summary>
    [Id(5)]
    public required float LogStdInit { get; init; }

    /// <summary>Describes <paramref name="policy"/>.</summary>
    /// <param name="policy">The learner's network.</param>
    /// <returns>Its description.</returns>
    public static ManagedPolicyDescription Of(ActorCritic policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new ManagedPolicyDescription
        {
            ObservationSize = policy.ObservationSize,
            SharedHiddenSizes = [.. policy.Options.SharedHiddenSizes],
            PolicyHiddenSizes = [.. policy.Options.PolicyHiddenSizes],
            ValueHiddenSizes = [.. policy.Options.ValueHiddenSizes],
            Activation = policy.Options.Activation,
            LogStdInit = policy.Options.LogStdInit,
        };
    }

    /// <inheritdoc/>
    public override IRolloutPolicy CreateReplica(BoxSpace observationSpace, Space actionSpace, int maxRowCount)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        if (observationSpace.Size != ObservationSize)
            throw new ArgumentException($"The policy takes observations of {ObservationSize} floats but the environments produce {observationSpace.Size}.", nameof(observationSpace));
        var options = new ActorCriticOptions
        {
            SharedHiddenSizes = SharedHiddenSizes,
            PolicyHiddenSizes = PolicyHiddenSizes,
            ValueHiddenSizes = ValueHiddenSizes,
            Activation = Activation,
            // The weights come from the learner, so initializing them is wasted work; the cheaper scheme does it.
            OrthogonalInitialization = false,
            LogStdInit = LogStdInit,
        };
        return new ManagedRolloutPolicy(new ActorCritic(ObservationSize, actionSpace, options), maxRowCount);
    }
}
