namespace Ppo.Tensors;

/// <summary>
/// The vector operations a kernel needs, for one hardware vector width. Kernels written against this interface
/// are compiled once per width: the type arguments are structs, so each instantiation is specialized and inlined.
/// </summary>
/// <typeparam name="TVector">The vector type, for example <see cref="System.Runtime.Intrinsics.Vector512{T}"/> of <see cref="float"/>.</typeparam>
internal interface IVectorOperations<TVector>
    where TVector : struct
{
    /// <summary>Gets the number of <see cref="float"/> lanes in one vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads a vector from <c>source[elementOffset..]</c>.</summary>
    static abstract TVector Load(ref float source, nint elementOffset);

    /// <summary>Stores <paramref name="value"/> to <c>destination[elementOffset..]</c>.</summary>
    static abstract void Store(TVector value, ref float destination, nint elementOffset);

    /// <summary>Returns a vector with every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(float value);

    /// <summary>Returns <c>left * right + addend</c> lane by lane, rounded once.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    /// <summary>Returns <c>left + right</c> lane by lane.</summary>
    static abstract TVector Add(TVector left, TVector right);

    /// <summary>
    /// Adds lanes of <paramref name="x"/> pairwise and lanes of <paramref name="y"/> pairwise, halving the partial sums each
    /// holds. For <paramref name="chunk"/> ≥ 2, each group of <c>2·chunk</c> lanes of the result is the sum of that group's two
    /// halves in <paramref name="x"/>, followed by the same for <paramref name="y"/>. For <paramref name="chunk"/> 1, each group
    /// of 4 lanes is <c>(x0 + x1, x2 + x3, y0 + y1, y2 + y3)</c>.
    /// </summary>
    /// <remarks>
    /// Folding <c>Count</c> vectors in a tree, pairing vector <c>q</c> with <c>q + half</c> at chunks <c>Count/2, …, 2, 1</c>,
    /// leaves the lane sum of vector <c>q</c> in lane <c>q</c>, with lanes 1 and 2 of every group of 4 exchanged.
    /// </remarks>
    static abstract TVector Fold(TVector x, TVector y, int chunk);

    /// <summary>Returns <paramref name="value"/> with its lowest <c>Count − <paramref name="keptLanes"/></c> lanes set to zero.</summary>
    static abstract TVector KeepUpperLanes(TVector value, int keptLanes);
}
