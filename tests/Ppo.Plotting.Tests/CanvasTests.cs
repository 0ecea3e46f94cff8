namespace Ppo.Plotting.Tests;

public sealed class CanvasTests
{
    private static readonly Color Red = new(255, 0, 0);

    private static Canvas WhiteCanvas(int width, int height)
    {
        var canvas = new Canvas(width, height);
        canvas.Clear(Color.White);
        return canvas;
    }

    [Theory]
    [InlineData(0, 5, "width")]
    [InlineData(-3, 5, "width")]
    [InlineData(5, 0, "height")]
    [InlineData(100_000, 100_000, "height")]
    public void Constructor_BadSize_ThrowsNamingTheArgument(int width, int height, string name)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new Canvas(width, height));
        Assert.Equal(name, exception.ParamName);
    }

    [Fact]
    public void Clear_AnyColor_SetsEveryPixel()
    {
        var canvas = new Canvas(3, 2);

        canvas.Clear(new Color(1, 2, 3, 4));

        Assert.Equal([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], canvas.Pixels.ToArray());
    }

    [Fact]
    public void DrawLine_HorizontalThroughPixelCentres_InksExactlyThatRow()
    {
        Canvas canvas = WhiteCanvas(20, 10);

        canvas.DrawLine(2, 4.5, 18, 4.5, Red);

        for (int x = 3; x < 17; x++)
        {
            Assert.Equal(Red, canvas.GetPixel(x, 4));
            Assert.Equal(Color.White, canvas.GetPixel(x, 3));
            Assert.Equal(Color.White, canvas.GetPixel(x, 5));
        }
    }

    [Fact]
    public void DrawLine_Width3_InksThreeRows()
    {
        Canvas canvas = WhiteCanvas(20, 10);

        canvas.DrawLine(2, 5, 18, 5, Red, width: 3);

        Assert.Equal(Red, canvas.GetPixel(10, 4));
        Assert.Equal(Red, canvas.GetPixel(10, 5));
        Assert.NotEqual(Color.White, canvas.GetPixel(10, 3));
        Assert.NotEqual(Color.White, canvas.GetPixel(10, 6));
        Assert.Equal(Color.White, canvas.GetPixel(10, 2));
        Assert.Equal(Color.White, canvas.GetPixel(10, 7));
    }

    [Fact]
    public void DrawLine_WithClip_InksNothingOutsideTheClip()
    {
        Canvas canvas = WhiteCanvas(30, 30);
        canvas.SetClip(5, 8, 12, 10);

        canvas.DrawLine(-1e9, -1e9, 1e9, 1e9, Red, width: 4);
        canvas.DrawLine(-50, 12, 80, 12, Red, width: 2, dashPattern: [3, 2]);

        int inked = 0;
        for (int y = 0; y < 30; y++)
        {
            for (int x = 0; x < 30; x++)
            {
                bool inside = x is >= 5 and < 17 && y is >= 8 and < 18;
                if (canvas.GetPixel(x, y) != Color.White)
                {
                    Assert.True(inside, $"pixel ({x}, {y}) lies outside the clip");
                    inked++;
                }
            }
        }

        Assert.True(inked > 20);
    }

    [Fact]
    public void ResetClip_AfterSetClip_DrawsEverywhereAgain()
    {
        Canvas canvas = WhiteCanvas(10, 10);
        canvas.SetClip(0, 0, 2, 2);

        canvas.ResetClip();
        canvas.FillRectangle(8, 8, 2, 2, Red);

        Assert.Equal(Red, canvas.GetPixel(9, 9));
    }

    [Fact]
    public void DrawPolyline_NonFinitePoint_LeavesAGap()
    {
        Canvas canvas = WhiteCanvas(40, 10);

        canvas.DrawPolyline([2, 10, double.NaN, 30, 38], [5.5, 5.5, 5.5, 5.5, 5.5], Red, width: 2);

        Assert.NotEqual(Color.White, canvas.GetPixel(6, 5));
        Assert.NotEqual(Color.White, canvas.GetPixel(34, 5));
        for (int x = 13; x < 27; x++)
            Assert.Equal(Color.White, canvas.GetPixel(x, 5));
    }

    [Fact]
    public void DrawPolyline_IsolatedPoint_DrawsADot()
    {
        Canvas canvas = WhiteCanvas(20, 20);

        canvas.DrawPolyline([double.NaN, 10.5, double.PositiveInfinity], [5, 10.5, 5], Red, width: 3);

        Assert.Equal(Red, canvas.GetPixel(10, 10));
        Assert.Equal(Color.White, canvas.GetPixel(10, 5));
    }

    [Fact]
    public void DrawPolyline_TranslucentSegmentsOverlapping_BlendOnce()
    {
        Canvas once = WhiteCanvas(20, 10), folded = WhiteCanvas(20, 10);
        Color translucent = Red.WithOpacity(0.5);

        once.DrawLine(2, 5, 18, 5, translucent, width: 2);
        folded.DrawPolyline([2, 18, 2, 18], [5, 5, 5, 5], translucent, width: 2);

        Assert.Equal(once.Pixels.ToArray(), folded.Pixels.ToArray());
        Assert.Equal(new Color(255, 127, 127), once.GetPixel(10, 5));
    }

    [Fact]
    public void DrawLine_Dashed_AlternatesDrawnAndSkippedStretches()
    {
        Canvas canvas = WhiteCanvas(40, 5);

        canvas.DrawLine(0, 2.5, 40, 2.5, Red, width: 1, dashPattern: [4, 4]);

        Assert.Equal(Red, canvas.GetPixel(1, 2));
        Assert.Equal(Color.White, canvas.GetPixel(6, 2));
        Assert.Equal(Red, canvas.GetPixel(9, 2));
        Assert.Equal(Color.White, canvas.GetPixel(14, 2));
        Assert.Equal(Red, canvas.GetPixel(17, 2));
    }

    [Fact]
    public void DrawPolyline_MismatchedLengths_ThrowsWithBothLengths()
    {
        var canvas = new Canvas(4, 4);

        var exception = Assert.Throws<ArgumentException>(() => canvas.DrawPolyline([1, 2, 3], [1, 2], Red));

        Assert.Equal("y", exception.ParamName);
        Assert.Contains("x has 3, y has 2", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void DrawLine_BadWidth_Throws(double width)
    {
        var canvas = new Canvas(4, 4);
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => canvas.DrawLine(0, 0, 3, 3, Red, width));
        Assert.Equal("width", exception.ParamName);
    }

    [Fact]
    public void DrawLine_BadDashPattern_Throws()
    {
        var canvas = new Canvas(4, 4);

        Assert.Equal("dashPattern", Assert.Throws<ArgumentException>(() => canvas.DrawLine(0, 0, 3, 3, Red, 1, [4])).ParamName);
        Assert.Equal("dashPattern", Assert.Throws<ArgumentException>(() => canvas.DrawLine(0, 0, 3, 3, Red, 1, [4, 0])).ParamName);
    }

    [Fact]
    public void FillRectangle_TranslucentOverWhite_BlendsHalfway()
    {
        Canvas canvas = WhiteCanvas(4, 4);

        canvas.FillRectangle(1, 1, 2, 2, new Color(0, 0, 255, 128));

        Assert.Equal(new Color(127, 127, 255), canvas.GetPixel(1, 1));
        Assert.Equal(new Color(127, 127, 255), canvas.GetPixel(2, 2));
        Assert.Equal(Color.White, canvas.GetPixel(0, 0));
        Assert.Equal(Color.White, canvas.GetPixel(3, 3));
    }

    [Fact]
    public void FillRectangle_OverTransparent_KeepsTheColorAndItsAlpha()
    {
        var canvas = new Canvas(2, 2);

        canvas.FillRectangle(0, 0, 1, 1, new Color(10, 20, 30, 40));

        Assert.Equal(new Color(10, 20, 30, 40), canvas.GetPixel(0, 0));
        Assert.Equal(Color.Transparent, canvas.GetPixel(1, 1));
    }

    [Fact]
    public void DrawText_LetterI_InksItsGlyph()
    {
        Canvas canvas = WhiteCanvas(10, 10);

        canvas.DrawText("I", 0, 0, Color.Black);

        Assert.Equal([Color.Black, Color.Black, Color.Black, Color.White], Row(canvas, 0, 4));
        Assert.Equal([Color.White, Color.Black, Color.White, Color.White], Row(canvas, 1, 4));
        Assert.Equal([Color.Black, Color.Black, Color.Black, Color.White], Row(canvas, 6, 4));
        Assert.Equal([Color.White, Color.White, Color.White, Color.White], Row(canvas, 7, 4));
    }

    [Fact]
    public void DrawText_Scale2_DoublesEveryPixel()
    {
        Canvas canvas = WhiteCanvas(10, 20);

        canvas.DrawText("I", 0, 0, Color.Black, scale: 2);

        Assert.Equal([.. Enumerable.Repeat(Color.Black, 6), Color.White], Row(canvas, 0, 7));
        Assert.Equal([.. Enumerable.Repeat(Color.Black, 6), Color.White], Row(canvas, 1, 7));
        Assert.Equal([Color.White, Color.White, Color.Black, Color.Black, Color.White, Color.White], Row(canvas, 2, 6));
    }

    [Fact]
    public void DrawVerticalText_LetterI_ReadsFromBottomToTop()
    {
        Canvas canvas = WhiteCanvas(10, 12);

        canvas.DrawVerticalText("I", 0, 10, Color.Black);

        Assert.Equal(Color.Black, canvas.GetPixel(0, 9));
        Assert.Equal(Color.Black, canvas.GetPixel(0, 8));
        Assert.Equal(Color.Black, canvas.GetPixel(0, 7));
        Assert.Equal(Color.White, canvas.GetPixel(0, 6));
        Assert.Equal(Color.White, canvas.GetPixel(1, 9));
        Assert.Equal(Color.Black, canvas.GetPixel(1, 8));
        Assert.Equal(Color.Black, canvas.GetPixel(6, 9));
    }

    [Fact]
    public void MeasureText_ProportionalLettersAndTabularDigits_SumsWidthsAndGaps()
    {
        Assert.Equal(0, Canvas.MeasureText(""));
        Assert.Equal(3, Canvas.MeasureText("I"));
        Assert.Equal(7, Canvas.MeasureText("II"));
        Assert.Equal(5, Canvas.MeasureText("1"));
        Assert.Equal(Canvas.MeasureText("0.5") * 2, Canvas.MeasureText("0.5", scale: 2));
        Assert.Equal(18, Canvas.TextHeight(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Canvas.MeasureText("x", scale: 0));
    }

    [Fact]
    public void BitmapFont_EveryPrintableAsciiAndMathSign_HasItsOwnGlyph()
    {
        var characters = Enumerable.Range(32, 95).Select(c => (char)c).Concat("−±≥≤×");
        BitmapFont.Glyph fallback = BitmapFont.Get('?');

        foreach (char character in characters)
        {
            BitmapFont.Glyph glyph = BitmapFont.Get(character);
            Assert.True(glyph.Width is >= 1 and <= 5, $"width of '{character}'");
            Assert.True(character is ' ' ? glyph.Bits == 0 : glyph.Bits != 0, $"ink of '{character}'");
            Assert.True(character == '?' || glyph != fallback, $"'{character}' falls back to '?'");
        }

        Assert.Equal(fallback, BitmapFont.Get('€'));
    }

    [Fact]
    public void GetPixel_OutsideTheCanvas_Throws()
    {
        var canvas = new Canvas(3, 2);

        Assert.Equal("x", Assert.Throws<ArgumentOutOfRangeException>(() => canvas.GetPixel(3, 0)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => canvas.GetPixel(0, -1)).ParamName);
    }

    [Fact]
    public void SetClip_NegativeSize_Throws()
    {
        var canvas = new Canvas(3, 2);
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => canvas.SetClip(0, 0, -1, 1)).ParamName);
    }

    [Fact]
    public void WritePng_DrawnCanvas_DecodesToTheSamePixels()
    {
        Canvas canvas = WhiteCanvas(23, 17);
        canvas.DrawLine(1, 1, 20, 15, Red.WithOpacity(0.6), width: 2.5);
        canvas.DrawText("Ppo", 2, 2, Color.Black);
        using var stream = new MemoryStream();

        canvas.WritePng(stream);

        DecodedPng decoded = PngDecoder.Decode(stream.ToArray());
        Assert.Equal((23, 17, 4), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(canvas.Pixels.ToArray(), decoded.Pixels);
    }

    private static Color[] Row(Canvas canvas, int y, int count) =>
        Enumerable.Range(0, count).Select(x => canvas.GetPixel(x, y)).ToArray();
}
