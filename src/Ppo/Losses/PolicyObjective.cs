namespace Ppo.Losses;

/// <summary>The policy objective of PPO (Schulman et al. 2017, section 4).</summary>
public enum PolicyObjective
{
    /// <summary>The clipped surrogate <c>min(r·A, clip(r, 1−ε, 1+ε)·A)</c> (eq. 7), the default.</summary>
    ClippedSurrogate = 0,

    /// <summary>The KL-penalized surrogate <c>r·A − β·KL(π_old ‖ π)</c> (eq. 8), without clipping.</summary>
    KlPenalty = 1,

    /// <summary>Both: <c>min(r·A, clip(r, 1−ε, 1+ε)·A) − β·KL(π_old ‖ π)</c>.</summary>
    ClippedSurrogateWithKlPenalty = 2,
}
