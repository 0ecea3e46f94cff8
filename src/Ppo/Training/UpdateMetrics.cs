namespace Ppo.Training;

/// <summary>What one PPO update did, in Stable-Baselines3's terms; losses and diagnostics are means over the minibatches of the update.</summary>
/// <param name="Update">The number of the update, from 1.</param>
/// <param name="TotalTimesteps">The environment steps collected so far, over every environment.</param>
/// <param name="PolicyLoss">The mean clipped-surrogate loss (<c>train/policy_gradient_loss</c>).</param>
/// <param name="ValueLoss">The mean value loss (<c>train/value_loss</c>).</param>
/// <param name="EntropyLoss">The mean entropy loss, −mean(H) (<c>train/entropy_loss</c>).</param>
/// <param name="Loss">The total loss of the last minibatch (<c>train/loss</c>).</param>
/// <param name="ApproximateKl">The mean approximate KL(π_old ‖ π_new) (<c>train/approx_kl</c>).</param>
/// <param name="ClipFraction">The mean fraction of clipped ratios (<c>train/clip_fraction</c>).</param>
/// <param name="ExplainedVariance">1 − Var[returns − values] / Var[returns] over the rollout (<c>train/explained_variance</c>); NaN when the returns are constant.</param>
/// <param name="GradientNorm">The mean global gradient norm before clipping.</param>
/// <param name="LearningRate">The learning rate used by this update.</param>
/// <param name="ClipRange">The clip range used by this update.</param>
/// <param name="EpochsCompleted">The epochs run; fewer than <c>NumEpochs</c> when the KL target stopped the update.</param>
/// <param name="GradientSteps">The optimizer steps taken by this update.</param>
/// <param name="EarlyStopped">Whether the KL target stopped the update early.</param>
/// <param name="StepsPerSecond">Environment steps per second of wall-clock time since training started (<c>time/fps</c>).</param>
/// <param name="ElapsedSeconds">Wall-clock seconds since training started.</param>
/// <param name="MeanEpisodeReturn">The mean return of the last 100 finished episodes (<c>rollout/ep_rew_mean</c>); NaN before the first one.</param>
/// <param name="MeanEpisodeLength">The mean length of the last 100 finished episodes (<c>rollout/ep_len_mean</c>); NaN before the first one.</param>
/// <param name="EpisodesFinished">The episodes finished so far.</param>
/// <param name="KlDivergence">With a KL objective, the mean exact KL(π_old ‖ π) over the rollout after the update; otherwise NaN.</param>
/// <param name="KlCoefficient">With a KL objective, the β this update used; otherwise NaN.</param>
/// <param name="ReferenceKl">With a reference policy, the mean per-step <c>log π − log π_ref</c> of the rollout's actions; otherwise NaN.</param>
/// <param name="ReferenceKlCoefficient">With a reference policy, the β that penalized this rollout's rewards; otherwise NaN.</param>
/// <param name="RatioMean">The mean over minibatches of the mean probability ratio <c>π(a|s) / π_old(a|s)</c>, before each step (1 on the first minibatch of an update); NaN when unknown.</param>
/// <param name="RatioStandardDeviation">The mean over minibatches of the ratio's standard deviation within the minibatch; NaN when unknown.</param>
/// <param name="RolloutRecoveries">The recoveries of this update's rollout (<see cref="RolloutSummary.Recoveries"/>): parts collected again on environments started afresh; 0 for a local collector.</param>
public readonly record struct UpdateMetrics(
    int Update,
    long TotalTimesteps,
    float PolicyLoss,
    float ValueLoss,
    float EntropyLoss,
    float Loss,
    float ApproximateKl,
    float ClipFraction,
    float ExplainedVariance,
    float GradientNorm,
    float LearningRate,
    float ClipRange,
    int EpochsCompleted,
    int GradientSteps,
    bool EarlyStopped,
    double StepsPerSecond,
    double ElapsedSeconds,
    double MeanEpisodeReturn,
    double MeanEpisodeLength,
    long EpisodesFinished,
    float KlDivergence = float.NaN,
    float KlCoefficient = float.NaN,
    float ReferenceKl = float.NaN,
    float ReferenceKlCoefficient = float.NaN,
    float RatioMean = float.NaN,
    float RatioStandardDeviation = float.NaN,
    int RolloutRecoveries = 0);
