namespace Ppo.Samples.Rlhf;

/// <summary>The result of fine-tuning the supervised policy with PPO under one KL penalty.</summary>
/// <param name="Penalty">The KL penalty.</param>
/// <param name="Curve">One point per PPO update.</param>
/// <param name="Final">The fine-tuned policy, measured after training.</param>
/// <param name="Seconds">The wall-clock time of the run.</param>
public sealed record PpoRun(KlPenalty Penalty, IReadOnlyList<TrainingPoint> Curve, PolicySummary Final, double Seconds);
