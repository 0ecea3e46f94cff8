using System.Runtime.InteropServices;

namespace Ppo.Environments.Box2D;

/// <summary>
/// What one frame applies to the lander, in world coordinates and SI units; the layout of the native
/// <c>ppo_lunar_command</c>. Flags are 32-bit integers so that the struct is blittable.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LunarLanderCommand
{
    /// <summary>Nonzero to apply <see cref="WindForceX"/> and <see cref="WindTorque"/>.</summary>
    public int ApplyWind;

    /// <summary>The horizontal wind force on the lander's centre of mass, in newtons.</summary>
    public float WindForceX;

    /// <summary>The turbulence torque on the lander, in newton-metres.</summary>
    public float WindTorque;

    /// <summary>Nonzero to apply the main-engine impulse.</summary>
    public int FireMain;

    /// <summary>The main-engine impulse, x component, in newton-seconds.</summary>
    public float MainImpulseX;

    /// <summary>The main-engine impulse, y component, in newton-seconds.</summary>
    public float MainImpulseY;

    /// <summary>Where the main-engine impulse acts, x, in metres.</summary>
    public float MainPointX;

    /// <summary>Where the main-engine impulse acts, y, in metres.</summary>
    public float MainPointY;

    /// <summary>Nonzero to apply the side-engine impulse.</summary>
    public int FireSide;

    /// <summary>The side-engine impulse, x component, in newton-seconds.</summary>
    public float SideImpulseX;

    /// <summary>The side-engine impulse, y component, in newton-seconds.</summary>
    public float SideImpulseY;

    /// <summary>Where the side-engine impulse acts, x, in metres.</summary>
    public float SidePointX;

    /// <summary>Where the side-engine impulse acts, y, in metres.</summary>
    public float SidePointY;
}
