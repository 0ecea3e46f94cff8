using SkiaSharp;

namespace Ppo.Plotting;

/// <summary>A grid of line-chart panels under an optional title, drawn with ScottPlot and saved as PNG.</summary>
/// <remarks>
/// Sizes are given at scale 1, where tick labels are 12 pixels high. A larger <see cref="Scale"/> multiplies every
/// length, fonts and line widths included (ScottPlot's scale factor), for an image that stays legible when shown shrunk.
/// </remarks>
/// <example>
/// <code>
/// var figure = new Figure(rows: 2, columns: 3, title: "CartPole-v1, seed 1");
/// figure.Panel(0, 0).Title("Episode return").XLabel("steps")
///     .Line(steps, returns, "return", faint: true)
///     .Line(steps, Series.RollingMean(returns, 20), "rolling mean")
///     .HorizontalLine(475, "solved");
/// figure.SavePng("curves.png");
/// </code>
/// </example>
public sealed class Figure
{
    /// <summary>The smallest panel width, in pixels at scale 1, that leaves room for the axes.</summary>
    public const int MinimumPanelWidth = 160;

    /// <summary>The smallest panel height, in pixels at scale 1, that leaves room for the axes.</summary>
    public const int MinimumPanelHeight = 120;

    private const float TitleSize = 20;
    private const int TitleBand = 40;

    private readonly Panel[] _panels;
    private readonly string? _title;

    /// <summary>Creates a figure of empty panels.</summary>
    /// <param name="rows">The panel rows, at least 1.</param>
    /// <param name="columns">The panel columns, at least 1.</param>
    /// <param name="panelWidth">The width of each panel in pixels at scale 1, at least <see cref="MinimumPanelWidth"/>.</param>
    /// <param name="panelHeight">The height of each panel in pixels at scale 1, at least <see cref="MinimumPanelHeight"/>.</param>
    /// <param name="title">The title centered above the panels; <see langword="null"/> or empty for none.</param>
    /// <param name="scale">The factor, from 1 to 8, applied to every length: sizes, fonts and line widths.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or size is below its minimum, <paramref name="scale"/> is outside [1, 8], or the image would exceed 2^29 pixels.</exception>
    public Figure(int rows, int columns, int panelWidth = 480, int panelHeight = 320, string? title = null, int scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(panelWidth, MinimumPanelWidth);
        ArgumentOutOfRangeException.ThrowIfLessThan(panelHeight, MinimumPanelHeight);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 8);

        Rows = rows;
        Columns = columns;
        PanelWidth = panelWidth;
        PanelHeight = panelHeight;
        Scale = scale;
        _title = string.IsNullOrEmpty(title) ? null : title;
        TitleHeight = _title is null ? 0 : TitleBand * scale;

        long width = (long)columns * panelWidth * scale, height = (long)rows * panelHeight * scale + TitleHeight;
        if (width * height > int.MaxValue / 4)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"A figure of {width} × {height} pixels exceeds {int.MaxValue / 4} pixels.");

        _panels = new Panel[rows * columns];
        for (int i = 0; i < _panels.Length; i++)
            _panels[i] = new Panel();
    }

    /// <summary>Gets the number of panel rows.</summary>
    public int Rows { get; }

    /// <summary>Gets the number of panel columns.</summary>
    public int Columns { get; }

    /// <summary>Gets the width of each panel in pixels at scale 1.</summary>
    public int PanelWidth { get; }

    /// <summary>Gets the height of each panel in pixels at scale 1.</summary>
    public int PanelHeight { get; }

    /// <summary>Gets the factor applied to every length.</summary>
    public int Scale { get; }

    /// <summary>Gets the width of the image in pixels: <see cref="Columns"/> × <see cref="PanelWidth"/> × <see cref="Scale"/>.</summary>
    public int Width => Columns * PanelWidth * Scale;

    /// <summary>Gets the height of the image in pixels: <see cref="TitleHeight"/> plus <see cref="Rows"/> × <see cref="PanelHeight"/> × <see cref="Scale"/>.</summary>
    public int Height => TitleHeight + Rows * PanelHeight * Scale;

    /// <summary>Gets the height of the band above the panels that holds the title, in pixels of the image; 0 without a title.</summary>
    public int TitleHeight { get; }

    /// <summary>Returns the panel at a grid position; the same instance on every call.</summary>
    /// <param name="row">The row, from 0 at the top.</param>
    /// <param name="column">The column, from 0 at the left.</param>
    /// <returns>The panel, for chained configuration.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> or <paramref name="column"/> lies outside the grid.</exception>
    public Panel Panel(int row, int column)
    {
        if ((uint)row >= (uint)Rows)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The row must be in [0, {Rows - 1}].");
        if ((uint)column >= (uint)Columns)
            throw new ArgumentOutOfRangeException(nameof(column), column, $"The column must be in [0, {Columns - 1}].");
        return _panels[row * Columns + column];
    }

    /// <summary>Draws the figure: a white image of <see cref="Width"/> × <see cref="Height"/> pixels, the title centered in its band, each panel drawn by ScottPlot in its cell.</summary>
    /// <returns>The image; the caller disposes it.</returns>
    /// <exception cref="InvalidOperationException">No font is installed to draw text with (see <see cref="SavePng"/>).</exception>
    internal SKImage Render()
    {
        using SKSurface surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        if (_title is not null)
        {
            using var font = new SKFont(ChartFont.Typeface(bold: true), TitleSize * Scale);
            using var paint = new SKPaint { Color = new SKColor(0x11, 0x11, 0x11), IsAntialias = true };
            float baseline = (TitleHeight - font.Metrics.Ascent - font.Metrics.Descent) / 2;
            canvas.DrawText(_title, Width / 2f, baseline, SKTextAlign.Center, font, paint);
        }

        using var cellPaint = new SKPaint();
        for (int row = 0; row < Rows; row++)
        {
            for (int column = 0; column < Columns; column++)
            {
                (int left, int top, int width, int height) = PanelBounds(row, column);
                using SKSurface cell = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
                Panel(row, column).CreatePlot(PanelWidth, PanelHeight, Scale).Render(cell);
                using SKImage image = cell.Snapshot();
                canvas.DrawImage(image, left, top, new SKSamplingOptions(SKFilterMode.Nearest), cellPaint);
            }
        }

        return surface.Snapshot();
    }

    /// <summary>The rectangle of the image, in pixels, that the panel at (<paramref name="row"/>, <paramref name="column"/>) occupies.</summary>
    internal (int Left, int Top, int Width, int Height) PanelBounds(int row, int column) =>
        (column * PanelWidth * Scale, TitleHeight + row * PanelHeight * Scale, PanelWidth * Scale, PanelHeight * Scale);

    /// <summary>Renders the figure and writes it to <paramref name="stream"/> as PNG.</summary>
    /// <param name="stream">The destination; it is written to, not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No font is installed to draw text with (see <see cref="SavePng"/>).</exception>
    public void WritePng(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using SKImage image = Render();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        png.SaveTo(stream);
    }

    /// <summary>Renders the figure and saves it as a PNG file, atomically: a half-written file never replaces <paramref name="path"/>.</summary>
    /// <param name="path">The destination file; a missing folder is created.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="InvalidOperationException">
    /// No font is installed to draw text with: on Linux, the charts are set in DejaVu Sans (Debian and Ubuntu:
    /// <c>apt-get install fonts-dejavu-core</c>).
    /// </exception>
    public void SavePng(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                WritePng(stream);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
