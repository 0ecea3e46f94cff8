namespace Ppo.Environments;

/// <summary>
/// An environment in which some actions are invalid in some states, and which says which ones: the action mask of its
/// current observation, as sb3-contrib's <c>action_masks()</c>.
/// </summary>
/// <remarks>
/// <para>
/// The mask has one flag per category (<see cref="ActionMasks.Length"/>): <c>Count</c> flags for a
/// <see cref="DiscreteSpace"/>, <c>TotalCategoryCount</c> flags for a <see cref="MultiDiscreteSpace"/>, component after
/// component. <see langword="true"/> marks a valid action. Every component must keep at least one valid category.
/// </para>
/// <para>
/// The mask is read after every <c>Reset</c> and <c>Step</c> (after an automatic reset: the mask of the new episode's
/// first observation), and a policy gives the invalid actions probability exactly 0. Masks on
/// <see cref="BoxSpace"/> and <see cref="MultiBinarySpace"/> actions are not supported.
/// </para>
/// </remarks>
public interface IMaskableEnvironment
{
    /// <summary>Writes which actions are valid for the current observation.</summary>
    /// <param name="mask">Receives one flag per category, <see langword="true"/> for a valid one; length <see cref="ActionMasks.Length"/> of the action space.</param>
    /// <exception cref="ArgumentException"><paramref name="mask"/> has the wrong length.</exception>
    /// <exception cref="InvalidOperationException">The environment was not reset.</exception>
    void WriteActionMask(Span<bool> mask);
}
