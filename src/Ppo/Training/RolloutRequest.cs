using Ppo.Policies;
using Ppo.Rollouts;

namespace Ppo.Training;

/// <summary>What <see cref="PpoTrainer"/> asks of one rollout (<see cref="IRolloutCollector.Collect"/>).</summary>
/// <param name="Learner">The learner that chooses the actions and predicts the values.</param>
/// <param name="Buffer">The cleared buffer to fill.</param>
/// <param name="Gamma">The discount γ of the truncation bootstrap.</param>
/// <param name="Listener">Told of each vector step and each finished episode, as they happen.</param>
/// <param name="ReferencePolicy">The frozen reference of the per-step KL penalty, or <see langword="null"/> for none.</param>
/// <param name="ReferenceKlCoefficient">The penalty's weight β: each reward becomes <c>r − β·(log π(a|s) − log π_ref(a|s))</c>.</param>
public readonly record struct RolloutRequest(ILearner Learner, RolloutBuffer Buffer, float Gamma, IRolloutListener Listener, IPolicy? ReferencePolicy = null, float ReferenceKlCoefficient = 0f);
