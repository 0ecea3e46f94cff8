using TorchSharp;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>Batched sampling of responses from a <see cref="CausalLanguageModel"/>.</summary>
public static class LanguageModelGeneration
{
    /// <summary>
    /// Samples one response per prompt, all rows at once, one token per step: each step runs the model on the rows'
    /// tokens so far and samples row <c>b</c>'s next token from the tempered distribution at its last position,
    /// restricted by <see cref="GenerationOptions.TopK"/>, <see cref="GenerationOptions.TopP"/> and the minimum length.
    /// A row stops after its stop token or at the maximum length.
    /// </summary>
    /// <remarks>
    /// No key-value cache: each step recomputes the prefix, which costs <c>O(L²)</c> per row and is cheap at the
    /// context lengths this is meant for. Runs under <c>no_grad</c> in one dispose scope per step. The draws come from
    /// <paramref name="generator"/> alone, so the same seed gives the same responses.
    /// </remarks>
    /// <param name="model">The policy.</param>
    /// <param name="prompts">The prompts, each of at least one token.</param>
    /// <param name="options">How to sample.</param>
    /// <param name="generator">The random stream of the draws, on the model's device.</param>
    /// <returns>The batch, the log-probability of each response token and the value before it.</returns>
    /// <exception cref="ArgumentException">A prompt is empty, a token is outside the vocabulary, or prompt and response do not fit the context.</exception>
    public static GenerationResult Generate(CausalLanguageModel model, IReadOnlyList<int[]> prompts, GenerationOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        int rows = prompts.Count;
        if (rows == 0)
            throw new ArgumentException("At least one prompt is needed.", nameof(prompts));
        int longestPrompt = 0;
        foreach (int[] prompt in prompts)
        {
            if (prompt is null || prompt.Length == 0)
                throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
            foreach (int token in prompt)
            {
                if (token < 0 || token >= model.VocabularySize)
                    throw new ArgumentException($"Prompt token {token} is outside the vocabulary [0, {model.VocabularySize}).", nameof(prompts));
            }

            longestPrompt = Math.Max(longestPrompt, prompt.Length);
        }

        int length = longestPrompt + options.MaxResponseLength;
        if (length > model.ContextLength)
            throw new ArgumentException($"The longest prompt ({longestPrompt}) and MaxResponseLength ({options.MaxResponseLength}) need {length} positions; the model's context holds {model.ContextLength}.", nameof(options));
        if (options.StopToken >= model.VocabularySize)
            throw new ArgumentException($"StopToken {options.StopToken} is outside the vocabulary [0, {model.VocabularySize}).", nameof(options));

        int[] tokens = new int[rows * length];
        Array.Fill(tokens, options.PaddingToken);
        int[] promptLengths = new int[rows], responseLengths = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            prompts[row].CopyTo(tokens, row * length);
            promptLengths[row] = prompts[row].Length;
        }

        int columns = length - 1;
        float[] logProbabilities = new float[rows * columns], values = new float[rows * columns];
        bool[] finished = new bool[rows];
        Device device = model.parameters().First().device;
        using IDisposable noGradient = no_grad();
        for (int step = 0; step < options.MaxResponseLength; step++)
        {
            int width = 0;
            for (int row = 0; row < rows; row++)
            {
                if (!finished[row])
                    width = Math.Max(width, promptLengths[row] + step);
            }

            if (width == 0)
                break;
            using DisposeScope scope = NewDisposeScope();
            long[] prefix = new long[rows * width];
            long[] lastPositions = new long[rows];
            for (int row = 0; row < rows; row++)
            {
                for (int position = 0; position < width; position++)
                    prefix[row * width + position] = tokens[row * length + position];
                lastPositions[row] = finished[row] ? 0 : promptLengths[row] + step - 1;
            }

            (Tensor logits, Tensor predicted) = model.Forward(tensor(prefix, [rows, width], device: device));
            Tensor positions = tensor(lastPositions, device: device);
            Tensor last = logits.gather(1, positions.view(rows, 1, 1).expand(rows, 1, model.VocabularySize)).squeeze(1) / options.Temperature;
            Tensor lastValues = predicted.gather(1, positions.view(rows, 1)).squeeze(1);
            Tensor logSoftmax = last.log_softmax(-1);
            Tensor sampled = multinomial(Restrict(last, options, step).softmax(-1), 1, replacement: false, generator: generator);
            float[] sampledLogProbabilities = logSoftmax.gather(1, sampled).squeeze(1).cpu().data<float>().ToArray();
            float[] sampledValues = lastValues.cpu().data<float>().ToArray();
            long[] sampledTokens = sampled.squeeze(1).cpu().data<long>().ToArray();
            for (int row = 0; row < rows; row++)
            {
                if (finished[row])
                    continue;
                int position = promptLengths[row] + step;
                tokens[row * length + position] = (int)sampledTokens[row];
                logProbabilities[row * columns + position - 1] = sampledLogProbabilities[row];
                values[row * columns + position - 1] = sampledValues[row];
                responseLengths[row] = step + 1;
                finished[row] = sampledTokens[row] == options.StopToken || step + 1 == options.MaxResponseLength;
            }
        }

        return new GenerationResult(new SequenceBatch(tokens, length, promptLengths, responseLengths, options.PaddingToken), logProbabilities, values);
    }

    /// <summary>The tempered logits with −∞ at every token sampling may not choose at this step.</summary>
    private static Tensor Restrict(Tensor logits, GenerationOptions options, int step)
    {
        Tensor restricted = logits;
        if (options.StopToken is int stop && step + 1 < options.MinResponseLength)
        {
            Tensor isStop = arange(logits.shape[1], dtype: ScalarType.Int64, device: logits.device).eq(stop);
            restricted = restricted.masked_fill(isStop, float.NegativeInfinity);
        }

        if (options.TopK > 0 && options.TopK < logits.shape[1])
        {
            Tensor kth = restricted.topk(options.TopK, dim: -1).values.narrow(-1, options.TopK - 1, 1);
            restricted = restricted.masked_fill(restricted.lt(kth), float.NegativeInfinity);
        }

        if (options.TopP < 1f)
        {
            (Tensor sortedLogits, Tensor order) = restricted.sort(-1, descending: true);
            Tensor probabilities = sortedLogits.softmax(-1);
            Tensor massBefore = probabilities.cumsum(-1) - probabilities;
            Tensor removeSorted = massBefore.gt(options.TopP);
            Tensor remove = zeros_like(removeSorted).scatter(-1, order, removeSorted);
            restricted = restricted.masked_fill(remove, float.NegativeInfinity);
        }

        return restricted;
    }
}
