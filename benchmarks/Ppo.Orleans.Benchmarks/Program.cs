using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Ppo.Orleans.Benchmarks;

// dotnet run -c Release --project benchmarks/Ppo.Orleans.Benchmarks -- --filter '*'            (the full measurement)
// dotnet run -c Release --project benchmarks/Ppo.Orleans.Benchmarks -- --filter '*' --job Dry  (each case once: a smoke test)
// Medians, which resist the noise of a shared machine better than means.
IConfig config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median);
IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(UpdateOverheadBenchmarks).Assembly).Run(args, config);
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
