using System.Buffers.Binary;
using System.IO.Compression;

namespace Ppo.Plotting;

/// <summary>Encodes 8-bit RGB or RGBA pixels as PNG: one IHDR, one zlib-compressed IDAT with filter type 0 on every row, IEND.</summary>
/// <remarks>Follows the PNG specification (ISO/IEC 15948), sections 5 (datastream), 11.2 (critical chunks) and 9 (filtering).</remarks>
public static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes a PNG image to <paramref name="stream"/>.</summary>
    /// <param name="stream">The destination; it is written to, not flushed or closed.</param>
    /// <param name="pixels">The rows from top to bottom, each <c>width × channels</c> bytes with no padding.</param>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    /// <param name="colorType">The layout of <paramref name="pixels"/>: 3 or 4 bytes per pixel.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive, or <paramref name="colorType"/> is not defined.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> does not hold exactly <c>width × height × channels</c> bytes.</exception>
    public static void Write(Stream stream, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int rowLength = ValidateLayout(pixels, width, height, colorType);

        stream.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;                  // bit depth
        header[9] = (byte)colorType;
        header[10] = 0;                 // compression method: deflate
        header[11] = 0;                 // filter method: adaptive, five filter types
        header[12] = 0;                 // no interlace
        WriteChunk(stream, "IHDR"u8, header);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                ReadOnlySpan<byte> filterNone = [0];
                for (int row = 0; row < height; row++)
                {
                    zlib.Write(filterNone);
                    zlib.Write(pixels.Slice(row * rowLength, rowLength));
                }
            }

            WriteChunk(stream, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }

        WriteChunk(stream, "IEND"u8, []);
    }

    /// <summary>Writes a PNG image to <paramref name="path"/> atomically: to a temporary file in the same folder, then moved over <paramref name="path"/>.</summary>
    /// <param name="path">The destination file; its folder is created when missing, and an existing file is replaced only once the new image is complete.</param>
    /// <param name="pixels">The rows from top to bottom, each <c>width × channels</c> bytes with no padding.</param>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    /// <param name="colorType">The layout of <paramref name="pixels"/>: 3 or 4 bytes per pixel.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or <paramref name="pixels"/> does not hold exactly <c>width × height × channels</c> bytes.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive, or <paramref name="colorType"/> is not defined.</exception>
    /// <exception cref="IOException">The file could not be written or moved into place.</exception>
    public static void Save(string path, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ValidateLayout(pixels, width, height, colorType);

        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        Directory.CreateDirectory(folder);
        string temporaryPath = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(file, pixels, width, height, colorType);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporaryPath);
            throw;
        }
    }

    /// <summary>Returns the bytes per row after checking the sizes.</summary>
    private static int ValidateLayout(ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int channels = colorType switch
        {
            PngColorType.Rgb => 3,
            PngColorType.Rgba => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(colorType), colorType, "Only Rgb and Rgba are supported."),
        };

        long expected = (long)width * height * channels;
        if (pixels.Length != expected)
        {
            throw new ArgumentException(
                $"pixels must hold width × height × {channels} = {width} × {height} × {channels} = {expected} bytes (was {pixels.Length}).", nameof(pixels));
        }

        return width * channels;
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(field, data.Length);
        stream.Write(field);
        stream.Write(type);
        stream.Write(data);
        uint crc = Crc32.Update(0xFFFFFFFFu, type);
        crc = Crc32.Update(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(field, crc);
        stream.Write(field);
    }
}
