namespace Ppo.Plotting;

/// <summary>
/// One line chart of a <see cref="Figure"/>: series drawn as lines, horizontal reference lines, a title, axis labels
/// and a legend. Every method returns the panel, so calls chain.
/// </summary>
/// <remarks>
/// Both axes fit the data (and the reference lines) with 2 % (x) and 5 % (y) of the span added on each side, unless
/// <see cref="YRange"/> fixes the y limits. Non-finite values leave gaps. Lines without an explicit color take the
/// next color of a ten-color palette; a faint line takes the color of the next solid line without using it up, so a
/// raw series added just before its rolling mean shares that mean's color. The legend lists the labeled lines and
/// sits in the corner of the plot area that covers the fewest drawn points.
/// </remarks>
public sealed class Panel
{
    private const double SolidWidth = 2;
    private const double FaintWidth = 1.25;
    private const double FaintOpacity = 0.35;
    private const double XMargin = 0.02;
    private const double YMargin = 0.05;

    private static readonly Color[] Palette =
    [
        Color.FromRgb(0x1F77B4), Color.FromRgb(0xFF7F0E), Color.FromRgb(0x2CA02C), Color.FromRgb(0xD62728), Color.FromRgb(0x9467BD),
        Color.FromRgb(0x8C564B), Color.FromRgb(0xE377C2), Color.FromRgb(0x7F7F7F), Color.FromRgb(0xBCBD22), Color.FromRgb(0x17BECF),
    ];

    private static readonly Color TextColor = Color.FromRgb(0x222222);
    private static readonly Color TickLabelColor = Color.FromRgb(0x444444);
    private static readonly Color FrameColor = Color.FromRgb(0xAAAAAA);
    private static readonly Color GridColor = Color.FromRgb(0xE6E6E6);
    private static readonly Color ReferenceColor = Color.FromRgb(0x555555);
    private static readonly Color BackdropColor = Color.White.WithOpacity(0.85);

    private readonly List<LineSeries> _lines = [];
    private readonly List<ReferenceLine> _references = [];
    private string? _title;
    private string? _xLabel;
    private string? _yLabel;
    private (double Minimum, double Maximum)? _yRange;

    internal Panel()
    {
    }

    /// <summary>Sets the title shown above the plot area.</summary>
    /// <param name="title">The title; empty for none.</param>
    /// <returns>This panel.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="title"/> is <see langword="null"/>.</exception>
    public Panel Title(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        _title = title.Length == 0 ? null : title;
        return this;
    }

    /// <summary>Sets the label shown below the x axis.</summary>
    /// <param name="label">The label; empty for none.</param>
    /// <returns>This panel.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is <see langword="null"/>.</exception>
    public Panel XLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        _xLabel = label.Length == 0 ? null : label;
        return this;
    }

    /// <summary>Sets the label shown left of the y axis, reading upwards.</summary>
    /// <param name="label">The label; empty for none.</param>
    /// <returns>This panel.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is <see langword="null"/>.</exception>
    public Panel YLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        _yLabel = label.Length == 0 ? null : label;
        return this;
    }

    /// <summary>Fixes the y limits instead of fitting them to the data; lines beyond them are cut at the plot area.</summary>
    /// <param name="minimum">The bottom of the plot area.</param>
    /// <param name="maximum">The top of the plot area, greater than <paramref name="minimum"/>.</param>
    /// <returns>This panel.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not finite, or <paramref name="maximum"/> is not greater than <paramref name="minimum"/>.</exception>
    public Panel YRange(double minimum, double maximum)
    {
        if (!double.IsFinite(minimum))
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The lower y limit must be finite.");
        if (!double.IsFinite(maximum) || maximum <= minimum)
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"The upper y limit must be finite and greater than the lower limit {minimum}.");
        _yRange = (minimum, maximum);
        return this;
    }

    /// <summary>Adds a line through the points (<paramref name="x"/>[i], <paramref name="y"/>[i]) in order; the values are copied.</summary>
    /// <param name="x">The x values, for example environment steps.</param>
    /// <param name="y">The y values, as many as <paramref name="x"/>. A point with a non-finite coordinate leaves a gap.</param>
    /// <param name="label">The legend entry; <see langword="null"/> or empty leaves the line out of the legend.</param>
    /// <param name="faint">Whether to draw the line thin and translucent, as for raw values under a rolling mean.</param>
    /// <param name="color">The color; <see langword="null"/> takes it from the palette.</param>
    /// <returns>This panel.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> and <paramref name="y"/> differ in length.</exception>
    public Panel Line(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string? label = null, bool faint = false, Color? color = null)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"x and y must have the same length (x has {x.Length}, y has {y.Length}).", nameof(y));
        _lines.Add(new LineSeries(x.ToArray(), y.ToArray(), string.IsNullOrEmpty(label) ? null : label, faint, color));
        return this;
    }

    /// <summary>Adds a dashed horizontal line across the plot area, such as the return at which a task counts as solved.</summary>
    /// <param name="y">The y value.</param>
    /// <param name="label">The text written above the right end of the line; <see langword="null"/> or empty for none.</param>
    /// <param name="color">The color; <see langword="null"/> for dark gray.</param>
    /// <returns>This panel.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="y"/> is not finite.</exception>
    public Panel HorizontalLine(double y, string? label = null, Color? color = null)
    {
        if (!double.IsFinite(y))
            throw new ArgumentOutOfRangeException(nameof(y), y, "The reference line's y value must be finite.");
        _references.Add(new ReferenceLine(y, string.IsNullOrEmpty(label) ? null : label, color ?? ReferenceColor));
        return this;
    }

    /// <summary>Places the plot area and chooses the ticks for a panel occupying the given rectangle of the canvas.</summary>
    internal PanelLayout Layout(int left, int top, int width, int height, int scale)
    {
        var sizes = new Sizes(scale);
        int plotTop = top + sizes.Padding + (_title is null ? sizes.Gap : sizes.TitleHeight + 2 * sizes.Gap);
        int plotBottom = top + height - sizes.Padding - (_xLabel is null ? 0 : sizes.TextHeight + sizes.Gap) - sizes.TextHeight - sizes.Gap - sizes.TickLength;
        int plotHeight = Math.Max(1, plotBottom - plotTop);

        (double yMinimum, double yMaximum) = _yRange ?? Fit(vertical: true, YMargin);
        AxisTicks yTicks = AxisTicks.Create(yMinimum, yMaximum, Math.Clamp(plotHeight / (40 * scale), 2, 10));

        int widestYLabel = 0;
        foreach (string label in yTicks.Labels)
            widestYLabel = Math.Max(widestYLabel, Canvas.MeasureText(label, scale));
        int plotLeft = left + sizes.Padding + (_yLabel is null ? 0 : sizes.TextHeight + 2 * sizes.Gap) + widestYLabel + sizes.Gap + sizes.TickLength;
        int plotWidth = Math.Max(1, left + width - 2 * sizes.Padding - plotLeft);

        (double xMinimum, double xMaximum) = Fit(vertical: false, XMargin);
        AxisTicks xTicks;
        for (int count = Math.Clamp(plotWidth / (50 * scale), 2, 12); ; count--)
        {
            xTicks = AxisTicks.Create(xMinimum, xMaximum, count);
            int widestXLabel = 0;
            foreach (string label in xTicks.Labels)
                widestXLabel = Math.Max(widestXLabel, Canvas.MeasureText(label, scale));
            double spacing = xTicks.Step / (xTicks.Maximum - xTicks.Minimum) * plotWidth;
            if (count == 2 || spacing >= widestXLabel + 3 * sizes.Gap)
                break;
        }

        return new PanelLayout(plotLeft, plotTop, plotWidth, plotHeight, xTicks, yTicks);
    }

    /// <summary>Draws the panel into the given rectangle of <paramref name="canvas"/>, every size multiplied by <paramref name="scale"/>.</summary>
    internal void Render(Canvas canvas, int left, int top, int width, int height, int scale)
    {
        var sizes = new Sizes(scale);
        PanelLayout layout = Layout(left, top, width, height, scale);
        canvas.SetClip(left, top, width, height);
        DrawAxes(canvas, layout, sizes, left, top, width, height);

        canvas.SetClip(layout.PlotLeft, layout.PlotTop, layout.PlotWidth, layout.PlotHeight);
        double[] dashes = [6 * scale, 4 * scale];
        foreach (ReferenceLine reference in _references)
        {
            double y = layout.MapY(reference.Y);
            canvas.DrawLine(layout.PlotLeft, y, layout.PlotRight, y, reference.Color, 1.5 * scale, dashes);
        }

        Color[] colors = AssignColors();
        for (int i = 0; i < _lines.Count; i++)
        {
            LineSeries line = _lines[i];
            (double[] x, double[] y) = Map(layout, line);
            canvas.DrawPolyline(x, y, StrokeColor(colors[i], line.Faint), (line.Faint ? FaintWidth : SolidWidth) * scale);
        }

        foreach (ReferenceLine reference in _references)
        {
            if (reference.Label is null)
                continue;
            int textWidth = Canvas.MeasureText(reference.Label, scale);
            int lineY = (int)Math.Round(layout.MapY(reference.Y));
            int above = lineY - sizes.Gap - sizes.Ascent, below = lineY + sizes.Gap;
            int atRight = layout.PlotRight - sizes.Gap - textWidth, atLeft = layout.PlotLeft + sizes.Gap;
            (int Left, int Top)[] places = above < layout.PlotTop + sizes.Gap
                ? [(atRight, below), (atLeft, below)]
                : [(atRight, above), (atLeft, above), (atRight, below), (atLeft, below)];

            // The label goes where it hides the least of the lines: at the right end above the line unless, as with a
            // learning curve that has reached its threshold, the lines run there.
            int margin = 2 * scale;
            (int textLeft, int textTop) = LeastCovered(layout, places, textWidth + 2 * margin, sizes.Ascent + 2 * margin, margin, countReferences: false);
            canvas.FillRectangle(textLeft - margin, textTop - margin, textWidth + 2 * margin, sizes.Ascent + 2 * margin, BackdropColor);
            canvas.DrawText(reference.Label, textLeft, textTop, reference.Color, scale);
        }

        DrawLegend(canvas, layout, sizes, colors);
        canvas.ResetClip();
    }

    /// <summary>Moves a span of <paramref name="size"/> that should start at <paramref name="wanted"/> inside [start, start + length), or to its start when it does not fit.</summary>
    private static int Place(int wanted, int size, int start, int length) => Math.Max(start, Math.Min(wanted, start + length - size));

    private static Color StrokeColor(Color color, bool faint) => faint ? color.WithOpacity(FaintOpacity) : color;

    private static (double[] X, double[] Y) Map(PanelLayout layout, LineSeries line)
    {
        var x = new double[line.X.Length];
        var y = new double[line.Y.Length];
        for (int i = 0; i < x.Length; i++)
        {
            bool finite = double.IsFinite(line.X[i]) && double.IsFinite(line.Y[i]);
            x[i] = finite ? layout.MapX(line.X[i]) : double.NaN;
            y[i] = finite ? layout.MapY(line.Y[i]) : double.NaN;
        }

        return (x, y);
    }

    /// <summary>
    /// The limits that hold every finite point on one axis (and, for y, every reference line), widened by
    /// <paramref name="margin"/> of their span on each side; [0, 1] when there is nothing to hold.
    /// </summary>
    private (double Minimum, double Maximum) Fit(bool vertical, double margin)
    {
        double minimum = double.PositiveInfinity, maximum = double.NegativeInfinity;
        foreach (LineSeries line in _lines)
        {
            for (int i = 0; i < line.X.Length; i++)
            {
                if (!double.IsFinite(line.X[i]) || !double.IsFinite(line.Y[i]))
                    continue;
                double value = vertical ? line.Y[i] : line.X[i];
                minimum = Math.Min(minimum, value);
                maximum = Math.Max(maximum, value);
            }
        }

        if (vertical)
        {
            foreach (ReferenceLine reference in _references)
            {
                minimum = Math.Min(minimum, reference.Y);
                maximum = Math.Max(maximum, reference.Y);
            }
        }

        if (minimum > maximum)
            return (0, 1);
        double extra = (maximum - minimum) * margin;
        return (minimum - extra, maximum + extra);
    }

    /// <summary>The color of each line: its own, or the palette's next; a faint line borrows the next solid line's.</summary>
    private Color[] AssignColors()
    {
        var colors = new Color[_lines.Count];
        int next = 0;
        for (int i = 0; i < _lines.Count; i++)
        {
            LineSeries line = _lines[i];
            colors[i] = line.Color ?? Palette[next % Palette.Length];
            if (line.Color is null && !line.Faint)
                next++;
        }

        return colors;
    }

    private void DrawAxes(Canvas canvas, PanelLayout layout, Sizes sizes, int left, int top, int width, int height)
    {
        int scale = sizes.Scale;
        for (int i = 0; i < layout.YTicks.Values.Count; i++)
        {
            int row = Place((int)Math.Floor(layout.MapY(layout.YTicks.Values[i]) - scale / 2.0), scale, layout.PlotTop, layout.PlotHeight);
            canvas.FillRectangle(layout.PlotLeft, row, layout.PlotWidth, scale, GridColor);
            canvas.FillRectangle(layout.PlotLeft - scale - sizes.TickLength, row, sizes.TickLength, scale, FrameColor);
            string label = layout.YTicks.Labels[i];
            int labelLeft = layout.PlotLeft - scale - sizes.TickLength - sizes.Gap - Canvas.MeasureText(label, scale);
            int labelTop = row + scale / 2 - sizes.Ascent / 2;
            canvas.DrawText(label, labelLeft, Place(labelTop, sizes.TextHeight, top, height), TickLabelColor, scale);
        }

        int xLabelTop = layout.PlotBottom + scale + sizes.TickLength + sizes.Gap;
        for (int i = 0; i < layout.XTicks.Values.Count; i++)
        {
            int column = Place((int)Math.Floor(layout.MapX(layout.XTicks.Values[i]) - scale / 2.0), scale, layout.PlotLeft, layout.PlotWidth);
            canvas.FillRectangle(column, layout.PlotTop, scale, layout.PlotHeight, GridColor);
            canvas.FillRectangle(column, layout.PlotBottom + scale, scale, sizes.TickLength, FrameColor);
            string label = layout.XTicks.Labels[i];
            int labelWidth = Canvas.MeasureText(label, scale);
            int labelLeft = column + scale / 2 - labelWidth / 2;
            canvas.DrawText(label, Place(labelLeft, labelWidth, left, width), xLabelTop, TickLabelColor, scale);
        }

        canvas.FillRectangle(layout.PlotLeft - scale, layout.PlotTop - scale, layout.PlotWidth + 2 * scale, scale, FrameColor);
        canvas.FillRectangle(layout.PlotLeft - scale, layout.PlotBottom, layout.PlotWidth + 2 * scale, scale, FrameColor);
        canvas.FillRectangle(layout.PlotLeft - scale, layout.PlotTop, scale, layout.PlotHeight, FrameColor);
        canvas.FillRectangle(layout.PlotRight, layout.PlotTop, scale, layout.PlotHeight, FrameColor);

        int plotCenterX = layout.PlotLeft + layout.PlotWidth / 2;
        if (_title is not null)
        {
            int titleWidth = Canvas.MeasureText(_title, 2 * scale);
            canvas.DrawText(_title, Place(plotCenterX - titleWidth / 2, titleWidth, left, width), top + sizes.Padding, TextColor, 2 * scale);
        }

        if (_xLabel is not null)
        {
            int labelWidth = Canvas.MeasureText(_xLabel, scale);
            int labelLeft = Place(plotCenterX - labelWidth / 2, labelWidth, left, width);
            canvas.DrawText(_xLabel, labelLeft, xLabelTop + sizes.TextHeight + sizes.Gap, TextColor, scale);
        }

        if (_yLabel is not null)
        {
            int labelWidth = Canvas.MeasureText(_yLabel, scale);
            int labelTop = Place(layout.PlotTop + layout.PlotHeight / 2 - labelWidth / 2, labelWidth, top, height);
            canvas.DrawVerticalText(_yLabel, left + sizes.Padding, labelTop + labelWidth, TextColor, scale);
        }
    }

    private void DrawLegend(Canvas canvas, PanelLayout layout, Sizes sizes, Color[] colors)
    {
        int scale = sizes.Scale;
        int swatch = 20 * scale;
        int rowHeight = sizes.Ascent + 2 * sizes.Gap;
        int entries = 0, widest = 0;
        foreach (LineSeries line in _lines)
        {
            if (line.Label is null)
                continue;
            entries++;
            widest = Math.Max(widest, Canvas.MeasureText(line.Label, scale));
        }

        if (entries == 0)
            return;

        int boxWidth = 2 * sizes.Gap + swatch + sizes.Gap + widest + 2 * sizes.Gap;
        int boxHeight = entries * rowHeight + sizes.Gap;
        (int boxLeft, int boxTop) = LegendCorner(layout, boxWidth, boxHeight, 2 * sizes.Gap);

        canvas.FillRectangle(boxLeft, boxTop, boxWidth, boxHeight, BackdropColor);
        canvas.FillRectangle(boxLeft, boxTop, boxWidth, scale, FrameColor);
        canvas.FillRectangle(boxLeft, boxTop + boxHeight - scale, boxWidth, scale, FrameColor);
        canvas.FillRectangle(boxLeft, boxTop + scale, scale, boxHeight - 2 * scale, FrameColor);
        canvas.FillRectangle(boxLeft + boxWidth - scale, boxTop + scale, scale, boxHeight - 2 * scale, FrameColor);

        int entryTop = boxTop + sizes.Gap;
        for (int i = 0; i < _lines.Count; i++)
        {
            LineSeries line = _lines[i];
            if (line.Label is null)
                continue;
            int textTop = entryTop + sizes.Gap / 2;
            double middle = textTop + sizes.Ascent / 2.0;
            double swatchLeft = boxLeft + 2 * sizes.Gap;
            double swatchWidth = (line.Faint ? FaintWidth + 0.75 : SolidWidth) * scale;
            canvas.DrawLine(swatchLeft, middle, swatchLeft + swatch, middle, StrokeColor(colors[i], line.Faint), swatchWidth);
            canvas.DrawText(line.Label, boxLeft + 3 * sizes.Gap + swatch, textTop, TextColor, scale);
            entryTop += rowHeight;
        }
    }

    /// <summary>The corner of the plot area, inset by a gap, where a box of the given size covers the fewest sampled points of the lines and reference lines.</summary>
    private (int Left, int Top) LegendCorner(PanelLayout layout, int boxWidth, int boxHeight, int inset)
    {
        int right = layout.PlotRight - inset - boxWidth, bottom = layout.PlotBottom - inset - boxHeight;
        (int Left, int Top)[] corners =
        [
            (right, layout.PlotTop + inset),
            (layout.PlotLeft + inset, layout.PlotTop + inset),
            (layout.PlotLeft + inset, bottom),
            (right, bottom),
        ];
        return LeastCovered(layout, corners, boxWidth, boxHeight, 0, countReferences: true);
    }

    /// <summary>
    /// The first of <paramref name="places"/> at which a box of the given size, reaching <paramref name="margin"/> left of
    /// and above the place, covers the fewest sampled points of the lines (and of the reference lines when
    /// <paramref name="countReferences"/>).
    /// </summary>
    private (int Left, int Top) LeastCovered(PanelLayout layout, (int Left, int Top)[] places, int boxWidth, int boxHeight, int margin, bool countReferences)
    {
        var covered = new int[places.Length];
        void Count(double x, double y)
        {
            for (int c = 0; c < places.Length; c++)
            {
                int boxLeft = places[c].Left - margin, boxTop = places[c].Top - margin;
                if (x >= boxLeft && x < boxLeft + boxWidth && y >= boxTop && y < boxTop + boxHeight)
                    covered[c]++;
            }
        }

        foreach (LineSeries line in _lines)
        {
            (double[] x, double[] y) = Map(layout, line);
            for (int i = 0; i < x.Length; i++)
            {
                if (double.IsNaN(x[i]))
                    continue;
                Count(x[i], y[i]);
                if (i + 1 < x.Length && !double.IsNaN(x[i + 1]))
                {
                    int samples = (int)Math.Min(1000, Math.Ceiling((Math.Abs(x[i + 1] - x[i]) + Math.Abs(y[i + 1] - y[i])) / 4));
                    for (int s = 1; s < samples; s++)
                        Count(x[i] + (x[i + 1] - x[i]) * s / samples, y[i] + (y[i + 1] - y[i]) * s / samples);
                }
            }
        }

        if (countReferences)
        {
            foreach (ReferenceLine reference in _references)
            {
                for (int column = layout.PlotLeft; column < layout.PlotRight; column += 4)
                    Count(column, layout.MapY(reference.Y));
            }
        }

        int best = 0;
        for (int c = 1; c < places.Length; c++)
        {
            if (covered[c] < covered[best])
                best = c;
        }

        return places[best];
    }

    /// <summary>The lengths in pixels at a scale: the built-in font, paddings and tick marks grow with it.</summary>
    private readonly record struct Sizes(int Scale)
    {
        public int Padding => 8 * Scale;

        public int Gap => 4 * Scale;

        public int TickLength => 4 * Scale;

        public int TextHeight => Canvas.TextHeight(Scale);

        public int Ascent => BitmapFont.Ascent * Scale;

        public int TitleHeight => Canvas.TextHeight(2 * Scale);
    }

    private sealed record LineSeries(double[] X, double[] Y, string? Label, bool Faint, Color? Color);

    private sealed record ReferenceLine(double Y, string? Label, Color Color);
}
