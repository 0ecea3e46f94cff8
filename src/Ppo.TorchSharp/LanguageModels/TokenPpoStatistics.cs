namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// The diagnostics of one <see cref="TokenPpoTrainer.Step"/>. Rollout figures are over the batch before the update;
/// loss figures are means over the minibatches that were optimized. KL figures are per sequence: the sum over a
/// response's tokens, averaged over the batch (TRL's <c>objective/kl</c>).
/// </summary>
/// <param name="MeanScore">The mean reward-model score.</param>
/// <param name="KlK1">The k1 estimate of KL(π ‖ π_ref): <c>Σ_t (log π − log π_ref)</c>, unbiased but noisy.</param>
/// <param name="KlK3">The k3 estimate: <c>Σ_t (ρ − 1 − log ρ)</c> with <c>ρ = π_ref/π</c>, unbiased and never negative (Schulman 2020, "Approximating KL divergence").</param>
/// <param name="KlCoefficient">β used for this step's rewards.</param>
/// <param name="NextKlCoefficient">β after the controller's update (equal to <see cref="KlCoefficient"/> when fixed).</param>
/// <param name="Entropy">The mean entropy of the tempered policy per response token.</param>
/// <param name="MeanResponseLength">The mean response length, in tokens.</param>
/// <param name="MeanNonScoreReward">The mean over sequences of the summed KL penalties <c>−β·k1</c>.</param>
/// <param name="PolicyLoss">The mean clipped policy loss.</param>
/// <param name="ValueLoss">The mean clipped value loss.</param>
/// <param name="PolicyClipFraction">The mean fraction of tokens whose policy term was clipped.</param>
/// <param name="ValueClipFraction">The mean fraction of tokens whose value term was clipped.</param>
/// <param name="ValueError">The mean unclipped value error <c>(V − R)²</c> per token.</param>
/// <param name="ApproximateKl">The mean <c>½·(log π − log π_old)²</c> per token over the optimized minibatches.</param>
/// <param name="MinibatchesOptimized">Minibatches that took an optimizer step.</param>
/// <param name="MinibatchesSkipped">Minibatches skipped because their mean ratio exceeded the threshold.</param>
/// <param name="StoppedEarly">Whether the policy KL stopped the epochs early.</param>
public sealed record TokenPpoStatistics(
    float MeanScore,
    float KlK1,
    float KlK3,
    float KlCoefficient,
    float NextKlCoefficient,
    float Entropy,
    float MeanResponseLength,
    float MeanNonScoreReward,
    float PolicyLoss,
    float ValueLoss,
    float PolicyClipFraction,
    float ValueClipFraction,
    float ValueError,
    float ApproximateKl,
    int MinibatchesOptimized,
    int MinibatchesSkipped,
    bool StoppedEarly);
