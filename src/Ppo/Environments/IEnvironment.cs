namespace Ppo.Environments;

/// <summary>
/// A single reinforcement-learning environment shaped like Gymnasium's <c>Env</c>: <see cref="Reset"/> starts an
/// episode, <see cref="Step"/> advances it and says whether it terminated or was truncated.
/// </summary>
/// <remarks>
/// Observations are written into caller-supplied spans so that stepping allocates nothing. Actions are flat floats:
/// one float holding the integer for a <see cref="DiscreteSpace"/>, one per dimension for a <see cref="BoxSpace"/>.
/// </remarks>
public interface IEnvironment : IDisposable
{
    /// <summary>Gets the space of observations.</summary>
    BoxSpace ObservationSpace { get; }

    /// <summary>Gets the space of actions.</summary>
    Space ActionSpace { get; }

    /// <summary>Starts a new episode and writes its first observation.</summary>
    /// <param name="observation">Receives the observation; length <c>ObservationSpace.Size</c>.</param>
    /// <param name="seed">When given, reseeds the environment's random generator first, so that equal seeds give equal episodes.</param>
    /// <exception cref="ArgumentException"><paramref name="observation"/> has the wrong length.</exception>
    void Reset(Span<float> observation, int? seed = null);

    /// <summary>Applies <paramref name="action"/>, writes the next observation and returns the reward and end flags.</summary>
    /// <param name="action">The action as flat floats; length <c>ActionSpace.FlatSize</c>.</param>
    /// <param name="observation">Receives the next observation; length <c>ObservationSpace.Size</c>.</param>
    /// <returns>The reward and whether the episode terminated or was truncated.</returns>
    /// <exception cref="ArgumentException">The action is not in the action space, or a span has the wrong length.</exception>
    /// <exception cref="InvalidOperationException">The environment was not reset, or the episode has already ended.</exception>
    StepResult Step(ReadOnlySpan<float> action, Span<float> observation);
}
