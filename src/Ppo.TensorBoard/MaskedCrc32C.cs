using System.IO.Hashing;

namespace Ppo.TensorBoard;

/// <summary>TensorFlow's masking of the CRC-32C (Castagnoli) that TFRecord framing carries (<c>tensorflow/core/lib/hash/crc32c.h</c>).</summary>
/// <remarks>
/// The CRC itself comes from <see cref="Crc32"/> with <see cref="Crc32ParameterSet.Crc32C"/> (reflected polynomial <c>0x82F63B78</c>, RFC 3720 appendix B.4);
/// TFRecord stores it masked, because a CRC of data that itself contains CRCs is weak.
/// </remarks>
internal static class MaskedCrc32C
{
    /// <summary>The constant TensorFlow adds after rotating a CRC (<c>kMaskDelta</c> in <c>crc32c.h</c>).</summary>
    public const uint MaskDelta = 0xA282EAD8u;

    /// <summary>The masked CRC-32C of <paramref name="data"/>: <c>((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xA282EAD8</c>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
        return unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);
    }
}
