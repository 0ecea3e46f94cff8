using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Ppo.Checkpoints;

/// <summary>Length-prefixed arrays of numbers in checkpoint sections, with bounds checked on reading.</summary>
internal static class BinaryData
{
    public static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static void WriteDoubles(BinaryWriter writer, ReadOnlySpan<double> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static void WriteInts(BinaryWriter writer, ReadOnlySpan<int> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Writes a float array that must be finite, since reading a checkpoint rejects NaN and infinities.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite; nothing of it is written.</exception>
    public static void WriteFiniteFloats(BinaryWriter writer, ReadOnlySpan<float> values, string what) => WriteFinite(writer, values, what);

    /// <summary>Writes a double array that must be finite, since reading a checkpoint rejects NaN and infinities.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite; nothing of it is written.</exception>
    public static void WriteFiniteDoubles(BinaryWriter writer, ReadOnlySpan<double> values, string what) => WriteFinite(writer, values, what);

    public static float[] ReadFloats(BinaryReader reader, string what) => Read<float>(reader, what);

    public static double[] ReadDoubles(BinaryReader reader, string what) => Read<double>(reader, what);

    public static int[] ReadInts(BinaryReader reader, string what) => Read<int>(reader, what);

    /// <summary>Reads a float array and checks that it has <paramref name="expected"/> elements, all finite.</summary>
    public static float[] ReadFiniteFloats(BinaryReader reader, string what, int expected)
    {
        float[] values = ReadFloats(reader, what);
        if (values.Length != expected)
            throw new CheckpointException($"The checkpoint's {what} has {values.Length} values; {expected} were expected.");
        int bad = Array.FindIndex(values, value => !float.IsFinite(value));
        if (bad >= 0)
            throw new CheckpointException($"The checkpoint's {what} holds a non-finite value ({values[bad]}) at {bad}.");
        return values;
    }

    private static void WriteFinite<T>(BinaryWriter writer, ReadOnlySpan<T> values, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!TensorPrimitives.IsFiniteAll(values))
        {
            int index = 0;
            while (T.IsFinite(values[index]))
                index++;
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The {what} hold a non-finite value ({values[index]}) at {index}; a checkpoint of them could not be loaded, so none is written. Training diverged: continue from an earlier checkpoint, and see TrainingDivergedException for the usual causes."));
        }

        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    private static T[] Read<T>(BinaryReader reader, string what)
        where T : unmanaged
    {
        int count = reader.ReadInt32();
        long remaining = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || (long)count * Marshal.SizeOf<T>() > remaining)
            throw new CheckpointException($"The checkpoint's {what} announces {count} values, more than the section holds.");
        var values = new T[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
