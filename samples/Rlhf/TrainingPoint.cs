namespace Ppo.Samples.Rlhf;

/// <summary>One PPO update of a run.</summary>
/// <param name="Reviews">The reviews written so far in the run.</param>
/// <param name="MeanScore">The mean reward-model score of the reviews finished in the update's rollout.</param>
/// <param name="KlPerReview">The rollout's mean KL to the reference per review, in nats: the mean per-token <c>log π − log π_ref</c> of the sampled tokens times the review length.</param>
/// <param name="Coefficient">The β that penalized the rollout.</param>
public readonly record struct TrainingPoint(long Reviews, double MeanScore, double KlPerReview, double Coefficient);
