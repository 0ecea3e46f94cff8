using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Ppo.Tensors;

/// <summary>The kernel vector operations on <see cref="Vector128{T}"/> of <see cref="float"/>.</summary>
internal readonly struct Vector128Operations : IVectorOperations<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static int RegisterCount => Avx512F.VL.IsSupported || AdvSimd.Arm64.IsSupported ? 32 : 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nint elementOffset) => Vector128.LoadUnsafe(ref source, (nuint)elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nint elementOffset) => value.StoreUnsafe(ref destination, (nuint)elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend) => Vector128.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> left, Vector128<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> value) => Vector128.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> value) => Vector128.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> left, Vector128<float> right) => Vector128.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> CopySign(Vector128<float> value, Vector128<float> sign) => Vector128.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SelectWhereLess(Vector128<float> left, Vector128<float> right, Vector128<float> whenLess, Vector128<float> otherwise) =>
        Vector128.ConditionalSelect(Vector128.LessThan(left, right), whenLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> PowerOfTwoOfShifted(Vector128<float> shifted) => ((shifted.AsInt32() + Vector128.Create(127)) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector128<float> x, Vector128<float> y, int chunk)
    {
        if (chunk == 1 && Sse.IsSupported)
            return Sse.Shuffle(x, y, 0b10_00_10_00) + Sse.Shuffle(x, y, 0b11_01_11_01);
        if (chunk == 1 && AdvSimd.Arm64.IsSupported)
            return AdvSimd.Arm64.UnzipEven(x, y) + AdvSimd.Arm64.UnzipOdd(x, y);
        return FoldPortably(x, y, chunk);
    }

    /// <summary>Computes <see cref="Fold"/> with cross-platform operations only.</summary>
    internal static Vector128<float> FoldPortably(Vector128<float> x, Vector128<float> y, int chunk)
    {
        if (chunk == 1)
        {
            Vector128<int> evensThenOdds = Vector128.Create(0, 2, 1, 3);
            x = Vector128.Shuffle(x, evensThenOdds);
            y = Vector128.Shuffle(y, evensThenOdds);
        }

        return Vector128.Create(x.GetLower() + x.GetUpper(), y.GetLower() + y.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> KeepUpperLanes(Vector128<float> value, int keptLanes)
    {
        Vector128<int> keep = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(Count - keptLanes));
        return value & keep.AsSingle();
    }
}
