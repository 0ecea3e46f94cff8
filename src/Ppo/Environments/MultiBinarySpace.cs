using System.Globalization;

namespace Ppo.Environments;

/// <summary>A vector of independent on/off flags, each 0 or 1, as Gymnasium's <c>MultiBinary(n)</c> of rank 1.</summary>
/// <remarks>
/// <para>An element is <see cref="Size"/> floats, each 0 or 1.</para>
/// <para>
/// A policy over this space has one Bernoulli component per flag, parameterized by one logit each (Stable-Baselines3's
/// <c>BernoulliDistribution</c>). <c>MultiDiscrete</c> of twos describes the same distributions but with two logits
/// per flag whose difference is all that matters: the network output doubles, the gradient splits between two
/// redundant outputs, and parameters, golden vectors and checkpoints would no longer line up with Stable-Baselines3's.
/// It is therefore its own space and distribution.
/// </para>
/// </remarks>
public sealed class MultiBinarySpace : Space
{
    /// <summary>Creates the space of <paramref name="size"/> flags.</summary>
    /// <param name="size">The number of flags; must be at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1.</exception>
    public MultiBinarySpace(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Size = size;
    }

    /// <summary>Gets the number of flags.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    /// <remarks>One float per flag.</remarks>
    public override int FlatSize => Size;

    /// <inheritdoc/>
    public override bool Contains(ReadOnlySpan<float> value)
    {
        if (value.Length != Size)
            return false;
        foreach (float flag in value)
        {
            if (flag is not (0f or 1f))
                return false;
        }

        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"MultiBinary({Size})");
}
