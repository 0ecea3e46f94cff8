namespace Ppo.Environments.ClassicControl;

/// <summary>The physical state of <see cref="CartPole"/>, in double precision as Gymnasium keeps it.</summary>
/// <param name="Position">The cart position <c>x</c> along the track, in metres; 0 is the centre.</param>
/// <param name="Velocity">The cart velocity <c>ẋ</c>, in metres per second; positive is to the right.</param>
/// <param name="Angle">The pole angle <c>θ</c> from upright, in radians; positive leans to the right.</param>
/// <param name="AngularVelocity">The pole angular velocity <c>θ̇</c>, in radians per second.</param>
public readonly record struct CartPoleState(double Position, double Velocity, double Angle, double AngularVelocity);
