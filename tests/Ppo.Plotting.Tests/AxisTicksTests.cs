namespace Ppo.Plotting.Tests;

public sealed class AxisTicksTests
{
    private static readonly double[] OneTwoFive = [1, 2, 5];

    public static TheoryData<double, double, int, double[], string[]> Ranges => new()
    {
        { 0, 475, 6, [0, 100, 200, 300, 400], ["0", "100", "200", "300", "400"] },
        { 0, 1e5, 6, [0, 2e4, 4e4, 6e4, 8e4, 1e5], ["0", "20k", "40k", "60k", "80k", "100k"] },
        { 0, 1.5e6, 5, [0, 5e5, 1e6, 1.5e6], ["0", "500k", "1M", "1.5M"] },
        { 12_000, 13_000, 6, [12_000, 12_200, 12_400, 12_600, 12_800, 13_000], ["12k", "12.2k", "12.4k", "12.6k", "12.8k", "13k"] },
        { -0.013, 0.002, 6, [-0.01, -0.005, 0], ["−0.010", "−0.005", "0.000"] },
        { 3e-4, 1e-3, 6, [4e-4, 6e-4, 8e-4, 1e-3], ["4e-4", "6e-4", "8e-4", "1e-3"] },
        { -2.5e-5, 1e-5, 6, [-2e-5, -1e-5, 0, 1e-5], ["−2e-5", "−1e-5", "0", "1e-5"] },
        { 0, 0.004, 6, [0, 0.001, 0.002, 0.003, 0.004], ["0.000", "0.001", "0.002", "0.003", "0.004"] },
        { 0.55, 0.7, 4, [0.55, 0.6, 0.65, 0.7], ["0.55", "0.60", "0.65", "0.70"] },
        { -1.2, 1.2, 6, [-1, -0.5, 0, 0.5, 1], ["−1.0", "−0.5", "0.0", "0.5", "1.0"] },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Create_TypicalRange_ChoosesOneTwoFiveStepsAndFormatsLabels(double minimum, double maximum, int count, double[] values, string[] labels)
    {
        AxisTicks ticks = AxisTicks.Create(minimum, maximum, count);

        Assert.Equal((minimum, maximum), (ticks.Minimum, ticks.Maximum));
        Assert.Equal(values.Length, ticks.Values.Count);
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(values[i], ticks.Values[i], 1e-12 * Math.Max(1, Math.Abs(values[i])));
        Assert.Equal(labels, ticks.Labels);
    }

    [Theory]
    [InlineData(5, 4.5, 5.5, new[] { "4.6", "4.8", "5.0", "5.2", "5.4" })]
    [InlineData(0, -1, 1, new[] { "−1.0", "−0.5", "0.0", "0.5", "1.0" })]
    [InlineData(-3, -3.3, -2.7, new[] { "−3.2", "−3.0", "−2.8" })]
    public void Create_ConstantSeries_WidensAroundTheValue(double value, double minimum, double maximum, string[] labels)
    {
        AxisTicks ticks = AxisTicks.Create(value, value, 6);

        Assert.Equal(minimum, ticks.Minimum, 1e-12);
        Assert.Equal(maximum, ticks.Maximum, 1e-12);
        Assert.Equal(labels, ticks.Labels);
    }

    [Fact]
    public void Create_RandomRanges_TicksAreDistinctOneTwoFiveMultiplesWithinTheLimits()
    {
        var random = new Random(42);
        for (int trial = 0; trial < 2000; trial++)
        {
            double scale = Math.Pow(10, random.Next(-8, 12));
            double a = (random.NextDouble() * 2 - 1) * scale, b = a + random.NextDouble() * scale;
            int count = random.Next(2, 12);

            AxisTicks ticks = AxisTicks.Create(a, b, count);

            Assert.InRange(ticks.Values.Count, 1, count);
            double mantissa = ticks.Step / Math.Pow(10, Math.Floor(Math.Log10(ticks.Step) + 1e-9));
            Assert.Contains(Math.Round(mantissa, 6), OneTwoFive);
            for (int i = 0; i < ticks.Values.Count; i++)
            {
                Assert.InRange(ticks.Values[i], ticks.Minimum - 1e-9 * ticks.Step, ticks.Maximum + 1e-9 * ticks.Step);
                Assert.Equal(0, Math.Abs(ticks.Values[i] / ticks.Step - Math.Round(ticks.Values[i] / ticks.Step)), 1e-6);
            }

            Assert.Equal(ticks.Labels.Count, ticks.Labels.Distinct().Count());
        }
    }

    [Fact]
    public void Create_InvalidArguments_ThrowNamingTheArgument()
    {
        Assert.Equal("minimum", Assert.Throws<ArgumentOutOfRangeException>(() => AxisTicks.Create(double.NaN, 1, 5)).ParamName);
        Assert.Equal("maximum", Assert.Throws<ArgumentOutOfRangeException>(() => AxisTicks.Create(0, double.PositiveInfinity, 5)).ParamName);
        Assert.Equal("maximum", Assert.Throws<ArgumentOutOfRangeException>(() => AxisTicks.Create(2, 1, 5)).ParamName);
        Assert.Equal("maximum", Assert.Throws<ArgumentOutOfRangeException>(() => AxisTicks.Create(-double.MaxValue, double.MaxValue, 5)).ParamName);
        Assert.Equal("maximumCount", Assert.Throws<ArgumentOutOfRangeException>(() => AxisTicks.Create(0, 1, 1)).ParamName);
    }
}
