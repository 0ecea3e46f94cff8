namespace Ppo.TorchSharp.LanguageModels;

/// <summary>The parts and diagnostics of one minibatch's token-level PPO loss, means over its response tokens.</summary>
/// <param name="Loss">The total, <c>policy + vf_coef·value</c>.</param>
/// <param name="PolicyLoss">The clipped policy loss.</param>
/// <param name="ValueLoss">The clipped value loss, with TRL's factor ½.</param>
/// <param name="PolicyClipFraction">The fraction of tokens whose clipped policy term is the larger (TRL's <c>policy/clipfrac</c>).</param>
/// <param name="ValueClipFraction">The fraction of tokens whose clipped value term is the larger (TRL's <c>val/clipfrac</c>).</param>
/// <param name="ApproximateKl">TRL's <c>policy/approxkl</c>, <c>½·mean((log π − log π_old)²)</c>.</param>
/// <param name="PolicyKl">TRL's <c>policy/policykl</c>, <c>mean(log π_old − log π)</c>, which early stopping reads.</param>
/// <param name="MeanRatio">The mean probability ratio, which the ratio threshold reads.</param>
/// <param name="ValueError">The unclipped value error <c>mean((V − R)²)</c>.</param>
public readonly record struct TokenPpoLossResult(
    float Loss,
    float PolicyLoss,
    float ValueLoss,
    float PolicyClipFraction,
    float ValueClipFraction,
    float ApproximateKl,
    float PolicyKl,
    float MeanRatio,
    float ValueError);
