using Ppo.Randomness;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// The body shared by <see cref="TransformerLanguageModel"/> and <see cref="TransformerRewardModel"/>: token and
/// learned position embeddings, <see cref="TransformerBlock"/>s and a final layer norm (GPT-2's layout).
/// </summary>
internal sealed class TransformerTrunk : nn.Module<Tensor, Tensor>
{
    private const double InitialStandardDeviation = 0.02;

    private readonly Embedding _tokenEmbedding;
    private readonly Embedding _positionEmbedding;
    private readonly ModuleList<TransformerBlock> _blocks;
    private readonly LayerNorm _finalNorm;

    /// <summary>Creates the trunk for <paramref name="options"/> (already validated).</summary>
    /// <param name="options">The shape of the decoder.</param>
    public TransformerTrunk(TransformerOptions options)
        : base(nameof(TransformerTrunk))
    {
        Options = options;
        _tokenEmbedding = nn.Embedding(options.VocabularySize, options.EmbeddingSize);
        _positionEmbedding = nn.Embedding(options.ContextLength, options.EmbeddingSize);
        _blocks = nn.ModuleList<TransformerBlock>();
        for (int i = 0; i < options.LayerCount; i++)
            _blocks.Add(new TransformerBlock(options.EmbeddingSize, options.HeadCount));
        _finalNorm = nn.LayerNorm(options.EmbeddingSize);
        register_module("token_embedding", _tokenEmbedding);
        register_module("position_embedding", _positionEmbedding);
        register_module("blocks", _blocks);
        register_module("ln_f", _finalNorm);
    }

    /// <summary>Gets the shape of the decoder.</summary>
    public TransformerOptions Options { get; }

    /// <summary>Runs the trunk.</summary>
    /// <param name="input">Token ids, <c>[B, L]</c> int64, <c>L ≤ ContextLength</c>.</param>
    /// <returns>The final hidden states, <c>[B, L, EmbeddingSize]</c>.</returns>
    /// <exception cref="ArgumentException">The tokens are not <c>[B, L]</c> with <c>1 ≤ L ≤ ContextLength</c>.</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 2 || input.shape[1] < 1 || input.shape[1] > Options.ContextLength)
            throw new ArgumentException($"The tokens must be [B, L] with 1 ≤ L ≤ {Options.ContextLength}; they are [{string.Join(", ", input.shape)}].", nameof(input));
        Tensor positions = arange(input.shape[1], dtype: ScalarType.Int64, device: input.device);
        Tensor hidden = _tokenEmbedding.call(input) + _positionEmbedding.call(positions);
        foreach (TransformerBlock block in _blocks)
            hidden = block.call(hidden);
        return _finalNorm.call(hidden);
    }

    /// <summary>
    /// Sets GPT-2's initial weights on every parameter of <paramref name="module"/>, drawn by Ppo's seeded generator so
    /// they depend on the seed alone: weights normal with standard deviation 0.02, biases 0, layer norms' scales 1.
    /// </summary>
    /// <param name="module">The module (a trunk and its heads).</param>
    /// <param name="seed">The seed.</param>
    public static void Initialize(nn.Module module, ulong seed)
    {
        var random = new SeededRandom(seed);
        foreach ((string name, Parameter parameter) in module.named_parameters())
        {
            float[] values = new float[parameter.numel()];
            bool isNormScale = name.EndsWith("weight", StringComparison.Ordinal) && name.Contains("ln_", StringComparison.Ordinal);
            if (isNormScale)
                Array.Fill(values, 1f);
            else if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                for (int i = 0; i < values.Length; i++)
                    values[i] = (float)(InitialStandardDeviation * random.NextGaussian());
            }

            TorchInitialization.Assign(parameter, values);
        }
    }
}
