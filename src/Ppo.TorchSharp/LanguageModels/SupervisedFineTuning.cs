using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// Supervised fine-tuning of a <see cref="CausalLanguageModel"/> on (prompt, response) demonstrations: the mean
/// negative log-likelihood of every response token given what precedes it, minimized with Adam. The first stage of
/// RLHF (Ziegler et al. 2019; Ouyang et al. 2022), and the reference that PPO's KL penalty keeps the policy near.
/// </summary>
public static class SupervisedFineTuning
{
    /// <summary>Trains on the demonstrations in shuffled minibatches; the value head is left untrained.</summary>
    /// <param name="model">The model to train.</param>
    /// <param name="prompts">The prompts.</param>
    /// <param name="responses">One response per prompt.</param>
    /// <param name="epochs">Passes over the demonstrations, ≥ 1.</param>
    /// <param name="batchSize">Demonstrations per minibatch, ≥ 1.</param>
    /// <param name="learningRate">Adam's step size (eps 1e-8), &gt; 0.</param>
    /// <param name="seed">The seed of the minibatch order.</param>
    /// <param name="paddingToken">The token that pads the rows of a minibatch.</param>
    /// <returns>The mean loss of each epoch, in nats per response token.</returns>
    /// <exception cref="ArgumentException">No demonstrations, different counts, or a count or rate out of range.</exception>
    public static IReadOnlyList<float> Train(CausalLanguageModel model, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, int epochs, int batchSize, float learningRate, ulong seed, int paddingToken = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(responses);
        if (prompts.Count == 0 || prompts.Count != responses.Count)
            throw new ArgumentException($"One response per prompt is needed, and at least one ({prompts.Count} prompts, {responses.Count} responses).", nameof(responses));
        return MinibatchTraining.Run(model.parameters(), prompts.Count, epochs, batchSize, learningRate, seed, items =>
            MeanNegativeLogLikelihood(model, SequenceBatch.FromPairs([.. items.Select(i => prompts[i])], [.. items.Select(i => responses[i])], paddingToken)));
    }

    /// <summary>The mean negative log-likelihood of the response tokens of <paramref name="batch"/>, with gradient.</summary>
    /// <param name="model">The model.</param>
    /// <param name="batch">The demonstrations.</param>
    /// <returns>A scalar tensor, in nats per response token.</returns>
    public static Tensor MeanNegativeLogLikelihood(CausalLanguageModel model, SequenceBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        Device device = model.parameters().First().device;
        Tensor tokens = batch.TokenTensor(device);
        Tensor logProbabilities = TokenPpoLoss.TokenLogProbabilities(model.Forward(tokens).Logits, tokens, temperature: 1f);
        return -TokenPpoLoss.MaskedMean(logProbabilities, batch.ActionMask(device));
    }
}
