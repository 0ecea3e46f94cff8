namespace Ppo.TensorBoard;

/// <summary>The CRC-32C (Castagnoli) that TFRecord framing carries, and TensorFlow's masking of it.</summary>
/// <remarks>
/// Reflected polynomial <c>0x82F63B78</c>, initial value and final XOR <c>0xFFFFFFFF</c>, one table lookup per byte
/// (RFC 3720, appendix B.4). The check value of the ASCII string <c>"123456789"</c> is <c>0xE3069283</c>.
/// </remarks>
internal static class Crc32C
{
    /// <summary>The constant TensorFlow adds after rotating a CRC (<c>kMaskDelta</c> in <c>crc32c.h</c>).</summary>
    public const uint MaskDelta = 0xA282EAD8u;

    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte value in data)
            crc = Table[(crc ^ value) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>The masked CRC-32C of <paramref name="data"/>: <c>((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xA282EAD8</c>.</summary>
    /// <remarks>TFRecord stores masked CRCs because a CRC of data that itself contains CRCs is weak.</remarks>
    public static uint ComputeMasked(ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return ((crc >> 15) | (crc << 17)) + MaskDelta;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
