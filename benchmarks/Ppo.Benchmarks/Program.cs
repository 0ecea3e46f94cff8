using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using Ppo.Benchmarks;

// Every BenchmarkDotNet option works on the command line, for example:
//   dotnet run -c Release --project benchmarks/Ppo.Benchmarks -- --filter '*Gae*'
//   dotnet run -c Release --project benchmarks/Ppo.Benchmarks -- --filter '*' --job Dry   (each benchmark once: a smoke test)
// The comparison with PyTorch uses medians, which resist the noise of a shared machine better than means.
IConfig config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median);
if (!OpenBlas.IsAvailable)
{
    Console.Error.WriteLine(
        $"OpenBLAS ({OpenBlas.LibraryName}) was not found: the OpenBLAS baselines of {nameof(GemmBenchmarks)} are skipped. " +
        $"Install it with: {OpenBlas.InstallHint}");
    config = config.AddFilter(new SimpleFilter(benchmark => !benchmark.Descriptor.WorkloadMethod.Name.StartsWith("OpenBlas", StringComparison.Ordinal)));
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkData).Assembly).Run(args, config);
