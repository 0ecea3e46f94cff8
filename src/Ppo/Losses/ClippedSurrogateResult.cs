namespace Ppo.Losses;

/// <summary>The clipped-surrogate policy loss of a minibatch with the diagnostics computed in the same pass.</summary>
/// <param name="Loss">The policy loss <c>−mean(min(r·A, clip(r, 1−ε, 1+ε)·A))</c>.</param>
/// <param name="ClipFraction">The fraction of samples with <c>|r − 1| &gt; ε</c>.</param>
/// <param name="ApproximateKl">The estimate <c>mean((r − 1) − log r)</c> of KL(π_old ‖ π_new) (Schulman's k3 estimator).</param>
/// <param name="RatioMean">The mean probability ratio <c>r</c>.</param>
/// <param name="RatioStandardDeviation">The unbiased standard deviation of <c>r</c> (0 for a single sample).</param>
public readonly record struct ClippedSurrogateResult(float Loss, float ClipFraction, float ApproximateKl, float RatioMean, float RatioStandardDeviation);
