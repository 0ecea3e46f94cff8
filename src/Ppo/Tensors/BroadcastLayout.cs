using System.Runtime.CompilerServices;

namespace Ppo.Tensors;

/// <summary>The two <see cref="IBroadcastLayout"/> layouts.</summary>
internal static class BroadcastLayout
{
    /// <summary>Row-major: element <c>(i, p)</c> lies at <c>i·stride + p</c>.</summary>
    internal readonly struct RowMajor : IBroadcastLayout
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static nint RowOffset(nint row, nint stride) => row * stride;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static nint ColumnOffset(nint column, nint stride) => column;
    }

    /// <summary>Column-major: element <c>(i, p)</c> lies at <c>p·stride + i</c>.</summary>
    internal readonly struct ColumnMajor : IBroadcastLayout
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static nint RowOffset(nint row, nint stride) => row;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static nint ColumnOffset(nint column, nint stride) => column * stride;
    }
}
