namespace Ppo.Samples.Rlhf;

/// <summary>What a policy writes, measured over <see cref="ReviewCount"/> sampled reviews.</summary>
/// <param name="ReviewCount">The number of reviews sampled.</param>
/// <param name="MeanScore">The mean normalized reward-model score.</param>
/// <param name="MeanRating">The mean rating by the people's hidden rule, <see cref="ReviewLanguage.Rating"/>.</param>
/// <param name="KlPerReview">The mean KL(π ‖ π_SFT) per review, in nats (the sum over its tokens).</param>
/// <param name="Examples">The first few of the sampled reviews.</param>
public sealed record PolicySummary(int ReviewCount, double MeanScore, double MeanRating, double KlPerReview, IReadOnlyList<ScoredReview> Examples);
