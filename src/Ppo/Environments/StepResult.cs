namespace Ppo.Environments;

/// <summary>What one environment step returns besides the observation, as Gymnasium's <c>step</c>.</summary>
/// <param name="Reward">The reward for the transition.</param>
/// <param name="Terminated">The episode reached a terminal state of the task (the value of what follows is zero).</param>
/// <param name="Truncated">The episode was cut short by a limit outside the task, such as a time limit; the state is not terminal.</param>
public readonly record struct StepResult(float Reward, bool Terminated, bool Truncated);
