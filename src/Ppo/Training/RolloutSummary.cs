namespace Ppo.Training;

/// <summary>What a rollout reports beside the buffer it filled.</summary>
/// <param name="ReferenceLogRatioSum">The sum over every collected step of <c>log π(a|s) − log π_ref(a|s)</c>, 0 without a reference policy.</param>
public readonly record struct RolloutSummary(double ReferenceLogRatioSum);
