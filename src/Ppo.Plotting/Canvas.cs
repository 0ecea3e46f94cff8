namespace Ppo.Plotting;

/// <summary>
/// An RGBA raster with straight alpha that draws anti-aliased lines, filled rectangles and bitmap text, every
/// primitive confined to a clip rectangle.
/// </summary>
/// <remarks>
/// Coordinates are in pixels from the top-left corner; pixel (i, j) covers [i, i + 1) × [j, j + 1), so a 1-pixel line
/// along y = j + 0.5 inks exactly row j. Lines are drawn by coverage: a pixel whose centre lies at distance d from the
/// segment gets coverage <c>clamp(w/2 + 0.5 − d, 0, min(1, w))</c> for line width w. A polyline keeps the largest coverage
/// per pixel over its segments and blends once, so translucent lines do not darken where segments meet. Blending is
/// source-over in sRGB.
/// </remarks>
public sealed class Canvas
{
    private readonly byte[] _pixels;
    private float[]? _coverage;
    private int _clipLeft, _clipTop, _clipRight, _clipBottom;

    /// <summary>Creates a canvas of transparent pixels.</summary>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive, or the canvas would exceed 2^29 pixels.</exception>
    public Canvas(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height > int.MaxValue / 4)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"A canvas of {width} × {height} pixels exceeds {int.MaxValue / 4} pixels.");

        Width = width;
        Height = height;
        _pixels = new byte[width * height * 4];
        ResetClip();
    }

    /// <summary>Gets the width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the pixels, rows from top to bottom, four bytes per pixel: red, green, blue, alpha.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>Measures a line of text drawn with the built-in font.</summary>
    /// <param name="text">The text; characters without a glyph count as '?'.</param>
    /// <param name="scale">The integer magnification, at least 1.</param>
    /// <returns>The width in pixels.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is less than 1.</exception>
    public static int MeasureText(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        return BitmapFont.Measure(text) * scale;
    }

    /// <summary>The height of a line of text: the glyph cell including descenders.</summary>
    /// <param name="scale">The integer magnification, at least 1.</param>
    /// <returns>The height in pixels, 9 × <paramref name="scale"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is less than 1.</exception>
    public static int TextHeight(int scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        return BitmapFont.Height * scale;
    }

    /// <summary>Reads one pixel.</summary>
    /// <param name="x">The column, from 0.</param>
    /// <param name="y">The row, from 0.</param>
    /// <returns>The color stored at (<paramref name="x"/>, <paramref name="y"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pixel lies outside the canvas.</exception>
    public Color GetPixel(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        int i = (y * Width + x) * 4;
        return new Color(_pixels[i], _pixels[i + 1], _pixels[i + 2], _pixels[i + 3]);
    }

    /// <summary>Sets every pixel, ignoring the clip rectangle.</summary>
    /// <param name="color">The color stored as is, without blending.</param>
    public void Clear(Color color)
    {
        for (int i = 0; i < _pixels.Length; i += 4)
        {
            _pixels[i] = color.R;
            _pixels[i + 1] = color.G;
            _pixels[i + 2] = color.B;
            _pixels[i + 3] = color.A;
        }
    }

    /// <summary>Confines later drawing to a rectangle, intersected with the canvas.</summary>
    /// <param name="x">The left column.</param>
    /// <param name="y">The top row.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is negative.</exception>
    public void SetClip(int x, int y, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        _clipLeft = Math.Clamp(x, 0, Width);
        _clipTop = Math.Clamp(y, 0, Height);
        _clipRight = (int)Math.Clamp((long)x + width, _clipLeft, Width);
        _clipBottom = (int)Math.Clamp((long)y + height, _clipTop, Height);
    }

    /// <summary>Lets later drawing reach the whole canvas.</summary>
    public void ResetClip() => (_clipLeft, _clipTop, _clipRight, _clipBottom) = (0, 0, Width, Height);

    /// <summary>Blends a rectangle of one color over the canvas.</summary>
    /// <param name="x">The left column.</param>
    /// <param name="y">The top row.</param>
    /// <param name="width">The width in pixels; nothing is drawn when it is not positive.</param>
    /// <param name="height">The height in pixels; nothing is drawn when it is not positive.</param>
    /// <param name="color">The color, blended by its alpha.</param>
    public void FillRectangle(int x, int y, int width, int height, Color color)
    {
        int left = Math.Max(x, _clipLeft), right = (int)Math.Min((long)x + width, _clipRight);
        int top = Math.Max(y, _clipTop), bottom = (int)Math.Min((long)y + height, _clipBottom);
        for (int row = top; row < bottom; row++)
        {
            for (int column = left; column < right; column++)
                Blend((row * Width + column) * 4, color, 1f);
        }
    }

    /// <summary>Draws an anti-aliased straight line with round ends.</summary>
    /// <param name="x0">The x of the start.</param>
    /// <param name="y0">The y of the start.</param>
    /// <param name="x1">The x of the end.</param>
    /// <param name="y1">The y of the end.</param>
    /// <param name="color">The color, blended by its alpha and the coverage.</param>
    /// <param name="width">The line width in pixels.</param>
    /// <param name="dashPattern">Alternating lengths in pixels of drawn and skipped stretches, starting with drawn; empty for a solid line.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is not positive and finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="dashPattern"/> has an odd number of lengths or one that is not positive and finite.</exception>
    public void DrawLine(double x0, double y0, double x1, double y1, Color color, double width = 1, ReadOnlySpan<double> dashPattern = default)
    {
        ReadOnlySpan<double> x = [x0, x1];
        ReadOnlySpan<double> y = [y0, y1];
        DrawPolyline(x, y, color, width, dashPattern);
    }

    /// <summary>Draws anti-aliased connected segments through the points (<paramref name="x"/>[i], <paramref name="y"/>[i]) with round joins and ends.</summary>
    /// <param name="x">The x coordinates. A point with a non-finite coordinate breaks the line; a point alone between breaks is drawn as a dot.</param>
    /// <param name="y">The y coordinates, as many as <paramref name="x"/>.</param>
    /// <param name="color">The color, blended once by its alpha and the largest coverage of any segment.</param>
    /// <param name="width">The line width in pixels.</param>
    /// <param name="dashPattern">Alternating lengths in pixels of drawn and skipped stretches along the whole polyline, starting with drawn; empty for a solid line.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> and <paramref name="y"/> differ in length, or <paramref name="dashPattern"/> has an odd number of lengths or one that is not positive and finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is not positive and finite.</exception>
    public void DrawPolyline(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Color color, double width = 1, ReadOnlySpan<double> dashPattern = default)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"x and y must have the same length (x has {x.Length}, y has {y.Length}).", nameof(y));
        if (!double.IsFinite(width) || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), width, "The line width must be positive and finite.");
        ValidateDashPattern(dashPattern);

        var stroke = new Stroke(this, width / 2, dashPattern);
        bool previousFinite = false;
        for (int i = 0; i < x.Length; i++)
        {
            bool finite = double.IsFinite(x[i]) && double.IsFinite(y[i]);
            if (finite && previousFinite)
                stroke.Segment(x[i - 1], y[i - 1], x[i], y[i]);
            else if (finite && (i + 1 == x.Length || !double.IsFinite(x[i + 1]) || !double.IsFinite(y[i + 1])))
                stroke.Segment(x[i], y[i], x[i], y[i]);
            previousFinite = finite;
        }

        stroke.Composite(color);
    }

    /// <summary>Draws one line of text with the built-in bitmap font, magnified by whole pixels.</summary>
    /// <param name="text">The text; characters without a glyph are drawn as '?'.</param>
    /// <param name="x">The left edge of the first glyph.</param>
    /// <param name="y">The top of the glyph cell; the baseline lies 7 × <paramref name="scale"/> pixels below it.</param>
    /// <param name="color">The color, blended by its alpha.</param>
    /// <param name="scale">The integer magnification, at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is less than 1.</exception>
    public void DrawText(string text, int x, int y, Color color, int scale = 1) => DrawText(text, x, y, color, scale, vertical: false);

    /// <summary>Draws one line of text turned a quarter counter-clockwise, reading from bottom to top, as for a y-axis label.</summary>
    /// <param name="text">The text; characters without a glyph are drawn as '?'.</param>
    /// <param name="x">The left edge of the turned text: the top of its glyph cells.</param>
    /// <param name="y">The bottom end of the turned text, where the first glyph starts.</param>
    /// <param name="color">The color, blended by its alpha.</param>
    /// <param name="scale">The integer magnification, at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is less than 1.</exception>
    public void DrawVerticalText(string text, int x, int y, Color color, int scale = 1) => DrawText(text, x, y, color, scale, vertical: true);

    /// <summary>Encodes the canvas as an RGBA PNG.</summary>
    /// <param name="stream">The destination; it is written to, not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    public void WritePng(Stream stream) => PngWriter.Write(stream, _pixels, Width, Height, PngColorType.Rgba);

    /// <summary>Saves the canvas as an RGBA PNG file, atomically (see <see cref="PngWriter.Save"/>).</summary>
    /// <param name="path">The destination file.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void SavePng(string path) => PngWriter.Save(path, _pixels, Width, Height, PngColorType.Rgba);

    private static void ValidateDashPattern(ReadOnlySpan<double> dashPattern)
    {
        if (dashPattern.Length % 2 != 0)
            throw new ArgumentException($"dashPattern must hold pairs of drawn and skipped lengths (has {dashPattern.Length} lengths).", nameof(dashPattern));
        foreach (double length in dashPattern)
        {
            if (!double.IsFinite(length) || length <= 0)
                throw new ArgumentException($"dashPattern lengths must be positive and finite (has {length}).", nameof(dashPattern));
        }
    }

    private void DrawText(string text, int x, int y, Color color, int scale, bool vertical)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int pen = 0;
        foreach (char character in text)
        {
            BitmapFont.Glyph glyph = BitmapFont.Get(character);
            for (int row = 0; row < BitmapFont.Height; row++)
            {
                for (int column = 0; column < glyph.Width; column++)
                {
                    if (!glyph.IsInked(column, row))
                        continue;
                    int along = (pen + column) * scale, across = row * scale;
                    if (vertical)
                        FillRectangle(x + across, y - along - scale, scale, scale, color);
                    else
                        FillRectangle(x + along, y + across, scale, scale, color);
                }
            }

            pen += glyph.Width + 1;
        }
    }

    private void Blend(int index, Color color, float coverage)
    {
        float alpha = color.A / 255f * coverage;
        if (alpha <= 0f)
            return;

        float below = _pixels[index + 3] / 255f * (1f - alpha);
        float result = alpha + below;
        _pixels[index] = (byte)MathF.Round((color.R * alpha + _pixels[index] * below) / result);
        _pixels[index + 1] = (byte)MathF.Round((color.G * alpha + _pixels[index + 1] * below) / result);
        _pixels[index + 2] = (byte)MathF.Round((color.B * alpha + _pixels[index + 2] * below) / result);
        _pixels[index + 3] = (byte)MathF.Round(result * 255f);
    }

    /// <summary>Accumulates the coverage of one polyline, then blends it in one pass over the pixels it touched.</summary>
    private ref struct Stroke
    {
        private readonly Canvas _canvas;
        private readonly float[] _coverage;
        private readonly double _halfWidth;
        private readonly double _peak;
        private readonly ReadOnlySpan<double> _dashPattern;
        private double _travelled;
        private int _left, _top, _right, _bottom;

        public Stroke(Canvas canvas, double halfWidth, ReadOnlySpan<double> dashPattern)
        {
            _canvas = canvas;
            _coverage = canvas._coverage ??= new float[canvas.Width * canvas.Height];
            _halfWidth = halfWidth;
            _peak = Math.Min(1, 2 * halfWidth);
            _dashPattern = dashPattern;
            (_left, _top, _right, _bottom) = (canvas._clipRight, canvas._clipBottom, canvas._clipLeft, canvas._clipTop);
        }

        /// <summary>Adds the segment from (x0, y0) to (x1, y1), cut to the clip rectangle widened by the half width.</summary>
        public void Segment(double x0, double y0, double x1, double y1)
        {
            double dx = x1 - x0, dy = y1 - y0;
            double length = Math.Sqrt(dx * dx + dy * dy);
            double margin = _halfWidth + 1;
            double start = 0, end = 1;
            bool visible = Cut(-dx, x0 - (_canvas._clipLeft - margin), ref start, ref end)
                && Cut(dx, _canvas._clipRight + margin - x0, ref start, ref end)
                && Cut(-dy, y0 - (_canvas._clipTop - margin), ref start, ref end)
                && Cut(dy, _canvas._clipBottom + margin - y0, ref start, ref end);

            if (visible && _dashPattern.IsEmpty)
                Capsule(x0 + start * dx, y0 + start * dy, x0 + end * dx, y0 + end * dy);
            else if (visible)
                Dashes(x0, y0, dx, dy, length, start * length, end * length);

            _travelled += length;
        }

        /// <summary>Blends the accumulated coverage and clears it.</summary>
        public readonly void Composite(Color color)
        {
            for (int row = _top; row < _bottom; row++)
            {
                for (int column = _left; column < _right; column++)
                {
                    int index = row * _canvas.Width + column;
                    if (_coverage[index] > 0f)
                    {
                        _canvas.Blend(index * 4, color, _coverage[index]);
                        _coverage[index] = 0f;
                    }
                }
            }
        }

        /// <summary>One step of Liang–Barsky clipping of the parameter range [start, end] against p·t ≤ q.</summary>
        private static bool Cut(double p, double q, ref double start, ref double end)
        {
            if (p == 0)
                return q >= 0;
            double t = q / p;
            if (p < 0)
                start = Math.Max(start, t);
            else
                end = Math.Min(end, t);
            return start <= end;
        }

        /// <summary>Adds the drawn stretches of the dash pattern between distances <paramref name="from"/> and <paramref name="to"/> along the segment.</summary>
        private void Dashes(double x0, double y0, double dx, double dy, double length, double from, double to)
        {
            if (length == 0)
                return;

            double period = 0;
            foreach (double stretch in _dashPattern)
                period += stretch;

            double phase = (_travelled + from) % period;
            int index = 0;
            while (index < _dashPattern.Length - 1 && phase >= _dashPattern[index])
                phase -= _dashPattern[index++];

            double position = from;
            while (position < to)
            {
                double next = Math.Min(to, position + _dashPattern[index] - phase);
                if (index % 2 == 0)
                    Capsule(x0 + dx * position / length, y0 + dy * position / length, x0 + dx * next / length, y0 + dy * next / length);
                position = next;
                phase = 0;
                index = (index + 1) % _dashPattern.Length;
            }
        }

        /// <summary>Raises the coverage of the pixels within the half width of the segment (a capsule).</summary>
        private void Capsule(double x0, double y0, double x1, double y1)
        {
            double reach = _halfWidth + 0.5;
            int left = (int)Math.Max(_canvas._clipLeft, Math.Floor(Math.Min(x0, x1) - reach));
            int right = (int)Math.Min(_canvas._clipRight, Math.Ceiling(Math.Max(x0, x1) + reach));
            int top = (int)Math.Max(_canvas._clipTop, Math.Floor(Math.Min(y0, y1) - reach));
            int bottom = (int)Math.Min(_canvas._clipBottom, Math.Ceiling(Math.Max(y0, y1) + reach));
            if (left >= right || top >= bottom)
                return;

            (_left, _top) = (Math.Min(_left, left), Math.Min(_top, top));
            (_right, _bottom) = (Math.Max(_right, right), Math.Max(_bottom, bottom));

            double dx = x1 - x0, dy = y1 - y0;
            double squaredLength = dx * dx + dy * dy;
            for (int row = top; row < bottom; row++)
            {
                double py = row + 0.5 - y0;
                for (int column = left; column < right; column++)
                {
                    double px = column + 0.5 - x0;
                    double t = squaredLength > 0 ? Math.Clamp((px * dx + py * dy) / squaredLength, 0, 1) : 0;
                    double ex = px - t * dx, ey = py - t * dy;
                    double coverage = Math.Clamp(reach - Math.Sqrt(ex * ex + ey * ey), 0, _peak);
                    int index = row * _canvas.Width + column;
                    if (coverage > _coverage[index])
                        _coverage[index] = (float)coverage;
                }
            }
        }
    }
}
