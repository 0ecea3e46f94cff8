namespace Ppo.Orleans.Policies;

/// <summary>The learner's policy parameters at one update, sent to every worker before it collects.</summary>
/// <param name="Version">The number of updates the parameters have been through (0 before the first).</param>
/// <param name="Values">The flat parameters in the engine's own order; never changed after sending.</param>
[GenerateSerializer, Immutable]
public sealed record PolicyParameters([property: Id(0)] long Version, [property: Id(1)] float[] Values);
