using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.Networks;
using Ppo.Policies;

namespace Ppo.Training;

/// <summary>Writes what it takes to rebuild an <see cref="ActorCritic"/>: observation size, action space and architecture.</summary>
internal static class ArchitectureSerialization
{
    private const byte DiscreteKind = 0;
    private const byte BoxKind = 1;
    private const byte MultiDiscreteKind = 2;
    private const byte MultiBinaryKind = 3;

    public static void Write(BinaryWriter writer, ActorCritic policy)
    {
        writer.Write(policy.ObservationSize);
        switch (policy.ActionSpace)
        {
            case DiscreteSpace discrete:
                writer.Write(DiscreteKind);
                writer.Write(discrete.Count);
                break;
            case BoxSpace box:
                writer.Write(BoxKind);
                BinaryData.WriteFloats(writer, box.Low);
                BinaryData.WriteFloats(writer, box.High);
                break;
            case MultiDiscreteSpace multiDiscrete:
                writer.Write(MultiDiscreteKind);
                BinaryData.WriteInts(writer, multiDiscrete.CategoryCounts);
                break;
            case MultiBinarySpace multiBinary:
                writer.Write(MultiBinaryKind);
                writer.Write(multiBinary.Size);
                break;
        }

        ActorCriticOptions options = policy.Options;
        BinaryData.WriteInts(writer, [.. options.SharedHiddenSizes]);
        BinaryData.WriteInts(writer, [.. options.PolicyHiddenSizes]);
        BinaryData.WriteInts(writer, [.. options.ValueHiddenSizes]);
        writer.Write((int)options.Activation);
        writer.Write(options.OrthogonalInitialization);
        writer.Write(options.LogStdInit);
    }

    public static (int ObservationSize, Space ActionSpace, ActorCriticOptions Options) Read(BinaryReader reader)
    {
        int observationSize = reader.ReadInt32();
        if (observationSize is < 1 or > 1 << 20)
            throw new CheckpointException($"The checkpoint's observation size {observationSize} is invalid.");
        byte kind = reader.ReadByte();
        Space actionSpace;
        try
        {
            actionSpace = kind switch
            {
                DiscreteKind => new DiscreteSpace(reader.ReadInt32()),
                BoxKind => new BoxSpace(BinaryData.ReadFloats(reader, "action low bounds"), BinaryData.ReadFloats(reader, "action high bounds")),
                MultiDiscreteKind => new MultiDiscreteSpace(BinaryData.ReadInts(reader, "category counts")),
                MultiBinaryKind => new MultiBinarySpace(reader.ReadInt32()),
                _ => throw new CheckpointException($"The checkpoint's action space kind {kind} is unknown."),
            };
        }
        catch (ArgumentException exception)
        {
            throw new CheckpointException($"The checkpoint's action space is invalid: {exception.Message}", exception);
        }

        var options = new ActorCriticOptions
        {
            SharedHiddenSizes = BinaryData.ReadInts(reader, "shared hidden sizes"),
            PolicyHiddenSizes = BinaryData.ReadInts(reader, "policy hidden sizes"),
            ValueHiddenSizes = BinaryData.ReadInts(reader, "value hidden sizes"),
            Activation = (ActivationFunction)reader.ReadInt32(),
            OrthogonalInitialization = reader.ReadBoolean(),
            LogStdInit = reader.ReadSingle(),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException exception)
        {
            throw new CheckpointException($"The checkpoint's network architecture is invalid: {exception.Message}", exception);
        }

        return (observationSize, actionSpace, options);
    }
}
