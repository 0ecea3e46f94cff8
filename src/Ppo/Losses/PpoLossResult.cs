namespace Ppo.Losses;

/// <summary>The combined PPO loss of a minibatch, its parts, and the policy diagnostics.</summary>
/// <param name="Loss">The total <c>policy + β·mean(KL) + vf_coef·value + ent_coef·entropyLoss</c>.</param>
/// <param name="Policy">The surrogate loss (clipped or not, without the KL penalty) and its diagnostics.</param>
/// <param name="ValueLoss">The value loss (before the coefficient).</param>
/// <param name="EntropyLoss">The entropy loss <c>−mean(H)</c> (before the coefficient).</param>
/// <param name="KlDivergence">The mean exact KL(π_old ‖ π) when the objective penalizes it, else NaN.</param>
public readonly record struct PpoLossResult(float Loss, ClippedSurrogateResult Policy, float ValueLoss, float EntropyLoss, float KlDivergence);
