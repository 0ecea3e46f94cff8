using System.Diagnostics;

namespace Ppo.Benchmarks;

/// <summary>Sizes the batches of calls that the stopwatch measurements time.</summary>
internal static class CallCount
{
    /// <summary>
    /// Returns how many calls of <paramref name="work"/> take about <paramref name="milliseconds"/>, from batches of
    /// growing size timed until one takes a quarter of it.
    /// </summary>
    public static int ForDuration(Action work, double milliseconds)
    {
        int calls = 1;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
                work();
            double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (elapsed >= milliseconds / 4 || calls >= 1 << 24)
                return Math.Max(1, (int)(calls * milliseconds / Math.Max(elapsed, 1e-3)));
            calls *= 4;
        }
    }
}
