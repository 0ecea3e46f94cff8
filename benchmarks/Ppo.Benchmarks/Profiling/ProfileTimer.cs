using System.Diagnostics;
using System.Globalization;

namespace Ppo.Benchmarks.Profiling;

/// <summary>
/// Times pieces of work with a stopwatch inside one process, for breakdowns that BenchmarkDotNet's one-method-per-case
/// layout cannot give: each piece runs in batches of calls, and the fastest and the median time per call over the batches
/// are printed (on a machine shared with other work, the fastest batch is the one least interrupted).
/// </summary>
internal sealed class ProfileTimer(TextWriter output, int samples = 101, double batchMilliseconds = 1)
{
    /// <summary>Prints the fastest and the median time of one call of <paramref name="work"/>, in microseconds, and returns the fastest.</summary>
    public double Time(string name, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        work();
        int calls = CallCount.ForDuration(work, batchMilliseconds);
        var perCall = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
                work();
            perCall[s] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
        }

        Array.Sort(perCall);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-58} {perCall[0],10:F2} µs fastest, {perCall[samples / 2],10:F2} µs median"));
        return perCall[0];
    }

    /// <summary>Prints a heading.</summary>
    public void Heading(string text) => output.WriteLine($"{Environment.NewLine}## {text}");
}
