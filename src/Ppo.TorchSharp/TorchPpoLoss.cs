using Ppo.Losses;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>
/// The PPO loss of a minibatch on torch tensors, with autograd, exactly as Stable-Baselines3's <c>PPO.train</c>
/// computes it, plus the KL-penalized objectives of the managed engine.
/// </summary>
/// <remarks>
/// <para>Advantages are normalized when asked and the minibatch has more than one row: <c>(A − mean) / (std + 1e-8)</c>
/// with the unbiased standard deviation. <c>r = exp(log p − log p_old)</c>; the policy loss is
/// <c>−mean(min(r·A, clip(r, 1−ε, 1+ε)·A))</c>, or <c>−mean(r·A)</c> for <see cref="PolicyObjective.KlPenalty"/>; the value
/// prediction is <c>V</c>, or <c>V_old + clip(V − V_old, −εv, εv)</c> with value clipping; the value loss is
/// <c>mean((R − V)²)</c>; the entropy loss is <c>−mean(H)</c>. The total is
/// <c>policy + β·mean(KL) + vf_coef·value + ent_coef·entropy</c>, the KL term only for the objectives that have it.</para>
/// <para>The diagnostics (clip fraction <c>mean(|r − 1| &gt; ε)</c>, approximate KL <c>mean((r − 1) − log r)</c>, ratio mean
/// and unbiased standard deviation) are computed without gradient and read back in one copy.</para>
/// </remarks>
public static class TorchPpoLoss
{
    /// <summary>Computes the loss tensor (ready for <c>backward</c>) and its parts and diagnostics.</summary>
    /// <param name="newLogProbabilities">Log-probabilities of the actions under the current policy, <c>[B]</c>.</param>
    /// <param name="oldLogProbabilities">Log-probabilities when the actions were collected, <c>[B]</c>.</param>
    /// <param name="advantages">The advantages, <c>[B]</c>.</param>
    /// <param name="values">The current value predictions, <c>[B]</c>.</param>
    /// <param name="oldValues">The value predictions when the data was collected, <c>[B]</c>.</param>
    /// <param name="returns">The value targets, <c>[B]</c>.</param>
    /// <param name="entropy">The entropy of each row's distribution, <c>[B]</c>.</param>
    /// <param name="klDivergence">KL(π_old ‖ π) of each row, <c>[B]</c>; required when the objective penalizes it, else ignored.</param>
    /// <param name="settings">The coefficients and switches.</param>
    /// <returns>The scalar loss and the host-side summary with the managed engine's field meanings.</returns>
    /// <exception cref="ArgumentException">A KL objective is asked for without divergences.</exception>
    public static (Tensor Loss, PpoLossResult Result) Compute(
        Tensor newLogProbabilities,
        Tensor oldLogProbabilities,
        Tensor advantages,
        Tensor values,
        Tensor oldValues,
        Tensor returns,
        Tensor entropy,
        Tensor? klDivergence,
        PpoLossSettings settings)
    {
        ArgumentNullException.ThrowIfNull(newLogProbabilities);
        ArgumentNullException.ThrowIfNull(oldLogProbabilities);
        ArgumentNullException.ThrowIfNull(advantages);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(oldValues);
        ArgumentNullException.ThrowIfNull(returns);
        ArgumentNullException.ThrowIfNull(entropy);
        if (settings.PenalizesKl && klDivergence is null)
            throw new ArgumentException($"The objective {settings.Objective} needs the KL divergence of each row.", nameof(klDivergence));

        long count = newLogProbabilities.shape[0];
        Tensor normalized = settings.NormalizeAdvantage && count > 1
            ? (advantages - advantages.mean()) / (advantages.std() + 1e-8)
            : advantages;
        Tensor logRatio = newLogProbabilities - oldLogProbabilities;
        Tensor ratio = logRatio.exp();
        Tensor unclipped = normalized * ratio;
        Tensor surrogate = settings.Clips
            ? minimum(unclipped, normalized * ratio.clamp(1 - settings.ClipRange, 1 + settings.ClipRange))
            : unclipped;
        Tensor policyLoss = surrogate.mean().neg();

        Tensor prediction = settings.ValueClipRange is float valueClip
            ? oldValues + (values - oldValues).clamp(-valueClip, valueClip)
            : values;
        Tensor valueLoss = (returns - prediction).square().mean();
        Tensor entropyLoss = entropy.mean().neg();
        Tensor loss = policyLoss + (settings.EntropyCoefficient * entropyLoss) + (settings.ValueCoefficient * valueLoss);
        Tensor meanKl = settings.PenalizesKl ? klDivergence!.mean() : full(1, float.NaN, device: loss.device).squeeze();
        if (settings.PenalizesKl)
            loss = loss + (settings.KlCoefficient * meanKl);

        float[] summary;
        using (no_grad())
        {
            Tensor clipFraction = (ratio - 1).abs().gt(settings.ClipRange).to(ScalarType.Float32).mean();
            Tensor approximateKl = ((ratio - 1) - logRatio).mean();
            Tensor ratioStd = count > 1 ? ratio.std() : zeros_like(clipFraction);
            summary = stack([loss, policyLoss, clipFraction, approximateKl, ratio.mean(), ratioStd, valueLoss, entropyLoss, meanKl]).detach().cpu().data<float>().ToArray();
        }

        var policy = new ClippedSurrogateResult(summary[1], summary[2], summary[3], summary[4], summary[5]);
        return (loss, new PpoLossResult(summary[0], policy, summary[6], summary[7], summary[8]));
    }
}
