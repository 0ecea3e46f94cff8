namespace Ppo.Losses;

/// <summary>The coefficients and switches of the combined PPO loss, with Stable-Baselines3's meaning.</summary>
/// <param name="ClipRange">The policy clip range ε (<c>clip_range</c>); finite and ≥ 0.</param>
/// <param name="ValueClipRange">The value clip range εv (<c>clip_range_vf</c>), or <see langword="null"/> for no value clipping.</param>
/// <param name="NormalizeAdvantage">Normalizes the advantages of each minibatch (<c>normalize_advantage</c>).</param>
/// <param name="EntropyCoefficient">The weight of the entropy bonus (<c>ent_coef</c>).</param>
/// <param name="ValueCoefficient">The weight of the value loss (<c>vf_coef</c>).</param>
/// <param name="Objective">The policy objective: clipped surrogate, KL penalty, or both.</param>
/// <param name="KlCoefficient">The weight β of the KL penalty, used by the objectives that have one.</param>
public readonly record struct PpoLossSettings(
    float ClipRange,
    float? ValueClipRange,
    bool NormalizeAdvantage,
    float EntropyCoefficient,
    float ValueCoefficient,
    PolicyObjective Objective = PolicyObjective.ClippedSurrogate,
    float KlCoefficient = 0f)
{
    /// <summary>Gets a value indicating whether the objective clips the probability ratio.</summary>
    public bool Clips => Objective != PolicyObjective.KlPenalty;

    /// <summary>Gets a value indicating whether the objective penalizes KL(π_old ‖ π).</summary>
    public bool PenalizesKl => Objective != PolicyObjective.ClippedSurrogate;
}
