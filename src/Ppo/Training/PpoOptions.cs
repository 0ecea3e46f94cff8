using System.Globalization;
using Ppo.Losses;
using Ppo.Optimization;
using Ppo.Tensors;

namespace Ppo.Training;

/// <summary>
/// PPO hyperparameters. Names follow Stable-Baselines3's <c>PPO</c> in .NET casing, and so do the defaults:
/// <c>BatchSize</c> is the minibatch size, <c>NumSteps</c> the rollout length per environment.
/// </summary>
public sealed record PpoOptions
{
    /// <summary>Gets the steps collected per environment before each update (<c>n_steps</c>).</summary>
    /// <value>The default value is 2048.</value>
    public int NumSteps { get; init; } = 2048;

    /// <summary>
    /// Gets the number of environments stepped together (<c>n_envs</c>). The trainer takes it from the vector
    /// environment or collector it is given, as Stable-Baselines3 takes it from the environment; 0 means exactly that,
    /// and any other value must equal the environments' count. The trainer's <see cref="PpoTrainer.Options"/> holds the count.
    /// </summary>
    /// <value>The default value is 0: the count of the environments trained on.</value>
    public int NumEnvs { get; init; }

    /// <summary>Gets the minibatch size (<c>batch_size</c>).</summary>
    /// <value>The default value is 64.</value>
    public int BatchSize { get; init; } = 64;

    /// <summary>Gets the passes over the rollout per update (<c>n_epochs</c>).</summary>
    /// <value>The default value is 10.</value>
    public int NumEpochs { get; init; } = 10;

    /// <summary>Gets the discount factor γ (<c>gamma</c>).</summary>
    /// <value>The default value is 0.99.</value>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>Gets the GAE parameter λ (<c>gae_lambda</c>).</summary>
    /// <value>The default value is 0.95.</value>
    public float GaeLambda { get; init; } = 0.95f;

    /// <summary>Gets the policy clip range ε, constant or scheduled (<c>clip_range</c>).</summary>
    /// <value>The default value is 0.2.</value>
    public Schedule ClipRange { get; init; } = 0.2;

    /// <summary>Gets the value clip range εv (<c>clip_range_vf</c>); <see langword="null"/> turns value clipping off.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Schedule? ClipRangeVf { get; init; }

    /// <summary>Gets a value indicating whether advantages are normalized per minibatch (<c>normalize_advantage</c>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NormalizeAdvantage { get; init; } = true;

    /// <summary>Gets the entropy coefficient (<c>ent_coef</c>).</summary>
    /// <value>The default value is 0.</value>
    public float EntCoef { get; init; }

    /// <summary>Gets the value-loss coefficient (<c>vf_coef</c>).</summary>
    /// <value>The default value is 0.5.</value>
    public float VfCoef { get; init; } = 0.5f;

    /// <summary>Gets the largest global gradient norm before clipping (<c>max_grad_norm</c>).</summary>
    /// <value>The default value is 0.5.</value>
    public float MaxGradNorm { get; init; } = 0.5f;

    /// <summary>
    /// Gets the KL divergence target (<c>target_kl</c>): the epochs of an update stop early when the approximate KL of a
    /// minibatch exceeds 1.5 × this value. <see langword="null"/> turns early stopping off.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public float? TargetKl { get; init; }

    /// <summary>
    /// Gets the policy objective: the clipped surrogate (the default), the KL-penalized surrogate, or both
    /// (Schulman et al. 2017, sections 3 and 4).
    /// </summary>
    /// <value>The default value is <see cref="PolicyObjective.ClippedSurrogate"/>.</value>
    public PolicyObjective PolicyObjective { get; init; } = PolicyObjective.ClippedSurrogate;

    /// <summary>Gets the initial weight β of the KL penalty KL(π_old ‖ π) of the KL objectives.</summary>
    /// <value>The default value is 1.</value>
    public float KlCoef { get; init; } = 1f;

    /// <summary>
    /// Gets the target d_targ of the paper's adaptive KL penalty: after each update, β is halved when the measured KL is
    /// below d_targ / 1.5 and doubled when it is above d_targ × 1.5. <see langword="null"/> keeps β fixed.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public float? AdaptiveKlTarget { get; init; }

    /// <summary>
    /// Gets the weight β of a per-step KL penalty toward a frozen reference policy, added to the reward as
    /// <c>−β·(log π(a|s) − log π_ref(a|s))</c>, as in fine-tuning from human preferences (Ziegler et al. 2019). 0 turns it off;
    /// otherwise <see cref="PpoTrainer.ReferencePolicy"/> must be set.
    /// </summary>
    /// <value>The default value is 0.</value>
    public float ReferenceKlCoef { get; init; }

    /// <summary>
    /// Gets the per-step KL to the reference that an adaptive β steers toward: after each rollout,
    /// <c>β ← β·(1 + clip(KL/target − 1, −0.2, 0.2)·n/horizon)</c> with <c>n</c> the steps of the rollout (Ziegler et al.
    /// 2019). <see langword="null"/> keeps β fixed.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public float? ReferenceKlTarget { get; init; }

    /// <summary>Gets the horizon, in environment steps, of the adaptive reference-KL controller.</summary>
    /// <value>The default value is 10000.</value>
    public int ReferenceKlHorizon { get; init; } = 10_000;

    /// <summary>Gets the Adam learning rate, constant or scheduled (<c>learning_rate</c>).</summary>
    /// <value>The default value is 3e-4.</value>
    public Schedule LearningRate { get; init; } = 3e-4;

    /// <summary>
    /// Gets the seed of the environments, the initial weights, action sampling and minibatch shuffling
    /// (<c>seed</c>); <see langword="null"/> draws one at random. Equal seeds give bit-identical runs.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Seed { get; init; }

    /// <summary>
    /// Gets a value indicating whether observations are normalized with running statistics (Stable-Baselines3's
    /// <c>VecNormalize(norm_obs=True)</c>: clip at 10, ε 1e-8).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool NormalizeObservations { get; init; }

    /// <summary>
    /// Gets a value indicating whether rewards are scaled by the running standard deviation of the discounted return
    /// (Stable-Baselines3's <c>VecNormalize(norm_reward=True)</c>: clip at 10, ε 1e-8).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool NormalizeRewards { get; init; }

    /// <summary>Gets the device that holds the networks and buffers.</summary>
    /// <value>The default value is <see cref="Tensors.Device.Cpu"/>.</value>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Gets the transitions per update: <see cref="NumSteps"/> × <see cref="NumEnvs"/> (0 while <see cref="NumEnvs"/> is 0, before a trainer takes the count from its environments).</summary>
    public int RolloutSize => NumSteps * NumEnvs;

    /// <summary>Returns this instance, or throws one exception listing every invalid field with its value and allowed range.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">One or more fields are out of range.</exception>
    public PpoOptions Validate()
    {
        List<string>? errors = null;
        void Check(bool ok, FormattableString message)
        {
            if (!ok)
                (errors ??= []).Add(message.ToString(CultureInfo.InvariantCulture));
        }

        Check(NumSteps is >= 1 and <= 1_000_000, $"{nameof(NumSteps)} must be in [1, 1000000] (was {NumSteps}).");
        Check(NumEnvs is >= 0 and <= 4096, $"{nameof(NumEnvs)} must be in [0, 4096], 0 for the environments' count (was {NumEnvs}).");
        if (NumEnvs > 0)
        {
            long rolloutSize = (long)NumSteps * NumEnvs;
            Check(rolloutSize is >= 2 and <= 100_000_000, $"{nameof(NumSteps)} × {nameof(NumEnvs)} must be in [2, 100000000] (was {rolloutSize}).");
            Check(BatchSize >= 2 && BatchSize <= rolloutSize, $"{nameof(BatchSize)} must be in [2, {rolloutSize}] ({nameof(NumSteps)} × {nameof(NumEnvs)}) (was {BatchSize}).");
        }
        else
        {
            Check(BatchSize is >= 2 and <= 100_000_000, $"{nameof(BatchSize)} must be in [2, {nameof(NumSteps)} × {nameof(NumEnvs)}] (was {BatchSize}).");
        }

        Check(NumEpochs is >= 1 and <= 10_000, $"{nameof(NumEpochs)} must be in [1, 10000] (was {NumEpochs}).");
        Check(Gamma is >= 0f and <= 1f, $"{nameof(Gamma)} must be in [0, 1] (was {Gamma}).");
        Check(GaeLambda is >= 0f and <= 1f, $"{nameof(GaeLambda)} must be in [0, 1] (was {GaeLambda}).");
        CheckSchedule(ClipRange, nameof(ClipRange), Check);
        if (ClipRangeVf is not null)
            CheckSchedule(ClipRangeVf, nameof(ClipRangeVf), Check);
        Check(float.IsFinite(EntCoef) && EntCoef >= 0f, $"{nameof(EntCoef)} must be finite and >= 0 (was {EntCoef}).");
        Check(float.IsFinite(VfCoef) && VfCoef >= 0f, $"{nameof(VfCoef)} must be finite and >= 0 (was {VfCoef}).");
        Check(float.IsFinite(MaxGradNorm) && MaxGradNorm > 0f, $"{nameof(MaxGradNorm)} must be finite and > 0 (was {MaxGradNorm}).");
        Check(TargetKl is null || (float.IsFinite(TargetKl.Value) && TargetKl.Value > 0f), $"{nameof(TargetKl)} must be null or finite and > 0 (was {TargetKl}).");
        Check(Enum.IsDefined(PolicyObjective), $"{nameof(PolicyObjective)} must be one of {string.Join(", ", Enum.GetNames<PolicyObjective>())} (was {(int)PolicyObjective}).");
        Check(float.IsFinite(KlCoef) && KlCoef >= 0f, $"{nameof(KlCoef)} must be finite and >= 0 (was {KlCoef}).");
        Check(AdaptiveKlTarget is null || (float.IsFinite(AdaptiveKlTarget.Value) && AdaptiveKlTarget.Value > 0f), $"{nameof(AdaptiveKlTarget)} must be null or finite and > 0 (was {AdaptiveKlTarget}).");
        Check(float.IsFinite(ReferenceKlCoef) && ReferenceKlCoef >= 0f, $"{nameof(ReferenceKlCoef)} must be finite and >= 0 (was {ReferenceKlCoef}).");
        Check(ReferenceKlTarget is null || (float.IsFinite(ReferenceKlTarget.Value) && ReferenceKlTarget.Value > 0f), $"{nameof(ReferenceKlTarget)} must be null or finite and > 0 (was {ReferenceKlTarget}).");
        Check(ReferenceKlHorizon >= 1, $"{nameof(ReferenceKlHorizon)} must be >= 1 (was {ReferenceKlHorizon}).");
        CheckSchedule(LearningRate, nameof(LearningRate), Check);
        Check(Device is not null, $"{nameof(Device)} must not be null.");

        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }

    /// <summary>
    /// Evaluates a schedule and checks the value: finite and ≥ 0 everywhere, &gt; 0 at the start of the run.
    /// </summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="progressRemaining">The remaining fraction of the run.</param>
    /// <param name="name">The option's name, for the message.</param>
    /// <returns>The value as a float.</returns>
    /// <exception cref="InvalidOperationException">The schedule produced a negative or non-finite value.</exception>
    internal static float Evaluate(Schedule schedule, double progressRemaining, string name)
    {
        double value = schedule.ValueAt(progressRemaining);
        if (!double.IsFinite(value) || value < 0)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{name} ({schedule}) gave {value} at progress remaining {progressRemaining}; it must be finite and >= 0."));
        return (float)value;
    }

    private static void CheckSchedule(Schedule? schedule, string name, Action<bool, FormattableString> check)
    {
        if (schedule is null)
        {
            check(false, $"{name} must not be null.");
            return;
        }

        double start = schedule.ValueAt(1.0), end = schedule.ValueAt(0.0);
        check(double.IsFinite(start) && start > 0, $"{name} must be finite and > 0 at the start of the run (was {start}, schedule {schedule}).");
        check(double.IsFinite(end) && end >= 0, $"{name} must be finite and >= 0 at the end of the run (was {end}, schedule {schedule}).");
    }
}
