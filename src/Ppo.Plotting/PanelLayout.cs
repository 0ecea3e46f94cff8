namespace Ppo.Plotting;

/// <summary>Where a panel puts its plot area and which ticks its axes show.</summary>
/// <param name="PlotLeft">The first column inside the frame.</param>
/// <param name="PlotTop">The first row inside the frame.</param>
/// <param name="PlotWidth">The columns inside the frame.</param>
/// <param name="PlotHeight">The rows inside the frame.</param>
/// <param name="XTicks">The x axis: its limits span the plot area's width.</param>
/// <param name="YTicks">The y axis: its limits span the plot area's height, the maximum at the top.</param>
internal sealed record PanelLayout(int PlotLeft, int PlotTop, int PlotWidth, int PlotHeight, AxisTicks XTicks, AxisTicks YTicks)
{
    public int PlotRight => PlotLeft + PlotWidth;

    public int PlotBottom => PlotTop + PlotHeight;

    /// <summary>The canvas x of the data value <paramref name="x"/>; the limits map to the plot area's outer edges.</summary>
    public double MapX(double x) => PlotLeft + (x - XTicks.Minimum) / (XTicks.Maximum - XTicks.Minimum) * PlotWidth;

    /// <summary>The canvas y of the data value <paramref name="y"/>; the limits map to the plot area's outer edges.</summary>
    public double MapY(double y) => PlotBottom - (y - YTicks.Minimum) / (YTicks.Maximum - YTicks.Minimum) * PlotHeight;
}
