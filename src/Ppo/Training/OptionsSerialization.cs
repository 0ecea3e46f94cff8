using Ppo.Checkpoints;
using Ppo.Optimization;

namespace Ppo.Training;

/// <summary>Writes <see cref="PpoOptions"/> as named, typed entries, so that options added later keep older files readable.</summary>
internal static class OptionsSerialization
{
    private const byte Int32Type = 1;
    private const byte SingleType = 2;
    private const byte BooleanType = 3;
    private const byte ScheduleType = 4;
    private const byte NullType = 5;

    public static void Write(BinaryWriter writer, PpoOptions options)
    {
        var entries = new List<(string Name, Action<BinaryWriter> Write)>
        {
            (nameof(PpoOptions.NumSteps), w => WriteInt(w, options.NumSteps)),
            (nameof(PpoOptions.NumEnvs), w => WriteInt(w, options.NumEnvs)),
            (nameof(PpoOptions.BatchSize), w => WriteInt(w, options.BatchSize)),
            (nameof(PpoOptions.NumEpochs), w => WriteInt(w, options.NumEpochs)),
            (nameof(PpoOptions.Gamma), w => WriteSingle(w, options.Gamma)),
            (nameof(PpoOptions.GaeLambda), w => WriteSingle(w, options.GaeLambda)),
            (nameof(PpoOptions.ClipRange), w => WriteSchedule(w, options.ClipRange)),
            (nameof(PpoOptions.ClipRangeVf), w => WriteSchedule(w, options.ClipRangeVf)),
            (nameof(PpoOptions.NormalizeAdvantage), w => WriteBoolean(w, options.NormalizeAdvantage)),
            (nameof(PpoOptions.EntCoef), w => WriteSingle(w, options.EntCoef)),
            (nameof(PpoOptions.VfCoef), w => WriteSingle(w, options.VfCoef)),
            (nameof(PpoOptions.MaxGradNorm), w => WriteSingle(w, options.MaxGradNorm)),
            (nameof(PpoOptions.TargetKl), w => WriteSingle(w, options.TargetKl)),
            (nameof(PpoOptions.PolicyObjective), w => WriteInt(w, (int)options.PolicyObjective)),
            (nameof(PpoOptions.KlCoef), w => WriteSingle(w, options.KlCoef)),
            (nameof(PpoOptions.AdaptiveKlTarget), w => WriteSingle(w, options.AdaptiveKlTarget)),
            (nameof(PpoOptions.ReferenceKlCoef), w => WriteSingle(w, options.ReferenceKlCoef)),
            (nameof(PpoOptions.ReferenceKlTarget), w => WriteSingle(w, options.ReferenceKlTarget)),
            (nameof(PpoOptions.ReferenceKlHorizon), w => WriteInt(w, options.ReferenceKlHorizon)),
            (nameof(PpoOptions.LearningRate), w => WriteSchedule(w, options.LearningRate)),
            (nameof(PpoOptions.Seed), w => WriteInt(w, options.Seed)),
            (nameof(PpoOptions.NormalizeObservations), w => WriteBoolean(w, options.NormalizeObservations)),
            (nameof(PpoOptions.NormalizeRewards), w => WriteBoolean(w, options.NormalizeRewards)),
        };

        writer.Write(entries.Count);
        foreach ((string name, Action<BinaryWriter> write) in entries)
        {
            writer.Write(name);
            write(writer);
        }
    }

    /// <summary>Reads the options; the names of custom schedules, which cannot be stored, are returned in <paramref name="customSchedules"/>.</summary>
    public static PpoOptions Read(BinaryReader reader, List<string> customSchedules)
    {
        var options = new PpoOptions();
        int count = reader.ReadInt32();
        if (count is < 0 or > 1000)
            throw new CheckpointException($"The options section is corrupt: it announces {count} entries.");
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            options = name switch
            {
                nameof(PpoOptions.NumSteps) => options with { NumSteps = ReadInt(reader, name) ?? 0 },
                nameof(PpoOptions.NumEnvs) => options with { NumEnvs = ReadInt(reader, name) ?? 0 },
                nameof(PpoOptions.BatchSize) => options with { BatchSize = ReadInt(reader, name) ?? 0 },
                nameof(PpoOptions.NumEpochs) => options with { NumEpochs = ReadInt(reader, name) ?? 0 },
                nameof(PpoOptions.Gamma) => options with { Gamma = ReadSingle(reader, name) ?? float.NaN },
                nameof(PpoOptions.GaeLambda) => options with { GaeLambda = ReadSingle(reader, name) ?? float.NaN },
                nameof(PpoOptions.ClipRange) => options with { ClipRange = ReadSchedule(reader, name, customSchedules) ?? options.ClipRange },
                nameof(PpoOptions.ClipRangeVf) => options with { ClipRangeVf = ReadSchedule(reader, name, customSchedules) },
                nameof(PpoOptions.NormalizeAdvantage) => options with { NormalizeAdvantage = ReadBoolean(reader, name) },
                nameof(PpoOptions.EntCoef) => options with { EntCoef = ReadSingle(reader, name) ?? float.NaN },
                nameof(PpoOptions.VfCoef) => options with { VfCoef = ReadSingle(reader, name) ?? float.NaN },
                nameof(PpoOptions.MaxGradNorm) => options with { MaxGradNorm = ReadSingle(reader, name) ?? float.NaN },
                nameof(PpoOptions.TargetKl) => options with { TargetKl = ReadSingle(reader, name) },
                nameof(PpoOptions.PolicyObjective) => options with { PolicyObjective = (Losses.PolicyObjective)(ReadInt(reader, name) ?? -1) },
                nameof(PpoOptions.KlCoef) => options with { KlCoef = ReadSingle(reader, name) ?? float.NaN },
                nameof(PpoOptions.AdaptiveKlTarget) => options with { AdaptiveKlTarget = ReadSingle(reader, name) },
                nameof(PpoOptions.ReferenceKlCoef) => options with { ReferenceKlCoef = ReadSingle(reader, name) ?? float.NaN },
                nameof(PpoOptions.ReferenceKlTarget) => options with { ReferenceKlTarget = ReadSingle(reader, name) },
                nameof(PpoOptions.ReferenceKlHorizon) => options with { ReferenceKlHorizon = ReadInt(reader, name) ?? 0 },
                nameof(PpoOptions.LearningRate) => options with { LearningRate = ReadSchedule(reader, name, customSchedules) ?? options.LearningRate },
                nameof(PpoOptions.Seed) => options with { Seed = ReadInt(reader, name) },
                nameof(PpoOptions.NormalizeObservations) => options with { NormalizeObservations = ReadBoolean(reader, name) },
                nameof(PpoOptions.NormalizeRewards) => options with { NormalizeRewards = ReadBoolean(reader, name) },
                _ => throw new CheckpointException($"The checkpoint holds an option '{name}' this version of Ppo does not know."),
            };
        }

        return options;
    }

    private static void WriteInt(BinaryWriter writer, int? value)
    {
        if (value is null)
        {
            writer.Write(NullType);
            return;
        }

        writer.Write(Int32Type);
        writer.Write(value.Value);
    }

    private static void WriteSingle(BinaryWriter writer, float? value)
    {
        if (value is null)
        {
            writer.Write(NullType);
            return;
        }

        writer.Write(SingleType);
        writer.Write(value.Value);
    }

    private static void WriteBoolean(BinaryWriter writer, bool value)
    {
        writer.Write(BooleanType);
        writer.Write(value);
    }

    private static void WriteSchedule(BinaryWriter writer, Schedule? schedule)
    {
        if (schedule is null)
        {
            writer.Write(NullType);
            return;
        }

        writer.Write(ScheduleType);
        schedule.Write(writer);
    }

    private static int? ReadInt(BinaryReader reader, string name) => Expect(reader, name, Int32Type) ? reader.ReadInt32() : null;

    private static float? ReadSingle(BinaryReader reader, string name) => Expect(reader, name, SingleType) ? reader.ReadSingle() : null;

    private static bool ReadBoolean(BinaryReader reader, string name) => Expect(reader, name, BooleanType) && reader.ReadBoolean();

    private static Schedule? ReadSchedule(BinaryReader reader, string name, List<string> customSchedules)
    {
        if (!Expect(reader, name, ScheduleType))
            return null;
        Schedule? schedule = Schedule.Read(reader, out string description);
        if (schedule is null)
            customSchedules.Add($"{name} ('{description}')");
        return schedule;
    }

    /// <summary>Reads the type tag: true when a value of <paramref name="type"/> follows, false for null.</summary>
    private static bool Expect(BinaryReader reader, string name, byte type)
    {
        byte actual = reader.ReadByte();
        if (actual == NullType)
            return false;
        if (actual != type)
            throw new CheckpointException($"The option '{name}' is stored with type {actual}, expected {type}.");
        return true;
    }
}
