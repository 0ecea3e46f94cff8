using System.Buffers.Binary;

namespace Ppo.Plotting.Tests;

public sealed class PngWriterTests
{
    private static byte[] Gradient(int width, int height, int channels)
    {
        var pixels = new byte[width * height * channels];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(i * 7 + i / 13);
        return pixels;
    }

    private static byte[] Encode(byte[] pixels, int width, int height, PngColorType colorType)
    {
        using var stream = new MemoryStream();
        PngWriter.Write(stream, pixels, width, height, colorType);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(PngColorType.Rgb, 3)]
    [InlineData(PngColorType.Rgba, 4)]
    public void Write_AnyColorType_DecodesToTheSamePixels(PngColorType colorType, int channels)
    {
        byte[] pixels = Gradient(37, 11, channels);

        DecodedPng decoded = PngDecoder.Decode(Encode(pixels, 37, 11, colorType));

        Assert.Equal((37, 11, channels), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(pixels, decoded.Pixels);
        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.Chunks);
    }

    [Fact]
    public void Write_Header_StoresWidthHeightAndColorType()
    {
        byte[] png = Encode(Gradient(300, 2, 4), 300, 2, PngColorType.Rgba);

        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8)));
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(300, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal([8, 6, 0, 0, 0], png[24..29]);
    }

    [Fact]
    public void Crc32_CheckString_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Save_ExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        string folder = Directory.CreateTempSubdirectory("ppo-png-").FullName;
        try
        {
            string path = Path.Combine(folder, "image.png");
            File.WriteAllText(path, "old");
            byte[] pixels = Gradient(5, 4, 3);

            PngWriter.Save(path, pixels, 5, 4, PngColorType.Rgb);

            Assert.Equal(pixels, PngDecoder.Decode(File.ReadAllBytes(path)).Pixels);
            Assert.Equal([path], Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Save_MissingFolder_CreatesItAndLeavesOnlyTheImage()
    {
        string folder = Directory.CreateTempSubdirectory("ppo-png-").FullName;
        try
        {
            string path = Path.Combine(folder, "missing", "image.png");

            PngWriter.Save(path, Gradient(2, 2, 3), 2, 2, PngColorType.Rgb);

            Assert.Equal([path], Directory.GetFiles(Path.Combine(folder, "missing")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(0, 2, "width")]
    [InlineData(-1, 2, "width")]
    [InlineData(2, 0, "height")]
    public void Write_NonPositiveSize_ThrowsNamingTheArgument(int width, int height, string name)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Encode([], width, height, PngColorType.Rgb));
        Assert.Equal(name, exception.ParamName);
    }

    [Fact]
    public void Write_PixelCountMismatch_ThrowsWithBothSizes()
    {
        var exception = Assert.Throws<ArgumentException>(() => Encode(new byte[11], 2, 2, PngColorType.Rgb));

        Assert.Equal("pixels", exception.ParamName);
        Assert.Contains("12", exception.Message, StringComparison.Ordinal);
        Assert.Contains("was 11", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_UnknownColorType_Throws()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Encode(new byte[4], 1, 1, (PngColorType)4));
        Assert.Equal("colorType", exception.ParamName);
    }

    [Fact]
    public void Save_EmptyPath_Throws()
    {
        Assert.Throws<ArgumentException>(() => PngWriter.Save("", new byte[3], 1, 1, PngColorType.Rgb));
        Assert.Throws<ArgumentNullException>(() => PngWriter.Save(null!, new byte[3], 1, 1, PngColorType.Rgb));
    }
}
