namespace Ppo.Training;

/// <summary>The two rules that adapt a KL penalty's weight β from the divergence measured after an update or rollout.</summary>
public static class KlPenaltyControllers
{
    /// <summary>
    /// The adaptive KL penalty of PPO (Schulman et al. 2017, section 4): halve β when the measured divergence is below
    /// <c>target / 1.5</c>, double it when above <c>target × 1.5</c>, keep it otherwise.
    /// </summary>
    /// <param name="coefficient">The current β.</param>
    /// <param name="measuredKl">The divergence measured after the update.</param>
    /// <param name="target">The target divergence d_targ; &gt; 0.</param>
    /// <returns>The next β.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="target"/> is not a finite positive number.</exception>
    public static float Adaptive(float coefficient, float measuredKl, float target)
    {
        CheckTarget(target);
        if (measuredKl < target / 1.5f)
            return coefficient / 2f;
        if (measuredKl > target * 1.5f)
            return coefficient * 2f;
        return coefficient;
    }

    /// <summary>
    /// The proportional controller of Ziegler et al. (2019, "Fine-tuning language models from human preferences"):
    /// <c>β ← β·(1 + clip(KL/target − 1, −0.2, 0.2)·steps/horizon)</c>.
    /// </summary>
    /// <param name="coefficient">The current β.</param>
    /// <param name="measuredKl">The divergence measured over the last rollout.</param>
    /// <param name="target">The target divergence; &gt; 0.</param>
    /// <param name="steps">The number of steps the measurement covers; ≥ 0.</param>
    /// <param name="horizon">The horizon of the controller, in steps; ≥ 1.</param>
    /// <returns>The next β.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static float Proportional(float coefficient, float measuredKl, float target, int steps, int horizon)
    {
        CheckTarget(target);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(horizon);
        float error = Math.Clamp(measuredKl / target - 1f, -0.2f, 0.2f);
        return coefficient * (1f + error * steps / horizon);
    }

    private static void CheckTarget(float target)
    {
        if (!float.IsFinite(target) || target <= 0f)
            throw new ArgumentOutOfRangeException(nameof(target), target, "The target divergence must be finite and > 0.");
    }
}
