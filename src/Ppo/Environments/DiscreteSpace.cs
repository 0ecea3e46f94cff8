using System.Globalization;

namespace Ppo.Environments;

/// <summary>The integers {0, 1, …, <see cref="Count"/> − 1}, as Gymnasium's <c>Discrete(n)</c>.</summary>
public sealed class DiscreteSpace : Space
{
    /// <summary>Creates the space {0, …, <paramref name="count"/> − 1}.</summary>
    /// <param name="count">The number of actions; must be at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public DiscreteSpace(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Count = count;
    }

    /// <summary>Gets the number of elements in the space.</summary>
    public int Count { get; }

    /// <inheritdoc/>
    /// <remarks>An element is one float holding its integer value.</remarks>
    public override int FlatSize => 1;

    /// <inheritdoc/>
    public override bool Contains(ReadOnlySpan<float> value) =>
        value.Length == 1 && value[0] >= 0 && value[0] < Count && value[0] == MathF.Floor(value[0]);

    /// <summary>Returns the action encoded in <paramref name="value"/>, or throws if it is not an element.</summary>
    /// <param name="value">A flat element of length 1.</param>
    /// <param name="parameterName">The name reported in the exception.</param>
    /// <returns>The integer action.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not an element of the space.</exception>
    public int ToAction(ReadOnlySpan<float> value, string parameterName)
    {
        if (!Contains(value))
        {
            string shown = value.Length == 1 ? value[0].ToString(CultureInfo.InvariantCulture) : $"a span of length {value.Length}";
            throw new ArgumentException($"The action must be one integer in [0, {Count - 1}] (was {shown}).", parameterName);
        }

        return (int)value[0];
    }

    /// <inheritdoc/>
    public override string ToString() => $"Discrete({Count})";
}
