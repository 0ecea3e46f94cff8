using System.Globalization;

namespace Ppo.Plotting;

/// <summary>An 8-bit sRGB color with straight (not premultiplied) alpha.</summary>
/// <param name="R">The red channel.</param>
/// <param name="G">The green channel.</param>
/// <param name="B">The blue channel.</param>
/// <param name="A">The opacity: 0 is transparent, 255 opaque.</param>
public readonly record struct Color(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Gets opaque white.</summary>
    public static Color White => new(255, 255, 255);

    /// <summary>Gets opaque black.</summary>
    public static Color Black => new(0, 0, 0);

    /// <summary>Gets the fully transparent color.</summary>
    public static Color Transparent => new(0, 0, 0, 0);

    /// <summary>Creates an opaque color from a <c>0xRRGGBB</c> value.</summary>
    /// <param name="rgb">The red, green and blue channels, red in the highest byte.</param>
    /// <returns>The opaque color.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rgb"/> is greater than <c>0xFFFFFF</c>.</exception>
    public static Color FromRgb(uint rgb)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rgb, 0xFFFFFFu);
        return new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
    }

    /// <summary>Returns this color with its opacity scaled by <paramref name="opacity"/>.</summary>
    /// <param name="opacity">The factor in [0, 1] applied to <see cref="A"/>.</param>
    /// <returns>The same red, green and blue with alpha <c>round(A × opacity)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opacity"/> is not in [0, 1].</exception>
    public Color WithOpacity(double opacity)
    {
        if (!(opacity is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(opacity), opacity, "The opacity must be in [0, 1].");
        return this with { A = (byte)Math.Round(A * opacity) };
    }

    /// <summary>Formats the color as <c>#RRGGBBAA</c>.</summary>
    /// <returns>The hexadecimal form.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"#{R:X2}{G:X2}{B:X2}{A:X2}");
}
