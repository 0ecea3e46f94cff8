namespace Ppo.Plotting.Tests;

public sealed class FigureTests
{
    private static readonly Color Red = new(255, 0, 0);
    private static readonly Color Green = new(0, 200, 0);
    private static readonly double[] Steps = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    private static bool IsGreenish(Color pixel) => pixel.G > pixel.R + 60 && pixel.G > pixel.B + 60;

    private static bool IsReddish(Color pixel) => pixel.R > pixel.G + 60 && pixel.R > pixel.B + 60;

    private static PanelLayout LayoutOf(Figure figure, int row, int column)
    {
        (int left, int top, int width, int height) = figure.PanelBounds(row, column);
        return figure.Panel(row, column).Layout(left, top, width, height, figure.Scale);
    }

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

            DecodedPng png = PngDecoder.Decode(File.ReadAllBytes(path));
            Assert.Equal((600 * scale, figure.TitleHeight + 300 * scale), (png.Width, png.Height));
            Assert.Equal((255, 255, 255, 255), png.Pixel(0, 0));
            Assert.Equal((255, 255, 255, 255), png.Pixel(png.Width - 1, png.Height - 1));
            Assert.Equal([path], Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void WritePng_Figure_MatchesRender()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).Line(Steps, Steps);
        using var stream = new MemoryStream();

        figure.WritePng(stream);

        Assert.Equal(figure.Render().Pixels.ToArray(), PngDecoder.Decode(stream.ToArray()).Pixels);
    }

    [Fact]
    public void Render_HorizontalLine_InksTheRowOfItsValue()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).YRange(0, 10).Line(Steps, Steps, color: Green).HorizontalLine(2.5, color: Red);

        Canvas canvas = figure.Render();

        PanelLayout layout = LayoutOf(figure, 0, 0);
        int row = (int)Math.Floor(layout.MapY(2.5));
        int reddish = 0;
        for (int x = layout.PlotLeft; x < layout.PlotRight; x++)
        {
            reddish += IsReddish(canvas.GetPixel(x, row)) ? 1 : 0;
            Assert.False(IsReddish(canvas.GetPixel(x, row - 4)));
            Assert.False(IsReddish(canvas.GetPixel(x, row + 4)));
        }

        Assert.InRange(reddish, layout.PlotWidth / 2, layout.PlotWidth);
    }

    [Fact]
    public void Render_LineBeyondAFixedRange_StaysInsideThePlotArea()
    {
        var figure = new Figure(1, 2, panelWidth: 240, panelHeight: 180);
        figure.Panel(0, 0).YRange(0, 1).Line([0, 1, 2, 3], [-5, 5, -5, 0.5], color: Green);

        Canvas canvas = figure.Render();

        PanelLayout layout = LayoutOf(figure, 0, 0);
        int inside = 0;
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = 0; x < canvas.Width; x++)
            {
                if (!IsGreenish(canvas.GetPixel(x, y)))
                    continue;
                Assert.True(x >= layout.PlotLeft && x < layout.PlotRight && y >= layout.PlotTop && y < layout.PlotBottom, $"green at ({x}, {y})");
                inside++;
            }
        }

        Assert.True(inside > layout.PlotHeight);
    }

    [Fact]
    public void Render_NaNInASeries_LeavesAGap()
    {
        double[] values = [0.5, 0.5, 0.5, 0.5, 0.5, double.NaN, 0.5, 0.5, 0.5, 0.5, 0.5];
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).YRange(0, 1).Line(Steps, values, color: Green);

        Canvas canvas = figure.Render();

        PanelLayout layout = LayoutOf(figure, 0, 0);
        int row = (int)Math.Floor(layout.MapY(0.5));
        Assert.True(IsGreenish(canvas.GetPixel((int)layout.MapX(2), row)));
        Assert.True(IsGreenish(canvas.GetPixel((int)layout.MapX(8), row)));
        for (int x = (int)layout.MapX(4.2); x < (int)layout.MapX(5.8); x++)
            Assert.False(IsGreenish(canvas.GetPixel(x, row)), $"green at column {x}");
    }

    [Fact]
    public void Render_FaintLineBeforeASolidLine_TakesItsPaletteColorTranslucently()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).YRange(0, 1)
            .Line(Steps, Enumerable.Repeat(0.2, Steps.Length).ToArray(), faint: true)
            .Line(Steps, Enumerable.Repeat(0.8, Steps.Length).ToArray());

        Canvas canvas = figure.Render();

        PanelLayout layout = LayoutOf(figure, 0, 0);
        int x = (int)layout.MapX(3.3);
        Color solid = canvas.GetPixel(x, (int)Math.Floor(layout.MapY(0.8)));
        Color faint = canvas.GetPixel(x, (int)Math.Floor(layout.MapY(0.2)));
        Assert.Equal(Color.FromRgb(0x1F77B4), solid);
        Assert.InRange(faint.R, 255 - (255 - 0x1F) * 0.35 * 1.05, 255 - (255 - 0x1F) * 0.35 * 0.75);
        Assert.InRange(faint.B, 255 - (255 - 0xB4) * 0.35 * 1.05, 255 - (255 - 0xB4) * 0.35 * 0.75);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Render_ReferenceLineLabel_GoesWhereItHidesNoLine(bool lineEndsHigh)
    {
        // A learning curve that ends just above its threshold runs where the label would sit at the right end of the line.
        var figure = new Figure(1, 1);
        Panel panel = figure.Panel(0, 0).YRange(0, 10).Line(Steps, new double[Steps.Length], color: Green).HorizontalLine(9, "solved at 9", Red);
        PanelLayout layout = LayoutOf(figure, 0, 0);
        if (lineEndsHigh)
            panel.Line([6, 10], [9 + 10 * 6.0 / layout.PlotHeight, 9 + 10 * 6.0 / layout.PlotHeight], color: Green);

        Canvas canvas = figure.Render();

        int lineRow = (int)Math.Floor(layout.MapY(9));
        int middle = (layout.PlotLeft + layout.PlotRight) / 2;
        int leftInk = 0, rightInk = 0;
        for (int y = lineRow - 20; y < lineRow - 2; y++)
        {
            for (int x = layout.PlotLeft; x < layout.PlotRight; x++)
            {
                if (IsReddish(canvas.GetPixel(x, y)))
                {
                    if (x < middle)
                        leftInk++;
                    else
                        rightInk++;
                }
            }
        }

        Assert.True(lineEndsHigh ? leftInk > 0 && rightInk == 0 : rightInk > 0 && leftInk == 0, $"label ink left {leftInk}, right {rightInk}");
    }

    [Fact]
    public void Layout_AutomaticRange_PadsTheDataAndIncludesReferenceLines()
    {
        var figure = new Figure(1, 1);
        figure.Panel(0, 0).Line([0, 100_000], [20, 300]).HorizontalLine(475, "solved");

        PanelLayout layout = LayoutOf(figure, 0, 0);

        Assert.Equal(-2_000, layout.XTicks.Minimum, 1e-9);
        Assert.Equal(102_000, layout.XTicks.Maximum, 1e-9);
        Assert.Equal(20 - 0.05 * 455, layout.YTicks.Minimum, 1e-9);
        Assert.Equal(475 + 0.05 * 455, layout.YTicks.Maximum, 1e-9);
        Assert.Contains("100k", layout.XTicks.Labels);
    }

    [Fact]
    public void Render_ConstantSeriesAndEmptyPanel_DrawWithoutErrors()
    {
        var figure = new Figure(1, 2);
        figure.Panel(0, 0).Title("Constant").Line(Steps, Enumerable.Repeat(3.0, Steps.Length).ToArray(), "constant");

        Canvas canvas = figure.Render();

        PanelLayout constant = LayoutOf(figure, 0, 0), empty = LayoutOf(figure, 0, 1);
        Assert.True(constant.YTicks.Minimum < 3 && constant.YTicks.Maximum > 3);
        Assert.Equal((0, 1), (empty.XTicks.Minimum, empty.XTicks.Maximum));
        Assert.Equal(Color.White, canvas.GetPixel(0, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Render_SmallestPanelsWithLongTextAndExtremeValues_DrawWithoutErrors(int scale)
    {
        string longText = new('W', 80);
        var figure = new Figure(2, 2, Figure.MinimumPanelWidth, Figure.MinimumPanelHeight, longText, scale);
        figure.Panel(0, 0).Title(longText).XLabel(longText).YLabel(longText)
            .Line([0, 1e12], [1e14, 1e14 + 0.5], longText).HorizontalLine(1e14, longText);
        figure.Panel(0, 1).Line([double.NaN, 5, double.NaN], [1, double.NaN, 2], "no finite point");
        figure.Panel(1, 0).Line([3], [-7e-9], "one point").YRange(-1e-8, -1e-9);
        figure.Panel(1, 1).Line([-1e30, 1e30], [-3e38, 3e38]);

        Canvas canvas = figure.Render();

        Assert.Equal((figure.Width, figure.Height), (canvas.Width, canvas.Height));
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
