using Google.Protobuf;

namespace Ppo.TensorBoard;

/// <summary>Encodes the two kinds of <c>tensorflow.Event</c> an event file holds, field by field, without generated code.</summary>
/// <remarks>
/// Field numbers from <c>tensorflow/core/util/event.proto</c> and <c>tensorflow/core/framework/summary.proto</c>:
/// <c>Event { double wall_time = 1; int64 step = 2; oneof what { string file_version = 3; Summary summary = 5; } }</c>,
/// <c>Summary { repeated Value value = 1; }</c>, <c>Summary.Value { string tag = 1; oneof value { float simple_value = 2; } }</c>.
/// As proto3 encoders do, a zero <c>step</c> is left out; <c>simple_value</c> is a oneof member and so is written even when zero.
/// <c>wall_time</c> is always written.
/// </remarks>
internal static class EventEncoding
{
    private const int EventWallTime = 1;
    private const int EventStep = 2;
    private const int EventFileVersion = 3;
    private const int EventSummary = 5;
    private const int SummaryValue = 1;
    private const int ValueTag = 1;
    private const int ValueSimpleValue = 2;

    /// <summary>The event that opens every event file: <c>Event { wall_time, file_version }</c>.</summary>
    public static byte[] FileVersion(double wallTime, string fileVersion)
    {
        int size = WallTimeSize(wallTime)
            + CodedOutputStream.ComputeTagSize(EventFileVersion) + CodedOutputStream.ComputeStringSize(fileVersion);

        var data = new byte[size];
        var output = new CodedOutputStream(data);
        WriteWallTime(output, wallTime);
        output.WriteTag(EventFileVersion, WireFormat.WireType.LengthDelimited);
        output.WriteString(fileVersion);
        output.CheckNoSpaceLeft();
        return data;
    }

    /// <summary>One event with a summary of scalars: <c>Event { wall_time, step, summary { value { tag, simple_value } … } }</c>.</summary>
    public static byte[] Scalars(double wallTime, long step, IReadOnlyList<(string Tag, float Value)> scalars)
    {
        int summarySize = 0;
        for (int i = 0; i < scalars.Count; i++)
        {
            int valueSize = ValueSize(scalars[i].Tag);
            summarySize += CodedOutputStream.ComputeTagSize(SummaryValue) + CodedOutputStream.ComputeLengthSize(valueSize) + valueSize;
        }

        int size = WallTimeSize(wallTime) + StepSize(step)
            + CodedOutputStream.ComputeTagSize(EventSummary) + CodedOutputStream.ComputeLengthSize(summarySize) + summarySize;

        var data = new byte[size];
        var output = new CodedOutputStream(data);
        WriteWallTime(output, wallTime);
        if (step != 0)
        {
            output.WriteTag(EventStep, WireFormat.WireType.Varint);
            output.WriteInt64(step);
        }

        output.WriteTag(EventSummary, WireFormat.WireType.LengthDelimited);
        output.WriteLength(summarySize);
        for (int i = 0; i < scalars.Count; i++)
        {
            (string tag, float value) = scalars[i];
            output.WriteTag(SummaryValue, WireFormat.WireType.LengthDelimited);
            output.WriteLength(ValueSize(tag));
            output.WriteTag(ValueTag, WireFormat.WireType.LengthDelimited);
            output.WriteString(tag);
            output.WriteTag(ValueSimpleValue, WireFormat.WireType.Fixed32);
            output.WriteFloat(value);
        }

        output.CheckNoSpaceLeft();
        return data;
    }

    private static int WallTimeSize(double wallTime) =>
        CodedOutputStream.ComputeTagSize(EventWallTime) + CodedOutputStream.ComputeDoubleSize(wallTime);

    private static void WriteWallTime(CodedOutputStream output, double wallTime)
    {
        output.WriteTag(EventWallTime, WireFormat.WireType.Fixed64);
        output.WriteDouble(wallTime);
    }

    private static int StepSize(long step) =>
        step == 0 ? 0 : CodedOutputStream.ComputeTagSize(EventStep) + CodedOutputStream.ComputeInt64Size(step);

    private static int ValueSize(string tag) =>
        CodedOutputStream.ComputeTagSize(ValueTag) + CodedOutputStream.ComputeStringSize(tag)
        + CodedOutputStream.ComputeTagSize(ValueSimpleValue) + CodedOutputStream.ComputeFloatSize(0f);
}
