using Ppo.Checkpoints;
using Ppo.Environments;

namespace Ppo.TorchSharp;

/// <summary>Writes and reads the observation and action spaces, which the module factory needs to rebuild a policy.</summary>
internal static class SpaceSerialization
{
    private const int Discrete = 0;
    private const int Box = 1;
    private const int MultiDiscrete = 2;
    private const int MultiBinary = 3;

    public static void Write(BinaryWriter writer, BoxSpace observationSpace, Space actionSpace)
    {
        WriteBox(writer, observationSpace);
        switch (actionSpace)
        {
            case DiscreteSpace discrete:
                writer.Write(Discrete);
                writer.Write(discrete.Count);
                break;
            case BoxSpace box:
                writer.Write(Box);
                WriteBox(writer, box);
                break;
            case MultiDiscreteSpace multiDiscrete:
                writer.Write(MultiDiscrete);
                writer.Write(multiDiscrete.ComponentCount);
                foreach (int count in multiDiscrete.CategoryCounts)
                    writer.Write(count);
                break;
            case MultiBinarySpace multiBinary:
                writer.Write(MultiBinary);
                writer.Write(multiBinary.Size);
                break;
            default:
                throw new ArgumentException($"Action space {actionSpace} cannot be saved.", nameof(actionSpace));
        }
    }

    public static (BoxSpace ObservationSpace, Space ActionSpace) Read(BinaryReader reader)
    {
        BoxSpace observationSpace = ReadBox(reader);
        int kind = reader.ReadInt32();
        Space actionSpace = kind switch
        {
            Discrete => new DiscreteSpace(reader.ReadInt32()),
            Box => ReadBox(reader),
            MultiDiscrete => ReadMultiDiscrete(reader),
            MultiBinary => new MultiBinarySpace(ReadCount(reader, "flag count")),
            _ => throw new CheckpointException($"Unknown action space kind {kind}."),
        };
        return (observationSpace, actionSpace);
    }

    private static MultiDiscreteSpace ReadMultiDiscrete(BinaryReader reader)
    {
        int components = ReadCount(reader, "component count");
        int[] counts = new int[components];
        for (int c = 0; c < components; c++)
            counts[c] = ReadCount(reader, "category count");
        return new MultiDiscreteSpace(counts);
    }

    private static int ReadCount(BinaryReader reader, string what)
    {
        int count = reader.ReadInt32();
        if (count is < 1 or > 1 << 20)
            throw new CheckpointException($"A saved action space has the invalid {what} {count}.");
        return count;
    }

    private static void WriteBox(BinaryWriter writer, BoxSpace box)
    {
        writer.Write(box.Rank);
        foreach (int length in box.Shape)
            writer.Write(length);
        foreach (float value in box.Low)
            writer.Write(value);
        foreach (float value in box.High)
            writer.Write(value);
    }

    private static BoxSpace ReadBox(BinaryReader reader)
    {
        int rank = reader.ReadInt32();
        if (rank is < 1 or > 8)
            throw new CheckpointException($"A saved space has rank {rank}; ranks 1 to 8 are supported.");
        int[] shape = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++)
        {
            shape[i] = reader.ReadInt32();
            size *= shape[i];
            if (shape[i] < 1 || size > 1 << 26)
                throw new CheckpointException($"A saved space has the invalid shape dimension {shape[i]}.");
        }

        float[] low = new float[size], high = new float[size];
        for (int i = 0; i < size; i++)
            low[i] = reader.ReadSingle();
        for (int i = 0; i < size; i++)
            high[i] = reader.ReadSingle();
        if (rank == 1)
            return new BoxSpace(low, high);
        var box = new BoxSpace(low[0], high[0], shape);
        if (!box.Low.SequenceEqual(low) || !box.High.SequenceEqual(high))
            throw new CheckpointException("A saved image space has per-element bounds, which this version does not restore.");
        return box;
    }
}
