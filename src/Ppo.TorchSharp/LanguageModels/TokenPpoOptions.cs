namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// The hyperparameters of <see cref="TokenPpoTrainer"/>. Names are .NET's; defaults are those of TRL's <c>PPOConfig</c>
/// (the release with <c>adap_kl_ctrl</c>, <c>ratio_threshold</c> and <c>early_stopping</c>) except where a field says otherwise.
/// </summary>
public sealed record TokenPpoOptions
{
    /// <summary>Gets the Adam step size (TRL's <c>learning_rate</c>).</summary><value>The default value is 1e-5.</value>
    public float LearningRate { get; init; } = 1e-5f;

    /// <summary>Gets the number of optimization epochs over each batch (TRL's <c>ppo_epochs</c>).</summary><value>The default value is 4.</value>
    public int NumEpochs { get; init; } = 4;

    /// <summary>
    /// Gets the sequences per minibatch (TRL's <c>mini_batch_size</c>, whose default is 1; Ppo's is larger because one
    /// step per sequence is slow on a CPU and noisy).
    /// </summary>
    /// <value>The default value is 16.</value>
    public int MiniBatchSize { get; init; } = 16;

    /// <summary>Gets the discount γ over the tokens of a response (TRL's <c>gamma</c>).</summary><value>The default value is 1.</value>
    public float Gamma { get; init; } = 1f;

    /// <summary>Gets the GAE parameter λ (TRL's <c>lam</c>).</summary><value>The default value is 0.95.</value>
    public float GaeLambda { get; init; } = 0.95f;

    /// <summary>Gets ε of the clipped policy loss (TRL's <c>cliprange</c>).</summary><value>The default value is 0.2.</value>
    public float ClipRange { get; init; } = 0.2f;

    /// <summary>Gets εv of the clipped value loss (TRL's <c>cliprange_value</c>).</summary><value>The default value is 0.2.</value>
    public float ValueClipRange { get; init; } = 0.2f;

    /// <summary>Gets the weight of the value loss (TRL's <c>vf_coef</c>).</summary><value>The default value is 0.1.</value>
    public float ValueCoefficient { get; init; } = 0.1f;

    /// <summary>Gets β of the per-token KL penalty, or its starting value when adaptive (TRL's <c>init_kl_coef</c>).</summary><value>The default value is 0.2.</value>
    public float KlCoefficient { get; init; } = 0.2f;

    /// <summary>
    /// Gets the KL per sequence, in nats, that the adaptive controller of Ziegler et al. (2019) steers β toward, or
    /// <see langword="null"/> to keep β fixed (TRL's <c>target</c> with <c>adap_kl_ctrl</c>).
    /// </summary>
    /// <value>The default value is 6.</value>
    public float? AdaptiveKlTarget { get; init; } = 6f;

    /// <summary>Gets the horizon of the adaptive controller, in sequences (TRL's <c>horizon</c>).</summary><value>The default value is 10000.</value>
    public int AdaptiveKlHorizon { get; init; } = 10_000;

    /// <summary>
    /// Gets the mean probability ratio above which a minibatch is skipped, no optimizer step taken (TRL's
    /// <c>ratio_threshold</c>), or <see langword="null"/> for no check.
    /// </summary>
    /// <value>The default value is 10.</value>
    public float? RatioThreshold { get; init; } = 10f;

    /// <summary>
    /// Gets the policy KL <c>mean(log π_old − log π)</c> of a minibatch above 1.5 times which the step's remaining epochs
    /// are skipped (TRL's <c>target_kl</c> with <c>early_stopping</c>), or <see langword="null"/> for no early stop.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (TRL's <c>early_stopping</c> is off by default).</value>
    public float? EarlyStopKl { get; init; }

    /// <summary>Gets the global gradient-norm bound, or <see langword="null"/> for none (TRL's <c>max_grad_norm</c>).</summary><value>The default value is <see langword="null"/>.</value>
    public float? MaxGradNorm { get; init; }

    /// <summary>Gets the seed of the sampling and of the minibatch order.</summary><value>The default value is 0.</value>
    public ulong Seed { get; init; }

    /// <summary>Returns this instance, or throws one exception listing every invalid field.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">One or more values are out of range.</exception>
    public TokenPpoOptions Validate()
    {
        List<string>? errors = null;
        void Check(bool ok, string message)
        {
            if (!ok)
                (errors ??= []).Add(message);
        }

        Check(float.IsFinite(LearningRate) && LearningRate > 0f, $"{nameof(LearningRate)} must be finite and > 0 (was {LearningRate}).");
        Check(NumEpochs >= 1, $"{nameof(NumEpochs)} must be ≥ 1 (was {NumEpochs}).");
        Check(MiniBatchSize >= 1, $"{nameof(MiniBatchSize)} must be ≥ 1 (was {MiniBatchSize}).");
        Check(Gamma is >= 0f and <= 1f, $"{nameof(Gamma)} must be in [0, 1] (was {Gamma}).");
        Check(GaeLambda is >= 0f and <= 1f, $"{nameof(GaeLambda)} must be in [0, 1] (was {GaeLambda}).");
        Check(float.IsFinite(ClipRange) && ClipRange > 0f, $"{nameof(ClipRange)} must be finite and > 0 (was {ClipRange}).");
        Check(float.IsFinite(ValueClipRange) && ValueClipRange > 0f, $"{nameof(ValueClipRange)} must be finite and > 0 (was {ValueClipRange}).");
        Check(float.IsFinite(ValueCoefficient) && ValueCoefficient >= 0f, $"{nameof(ValueCoefficient)} must be finite and ≥ 0 (was {ValueCoefficient}).");
        Check(float.IsFinite(KlCoefficient) && KlCoefficient >= 0f, $"{nameof(KlCoefficient)} must be finite and ≥ 0 (was {KlCoefficient}).");
        Check(AdaptiveKlTarget is null || (float.IsFinite(AdaptiveKlTarget.Value) && AdaptiveKlTarget > 0f), $"{nameof(AdaptiveKlTarget)} must be null or finite and > 0 (was {AdaptiveKlTarget}).");
        Check(AdaptiveKlHorizon >= 1, $"{nameof(AdaptiveKlHorizon)} must be ≥ 1 (was {AdaptiveKlHorizon}).");
        Check(RatioThreshold is null || (float.IsFinite(RatioThreshold.Value) && RatioThreshold > 0f), $"{nameof(RatioThreshold)} must be null or finite and > 0 (was {RatioThreshold}).");
        Check(EarlyStopKl is null || (float.IsFinite(EarlyStopKl.Value) && EarlyStopKl > 0f), $"{nameof(EarlyStopKl)} must be null or finite and > 0 (was {EarlyStopKl}).");
        Check(MaxGradNorm is null || (float.IsFinite(MaxGradNorm.Value) && MaxGradNorm > 0f), $"{nameof(MaxGradNorm)} must be null or finite and > 0 (was {MaxGradNorm}).");
        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
