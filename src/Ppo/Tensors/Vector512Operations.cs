using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Ppo.Tensors;

/// <summary>The kernel vector operations on <see cref="Vector512{T}"/> of <see cref="float"/>.</summary>
internal readonly struct Vector512Operations : IVectorOperations<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

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
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepUpperLanes(Vector512<float> value, int keptLanes)
    {
        Vector512<int> keep = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(Count - keptLanes));
        return value & keep.AsSingle();
    }
}
