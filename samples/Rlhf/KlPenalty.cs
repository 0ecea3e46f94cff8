using System.Globalization;

namespace Ppo.Samples.Rlhf;

/// <summary>
/// The KL penalty of one PPO run: the weight β of <c>−β·(log π − log π_ref)</c> in each token's reward, fixed or, with a
/// target, adapted by the proportional controller of Ziegler et al. (2019) toward <see cref="TargetPerReview"/>.
/// </summary>
/// <param name="Coefficient">β, or the starting β of an adaptive penalty.</param>
/// <param name="TargetPerReview">The KL per review, in nats, that an adaptive β steers toward; <see langword="null"/> keeps β fixed.</param>
public sealed record KlPenalty(float Coefficient, float? TargetPerReview = null)
{
    /// <summary>The target per token, the unit of <c>PpoOptions.ReferenceKlTarget</c>: each review is <see cref="ReviewLanguage.ReviewLength"/> tokens.</summary>
    public float? TargetPerToken => TargetPerReview / ReviewLanguage.ReviewLength;

    public string Label => TargetPerReview is float target
        ? string.Create(CultureInfo.InvariantCulture, $"adaptive beta, target KL {target:0.##}")
        : string.Create(CultureInfo.InvariantCulture, $"beta = {Coefficient:0.###}");
}
