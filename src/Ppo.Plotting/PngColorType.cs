namespace Ppo.Plotting;

/// <summary>The pixel layouts <see cref="PngWriter"/> encodes, 8 bits per channel.</summary>
public enum PngColorType
{
    /// <summary>Three bytes per pixel: red, green, blue (PNG color type 2).</summary>
    Rgb = 2,

    /// <summary>Four bytes per pixel: red, green, blue, alpha (PNG color type 6).</summary>
    Rgba = 6,
}
