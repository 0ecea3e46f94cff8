using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// One decoder block of GPT-2 (Radford et al. 2019): pre-layer-norm causal multi-head self-attention and a GELU
/// feed-forward layer of four times the width, each added to the residual stream.
/// </summary>
/// <remarks>
/// <c>x ← x + W_o·attention(LN₁(x))</c>, <c>x ← x + W₂·GELU(W₁·LN₂(x))</c>; the attention of head <c>h</c> is
/// <c>softmax(q·kᵀ/√d + causal)·v</c>, where the causal term is −∞ above the diagonal, so position <c>t</c> sees
/// positions <c>0 … t</c> only. GELU is the exact (erf) form.
/// </remarks>
internal sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm _attentionNorm;
    private readonly Linear _queryKeyValue;
    private readonly Linear _attentionProjection;
    private readonly LayerNorm _feedForwardNorm;
    private readonly Linear _feedForwardIn;
    private readonly Linear _feedForwardOut;
    private readonly int _headCount;

    /// <summary>Creates a block of width <paramref name="embeddingSize"/> with <paramref name="headCount"/> heads.</summary>
    /// <param name="embeddingSize">The width of the residual stream.</param>
    /// <param name="headCount">The number of heads; divides <paramref name="embeddingSize"/>.</param>
    public TransformerBlock(int embeddingSize, int headCount)
        : base(nameof(TransformerBlock))
    {
        _headCount = headCount;
        _attentionNorm = nn.LayerNorm(embeddingSize);
        _queryKeyValue = nn.Linear(embeddingSize, 3 * embeddingSize);
        _attentionProjection = nn.Linear(embeddingSize, embeddingSize);
        _feedForwardNorm = nn.LayerNorm(embeddingSize);
        _feedForwardIn = nn.Linear(embeddingSize, 4 * embeddingSize);
        _feedForwardOut = nn.Linear(4 * embeddingSize, embeddingSize);
        register_module("ln_1", _attentionNorm);
        register_module("qkv", _queryKeyValue);
        register_module("attention_projection", _attentionProjection);
        register_module("ln_2", _feedForwardNorm);
        register_module("mlp_in", _feedForwardIn);
        register_module("mlp_out", _feedForwardOut);
    }

    /// <summary>Runs the block on <c>[B, L, D]</c> hidden states.</summary>
    /// <param name="input">The residual stream, <c>[B, L, D]</c>.</param>
    /// <returns>The new residual stream, <c>[B, L, D]</c>.</returns>
    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0], length = input.shape[1], width = input.shape[2];
        long headSize = width / _headCount;
        Tensor[] parts = _queryKeyValue.call(_attentionNorm.call(input)).chunk(3, -1);
        Tensor query = parts[0].view(batch, length, _headCount, headSize).transpose(1, 2);
        Tensor key = parts[1].view(batch, length, _headCount, headSize).transpose(1, 2);
        Tensor value = parts[2].view(batch, length, _headCount, headSize).transpose(1, 2);
        Tensor scores = query.matmul(key.transpose(-2, -1)) / Math.Sqrt(headSize);
        Tensor future = ones(length, length, dtype: ScalarType.Bool, device: input.device).triu(1);
        Tensor attention = nn.functional.softmax(scores.masked_fill(future, float.NegativeInfinity), -1);
        Tensor mixed = attention.matmul(value).transpose(1, 2).reshape(batch, length, width);
        Tensor hidden = input + _attentionProjection.call(mixed);
        return hidden + _feedForwardOut.call(nn.functional.gelu(_feedForwardIn.call(_feedForwardNorm.call(hidden))));
    }
}
