using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// A small GPT-style causal language model with a value head: a <see cref="TransformerOptions"/>-shaped decoder, a
/// language-model head (a linear map to the vocabulary, no bias) and a scalar value head on every hidden state.
/// </summary>
/// <remarks>
/// The module's state names its parts <c>trunk</c> (<c>token_embedding</c>, <c>position_embedding</c>,
/// <c>blocks.i.{ln_1, qkv, attention_projection, ln_2, mlp_in, mlp_out}</c>, <c>ln_f</c>), <c>lm_head</c> and
/// <c>value_head</c>, so weights can be exchanged with a PyTorch module of the same names.
/// </remarks>
public sealed class TransformerLanguageModel : CausalLanguageModel
{
    private readonly TransformerTrunk _trunk;
    private readonly Linear _languageModelHead;
    private readonly Linear _valueHead;

    /// <summary>Creates the model with GPT-2's initialization drawn from <see cref="TransformerOptions.Seed"/>.</summary>
    /// <param name="options">The shape of the decoder.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded.</exception>
    public TransformerLanguageModel(TransformerOptions options)
        : base(nameof(TransformerLanguageModel))
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        TorchRuntime.EnsureLoaded();
        _trunk = new TransformerTrunk(Options);
        _languageModelHead = nn.Linear(Options.EmbeddingSize, Options.VocabularySize, hasBias: false);
        _valueHead = nn.Linear(Options.EmbeddingSize, 1);
        register_module("trunk", _trunk);
        register_module("lm_head", _languageModelHead);
        register_module("value_head", _valueHead);
        TransformerTrunk.Initialize(this, Options.Seed);
    }

    /// <summary>Gets the shape of the decoder.</summary>
    public TransformerOptions Options { get; }

    /// <inheritdoc/>
    public override int VocabularySize => Options.VocabularySize;

    /// <inheritdoc/>
    public override int ContextLength => Options.ContextLength;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The tokens are not <c>[B, L]</c> with <c>1 ≤ L ≤ ContextLength</c>.</exception>
    public override (Tensor Logits, Tensor Values) Forward(Tensor tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Tensor hidden = _trunk.call(tokens);
        return (_languageModelHead.call(hidden), _valueHead.call(hidden).squeeze(-1));
    }

    /// <summary>Returns a copy with the same weights, on the same device, for example the frozen reference of a PPO run.</summary>
    /// <returns>The copy; its parameters do not share memory with this model's.</returns>
    public TransformerLanguageModel Clone()
    {
        var copy = new TransformerLanguageModel(Options);
        Device device = _valueHead.weight!.device;
        copy.to(device);
        using IDisposable noGradient = no_grad();
        Dictionary<string, Tensor> mine = state_dict();
        foreach ((string name, Tensor tensor) in copy.state_dict())
            tensor.copy_(mine[name]);
        return copy;
    }
}
