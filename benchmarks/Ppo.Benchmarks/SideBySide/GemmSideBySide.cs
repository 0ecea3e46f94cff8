using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ppo.Benchmarks.SideBySide;

/// <summary>
/// Measures the GEMM against OpenBLAS and the FMA peak in alternation, run instead of BenchmarkDotNet by
/// <c>--gemm-side-by-side OUTPUT.json [ROUNDS]</c>: for each case of <see cref="GemmBenchmarks"/>, rounds of one block of
/// Ppo's product, one of OpenBLAS's and one of <see cref="FmaPeakBenchmarks"/>'s kernel, in an order that rotates from
/// round to round. Each round gives its own ratios, and the medians of those are written out.
/// </summary>
/// <remarks>
/// On a machine whose speed drifts (other work on the host), figures measured minutes apart compare the drift as much as
/// the code: the rounds here compare the three pieces of work within milliseconds of each other. Run it without tiered
/// compilation (<c>DOTNET_TieredCompilation=0</c>), as the benchmarks and the samples run.
/// </remarks>
internal static class GemmSideBySide
{
    private const int DefaultRounds = 21;
    private const double BlockMilliseconds = 8;

    private static readonly (string Category, string Suffix)[] Forms =
        [("X*W^T", "TransposedB"), ("dY*W", "Multiply"), ("dY^T*X", "TransposedA")];

    private static readonly int[] BatchSizes = [64, 256, 2048];
    private static readonly int[] Widths = [64, 256, 512];

    public static int Run(string[] args, TextWriter output)
    {
        int rounds = DefaultRounds;
        if (args.Length is < 1 or > 2 || (args.Length == 2 && (!int.TryParse(args[1], CultureInfo.InvariantCulture, out rounds) || rounds < 1)))
        {
            Console.Error.WriteLine("usage: --gemm-side-by-side OUTPUT.json [ROUNDS (at least 1, default 21)]");
            return 2;
        }

        if (!OpenBlas.IsAvailable)
        {
            Console.Error.WriteLine($"OpenBLAS ({OpenBlas.LibraryName}) was not found. Install it with: {OpenBlas.InstallHint}");
            return 1;
        }

        var peak = new FmaPeakBenchmarks();
        double peakFlops = 2.0 * FmaPeakBenchmarks.Chains * FmaPeakBenchmarks.Steps * FmaPeakBenchmarks.Lanes;
        var cases = new List<CaseResult>();
        var peakGflops = new List<double>();
        foreach ((string category, string suffix) in Forms)
        {
            foreach (int batch in BatchSizes)
            {
                foreach (int width in Widths)
                {
                    var gemm = new GemmBenchmarks { BatchSize = batch, Width = width };
                    gemm.Setup();
                    (Action ppo, Action openBlas) = suffix switch
                    {
                        "TransposedB" => ((Action)gemm.PpoTransposedB, (Action)gemm.OpenBlasTransposedB),
                        "Multiply" => (gemm.PpoMultiply, gemm.OpenBlasMultiply),
                        _ => (gemm.PpoTransposedA, gemm.OpenBlasTransposedA),
                    };
                    CaseResult result = Measure(category, batch, width, ppo, openBlas, () => peak.WidestVector(), peakFlops, rounds, peakGflops);
                    cases.Add(result);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{category,-7} {result.M}×{result.N}×{result.K}: Ppo {result.PpoMicroseconds,10:F1} µs, OpenBLAS {result.OpenBlasMicroseconds,10:F1} µs, Ppo ÷ OpenBLAS {result.PpoShareOfOpenBlas,4:F0} %, Ppo ÷ peak {result.PpoShareOfPeak,3:F0} %"));
                }
            }
        }

        var report = new Report(FmaPeakBenchmarks.Lanes, rounds, BlockMilliseconds, Median(peakGflops), cases);
        File.WriteAllText(args[0], JsonSerializer.Serialize(report, JsonOptions));
        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static CaseResult Measure(
        string category, int batch, int width, Action ppo, Action openBlas, Action peak, double peakFlops, int rounds, List<double> allPeakGflops)
    {
        (int m, int n, int k) = category == "dY^T*X" ? (width, width, batch) : (batch, width, width);
        double flops = 2.0 * m * n * k;
        Action[] work = [ppo, openBlas, peak];
        int[] calls = [.. work.Select(CallsPerBlock)];
        var microseconds = new double[3][];
        for (int piece = 0; piece < 3; piece++)
            microseconds[piece] = new double[rounds];
        var shareOfOpenBlas = new double[rounds];
        var shareOfPeak = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            for (int turn = 0; turn < 3; turn++)
            {
                int piece = (round + turn) % 3;
                long start = Stopwatch.GetTimestamp();
                for (int call = 0; call < calls[piece]; call++)
                    work[piece]();
                microseconds[piece][round] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls[piece];
            }

            double peakGflops = peakFlops / (microseconds[2][round] * 1000);
            allPeakGflops.Add(peakGflops);
            shareOfOpenBlas[round] = 100.0 * microseconds[1][round] / microseconds[0][round];
            shareOfPeak[round] = 100.0 * flops / (microseconds[0][round] * 1000) / peakGflops;
        }

        return new CaseResult(
            category, batch, width, m, n, k,
            Median(microseconds[0]), Median(microseconds[1]), peakFlops / (Median(microseconds[2]) * 1000),
            Median(shareOfOpenBlas), Median(shareOfPeak));
    }

    /// <summary>Warms <paramref name="work"/> up and returns how many calls fill one block of about <see cref="BlockMilliseconds"/>.</summary>
    private static int CallsPerBlock(Action work)
    {
        work();
        return CallCount.ForDuration(work, BlockMilliseconds);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The file written: the lanes of the peak kernel's vectors, the rounds, the block length, the median peak over every round and the cases.</summary>
    private sealed record Report(int Lanes, int Rounds, double BlockMilliseconds, double PeakGflops, IReadOnlyList<CaseResult> Cases);

    /// <summary>One case: its form and sizes, the median times of Ppo and OpenBLAS, the peak from the median time of its kernel, and the medians of the per-round ratios (percent).</summary>
    private sealed record CaseResult(
        string Category, int BatchSize, int Width, int M, int N, int K,
        double PpoMicroseconds,
        [property: JsonPropertyName("openblas_microseconds")] double OpenBlasMicroseconds,
        double PeakGflops,
        [property: JsonPropertyName("ppo_share_of_openblas")] double PpoShareOfOpenBlas,
        double PpoShareOfPeak);
}
