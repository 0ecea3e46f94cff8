using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Ppo.Benchmarks;
using Ppo.Benchmarks.Profiling;
using Ppo.Benchmarks.SideBySide;

// Every BenchmarkDotNet option works on the command line, for example:
//   dotnet run -c Release --project benchmarks/Ppo.Benchmarks -- --filter '*Gae*'
//   dotnet run -c Release --project benchmarks/Ppo.Benchmarks -- --filter '*' --job Dry   (each benchmark once: a smoke test)
// The comparison with PyTorch uses medians, which resist the noise of a shared machine better than means.
// Every method is compiled optimized from its first call, as the samples run them: under tiered compilation the many
// small generic kernels of an update went on running unoptimized or instrumented code for seconds, far past the warm-up
// (the [64, 64] minibatch update measured 2 ms per call falling to 180 µs over its first second, against 62 µs from the
// start without tiering, and 58 µs with tiering after 4 s of warm-up). It is passed as a command-line option, which
// composes with the others (--job Dry among them), where a job set in the configuration replaced the one they asked for.
// Stopwatch breakdowns of the CartPole run and of a minibatch update: --profile cartpole, --profile update [hidden rows]...
if (args is ["--profile", .. string[] profile])
    return Profiles.Run(profile, Console.Out);

// The GEMM, OpenBLAS and the FMA peak kernel in alternating blocks, for ratios that the machine's drift does not skew:
// --gemm-side-by-side OUTPUT.json [ROUNDS] (compare.sh runs it on each vector path).
if (args is ["--gemm-side-by-side", .. string[] sideBySide])
    return GemmSideBySide.Run(sideBySide, Console.Out);

const string NoTiering = "DOTNET_TieredCompilation:0";
if (!args.Contains(NoTiering))
    args = [.. args, "--envVars", NoTiering];
IConfig config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median);
if (!OpenBlas.IsAvailable)
{
    Console.Error.WriteLine(
        $"OpenBLAS ({OpenBlas.LibraryName}) was not found: the OpenBLAS baselines of {nameof(GemmBenchmarks)} are skipped. " +
        $"Install it with: {OpenBlas.InstallHint}");
    config = config.AddFilter(new SimpleFilter(benchmark => !benchmark.Descriptor.WorkloadMethod.Name.StartsWith("OpenBlas", StringComparison.Ordinal)));
}

// A benchmark whose setup or run fails makes the exit code 1, so that a dry run can guard CI.
IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkData).Assembly).Run(args, config);
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
