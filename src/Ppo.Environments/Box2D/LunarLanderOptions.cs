namespace Ppo.Environments.Box2D;

/// <summary>
/// Settings of a <see cref="LunarLander"/>. Names, defaults and ranges follow the arguments of Gymnasium's
/// <c>LunarLander-v3</c> (<c>gymnasium/envs/box2d/lunar_lander.py</c>) and the time limit it is registered with.
/// </summary>
public sealed record LunarLanderOptions
{
    /// <summary>Gets a value indicating whether actions are continuous throttles (<c>LunarLanderContinuous-v3</c>) rather than four discrete engine choices.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Continuous { get; init; }

    /// <summary>Gets the vertical gravity in m/s²; must lie in (−12, 0), as Gymnasium asserts.</summary>
    /// <value>The default value is −10.</value>
    public float Gravity { get; init; } = -10f;

    /// <summary>Gets a value indicating whether wind and turbulence push the lander while no leg touches the ground.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool EnableWind { get; init; }

    /// <summary>Gets the largest horizontal wind force in newtons; must lie in [0, 20], the range Gymnasium recommends.</summary>
    /// <value>The default value is 15.</value>
    /// <remarks>Gymnasium only warns outside the range; with no warning channel here, a value outside it is rejected.</remarks>
    public float WindPower { get; init; } = 15f;

    /// <summary>Gets the largest turbulence torque in newton-metres; must lie in [0, 2], the range Gymnasium recommends.</summary>
    /// <value>The default value is 1.5.</value>
    /// <remarks>Gymnasium only warns outside the range; with no warning channel here, a value outside it is rejected.</remarks>
    public float TurbulencePower { get; init; } = 1.5f;

    /// <summary>Gets the number of steps after which an episode is truncated; must be at least 1.</summary>
    /// <value>The default value is 1000, the limit <c>LunarLander-v3</c> is registered with.</value>
    public int MaxEpisodeSteps { get; init; } = 1000;

    /// <summary>Returns this instance, or throws one exception listing every invalid field.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">One or more values are out of range; the message names each field and its allowed range.</exception>
    public LunarLanderOptions Validate()
    {
        List<string>? errors = null;
        void Check(bool valid, string message)
        {
            if (!valid)
                (errors ??= []).Add(message);
        }

        // The patterns are false for NaN, so NaN is rejected as well.
        Check(Gravity is > -12f and < 0f, $"{nameof(Gravity)} must be in (-12, 0) (was {Gravity}).");
        Check(WindPower is >= 0f and <= 20f, $"{nameof(WindPower)} must be in [0, 20] (was {WindPower}).");
        Check(TurbulencePower is >= 0f and <= 2f, $"{nameof(TurbulencePower)} must be in [0, 2] (was {TurbulencePower}).");
        Check(MaxEpisodeSteps >= 1, $"{nameof(MaxEpisodeSteps)} must be in [1, {int.MaxValue}] (was {MaxEpisodeSteps}).");

        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
