using System.Globalization;

namespace Ppo.Samples.RlhfTransformer;

/// <summary>The KL penalty of one PPO run: β fixed, or adapted toward a target KL per review by the controller of Ziegler et al. (2019).</summary>
/// <param name="Coefficient">β, or the starting β of an adaptive penalty.</param>
/// <param name="Target">The KL per review, in nats, an adaptive β steers toward; <see langword="null"/> keeps β fixed.</param>
public sealed record KlSetting(float Coefficient, float? Target = null)
{
    public string Label => Target is float target
        ? string.Create(CultureInfo.InvariantCulture, $"adaptive beta, target KL {target:0.##}")
        : string.Create(CultureInfo.InvariantCulture, $"beta = {Coefficient:0.###}");
}
