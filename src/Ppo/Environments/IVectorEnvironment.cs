namespace Ppo.Environments;

/// <summary>
/// Several copies of an environment stepped together, as Gymnasium's vector environments with automatic reset.
/// </summary>
/// <remarks>
/// An environment whose episode ends is reset within the same step; its final observation stays available in
/// <see cref="VectorStep.FinalObservations"/> for bootstrapping a truncated episode.
/// </remarks>
public interface IVectorEnvironment : IDisposable
{
    /// <summary>Gets the number of environments.</summary>
    int EnvironmentCount { get; }

    /// <summary>Gets the observation space of one environment.</summary>
    BoxSpace ObservationSpace { get; }

    /// <summary>Gets the action space of one environment.</summary>
    Space ActionSpace { get; }

    /// <summary>Resets every environment.</summary>
    /// <param name="seed">When given, environment <c>i</c> is reseeded with <c>seed + i</c>, as Gymnasium does.</param>
    /// <returns>The outputs, with the first observations; rewards and flags are cleared. Owned by this object.</returns>
    VectorStep Reset(int? seed = null);

    /// <summary>Steps every environment with its action and resets those whose episode ended.</summary>
    /// <param name="actions">The actions, <c>[EnvironmentCount × ActionSpace.FlatSize]</c>, row-major.</param>
    /// <returns>The outputs of the step. Owned by this object and overwritten by the next call.</returns>
    /// <exception cref="ArgumentException"><paramref name="actions"/> has the wrong length or holds an invalid action.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Reset"/> has not been called.</exception>
    VectorStep Step(ReadOnlySpan<float> actions);
}
