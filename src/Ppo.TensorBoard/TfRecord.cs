using System.Buffers.Binary;

namespace Ppo.TensorBoard;

/// <summary>TensorFlow's TFRecord framing, the container of event files (<c>tensorflow/core/lib/io/record_writer.cc</c>).</summary>
/// <remarks>
/// Each record is <c>uint64 length</c>, <c>uint32 masked_crc32c(length)</c>, <c>byte data[length]</c>, <c>uint32 masked_crc32c(data)</c>,
/// every integer little-endian, the length's CRC taken over its eight bytes.
/// </remarks>
internal static class TfRecord
{
    /// <summary>The bytes before the data: the length and its masked CRC.</summary>
    public const int HeaderSize = sizeof(ulong) + sizeof(uint);

    /// <summary>The bytes after the data: its masked CRC.</summary>
    public const int FooterSize = sizeof(uint);

    /// <summary>Writes <paramref name="data"/> to <paramref name="stream"/> as one record.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[sizeof(ulong)..], MaskedCrc32C.Compute(header[..sizeof(ulong)]));

        Span<byte> footer = stackalloc byte[FooterSize];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C.Compute(data));

        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }
}
