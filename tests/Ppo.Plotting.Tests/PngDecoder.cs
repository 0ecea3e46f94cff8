using System.Buffers.Binary;
using System.IO.Compression;

namespace Ppo.Plotting.Tests;

/// <summary>A PNG reader for the tests, independent of the writer: checks the signature and every chunk's CRC, inflates IDAT and undoes filter type 0.</summary>
internal static class PngDecoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static DecodedPng Decode(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(Signature), "PNG signature");

        var chunks = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0, colorType = 0;
        int offset = 8;
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            ReadOnlySpan<byte> typeAndData = png.AsSpan(offset + 4, 4 + length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.True(BitwiseCrc32(typeAndData) == stored, $"CRC of chunk {type} at byte {offset}");

            ReadOnlySpan<byte> data = typeAndData[4..];
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                colorType = data[9];
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            chunks.Add(type);
            offset += 12 + length;
        }

        Assert.Equal(png.Length, offset);
        int channels = colorType == 6 ? 4 : 3;
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] rows = raw.ToArray();

        int stride = 1 + width * channels;
        Assert.Equal(height * stride, rows.Length);
        var pixels = new byte[height * width * channels];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, rows[y * stride]);
            rows.AsSpan(y * stride + 1, width * channels).CopyTo(pixels.AsSpan(y * width * channels));
        }

        return new DecodedPng(width, height, channels, pixels, chunks);
    }

    /// <summary>CRC-32 one bit at a time, straight from the PNG specification's definition.</summary>
    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }

        return ~crc;
    }
}

internal sealed record DecodedPng(int Width, int Height, int Channels, byte[] Pixels, IReadOnlyList<string> Chunks)
{
    public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
    {
        int i = (y * Width + x) * Channels;
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2], Channels == 4 ? Pixels[i + 3] : (byte)255);
    }
}
