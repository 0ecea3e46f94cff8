using Ppo.Rollouts;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// PPO over the tokens of responses, with the semantics of Hugging Face TRL's <c>PPOTrainer</c> (after Ziegler et al.
/// 2019): per-token KL-penalized rewards, GAE over each response, advantages whitened over the batch, and TRL's
/// clipped policy and value losses. Every tensor is on the action grid <c>[B, L − 1]</c> of <see cref="SequenceBatch"/>
/// and every mean is over the response tokens that <c>mask</c> marks, so prompt and padding columns never count.
/// </summary>
public static class TokenPpoLoss
{
    /// <summary>
    /// The per-token rewards <c>r_t = −β·(log π(a_t) − log π_ref(a_t))</c>, with the reward model's score added at each
    /// row's last response token (TRL's <c>compute_rewards</c> with <c>kl_penalty = "kl"</c>), 0 in masked columns.
    /// </summary>
    /// <param name="logProbabilities">Log-probabilities of the sampled tokens under the policy, <c>[B, L − 1]</c>.</param>
    /// <param name="referenceLogProbabilities">The same under the frozen reference, <c>[B, L − 1]</c>.</param>
    /// <param name="scores">The reward model's score of each row, <c>[B]</c>.</param>
    /// <param name="mask">1 at response tokens, 0 elsewhere, <c>[B, L − 1]</c>.</param>
    /// <param name="lastColumns">The column of each row's last response token, <c>[B]</c> int64.</param>
    /// <param name="klCoefficient">β, ≥ 0.</param>
    /// <returns>The rewards, <c>[B, L − 1]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="klCoefficient"/> is negative or not finite.</exception>
    public static Tensor PerTokenRewards(Tensor logProbabilities, Tensor referenceLogProbabilities, Tensor scores, Tensor mask, Tensor lastColumns, float klCoefficient)
    {
        ArgumentNullException.ThrowIfNull(logProbabilities);
        ArgumentNullException.ThrowIfNull(referenceLogProbabilities);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(lastColumns);
        if (!float.IsFinite(klCoefficient) || klCoefficient < 0f)
            throw new ArgumentOutOfRangeException(nameof(klCoefficient), klCoefficient, "The KL coefficient must be finite and ≥ 0.");
        Tensor penalty = (logProbabilities - referenceLogProbabilities) * mask * (-klCoefficient);
        return penalty.scatter_add(1, lastColumns.unsqueeze(1), scores.unsqueeze(1));
    }

    /// <summary>
    /// GAE over each response (the core's <see cref="Gae"/>, each row an environment whose episode ends at its last
    /// response token) and the returns <c>A + V</c>; then the advantages whitened over every response token of the
    /// batch, <c>(A − mean)/√(var + 1e-8)</c> with the unbiased variance, and set to 0 in masked columns (TRL's
    /// <c>masked_whiten</c> with <c>shift_mean</c>). Rewards and values are read only where the mask is 1.
    /// </summary>
    /// <param name="rewards">The per-token rewards, <c>[B, L − 1]</c>.</param>
    /// <param name="values">The values when the responses were sampled, <c>[B, L − 1]</c>.</param>
    /// <param name="mask">1 at response tokens, 0 elsewhere, <c>[B, L − 1]</c>; each row holds one contiguous run of at least one 1.</param>
    /// <param name="gamma">The discount γ, in [0, 1].</param>
    /// <param name="lambda">The GAE parameter λ, in [0, 1].</param>
    /// <returns>The whitened advantages and the returns, both <c>[B, L − 1]</c>, on the device of <paramref name="rewards"/>.</returns>
    /// <exception cref="ArgumentException">Fewer than two response tokens, or a row without one.</exception>
    public static (Tensor Advantages, Tensor Returns) Advantages(Tensor rewards, Tensor values, Tensor mask, float gamma, float lambda)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        int rows = (int)rewards.shape[0], columns = (int)rewards.shape[1];
        float[] maskedRewards = Transposed(rewards * mask);
        float[] maskedValues = Transposed(values * mask);
        float[] hostMask = Transposed(mask);
        float[] dones = new float[hostMask.Length];
        float count = 0;
        for (int row = 0; row < rows; row++)
        {
            int last = -1;
            for (int column = 0; column < columns; column++)
            {
                if (hostMask[column * rows + row] != 0f)
                    last = column;
            }

            if (last < 0)
                throw new ArgumentException($"Row {row} has no response token.", nameof(mask));
            dones[last * rows + row] = 1f;
        }

        foreach (float flag in hostMask)
            count += flag;
        if (count < 2)
            throw new ArgumentException($"Whitening needs at least two response tokens (the batch has {count}).", nameof(mask));

        float[] advantages = new float[hostMask.Length], returns = new float[hostMask.Length];
        Gae.Compute(maskedRewards, maskedValues, dones, new float[rows], rows, gamma, lambda, advantages, returns);
        Tensor raw = tensor(advantages, [columns, rows], device: rewards.device).t();
        Tensor returnTensor = tensor(returns, [columns, rows], device: rewards.device).t().contiguous();
        return (MaskedWhiten(raw, mask), returnTensor);
    }

    /// <summary>
    /// The loss of one minibatch, TRL's <c>PPOTrainer.loss</c>: with <c>r = exp(log π − log π_old)</c>, the policy loss
    /// <c>mean(max(−A·r, −A·clip(r, 1 − ε, 1 + ε)))</c>, the value loss
    /// <c>½·mean(max((V − R)², (clip(V, V_old − εv, V_old + εv) − R)²))</c>, and the total <c>policy + vf_coef·value</c>;
    /// every mean is over the masked tokens.
    /// </summary>
    /// <param name="logProbabilities">Log-probabilities under the current policy, with gradient, <c>[B, L − 1]</c>.</param>
    /// <param name="oldLogProbabilities">Log-probabilities when the responses were sampled, <c>[B, L − 1]</c>.</param>
    /// <param name="advantages">The whitened advantages, <c>[B, L − 1]</c>.</param>
    /// <param name="values">The current values, with gradient, <c>[B, L − 1]</c>.</param>
    /// <param name="oldValues">The values when the responses were sampled, <c>[B, L − 1]</c>.</param>
    /// <param name="returns">The value targets, <c>[B, L − 1]</c>.</param>
    /// <param name="mask">1 at response tokens, 0 elsewhere, <c>[B, L − 1]</c>.</param>
    /// <param name="clipRange">ε of the policy clip, &gt; 0.</param>
    /// <param name="valueClipRange">εv of the value clip, &gt; 0.</param>
    /// <param name="valueCoefficient">vf_coef, ≥ 0.</param>
    /// <returns>The scalar loss, ready for <c>backward</c>, and its parts and diagnostics read back in one copy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is out of range.</exception>
    public static (Tensor Loss, TokenPpoLossResult Result) Compute(
        Tensor logProbabilities,
        Tensor oldLogProbabilities,
        Tensor advantages,
        Tensor values,
        Tensor oldValues,
        Tensor returns,
        Tensor mask,
        float clipRange,
        float valueClipRange,
        float valueCoefficient)
    {
        ArgumentNullException.ThrowIfNull(logProbabilities);
        ArgumentNullException.ThrowIfNull(oldLogProbabilities);
        ArgumentNullException.ThrowIfNull(advantages);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(oldValues);
        ArgumentNullException.ThrowIfNull(returns);
        ArgumentNullException.ThrowIfNull(mask);
        if (!(clipRange > 0f) || !float.IsFinite(clipRange))
            throw new ArgumentOutOfRangeException(nameof(clipRange), clipRange, "The clip range must be finite and > 0.");
        if (!(valueClipRange > 0f) || !float.IsFinite(valueClipRange))
            throw new ArgumentOutOfRangeException(nameof(valueClipRange), valueClipRange, "The value clip range must be finite and > 0.");
        if (!(valueCoefficient >= 0f) || !float.IsFinite(valueCoefficient))
            throw new ArgumentOutOfRangeException(nameof(valueCoefficient), valueCoefficient, "The value coefficient must be finite and ≥ 0.");

        Tensor clippedValues = minimum(maximum(values, oldValues - valueClipRange), oldValues + valueClipRange);
        Tensor valueLosses = (values - returns).square();
        Tensor clippedValueLosses = (clippedValues - returns).square();
        Tensor valueLoss = MaskedMean(maximum(valueLosses, clippedValueLosses), mask) * 0.5;

        Tensor logRatio = logProbabilities - oldLogProbabilities;
        Tensor ratio = logRatio.exp();
        Tensor policyLosses = -advantages * ratio;
        Tensor clippedPolicyLosses = -advantages * ratio.clamp(1 - clipRange, 1 + clipRange);
        Tensor policyLoss = MaskedMean(maximum(policyLosses, clippedPolicyLosses), mask);
        Tensor loss = policyLoss + (valueLoss * valueCoefficient);

        float[] summary;
        using (no_grad())
        {
            Tensor policyClipFraction = MaskedMean(clippedPolicyLosses.gt(policyLosses).to(ScalarType.Float32), mask);
            Tensor valueClipFraction = MaskedMean(clippedValueLosses.gt(valueLosses).to(ScalarType.Float32), mask);
            Tensor approximateKl = MaskedMean(logRatio.square(), mask) * 0.5;
            Tensor policyKl = MaskedMean(-logRatio, mask);
            summary = stack([loss, policyLoss, valueLoss, policyClipFraction, valueClipFraction, approximateKl, policyKl, MaskedMean(ratio, mask), MaskedMean(valueLosses, mask)])
                .detach().cpu().data<float>().ToArray();
        }

        return (loss, new TokenPpoLossResult(summary[0], summary[1], summary[2], summary[3], summary[4], summary[5], summary[6], summary[7], summary[8]));
    }

    /// <summary>The log-probability of each next token under <c>softmax(logits / temperature)</c>, on the action grid.</summary>
    /// <param name="logits">The model's logits, <c>[B, L, V]</c>.</param>
    /// <param name="tokens">The tokens, <c>[B, L]</c> int64.</param>
    /// <param name="temperature">The temperature, &gt; 0.</param>
    /// <returns><c>log π(tokens[:, j + 1] | tokens[:, ≤ j])</c>, <c>[B, L − 1]</c>.</returns>
    public static Tensor TokenLogProbabilities(Tensor logits, Tensor tokens, float temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(tokens);
        long columns = tokens.shape[1] - 1;
        Tensor logSoftmax = (logits.narrow(1, 0, columns) / temperature).log_softmax(-1);
        return logSoftmax.gather(2, tokens.narrow(1, 1, columns).unsqueeze(-1)).squeeze(-1);
    }

    /// <summary>The entropy of each position's tempered distribution, on the action grid.</summary>
    /// <param name="logits">The model's logits, <c>[B, L, V]</c>.</param>
    /// <param name="temperature">The temperature, &gt; 0.</param>
    /// <returns><c>−Σ p log p</c> at positions <c>0 … L − 2</c>, <c>[B, L − 1]</c>.</returns>
    public static Tensor TokenEntropy(Tensor logits, float temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        Tensor logSoftmax = (logits.narrow(1, 0, logits.shape[1] - 1) / temperature).log_softmax(-1);
        return -(logSoftmax.exp() * logSoftmax).sum(-1);
    }

    /// <summary>The mean of <paramref name="values"/> over the positions where <paramref name="mask"/> is 1 (TRL's <c>masked_mean</c>).</summary>
    /// <param name="values">The values.</param>
    /// <param name="mask">0/1 of the same shape.</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor MaskedMean(Tensor values, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        return (values * mask).sum() / mask.sum();
    }

    private static Tensor MaskedWhiten(Tensor values, Tensor mask)
    {
        Tensor mean = MaskedMean(values, mask);
        Tensor count = mask.sum();
        Tensor variance = MaskedMean((values - mean).square(), mask) * count / (count - 1);
        return ((values - mean) * (variance + 1e-8).rsqrt()) * mask;
    }

    private static float[] Transposed(Tensor grid) => grid.detach().t().contiguous().cpu().data<float>().ToArray();
}
