using System.Runtime.Intrinsics;

namespace Ppo.Tensors;

/// <summary>The vector width a kernel runs on.</summary>
internal enum VectorWidth
{
    /// <summary>No vectors: one element at a time.</summary>
    Scalar,

    /// <summary><see cref="Vector128{T}"/>.</summary>
    Vector128,

    /// <summary><see cref="Vector256{T}"/>.</summary>
    Vector256,

    /// <summary><see cref="Vector512{T}"/>.</summary>
    Vector512,
}
