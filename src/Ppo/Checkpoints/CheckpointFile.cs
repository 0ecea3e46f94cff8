using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ppo.Checkpoints;

/// <summary>
/// The framing of a checkpoint file: a header, tagged sections, and a SHA-256 checksum of everything before it.
/// </summary>
/// <remarks>
/// <para>Layout, little-endian: magic <c>"PPO-CKPT"</c> (8 bytes), format version (uint32), payload length (int64),
/// the payload, then the SHA-256 of the header and payload (32 bytes). The payload is a sequence of sections, each a
/// 4-character ASCII tag, a length (int64) and that many bytes.</para>
/// <para>Files are written with <see cref="AtomicFile"/>: to a temporary file in the same folder, flushed to disk and
/// renamed over the destination, so a crash leaves either the old checkpoint or the new one, never half of one.</para>
/// </remarks>
internal static class CheckpointFile
{
    public const int FormatVersion = 1;
    private const int HeaderSize = 8 + 4 + 8;
    private const int ChecksumSize = 32;
    private const long MaxFileSize = int.MaxValue;
    private static readonly byte[] Magic = "PPO-CKPT"u8.ToArray();

    public static void Write(string path, IReadOnlyList<(string Tag, byte[] Data)> sections)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var payload = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        foreach ((string tag, byte[] data) in sections)
        {
            payload.Write(Encoding.ASCII.GetBytes(tag));
            BinaryPrimitives.WriteInt64LittleEndian(length, data.Length);
            payload.Write(length);
            payload.Write(data);
        }

        byte[] header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), payload.Length);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(payload.GetBuffer(), 0, (int)payload.Length);
        byte[] checksum = hash.GetHashAndReset();

        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            stream.Write(payload.GetBuffer(), 0, (int)payload.Length);
            stream.Write(checksum);
        });
    }

    public static List<(string Tag, byte[] Data)> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long size = new FileInfo(path).Length;
        if (size > MaxFileSize)
            throw new CheckpointException(Invariant($"'{path}' is {size} bytes, larger than any checkpoint this library writes."));
        byte[] bytes = File.ReadAllBytes(path);
        int magicLength = Math.Min(bytes.Length, Magic.Length);
        if (!bytes.AsSpan(0, magicLength).SequenceEqual(Magic.AsSpan(0, magicLength)))
            throw new CheckpointException($"'{path}' is not a Ppo checkpoint (it does not start with \"PPO-CKPT\").");
        if (bytes.Length < HeaderSize)
            throw new CheckpointException(Invariant($"'{path}' is truncated: {bytes.Length} bytes, shorter than the {HeaderSize}-byte header."));

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version == 0 || version > FormatVersion)
            throw new CheckpointException(Invariant($"'{path}' has checkpoint format version {version}; this version of Ppo reads versions 1 to {FormatVersion}."));
        long payloadLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        long expected = HeaderSize + payloadLength + ChecksumSize;
        if (payloadLength < 0 || expected != bytes.Length)
        {
            string problem = payloadLength >= 0 && expected > bytes.Length ? "truncated" : "corrupt";
            throw new CheckpointException(Invariant($"'{path}' is {problem}: the header announces {expected} bytes but the file has {bytes.Length}."));
        }

        byte[] actual = SHA256.HashData(bytes.AsSpan(0, (int)(HeaderSize + payloadLength)));
        if (!actual.AsSpan().SequenceEqual(bytes.AsSpan((int)(HeaderSize + payloadLength), ChecksumSize)))
            throw new CheckpointException($"'{path}' is corrupt: its SHA-256 checksum does not match its contents.");

        var sections = new List<(string Tag, byte[] Data)>();
        var tags = new HashSet<string>(StringComparer.Ordinal);
        int position = HeaderSize, end = (int)(HeaderSize + payloadLength);
        while (position < end)
        {
            if (end - position < 12)
                throw new CheckpointException(Invariant($"'{path}' is corrupt: a section header at byte {position} is cut short."));
            string tag = Encoding.ASCII.GetString(bytes, position, 4);
            long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position + 4));
            position += 12;
            if (length < 0 || length > end - position || !tags.Add(tag))
                throw new CheckpointException(Invariant($"'{path}' is corrupt: section '{tag}' has an invalid length {length} or appears twice."));
            sections.Add((tag, bytes.AsSpan(position, (int)length).ToArray()));
            position += (int)length;
        }

        return sections;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
