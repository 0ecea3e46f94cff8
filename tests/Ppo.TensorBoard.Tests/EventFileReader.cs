using System.Buffers.Binary;
using Google.Protobuf;

namespace Ppo.TensorBoard.Tests;

/// <summary>One decoded <c>tensorflow.Event</c>: the fields an event file of scalars uses.</summary>
internal sealed record DecodedEvent(double WallTime, long Step, string? FileVersion, bool HasSummary, IReadOnlyList<(string Tag, float Value)> Scalars);

/// <summary>
/// An event-file reader for the tests, independent of the writer: walks the TFRecord framing, checks both masked CRC-32C
/// values of every record with a bitwise CRC, and decodes each <c>Event</c> with <see cref="CodedInputStream"/>.
/// </summary>
internal static class EventFileReader
{
    public static List<DecodedEvent> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Read(copy.ToArray());
    }

    public static List<DecodedEvent> Read(byte[] file)
    {
        var events = new List<DecodedEvent>();
        int offset = 0;
        while (offset < file.Length)
        {
            Assert.True(file.Length - offset >= 12, $"record header at byte {offset} is cut short");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(offset));
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8));
            Assert.True(MaskedCrc32C(file.AsSpan(offset, 8)) == lengthCrc, $"masked CRC of the length at byte {offset}");

            Assert.True((ulong)(file.Length - offset - 16) >= length, $"record at byte {offset} is cut short");
            byte[] data = file.AsSpan(offset + 12, (int)length).ToArray();
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 12 + (int)length));
            Assert.True(MaskedCrc32C(data) == dataCrc, $"masked CRC of the data at byte {offset}");

            events.Add(DecodeEvent(data));
            offset += 12 + (int)length + 4;
        }

        return events;
    }

    /// <summary>CRC-32C bit by bit (reflected polynomial 0x82F63B78), independent of the library the writer uses.</summary>
    public static uint BitwiseCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
        }

        return ~crc;
    }

    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = BitwiseCrc32C(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);
    }

    private static DecodedEvent DecodeEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        bool hasSummary = false;
        var scalars = new List<(string Tag, float Value)>();

        var input = new CodedInputStream(data);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case (1 << 3) | 1:   // double wall_time = 1
                    wallTime = input.ReadDouble();
                    break;
                case (2 << 3) | 0:   // int64 step = 2
                    step = input.ReadInt64();
                    break;
                case (3 << 3) | 2:   // string file_version = 3
                    fileVersion = input.ReadString();
                    break;
                case (5 << 3) | 2:   // Summary summary = 5
                    hasSummary = true;
                    DecodeSummary(input.ReadBytes(), scalars);
                    break;
                default:
                    Assert.Fail($"unexpected Event field {tag >> 3} with wire type {tag & 7}");
                    break;
            }
        }

        return new DecodedEvent(wallTime, step, fileVersion, hasSummary, scalars);
    }

    private static void DecodeSummary(ByteString summary, List<(string Tag, float Value)> scalars)
    {
        var input = new CodedInputStream(summary.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            Assert.Equal((1u << 3) | 2, tag);   // repeated Value value = 1
            scalars.Add(DecodeValue(input.ReadBytes()));
        }
    }

    private static (string Tag, float Value) DecodeValue(ByteString value)
    {
        var input = new CodedInputStream(value.ToByteArray());
        string? name = null;
        float? simpleValue = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case (1 << 3) | 2:   // string tag = 1
                    name = input.ReadString();
                    break;
                case (2 << 3) | 5:   // float simple_value = 2
                    simpleValue = input.ReadFloat();
                    break;
                default:
                    Assert.Fail($"unexpected Summary.Value field {tag >> 3} with wire type {tag & 7}");
                    break;
            }
        }

        Assert.NotNull(name);
        Assert.NotNull(simpleValue);
        return (name, simpleValue.Value);
    }
}
