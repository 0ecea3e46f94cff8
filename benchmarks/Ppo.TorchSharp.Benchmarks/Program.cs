using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Ppo.TorchSharp.Benchmarks;

// dotnet run -c Release --project benchmarks/Ppo.TorchSharp.Benchmarks -- --filter '*'            (all)
// dotnet run -c Release --project benchmarks/Ppo.TorchSharp.Benchmarks -- --filter '*' --job Dry  (each once: a smoke test)
// The managed engine's rows for the same cases are MinibatchUpdateBenchmarks and InferenceBenchmarks in benchmarks/Ppo.Benchmarks.
IConfig config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median);
IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(TorchSharpUpdateBenchmarks).Assembly).Run(args, config);
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
