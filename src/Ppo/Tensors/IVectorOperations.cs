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

    /// <summary>
    /// Gets the number of vector registers of this width that compiled code can keep values in: 32 where the instructions
    /// can name them all (AVX-512's EVEX encoding, which reaches 32 registers of 128, 256 and 512 bits, and Arm64's 32 NEON
    /// registers), 16 otherwise (AVX2's and SSE's encodings).
    /// </summary>
    /// <remarks>A constant when the kernel is compiled, so register tiles sized from it cost no branch.</remarks>
    static abstract int RegisterCount { get; }

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

    /// <summary>Returns <c>left − right</c> lane by lane.</summary>
    static abstract TVector Subtract(TVector left, TVector right);

    /// <summary>Returns <c>left · right</c> lane by lane.</summary>
    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary>Returns <c>left / right</c> lane by lane.</summary>
    static abstract TVector Divide(TVector left, TVector right);

    /// <summary>Returns <c>√value</c> lane by lane.</summary>
    static abstract TVector Sqrt(TVector value);

    /// <summary>Returns <c>|value|</c> lane by lane.</summary>
    static abstract TVector Abs(TVector value);

    /// <summary>Returns the smaller of each pair of lanes.</summary>
    static abstract TVector Min(TVector left, TVector right);

    /// <summary>Returns each lane of <paramref name="value"/> with the sign of the matching lane of <paramref name="sign"/>.</summary>
    static abstract TVector CopySign(TVector value, TVector sign);

    /// <summary>Returns <paramref name="whenLess"/> in lanes where <c>left &lt; right</c> and <paramref name="otherwise"/> elsewhere.</summary>
    static abstract TVector SelectWhereLess(TVector left, TVector right, TVector whenLess, TVector otherwise);

    /// <summary>
    /// Returns <c>2ⁿ</c> for lanes holding <c>n + 1.5·2²³</c> with <c>n</c> an integer in [−126, 127]: such a float keeps
    /// <c>n</c> in its low mantissa bits, and <c>n + 127</c> moved into the exponent field is <c>2ⁿ</c>.
    /// </summary>
    static abstract TVector PowerOfTwoOfShifted(TVector shifted);

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
