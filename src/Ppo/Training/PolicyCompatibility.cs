using Ppo.Environments;
using Ppo.Policies;

namespace Ppo.Training;

/// <summary>Checks that a policy fits the environments it is trained, evaluated or compared on: the observation size and the whole action space.</summary>
internal static class PolicyCompatibility
{
    /// <summary>Throws unless <paramref name="policy"/> takes the observations and acts in exactly the action space of the environment.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="observationSpace">The environment's observation space.</param>
    /// <param name="actionSpace">The environment's action space.</param>
    /// <param name="parameterName">The argument the exception names.</param>
    /// <exception cref="ArgumentException">The observation size or the action space (kind, sizes, bounds) differs; the message names both.</exception>
    public static void ThrowIfMismatched(IPolicy policy, BoxSpace observationSpace, Space actionSpace, string parameterName)
    {
        if (policy.ObservationSize != observationSpace.Size)
            throw new ArgumentException($"The policy takes observations of {policy.ObservationSize} floats but the environment produces {observationSpace.Size} ({observationSpace}).", parameterName);
        if (!SpaceEquality.AreEqual(policy.ActionSpace, actionSpace))
            throw new ArgumentException($"The policy acts in {policy.ActionSpace} but the environment's action space is {actionSpace}.", parameterName);
    }

    /// <summary>Throws unless two policies take observations of the same size and act in the same action space.</summary>
    /// <param name="policy">The policy checked.</param>
    /// <param name="trained">The policy it must match.</param>
    /// <param name="parameterName">The argument the exception names.</param>
    /// <exception cref="ArgumentException">The observation sizes or the action spaces differ; the message names both.</exception>
    public static void ThrowIfMismatched(IPolicy policy, IPolicy trained, string parameterName)
    {
        if (policy.ObservationSize != trained.ObservationSize || !SpaceEquality.AreEqual(policy.ActionSpace, trained.ActionSpace))
            throw new ArgumentException($"The reference policy ({policy.ObservationSize} observation floats, {policy.ActionSpace}) does not match the trained one ({trained.ObservationSize} observation floats, {trained.ActionSpace}).", parameterName);
    }
}
