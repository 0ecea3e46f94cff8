using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppo.Tensors;

/// <summary>The kernel vector operations on <see cref="Vector256{T}"/> of <see cref="float"/>.</summary>
internal readonly struct Vector256Operations : IVectorOperations<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static int RegisterCount => Avx512F.VL.IsSupported ? 32 : 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint elementOffset) => Vector256.LoadUnsafe(ref source, (nuint)elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint elementOffset) => value.StoreUnsafe(ref destination, (nuint)elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) => Vector256.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> left, Vector256<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> value) => Vector256.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> value) => Vector256.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> left, Vector256<float> right) => Vector256.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> CopySign(Vector256<float> value, Vector256<float> sign) => Vector256.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectWhereLess(Vector256<float> left, Vector256<float> right, Vector256<float> whenLess, Vector256<float> otherwise) =>
        Vector256.ConditionalSelect(Vector256.LessThan(left, right), whenLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> PowerOfTwoOfShifted(Vector256<float> shifted) => ((shifted.AsInt32() + Vector256.Create(127)) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Fold(Vector256<float> x, Vector256<float> y, int chunk)
    {
        if (Avx.IsSupported)
        {
            return chunk switch
            {
                4 => Avx.Permute2x128(x, y, 0x20) + Avx.Permute2x128(x, y, 0x31),
                2 => Avx.UnpackLow(x.AsDouble(), y.AsDouble()).AsSingle() + Avx.UnpackHigh(x.AsDouble(), y.AsDouble()).AsSingle(),
                _ => Avx.Shuffle(x, y, 0b10_00_10_00) + Avx.Shuffle(x, y, 0b11_01_11_01),
            };
        }

        return FoldPortably(x, y, chunk);
    }

    /// <summary>Computes <see cref="Fold"/> with cross-platform operations only.</summary>
    internal static Vector256<float> FoldPortably(Vector256<float> x, Vector256<float> y, int chunk)
    {
        if (chunk == 4)
            return Vector256.Create(x.GetLower() + x.GetUpper(), y.GetLower() + y.GetUpper());
        return Vector256.Create(
            Vector128Operations.FoldPortably(x.GetLower(), y.GetLower(), chunk),
            Vector128Operations.FoldPortably(x.GetUpper(), y.GetUpper(), chunk));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> KeepUpperLanes(Vector256<float> value, int keptLanes)
    {
        Vector256<int> keep = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(Count - keptLanes));
        return value & keep.AsSingle();
    }
}
