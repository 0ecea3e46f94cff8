using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace Ppo.Plotting.Tests;

public sealed class FigureTests
{
    private static readonly Color Red = new(255, 0, 0);
    private static readonly Color Green = new(0, 200, 0);
    private static readonly double[] Steps = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    private static SKBitmap Draw(Figure figure)
    {
        using var stream = new MemoryStream();
        figure.WritePng(stream);
        return SKBitmap.Decode(stream.ToArray());
    }

    private static int Count(SKBitmap image, Func<SKColor, bool> predicate, int top = 0, int bottom = int.MaxValue)
    {
        int count = 0;
        for (int y = top; y < Math.Min(bottom, image.Height); y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (predicate(image.GetPixel(x, y)))
                    count++;
            }
        }

        return count;
    }

    private static bool IsInk(SKColor pixel) => pixel.Red + pixel.Green + pixel.Blue < 3 * 160;

    private static bool IsReddish(SKColor pixel) => pixel.Red > pixel.Green + 100 && pixel.Red > pixel.Blue + 100;

    private static bool IsGreenish(SKColor pixel) => pixel.Green > pixel.Red + 100 && pixel.Green > pixel.Blue + 100;

    private static Plot PlotOf(Figure figure, int row, int column) =>
        figure.Panel(row, column).CreatePlot(figure.PanelWidth, figure.PanelHeight, figure.Scale);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SavePng_TwoByThreeFigure_DecodesToItsSizeWithAWhiteBackground(int scale)
    {
        var figure = new Figure(rows: 2, columns: 3, panelWidth: 200, panelHeight: 150, title: "CartPole-v1, seed 1", scale: scale);
        figure.Panel(0, 0).Title("Episode return").XLabel("steps").YLabel("return").Line(Steps, Steps, "return");
        string folder = Directory.CreateTempSubdirectory("ppo-figure-").FullName;
        try
        {
            string path = Path.Combine(folder, "curves.png");

            figure.SavePng(path);

            using SKBitmap png = SKBitmap.Decode(path);
            Assert.Equal((600 * scale, 40 * scale + 300 * scale), (png.Width, png.Height));
            Assert.Equal((figure.Width, figure.Height), (png.Width, png.Height));
            Assert.Equal(SKColors.White, png.GetPixel(0, 0));
            Assert.Equal(SKColors.White, png.GetPixel(png.Width - 1, png.Height - 1));
            Assert.Equal([path], Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void SavePng_ExistingFileInAMissingFolder_CreatesTheFolderReplacesTheFileAndLeavesNoTemporaryFile()
    {
        string folder = Directory.CreateTempSubdirectory("ppo-figure-").FullName;
        try
        {
            string path = Path.Combine(folder, "charts", "curves.png");
            var figure = new Figure(1, 1);
            figure.Panel(0, 0).Line(Steps, Steps);

            figure.SavePng(path);
            File.WriteAllText(path, "not an image");
            figure.SavePng(path);

            using SKBitmap png = SKBitmap.Decode(path);
            Assert.Equal((figure.Width, figure.Height), (png.Width, png.Height));
            Assert.Equal([path], Directory.GetFiles(Path.Combine(folder, "charts")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void WritePng_FigureTitle_InksItsBandWithGlyphsOfTheirOwnShapes()
    {
        // A missing font draws nothing, a font without the glyphs draws the same box for every letter: either way the
        // narrow and the wide letters would ink alike.
        using SKBitmap narrow = Draw(new Figure(1, 1, title: "iiiiiiiiiiii"));
        using SKBitmap wide = Draw(new Figure(1, 1, title: "WWWWWWWWWWWW"));
        using SKBitmap blank = Draw(new Figure(1, 1, title: " "));
        int band = new Figure(1, 1, title: " ").TitleHeight;

        int narrowInk = Count(narrow, IsInk, bottom: band), wideInk = Count(wide, IsInk, bottom: band);

        Assert.Equal(0, Count(blank, IsInk, bottom: band));
        Assert.True(narrowInk > 50, $"The narrow title inked {narrowInk} pixels.");
        Assert.True(wideInk > 3 * narrowInk, $"The wide title inked {wideInk} pixels, the narrow one {narrowInk}.");
    }

    [Fact]
    public void WritePng_PanelTitle_InksGlyphsOfTheirOwnShapes()
    {
        static int TitleInk(string title)
        {
            var figure = new Figure(1, 1);
            figure.Panel(0, 0).Title(title).Line(Steps, Steps);
            using SKBitmap image = Draw(figure);
            return Count(image, IsInk, bottom: 28);
        }

        int narrowInk = TitleInk("iiiiiiiiiiii"), wideInk = TitleInk("WWWWWWWWWWWW");

        Assert.True(narrowInk > 30, $"The narrow title inked {narrowInk} pixels.");
        Assert.True(wideInk > 3 * narrowInk, $"The wide title inked {wideInk} pixels, the narrow one {narrowInk}.");
    }

    [Fact]
    public void Name_FontInstalled_IsDejaVuSansOnLinux()
    {
        string expected = OperatingSystem.IsLinux() ? ChartFont.DejaVuSans : ScottPlot.Fonts.Default;

        Assert.Equal(expected, ChartFont.Name);
    }

    [Fact]
    public void WritePng_ColoredLineAndReferenceLine_InkTheirColors()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).Line(Steps, Steps, "red", color: Red).HorizontalLine(5, "green", Green);

        using SKBitmap image = Draw(figure);

        Assert.True(Count(image, IsReddish) > 200);
        Assert.True(Count(image, IsGreenish) > 100);
    }

    [Fact]
    public void CreatePlot_HorizontalLine_AddsADashedLineWithItsLegendEntry()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).Line(Steps, Steps).HorizontalLine(475, "solved at 475");

        HorizontalLine line = Assert.Single(PlotOf(figure, 0, 0).GetPlottables().OfType<HorizontalLine>());

        Assert.Equal(475, line.Y);
        Assert.Equal(LinePattern.Dashed, line.LinePattern);
        Assert.Equal("solved at 475", line.LegendText);
    }

    [Fact]
    public void CreatePlot_AutomaticRange_PadsTheDataAndIncludesReferenceLines()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).Line([0, 100_000], [20, 300]).HorizontalLine(475, "solved");

        AxisLimits limits = PlotOf(figure, 0, 0).Axes.GetLimits();

        Assert.Equal(-2_000, limits.Left, 1e-9);
        Assert.Equal(102_000, limits.Right, 1e-9);
        Assert.Equal(20 - 0.05 * 455, limits.Bottom, 1e-9);
        Assert.Equal(475 + 0.05 * 455, limits.Top, 1e-9);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(0.8, "0.8")]
    [InlineData(999, "999")]
    [InlineData(2500, "2.5k")]
    [InlineData(20_000, "20k")]
    [InlineData(-100_000, "-100k")]
    [InlineData(1_500_000, "1.5M")]
    public void TickLabel_Steps_WritesThousandsAsKAndMillionsAsM(double value, string expected)
    {
        Assert.Equal(expected, Panel.TickLabel(value));
    }

    [Fact]
    public void CreatePlot_FixedRange_KeepsTheLimits()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).Line(Steps, Steps).YRange(-1, 2);

        AxisLimits limits = PlotOf(figure, 0, 0).Axes.GetLimits();

        Assert.Equal((-1, 2), (limits.Bottom, limits.Top));
    }

    [Fact]
    public void CreatePlot_NaNInASeries_SplitsTheLineAndLabelsOnlyTheFirstPart()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).Line([0, 1, 2, double.NaN, 4, 5], [0, 1, 2, 3, 4, double.PositiveInfinity], "return");

        Scatter[] parts = [.. PlotOf(figure, 0, 0).GetPlottables().OfType<Scatter>()];

        Assert.Equal(2, parts.Length);
        Assert.Equal([0, 1, 2], parts[0].Data.GetScatterPoints().Select(point => point.X));
        Assert.Equal([4], parts[1].Data.GetScatterPoints().Select(point => point.X));
        Assert.Equal("return", parts[0].LegendText);
        Assert.Equal("", parts[1].LegendText);
    }

    [Fact]
    public void CreatePlot_FaintLineBeforeASolidLine_TakesItsPaletteColorTranslucently()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).Line(Steps, Steps, faint: true).Line(Steps, Steps, "mean").Line(Steps, Steps, "second");

        Scatter[] lines = [.. PlotOf(figure, 0, 0).GetPlottables().OfType<Scatter>()];

        ScottPlot.Color first = Panel.ToScottPlot(Panel.Palette[0]);
        Assert.Equal(first.WithAlpha((byte)Math.Round(255 * Panel.FaintOpacity)), lines[0].LineColor);
        Assert.Equal(Panel.FaintWidth, lines[0].LineWidth);
        Assert.Equal(first, lines[1].LineColor);
        Assert.Equal(Panel.SolidWidth, lines[1].LineWidth);
        Assert.Equal(Panel.ToScottPlot(Panel.Palette[1]), lines[2].LineColor);
    }

    [Theory]
    [InlineData(true, false, Alignment.UpperLeft)]
    [InlineData(false, false, Alignment.UpperRight)]
    [InlineData(true, true, Alignment.LowerRight)]
    public void CreatePlot_Legend_GoesToACornerWhereItHidesNoLine(bool rising, bool referenceAtTheTop, Alignment expected)
    {
        double[] x = [.. Enumerable.Range(0, 200).Select(i => (double)i)];
        double[] y = [.. x.Select(value => rising ? value : 199 - value)];
        var figure = new Figure(1, 1);
        Panel panel = figure.Panel(0, 0).Line(x, y, "return");
        if (referenceAtTheTop)
            panel.HorizontalLine(205, "solved");

        Assert.Equal(expected, PlotOf(figure, 0, 0).Legend.Alignment);
    }

    [Fact]
    public void CreatePlot_EveryCornerCrowded_PutsTheLegendBelowThePlotArea()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).Line([0, 1, 2], [0, 1, 0], "peak").Line([0, 2], [0.5, 0.5], "crossing, without a point in any corner");

        Plot plot = PlotOf(figure, 0, 0);

        Assert.Null(figure.Panel(0, 0).LegendCorner(figure.PanelWidth, figure.PanelHeight, 2, 40, (0, 2, 0, 1)));
        Assert.Equal(Orientation.Horizontal, plot.Legend.Orientation);
    }

    [Fact]
    public void CreatePlot_ConstantSeriesAndEmptyPanel_WidenTheLimits()
    {
        var figure = new Figure(1, 2);
        figure.Panel(0, 0).Title("Constant").Line(Steps, [.. Enumerable.Repeat(3.0, Steps.Length)], "constant");

        AxisLimits constant = PlotOf(figure, 0, 0).Axes.GetLimits(), empty = PlotOf(figure, 0, 1).Axes.GetLimits();

        Assert.True(constant.Bottom < 3 && constant.Top > 3);
        Assert.Equal((0, 1, 0, 1), (empty.Left, empty.Right, empty.Bottom, empty.Top));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void WritePng_SmallestPanelsWithLongTextAndExtremeValues_DrawWithoutErrors(int scale)
    {
        string longText = new('W', 80);
        var figure = new Figure(2, 2, Figure.MinimumPanelWidth, Figure.MinimumPanelHeight, longText, scale);
        figure.Panel(0, 0).Title(longText).XLabel(longText).YLabel(longText)
            .Line([0, 1e12], [1e14, 1e14 + 0.5], longText).HorizontalLine(1e14, longText);
        figure.Panel(0, 1).Line([double.NaN, 5, double.NaN], [1, double.NaN, 2], "no finite point");
        figure.Panel(1, 0).Line([3], [-7e-9], "one point").YRange(-1e-8, -1e-9);
        figure.Panel(1, 1).Line([-1e30, 1e30], [-3e38, 3e38]);

        using SKBitmap image = Draw(figure);

        Assert.Equal((figure.Width, figure.Height), (image.Width, image.Height));
    }

    [Theory]
    [InlineData(0, 1, 480, 320, 1, "rows")]
    [InlineData(1, 0, 480, 320, 1, "columns")]
    [InlineData(1, 1, 0, 320, 1, "panelWidth")]
    [InlineData(1, 1, Figure.MinimumPanelWidth - 1, 320, 1, "panelWidth")]
    [InlineData(1, 1, 480, -5, 1, "panelHeight")]
    [InlineData(1, 1, 480, 320, 0, "scale")]
    [InlineData(1, 1, 480, 320, 9, "scale")]
    [InlineData(1000, 1000, 480, 320, 1, "rows")]
    public void Constructor_BadSize_ThrowsNamingTheArgument(int rows, int columns, int panelWidth, int panelHeight, int scale, string name)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new Figure(rows, columns, panelWidth, panelHeight, scale: scale));
        Assert.Equal(name, exception.ParamName);
    }

    [Fact]
    public void Panel_SamePosition_ReturnsTheSameInstance()
    {
        var figure = new Figure(2, 3);
        Assert.Same(figure.Panel(1, 2), figure.Panel(1, 2));
        Assert.NotSame(figure.Panel(0, 2), figure.Panel(1, 2));
    }

    [Theory]
    [InlineData(2, 0, "row")]
    [InlineData(-1, 0, "row")]
    [InlineData(0, 3, "column")]
    public void Panel_OutsideTheGrid_ThrowsNamingTheArgument(int row, int column, string name)
    {
        var figure = new Figure(2, 3);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => figure.Panel(row, column)).ParamName);
    }

    [Fact]
    public void Line_MismatchedLengths_ThrowsWithBothLengths()
    {
        Panel panel = new Figure(1, 1).Panel(0, 0);

        var exception = Assert.Throws<ArgumentException>(() => panel.Line([1, 2, 3], [1, 2]));

        Assert.Equal("y", exception.ParamName);
        Assert.Contains("x has 3, y has 2", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, 1, "minimum")]
    [InlineData(0, double.PositiveInfinity, "maximum")]
    [InlineData(1, 1, "maximum")]
    [InlineData(2, 1, "maximum")]
    public void YRange_InvalidLimits_ThrowNamingTheArgument(double minimum, double maximum, string name)
    {
        Panel panel = new Figure(1, 1).Panel(0, 0);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => panel.YRange(minimum, maximum)).ParamName);
    }

    [Fact]
    public void PanelSetters_InvalidArguments_Throw()
    {
        Panel panel = new Figure(1, 1).Panel(0, 0);

        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => panel.HorizontalLine(double.NaN)).ParamName);
        Assert.Throws<ArgumentNullException>(() => panel.Title(null!));
        Assert.Throws<ArgumentNullException>(() => panel.XLabel(null!));
        Assert.Throws<ArgumentNullException>(() => panel.YLabel(null!));
    }

    [Fact]
    public void SavePng_EmptyPath_Throws()
    {
        var figure = new Figure(1, 1);
        Assert.Throws<ArgumentException>(() => figure.SavePng(""));
        Assert.Throws<ArgumentNullException>(() => figure.WritePng(null!));
    }
}
