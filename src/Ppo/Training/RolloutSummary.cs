namespace Ppo.Training;

/// <summary>What a rollout reports beside the buffer it filled.</summary>
/// <param name="ReferenceLogRatioSum">The sum over every collected step of <c>log π(a|s) − log π_ref(a|s)</c>, 0 without a reference policy.</param>
/// <param name="Recoveries">
/// How many times part of the rollout was collected again on environments started afresh, because those collecting it
/// were lost (a remote worker that failed, or that moved without its state); 0 for a collector in this process.
/// </param>
public readonly record struct RolloutSummary(double ReferenceLogRatioSum, int Recoveries = 0);
