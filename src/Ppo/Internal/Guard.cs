using System.Diagnostics.CodeAnalysis;

namespace Ppo.Internal;

/// <summary>Argument checks shared by the kernels; messages state the expected and the actual sizes.</summary>
internal static class Guard
{
    public static void HasLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected)
            ThrowLength(name, expected, span.Length);
    }

    public static void HasLength<T>(Span<T> span, int expected, string name)
    {
        if (span.Length != expected)
            ThrowLength(name, expected, span.Length);
    }

    public static void HasAtLeast<T>(ReadOnlySpan<T> span, int needed, string name)
    {
        if (span.Length < needed)
            ThrowTooShort(name, needed, span.Length);
    }

    public static void HasAtLeast<T>(Span<T> span, int needed, string name)
    {
        if (span.Length < needed)
            ThrowTooShort(name, needed, span.Length);
    }

    public static void SameLength<T1, T2>(ReadOnlySpan<T1> first, ReadOnlySpan<T2> second, string firstName, string secondName)
    {
        if (first.Length != second.Length)
            throw new ArgumentException($"{firstName} and {secondName} must have the same length ({firstName} has {first.Length}, {secondName} has {second.Length}).", secondName);
    }

    [DoesNotReturn]
    public static void ThrowLength(string name, int expected, int actual) =>
        throw new ArgumentException($"{name} must have length {expected} (was {actual}).", name);

    [DoesNotReturn]
    public static void ThrowTooShort(string name, int needed, int actual) =>
        throw new ArgumentException($"{name} must have at least {needed} elements (was {actual}).", name);
}
