namespace Ppo.TorchSharp.LanguageModels;

/// <summary>How <see cref="LanguageModelGeneration"/> samples responses.</summary>
/// <remarks>
/// The policy of PPO is the tempered distribution <c>softmax(logits / Temperature)</c>; top-k, top-p and the minimum
/// length only restrict which tokens may be <em>sampled</em>, and the log-probabilities reported are always those of
/// the tempered distribution (TRL does the same: it recomputes them from <c>logits / temperature</c>).
/// </remarks>
public sealed record GenerationOptions
{
    /// <summary>Gets the temperature the logits are divided by.</summary><value>The default value is 1.</value>
    public float Temperature { get; init; } = 1f;

    /// <summary>Gets the number of most likely tokens sampling keeps, or 0 to keep all.</summary><value>The default value is 0.</value>
    public int TopK { get; init; }

    /// <summary>
    /// Gets the nucleus: sampling keeps the fewest most likely tokens whose probabilities sum to at least this, or 1 to
    /// keep all (Holtzman et al. 2020).
    /// </summary>
    /// <value>The default value is 1.</value>
    public float TopP { get; init; } = 1f;

    /// <summary>
    /// Gets the token that ends a response (included in it, and it receives the score), or <see langword="null"/> for
    /// responses of exactly <see cref="MaxResponseLength"/> tokens.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? StopToken { get; init; }

    /// <summary>Gets the fewest tokens of a response: the stop token cannot be sampled earlier.</summary><value>The default value is 1.</value>
    public int MinResponseLength { get; init; } = 1;

    /// <summary>Gets the most tokens of a response, the stop token included.</summary><value>The default value is 16.</value>
    public int MaxResponseLength { get; init; } = 16;

    /// <summary>Gets the token that fills each row after its response.</summary><value>The default value is 0.</value>
    public int PaddingToken { get; init; }

    /// <summary>Returns this instance, or throws one exception listing every invalid field.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">One or more values are out of range.</exception>
    public GenerationOptions Validate()
    {
        List<string>? errors = null;
        void Check(bool ok, string message)
        {
            if (!ok)
                (errors ??= []).Add(message);
        }

        Check(float.IsFinite(Temperature) && Temperature > 0f, $"{nameof(Temperature)} must be finite and > 0 (was {Temperature}).");
        Check(TopK >= 0, $"{nameof(TopK)} must be ≥ 0, 0 for off (was {TopK}).");
        Check(TopP is > 0f and <= 1f, $"{nameof(TopP)} must be in (0, 1] (was {TopP}).");
        Check(StopToken is null or >= 0, $"{nameof(StopToken)} must be null or ≥ 0 (was {StopToken}).");
        Check(MinResponseLength >= 1, $"{nameof(MinResponseLength)} must be ≥ 1 (was {MinResponseLength}).");
        Check(MaxResponseLength >= MinResponseLength, $"{nameof(MaxResponseLength)} must be ≥ {nameof(MinResponseLength)} {MinResponseLength} (was {MaxResponseLength}).");
        Check(PaddingToken >= 0, $"{nameof(PaddingToken)} must be ≥ 0 (was {PaddingToken}).");
        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
