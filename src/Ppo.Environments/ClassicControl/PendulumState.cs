namespace Ppo.Environments.ClassicControl;

/// <summary>The physical state of <see cref="Pendulum"/>, in double precision as Gymnasium keeps it.</summary>
/// <param name="Angle">The angle <c>θ</c> in radians, 0 upright, positive counter-clockwise; not wrapped to a range.</param>
/// <param name="AngularVelocity">The angular velocity <c>θ̇</c> in radians per second.</param>
public readonly record struct PendulumState(double Angle, double AngularVelocity);
