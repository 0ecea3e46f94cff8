namespace Ppo.Environments;

/// <summary>A vector of environments that can report the action masks of its current observations (see <see cref="IMaskableEnvironment"/>).</summary>
public interface IMaskableVectorEnvironment : IVectorEnvironment
{
    /// <summary>Gets a value indicating whether every environment exposes action masks, so that <see cref="WriteActionMasks"/> can be called.</summary>
    bool HasActionMasks { get; }

    /// <summary>
    /// Writes the action mask of every environment's current observation (after an automatic reset, that of the new
    /// episode's first observation): environment <c>i</c> at flags <c>[i·L, (i+1)·L)</c>, with <c>L</c> =
    /// <see cref="ActionMasks.Length"/> of the action space.
    /// </summary>
    /// <param name="masks">Receives <c>EnvironmentCount × L</c> flags, <see langword="true"/> for a valid action.</param>
    /// <exception cref="ArgumentException"><paramref name="masks"/> has the wrong length.</exception>
    /// <exception cref="InvalidOperationException">
    /// <see cref="HasActionMasks"/> is false, the vector was not reset, or an environment leaves no valid action (the
    /// message names the environment index and the step).
    /// </exception>
    void WriteActionMasks(Span<bool> masks);
}
