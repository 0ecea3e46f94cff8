using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// The contract of a policy for <see cref="TokenPpoTrainer"/>: a causal language model with a scalar value head. Any
/// TorchSharp module that derives from it can be generated from and fine-tuned; <see cref="TransformerLanguageModel"/>
/// is the one Ppo provides.
/// </summary>
/// <remarks>
/// <para>A batch of sequences is <c>[B, L]</c> int64 token ids, each row a prompt, then its response, then padding, all
/// on the right (<see cref="SequenceBatch"/>). The model must be causal: its outputs at position <c>t</c> may depend on
/// tokens <c>0 … t</c> only, so right padding never changes the outputs at the positions before it and no attention
/// mask is needed.</para>
/// <para>The logits at position <c>t</c> give the distribution of the token at <c>t + 1</c>; the value at <c>t</c> is the
/// critic's estimate of the return of the state "tokens 0 … t written" (the value head of Ziegler et al. 2019 and of
/// TRL's <c>AutoModelForCausalLMWithValueHead</c>).</para>
/// </remarks>
public abstract class CausalLanguageModel : nn.Module
{
    /// <summary>Initializes the module with its name.</summary>
    /// <param name="name">The module's name, as TorchSharp records it.</param>
    protected CausalLanguageModel(string name)
        : base(name)
    {
    }

    /// <summary>Gets the number of token ids the model reads and predicts.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>Gets the longest sequence, prompt and response together, the model accepts.</summary>
    public abstract int ContextLength { get; }

    /// <summary>Runs the model on a batch of token sequences.</summary>
    /// <param name="tokens">Token ids, <c>[B, L]</c> int64 with <c>L ≤ ContextLength</c>.</param>
    /// <returns>The next-token logits <c>[B, L, VocabularySize]</c> and the values <c>[B, L]</c>.</returns>
    public abstract (Tensor Logits, Tensor Values) Forward(Tensor tokens);
}
