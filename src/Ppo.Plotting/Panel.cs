using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace Ppo.Plotting;

/// <summary>
/// One line chart of a <see cref="Figure"/>: series drawn as lines, horizontal reference lines, a title, axis labels
/// and a legend. Every method returns the panel, so calls chain; the chart is drawn by ScottPlot when the figure is saved.
/// </summary>
/// <remarks>
/// Both axes fit the data (and the reference lines) with 2 % (x) and 5 % (y) of the span added on each side, unless
/// <see cref="YRange"/> fixes the y limits. Non-finite values leave gaps. Lines without an explicit color take the
/// next color of a ten-color palette; a faint line takes the color of the next solid line without using it up, so a
/// raw series added just before its rolling mean shares that mean's color. The legend lists the labeled lines and the
/// labeled reference lines, in the first corner of the plot area where it hides no line, else below the plot area.
/// </remarks>
public sealed class Panel
{
    internal const float SolidWidth = 2;
    internal const float FaintWidth = 1.25f;
    internal const double FaintOpacity = 0.35;
    internal const float ReferenceWidth = 1.5f;
    private const double XMargin = 0.02;
    private const double YMargin = 0.05;
    private const float TitleSize = 15;
    private const float LabelSize = 13;
    private const float TickSize = 12;
    private const float LegendSize = 12;

    /// <summary>The tab10 palette (matplotlib's default cycle).</summary>
    internal static readonly Color[] Palette =
    [
        Color.FromRgb(0x1F77B4), Color.FromRgb(0xFF7F0E), Color.FromRgb(0x2CA02C), Color.FromRgb(0xD62728), Color.FromRgb(0x9467BD),
        Color.FromRgb(0x8C564B), Color.FromRgb(0xE377C2), Color.FromRgb(0x7F7F7F), Color.FromRgb(0xBCBD22), Color.FromRgb(0x17BECF),
    ];

    internal static readonly Color ReferenceColor = Color.FromRgb(0x555555);

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
    /// <param name="label">The legend entry; <see langword="null"/> or empty leaves the line out of the legend.</param>
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

    /// <summary>Builds the ScottPlot chart of this panel for an image of <paramref name="width"/> × <paramref name="height"/> pixels at scale 1.</summary>
    internal Plot CreatePlot(int width, int height, int scale)
    {
        string font = ChartFont.Name;
        var plot = new Plot { ScaleFactor = scale };
        plot.Font.Set(font);

        if (_title is not null)
        {
            plot.Axes.Title.Label.Text = _title;
            plot.Axes.Title.Label.FontSize = TitleSize;
        }

        plot.Axes.Bottom.Label.Text = _xLabel ?? string.Empty;
        plot.Axes.Bottom.Label.FontSize = LabelSize;
        plot.Axes.Left.Label.Text = _yLabel ?? string.Empty;
        plot.Axes.Left.Label.FontSize = LabelSize;
        plot.Axes.Bottom.TickLabelStyle.FontSize = TickSize;
        plot.Axes.Left.TickLabelStyle.FontSize = TickSize;
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = TickLabel };

        // ScottPlot centers the last x tick label on the plot's right edge; the empty right axis leaves room for its half.
        plot.Axes.Right.MinimumSize = 20;

        Color[] colors = AssignColors();
        for (int i = 0; i < _lines.Count; i++)
            AddLine(plot, _lines[i], colors[i]);

        foreach (ReferenceLine reference in _references)
        {
            HorizontalLine line = plot.Add.HorizontalLine(reference.Y, ReferenceWidth, ToScottPlot(reference.Color), LinePattern.Dashed);
            line.LegendText = reference.Label ?? string.Empty;
        }

        (double left, double right) = Fit(vertical: false, XMargin);
        (double bottom, double top) = _yRange ?? Fit(vertical: true, YMargin);
        plot.Axes.SetLimits(left, right, bottom, top);

        if (LegendEntries() is var (entries, longest) && entries > 0)
        {
            if (LegendCorner(width, height, entries, longest, (left, right, bottom, top)) is Alignment corner)
            {
                plot.ShowLegend(corner);
            }
            else
            {
                plot.ShowLegend(Edge.Bottom);
                plot.Legend.Orientation = Orientation.Horizontal;
            }

            plot.Legend.FontName = font;
            plot.Legend.FontSize = LegendSize;
            plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.8);
            plot.Legend.OutlineColor = ToScottPlot(Color.FromRgb(0xAAAAAA));
            plot.Legend.ShadowColor = Colors.Transparent;
        }

        return plot;
    }

    /// <summary>An x tick label: thousands as <c>k</c> and millions as <c>M</c>, as steps are usually written; five significant digits below.</summary>
    internal static string TickLabel(double value)
    {
        double magnitude = Math.Abs(value);
        return magnitude >= 1e6 ? (value / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + "M"
            : magnitude >= 1e3 ? (value / 1e3).ToString("0.###", CultureInfo.InvariantCulture) + "k"
            : value.ToString("G5", CultureInfo.InvariantCulture);
    }

    /// <summary>The color of each line: its own, or the palette's next; a faint line borrows the next solid line's.</summary>
    internal Color[] AssignColors()
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

    /// <summary>
    /// The limits that hold every finite point on one axis (and, for y, every reference line), widened by
    /// <paramref name="margin"/> of their span on each side; around a single value, 10 % of it (or 1 for 0) on each side;
    /// [0, 1] when there is nothing to hold.
    /// </summary>
    internal (double Minimum, double Maximum) Fit(bool vertical, double margin)
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
        if (minimum == maximum)
        {
            double half = minimum == 0 ? 1 : Math.Abs(minimum) * 0.1;
            return (minimum - half, maximum + half);
        }

        double extra = (maximum - minimum) * margin;
        return (minimum - extra, maximum + extra);
    }

    /// <summary>
    /// The first of upper right, upper left, lower right and lower left where the legend box would hide no line and no
    /// reference line; <see langword="null"/> when every corner would hide one, and the legend goes below the plot area
    /// instead. The box is estimated from the number of entries and the longest label.
    /// </summary>
    internal Alignment? LegendCorner(int width, int height, int entries, int longestLabel, (double Left, double Right, double Bottom, double Top) limits)
    {
        // Pixels at scale 1: the plot area is the panel less its axes and labels; a legend row is about 20 pixels
        // high, and a label character about 7 pixels wide after the 40-pixel line sample.
        double plotWidth = Math.Max(1, width - 90), plotHeight = Math.Max(1, height - 100);
        double boxWidth = Math.Min(1, (40 + 7.0 * longestLabel) / plotWidth);
        double boxHeight = Math.Min(1, (12 + 20.0 * entries) / plotHeight);
        double spanX = limits.Right - limits.Left, spanY = limits.Top - limits.Bottom;

        foreach (Alignment corner in (ReadOnlySpan<Alignment>)[Alignment.UpperRight, Alignment.UpperLeft, Alignment.LowerRight, Alignment.LowerLeft])
        {
            bool right = corner is Alignment.UpperRight or Alignment.LowerRight;
            bool upper = corner is Alignment.UpperRight or Alignment.UpperLeft;
            double x0 = right ? limits.Right - boxWidth * spanX : limits.Left, x1 = x0 + boxWidth * spanX;
            double y0 = upper ? limits.Top - boxHeight * spanY : limits.Bottom, y1 = y0 + boxHeight * spanY;
            if (!Hides(x0, x1, y0, y1))
                return corner;
        }

        return null;
    }

    /// <summary>Whether a reference line, a segment between two finite points or a lone point of a line lies in the box.</summary>
    private bool Hides(double x0, double x1, double y0, double y1)
    {
        foreach (ReferenceLine reference in _references)
        {
            if (reference.Y >= y0 && reference.Y <= y1)
                return true;
        }

        foreach (LineSeries line in _lines)
        {
            for (int i = 0; i < line.X.Length; i++)
            {
                if (!IsFinite(line, i))
                    continue;
                int j = i + 1 < line.X.Length && IsFinite(line, i + 1) ? i + 1 : i;
                if (SegmentMeetsBox(line.X[i], line.Y[i], line.X[j], line.Y[j], x0, x1, y0, y1))
                    return true;
            }
        }

        return false;
    }

    /// <summary>Whether the segment from (ax, ay) to (bx, by) meets the box, by Liang–Barsky clipping of its parameter range.</summary>
    private static bool SegmentMeetsBox(double ax, double ay, double bx, double by, double x0, double x1, double y0, double y1)
    {
        double enter = 0, leave = 1, dx = bx - ax, dy = by - ay;
        return Clip(-dx, ax - x0, ref enter, ref leave) && Clip(dx, x1 - ax, ref enter, ref leave)
            && Clip(-dy, ay - y0, ref enter, ref leave) && Clip(dy, y1 - ay, ref enter, ref leave);

        static bool Clip(double denominator, double numerator, ref double enter, ref double leave)
        {
            if (denominator == 0)
                return numerator >= 0;
            double t = numerator / denominator;
            if (denominator < 0)
                enter = Math.Max(enter, t);
            else
                leave = Math.Min(leave, t);
            return enter <= leave;
        }
    }

    /// <summary>The number of legend entries and the length of the longest, or <see langword="null"/> for none.</summary>
    private (int Entries, int Longest)? LegendEntries()
    {
        int entries = 0, longest = 0;
        foreach (LineSeries line in _lines)
        {
            if (line.Label is not null)
            {
                entries++;
                longest = Math.Max(longest, line.Label.Length);
            }
        }

        foreach (ReferenceLine reference in _references)
        {
            if (reference.Label is not null)
            {
                entries++;
                longest = Math.Max(longest, reference.Label.Length);
            }
        }

        return entries == 0 ? null : (entries, longest);
    }

    /// <summary>Adds one line as a scatter plot without markers per finite run of points; only the first run carries the legend entry.</summary>
    private static void AddLine(Plot plot, LineSeries line, Color color)
    {
        ScottPlot.Color stroke = ToScottPlot(line.Faint ? color.WithOpacity(FaintOpacity) : color);
        bool labeled = false;
        int start = 0;
        while (start < line.X.Length)
        {
            while (start < line.X.Length && !IsFinite(line, start))
                start++;
            int end = start;
            while (end < line.X.Length && IsFinite(line, end))
                end++;
            if (end == start)
                break;

            Scatter scatter = plot.Add.ScatterLine(line.X[start..end], line.Y[start..end], stroke);
            scatter.LineWidth = line.Faint ? FaintWidth : SolidWidth;
            scatter.MarkerSize = end - start == 1 ? 2 * SolidWidth : 0;
            if (line.Label is not null && !labeled)
            {
                scatter.LegendText = line.Label;
                labeled = true;
            }

            start = end;
        }
    }

    private static bool IsFinite(LineSeries line, int index) => double.IsFinite(line.X[index]) && double.IsFinite(line.Y[index]);

    internal static ScottPlot.Color ToScottPlot(Color color) => new(color.R, color.G, color.B, color.A);

    private sealed record LineSeries(double[] X, double[] Y, string? Label, bool Faint, Color? Color);

    private sealed record ReferenceLine(double Y, string? Label, Color Color);
}
