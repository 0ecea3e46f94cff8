namespace Ppo.Tensors;

/// <summary>
/// Where element <c>(i, p)</c> of the matrix a GEMM micro-kernel broadcasts from lies, given its stride.
/// A type argument, so the kernel is compiled once per layout with constant offsets where the layout allows.
/// </summary>
internal interface IBroadcastLayout
{
    /// <summary>Returns the offset of row <paramref name="row"/> from row 0.</summary>
    static abstract nint RowOffset(nint row, nint stride);

    /// <summary>Returns the offset of column <paramref name="column"/> from column 0.</summary>
    static abstract nint ColumnOffset(nint column, nint stride);
}
