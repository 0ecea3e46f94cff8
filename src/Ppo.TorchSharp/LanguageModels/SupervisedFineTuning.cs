using Ppo.Randomness;
using TorchSharp;
using TorchSharp.Modules;
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
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (!float.IsFinite(learningRate) || learningRate <= 0f)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and > 0.");

        var random = new SeededRandom(seed);
        using Adam optimizer = optim.Adam(model.parameters(), learningRate);
        int[] order = new int[prompts.Count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        var losses = new List<float>(epochs);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                using DisposeScope scope = NewDisposeScope();
                int count = Math.Min(batchSize, order.Length - start);
                var batchPrompts = new int[count][];
                var batchResponses = new int[count][];
                for (int i = 0; i < count; i++)
                    (batchPrompts[i], batchResponses[i]) = (prompts[order[start + i]], responses[order[start + i]]);
                Tensor loss = MeanNegativeLogLikelihood(model, SequenceBatch.FromPairs(batchPrompts, batchResponses, paddingToken));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                sum += loss.item<float>();
                batches++;
            }

            losses.Add((float)(sum / batches));
        }

        return losses;
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
