using System.Globalization;

namespace Ppo.Plotting;

/// <summary>Tick positions and labels for one axis: every multiple of a 1-2-5 step (1, 2 or 5 × 10^k) within the axis limits.</summary>
/// <remarks>
/// The step is the smallest 1-2-5 step that gives at most the requested number of ticks. Labels share one format:
/// plain decimals with as many digits as the step needs (−0.010, −0.005, 0.000); once a tick reaches 10 000, each
/// label in the largest of k, M, G and T that fits it, without trailing zeros (500k, 1M, 1.5M); and a mantissa with a power of ten (3e-4) when the step
/// needs more than three decimals and every tick is below 1 in magnitude. Negative numbers use the minus sign '−'.
/// </remarks>
public sealed class AxisTicks
{
    private static readonly int[] Multipliers = [1, 2, 5];
    private static readonly (double Unit, string Suffix)[] Suffixes = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];

    private AxisTicks(double minimum, double maximum, double step, double[] values, string[] labels)
    {
        Minimum = minimum;
        Maximum = maximum;
        Step = step;
        Values = values;
        Labels = labels;
    }

    /// <summary>Gets the lower axis limit.</summary>
    public double Minimum { get; }

    /// <summary>Gets the upper axis limit.</summary>
    public double Maximum { get; }

    /// <summary>Gets the distance between neighbouring ticks.</summary>
    public double Step { get; }

    /// <summary>Gets the tick positions in increasing order, all within [<see cref="Minimum"/>, <see cref="Maximum"/>].</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>Gets the tick labels, one per value.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Chooses ticks for the axis limits [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    /// <param name="minimum">The lower limit.</param>
    /// <param name="maximum">The upper limit. When it equals <paramref name="minimum"/> (to 12 significant digits) the limits widen to ±10 % of the value around it (±1 around 0).</param>
    /// <param name="maximumCount">The most ticks wanted, at least 2. More are used only where no 1-2-5 step puts between 1 and this many ticks within the limits.</param>
    /// <returns>The ticks and their labels.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not finite, <paramref name="maximum"/> is less than <paramref name="minimum"/>, the limits are farther apart than the largest double, or <paramref name="maximumCount"/> is less than 2.</exception>
    public static AxisTicks Create(double minimum, double maximum, int maximumCount)
    {
        if (!double.IsFinite(minimum))
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The lower limit must be finite.");
        if (!double.IsFinite(maximum) || maximum < minimum)
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"The upper limit must be finite and at least the lower limit {minimum}.");
        if (!double.IsFinite(maximum - minimum))
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"The limits [{minimum}, {maximum}] are too far apart.");
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumCount, 2);

        double magnitude = Math.Max(Math.Abs(minimum), Math.Abs(maximum));
        if (maximum - minimum <= magnitude * 1e-12)
        {
            double center = (minimum + maximum) / 2;
            double half = center == 0 ? 1 : Math.Abs(center) / 10;
            (minimum, maximum) = (center - half, center + half);
        }

        int exponent = (int)Math.Floor(Math.Log10((maximum - minimum) / maximumCount)) - 1;
        (double First, double Last, int Multiplier, int Exponent) previous = default;
        while (true)
        {
            foreach (int multiplier in Multipliers)
            {
                double step = StepOf(multiplier, exponent);
                double first = Math.Ceiling(minimum / step - 1e-9), last = Math.Floor(maximum / step + 1e-9);
                if (last - first + 1 <= maximumCount)
                {
                    return last >= first
                        ? Build(minimum, maximum, (long)first, (long)last, multiplier, exponent)
                        : Build(minimum, maximum, (long)previous.First, (long)previous.Last, previous.Multiplier, previous.Exponent);
                }

                previous = (first, last, multiplier, exponent);
            }

            exponent++;
        }
    }

    /// <summary>The step m × 10^e, computed so that negative powers stay exact to the last digit (2e-4 rather than 2.0000000000000001e-4).</summary>
    private static double StepOf(long multiple, int exponent) =>
        exponent >= 0 ? multiple * Math.Pow(10, exponent) : multiple / Math.Pow(10, -exponent);

    private static AxisTicks Build(double minimum, double maximum, long first, long last, int multiplier, int exponent)
    {
        var values = new double[last - first + 1];
        for (long k = first; k <= last; k++)
            values[k - first] = StepOf(k * multiplier, exponent);

        double step = StepOf(multiplier, exponent);
        return new AxisTicks(minimum, maximum, step, values, Format(values, step));
    }

    private static string[] Format(double[] values, double step)
    {
        double largest = 0;
        foreach (double value in values)
            largest = Math.Max(largest, Math.Abs(value));

        var labels = new string[values.Length];
        int decimals = DecimalsFor(step);
        if (largest >= 1e15 || (decimals > 3 && largest < 1))
        {
            int stepExponent = (int)Math.Floor(Math.Log10(step) + 1e-9);
            for (int i = 0; i < values.Length; i++)
                labels[i] = Scientific(values[i], stepExponent);
            return labels;
        }

        if (largest >= 1e4)
        {
            for (int i = 0; i < values.Length; i++)
                labels[i] = WithSuffix(values[i], step);
            return labels;
        }

        for (int i = 0; i < values.Length; i++)
            labels[i] = WithMinusSign(values[i].ToString("F" + decimals, CultureInfo.InvariantCulture));
        return labels;
    }

    /// <summary>Formats <paramref name="value"/> in the largest of k, M, G and T not above it, with the digits down to <paramref name="step"/>.</summary>
    private static string WithSuffix(double value, double step)
    {
        foreach ((double unit, string suffix) in Suffixes)
        {
            if (Math.Abs(value) >= unit)
            {
                string number = (value / unit).ToString("F" + DecimalsFor(step / unit), CultureInfo.InvariantCulture);
                return WithMinusSign(TrimZeros(number)) + suffix;
            }
        }

        return WithMinusSign(TrimZeros(value.ToString("F" + DecimalsFor(step), CultureInfo.InvariantCulture)));
    }

    /// <summary>The decimals that tell multiples of <paramref name="step"/> apart, at most 15: 0 for 1, 2 or 5 and up, 1 for 0.5, 4 for 0.0002.</summary>
    private static int DecimalsFor(double step) => Math.Clamp(-(int)Math.Floor(Math.Log10(step) + 1e-9), 0, 15);

    /// <summary>Formats <paramref name="value"/> as a mantissa and a power of ten with the digits down to 10^<paramref name="stepExponent"/>.</summary>
    private static string Scientific(double value, int stepExponent)
    {
        if (value == 0)
            return "0";

        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)) + 1e-9);
        int digits = Math.Clamp(exponent - stepExponent, 0, 15);
        double mantissa = Math.Round(value / Math.Pow(10, exponent), digits);
        if (Math.Abs(mantissa) >= 10)
        {
            exponent++;
            mantissa /= 10;
        }

        string text = TrimZeros(mantissa.ToString("F" + digits, CultureInfo.InvariantCulture));
        return WithMinusSign(text) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    private static string TrimZeros(string number) =>
        number.Contains('.', StringComparison.Ordinal) ? number.TrimEnd('0').TrimEnd('.') : number;

    private static string WithMinusSign(string number) => number.StartsWith('-') ? "−" + number[1..] : number;
}
