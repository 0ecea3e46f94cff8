using System.Runtime.InteropServices;

namespace Ppo.Environments.Box2D;

/// <summary>
/// The lander's state as Box2D holds it after a reset or a step; the layout of the native <c>ppo_lunar_state</c>.
/// Flags are 32-bit integers so that the struct is blittable.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LunarLanderBodyState
{
    /// <summary>The body origin, x, in metres.</summary>
    public float PositionX;

    /// <summary>The body origin, y, in metres.</summary>
    public float PositionY;

    /// <summary>The linear velocity, x, in m/s.</summary>
    public float VelocityX;

    /// <summary>The linear velocity, y, in m/s.</summary>
    public float VelocityY;

    /// <summary>The body angle in radians, counter-clockwise.</summary>
    public float Angle;

    /// <summary>The angular velocity in rad/s, counter-clockwise.</summary>
    public float AngularVelocity;

    /// <summary>Nonzero while the first leg (Gymnasium's <c>legs[0]</c>) touches the ground.</summary>
    public int FirstLegContact;

    /// <summary>Nonzero while the second leg (Gymnasium's <c>legs[1]</c>) touches the ground.</summary>
    public int SecondLegContact;

    /// <summary>Nonzero once the lander body has touched the ground in this episode (Gymnasium's <c>game_over</c>).</summary>
    public int BodyContact;

    /// <summary>Nonzero while Box2D keeps the lander awake; zero once it has come to rest and sleeps.</summary>
    public int Awake;
}
