namespace Ppo.Samples.Rlhf;

/// <summary>Reviews sampled from a policy and, when a reference was given, each review's KL divergence from it in nats.</summary>
public sealed record SampledReviews(int[][] Reviews, double[]? KlToReference);
