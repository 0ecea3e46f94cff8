using System.Globalization;

namespace Ppo.Tests.TestSupport;

/// <summary>Element-wise comparisons with a tolerance scaled to the field being compared, and bit-exact comparisons.</summary>
/// <remarks>
/// Some reference fields hold exact zeros (clipped rows) or values made small by cancellation, so an element-by-element
/// relative tolerance would demand more than float32 can give there. The allowed difference is instead
/// <c>relative × max |expected|</c> over the whole field, the same for every element.
/// </remarks>
internal static class Tolerance
{
    /// <summary>Asserts <c>|expected[i] − actual[i]| ≤ relative · maxⱼ |expected[j]|</c> for every element.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative = 1e-5, string what = "value") =>
        AssertClose(ToDouble(expected), ToDouble(actual), relative, what);

    /// <summary>Compares a gradient computed in double (a finite difference) with one computed by the library.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double relative = 1e-5, string what = "value") =>
        AssertClose(expected, ToDouble(actual), relative, what);

    /// <summary>Asserts <c>|expected[i] − actual[i]| ≤ relative · maxⱼ |expected[j]|</c> for every element.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relative = 1e-5, string what = "value")
    {
        if (expected.Length != actual.Length)
            Assert.Fail(Format($"{what}: expected {expected.Length} elements, got {actual.Length}."));

        double scale = 0;
        foreach (double value in expected)
            scale = Math.Max(scale, Math.Abs(value));
        double allowed = relative * scale;

        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(expected[i] - actual[i]);
            if (!(difference <= allowed))
            {
                Assert.Fail(Format(
                    $"{what}[{i}]: expected {expected[i]:R}, actual {actual[i]:R}; |difference| {difference:G3} exceeds {allowed:G3} ({relative:G2} × largest magnitude {scale:G6})."));
            }
        }
    }

    /// <summary>Asserts <c>|expected − actual| ≤ relative · |expected|</c> for a scalar.</summary>
    public static void AssertClose(double expected, double actual, double relative = 1e-5, string what = "value") =>
        AssertClose([expected], [actual], relative, what);

    /// <summary>Asserts that two float sequences hold the same bits, so <c>−0</c> differs from <c>+0</c> and NaN payloads count.</summary>
    public static void AssertBitwiseEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what = "value")
    {
        if (expected.Length != actual.Length)
            Assert.Fail(Format($"{what}: expected {expected.Length} elements, got {actual.Length}."));
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail(Format($"{what}[{i}]: expected {expected[i]:R} (0x{BitConverter.SingleToInt32Bits(expected[i]):X8}), actual {actual[i]:R} (0x{BitConverter.SingleToInt32Bits(actual[i]):X8})."));
        }
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        double[] result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = values[i];
        return result;
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
