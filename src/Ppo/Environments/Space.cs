namespace Ppo.Environments;

/// <summary>The set of valid observations or actions of an environment, as in Gymnasium's <c>spaces</c>.</summary>
/// <remarks>
/// Every element of a space is stored as floats in a flat buffer: <see cref="FlatSize"/> floats per element.
/// A <see cref="DiscreteSpace"/> stores its integer as one float; a <see cref="BoxSpace"/> stores one float per dimension.
/// </remarks>
public abstract class Space
{
    private protected Space()
    {
    }

    /// <summary>Gets the number of floats one element of this space occupies in a flat buffer.</summary>
    public abstract int FlatSize { get; }

    /// <summary>Tells whether <paramref name="value"/> is an element of this space.</summary>
    /// <param name="value">A flat element of length <see cref="FlatSize"/>.</param>
    /// <returns><see langword="true"/> if the value has the right length and lies inside the space.</returns>
    public abstract bool Contains(ReadOnlySpan<float> value);
}
