namespace Ppo.Samples.Rlhf;

/// <summary>A review and its normalized reward-model score.</summary>
public sealed record ScoredReview(int[] Tokens, double Score);
