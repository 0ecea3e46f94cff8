namespace Ppo.TorchSharp.LanguageModels;

/// <summary>The shape of a <see cref="TransformerLanguageModel"/> or a <see cref="TransformerRewardModel"/>: a GPT-2-style decoder.</summary>
public sealed record TransformerOptions
{
    /// <summary>Gets the number of token ids.</summary><value>The default value is 256.</value>
    public int VocabularySize { get; init; } = 256;

    /// <summary>Gets the longest sequence (learned position embeddings exist for positions 0 … ContextLength − 1).</summary><value>The default value is 32.</value>
    public int ContextLength { get; init; } = 32;

    /// <summary>Gets the width of the embeddings and of the residual stream.</summary><value>The default value is 64.</value>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Gets the number of attention heads; it must divide <see cref="EmbeddingSize"/>.</summary><value>The default value is 4.</value>
    public int HeadCount { get; init; } = 4;

    /// <summary>Gets the number of decoder blocks.</summary><value>The default value is 2.</value>
    public int LayerCount { get; init; } = 2;

    /// <summary>Gets the seed of the initial weights (GPT-2's: normal with standard deviation 0.02, biases 0, layer norms 1 and 0).</summary><value>The default value is 0.</value>
    public ulong Seed { get; init; }

    /// <summary>Returns this instance, or throws one exception listing every invalid field.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">One or more values are out of range.</exception>
    public TransformerOptions Validate()
    {
        List<string>? errors = null;
        void Check(bool ok, string message)
        {
            if (!ok)
                (errors ??= []).Add(message);
        }

        Check(VocabularySize >= 2, $"{nameof(VocabularySize)} must be ≥ 2 (was {VocabularySize}).");
        Check(ContextLength >= 2, $"{nameof(ContextLength)} must be ≥ 2 (was {ContextLength}).");
        Check(EmbeddingSize >= 1, $"{nameof(EmbeddingSize)} must be ≥ 1 (was {EmbeddingSize}).");
        Check(HeadCount >= 1 && EmbeddingSize % Math.Max(HeadCount, 1) == 0, $"{nameof(HeadCount)} must be ≥ 1 and divide {nameof(EmbeddingSize)} {EmbeddingSize} (was {HeadCount}).");
        Check(LayerCount >= 1, $"{nameof(LayerCount)} must be ≥ 1 (was {LayerCount}).");
        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
