using ScottPlot;
using SkiaSharp;

namespace Ppo.Plotting;

/// <summary>The font every chart is set in: DejaVu Sans from its files where they are installed, else the system's default.</summary>
/// <remarks>
/// On Linux the package ships SkiaSharp's native library without dependencies, which has no font manager: Skia finds
/// no font by name there, and text would be drawn as nothing. So the font is registered with ScottPlot from the files
/// that the distributions' DejaVu packages install (Debian and Ubuntu: <c>fonts-dejavu-core</c>), which also makes the
/// charts look the same on every machine that has them. Where they are missing, the system's font manager (Windows,
/// macOS, or a SkiaSharp build with fontconfig) supplies ScottPlot's default font; with neither, drawing throws
/// rather than writing charts without text.
/// </remarks>
internal static class ChartFont
{
    /// <summary>The family registered from the DejaVu files.</summary>
    public const string DejaVuSans = "DejaVu Sans";

    /// <summary>The folders where Debian and Ubuntu, Fedora, Arch and Alpine install DejaVu Sans.</summary>
    private static readonly string[] DejaVuFolders =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu-sans-fonts",
        "/usr/share/fonts/TTF",
        "/usr/share/fonts/dejavu",
    ];

    private static readonly Lazy<string> Family = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Gets the font family that charts use, registering DejaVu Sans with ScottPlot on first use.</summary>
    /// <exception cref="InvalidOperationException">No DejaVu Sans files are installed and SkiaSharp knows no font.</exception>
    public static string Name => Family.Value;

    /// <summary>The typeface of <see cref="Name"/> in the given weight, for text drawn outside ScottPlot (the figure's title).</summary>
    /// <remarks>ScottPlot caches the typeface and shares it between calls: the caller must not dispose it.</remarks>
    public static SKTypeface Typeface(bool bold) => Fonts.GetTypeface(Name, bold, italic: false);

    private static string Register()
    {
        foreach (string folder in DejaVuFolders)
        {
            string regular = Path.Combine(folder, "DejaVuSans.ttf"), bold = Path.Combine(folder, "DejaVuSans-Bold.ttf");
            if (File.Exists(regular) && File.Exists(bold))
            {
                Fonts.AddFontFile(DejaVuSans, regular, bold: false, italic: false);
                Fonts.AddFontFile(DejaVuSans, bold, bold: true, italic: false);
                return DejaVuSans;
            }
        }

        if (!string.IsNullOrWhiteSpace(Fonts.Default))
            return Fonts.Default;

        throw new InvalidOperationException(
            "Ppo.Plotting found no font to draw text with: DejaVu Sans is not installed in any of "
            + string.Join(", ", DejaVuFolders)
            + " and SkiaSharp's font manager knows no font. Install DejaVu Sans (Debian and Ubuntu: apt-get install fonts-dejavu-core).");
    }
}
