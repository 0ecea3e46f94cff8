namespace Ppo.Randomness;

/// <summary>Writes and reads a <see cref="RandomState"/> as four little-endian 64-bit words.</summary>
public static class RandomStateSerialization
{
    /// <summary>Writes <paramref name="state"/>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="state">The state.</param>
    public static void Write(BinaryWriter writer, RandomState state)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(state.S0);
        writer.Write(state.S1);
        writer.Write(state.S2);
        writer.Write(state.S3);
    }

    /// <summary>Reads a state written by <see cref="Write"/>.</summary>
    /// <param name="reader">The source.</param>
    /// <returns>The state.</returns>
    /// <exception cref="InvalidDataException">The state is all zeros, which no generator can be in.</exception>
    public static RandomState Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = new RandomState(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new InvalidDataException("A random generator state must not be all zeros.");
        return state;
    }
}
