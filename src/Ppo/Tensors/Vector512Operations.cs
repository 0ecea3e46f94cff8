using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppo.Tensors;

/// <summary>The kernel vector operations on <see cref="Vector512{T}"/> of <see cref="float"/>.</summary>
internal readonly struct Vector512Operations : IVectorOperations<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static int RegisterCount => 32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint elementOffset) => Vector512.LoadUnsafe(ref source, (nuint)elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint elementOffset) => value.StoreUnsafe(ref destination, (nuint)elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) => Vector512.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> left, Vector512<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> value) => Vector512.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> value) => Vector512.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> left, Vector512<float> right) => Vector512.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> CopySign(Vector512<float> value, Vector512<float> sign) => Vector512.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectWhereLess(Vector512<float> left, Vector512<float> right, Vector512<float> whenLess, Vector512<float> otherwise) =>
        Vector512.ConditionalSelect(Vector512.LessThan(left, right), whenLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> PowerOfTwoOfShifted(Vector512<float> shifted) => ((shifted.AsInt32() + Vector512.Create(127)) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Fold(Vector512<float> x, Vector512<float> y, int chunk)
    {
        if (Avx512F.IsSupported)
        {
            return chunk switch
            {
                8 => Avx512F.Shuffle4x128(x, y, 0b01_00_01_00) + Avx512F.Shuffle4x128(x, y, 0b11_10_11_10),
                4 => Avx512F.PermuteVar8x64x2(x.AsDouble(), Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13), y.AsDouble()).AsSingle()
                    + Avx512F.PermuteVar8x64x2(x.AsDouble(), Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15), y.AsDouble()).AsSingle(),
                2 => Avx512F.UnpackLow(x.AsDouble(), y.AsDouble()).AsSingle() + Avx512F.UnpackHigh(x.AsDouble(), y.AsDouble()).AsSingle(),
                _ => Avx512F.Shuffle(x, y, 0b10_00_10_00) + Avx512F.Shuffle(x, y, 0b11_01_11_01),
            };
        }

        return FoldPortably(x, y, chunk);
    }

    /// <summary>Computes <see cref="Fold"/> with cross-platform operations only.</summary>
    internal static Vector512<float> FoldPortably(Vector512<float> x, Vector512<float> y, int chunk)
    {
        if (chunk == 8)
            return Vector512.Create(x.GetLower() + x.GetUpper(), y.GetLower() + y.GetUpper());
        return Vector512.Create(
            Vector256Operations.FoldPortably(x.GetLower(), y.GetLower(), chunk),
            Vector256Operations.FoldPortably(x.GetUpper(), y.GetUpper(), chunk));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepUpperLanes(Vector512<float> value, int keptLanes)
    {
        Vector512<int> keep = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(Count - keptLanes));
        return value & keep.AsSingle();
    }
}
