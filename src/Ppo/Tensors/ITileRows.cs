namespace Ppo.Tensors;

/// <summary>
/// A row count known when a kernel is compiled. Kernels take it as a struct type argument, so each count gets
/// its own specialized body in which the code for absent rows is removed.
/// </summary>
internal interface ITileRows
{
    /// <summary>Gets the number of rows.</summary>
    static abstract int Value { get; }
}
