namespace Ppo.Plotting;

/// <summary>Helpers that prepare data series for plotting.</summary>
public static class Series
{
    /// <summary>The trailing rolling mean: element i is the mean of the numbers among <c>values[i − window + 1 .. i]</c>.</summary>
    /// <param name="values">The series. NaN and infinite values are left out of every window that holds them.</param>
    /// <param name="window">The number of elements per window, at least 1; the first <c>window − 1</c> means use the elements available so far.</param>
    /// <returns>A new array as long as <paramref name="values"/>; an element whose window holds no finite value is NaN.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is less than 1.</exception>
    /// <remarks>Runs in one pass with a running sum and count, so the cost does not depend on <paramref name="window"/>.</remarks>
    public static double[] RollingMean(ReadOnlySpan<double> values, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);

        var means = new double[values.Length];
        double sum = 0;
        int count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsFinite(values[i]))
            {
                sum += values[i];
                count++;
            }

            if (i >= window && double.IsFinite(values[i - window]))
            {
                sum -= values[i - window];
                count--;
                if (count == 0)
                    sum = 0;
            }

            means[i] = count > 0 ? sum / count : double.NaN;
        }

        return means;
    }
}
