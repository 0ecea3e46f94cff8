using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Benchmarks;

/// <summary>
/// The three matrix products of a hidden <c>Width → Width</c> layer on a batch of <see cref="BatchSize"/> rows, by
/// <see cref="Gemm"/> and by single-threaded OpenBLAS (the baseline of each form): the forward product <c>X·Wᵀ</c>
/// (<c>m = batch, n = k = width</c>), the input gradient <c>dY·W</c> (same sizes) and the weight gradient <c>dYᵀ·X</c>
/// (<c>m = n = width, k = batch</c>). Every product overwrites <c>C</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GemmBenchmarks
{
    private const string Forward = "X*W^T";
    private const string InputGradient = "dY*W";
    private const string WeightGradient = "dY^T*X";

    private float[] _input = [];
    private float[] _weight = [];
    private float[] _outputGradient = [];
    private float[] _activations = [];
    private float[] _weightGradient = [];

    [Params(64, 256, 2048)]
    public int BatchSize { get; set; } = 256;

    [Params(64, 256, 512)]
    public int Width { get; set; } = 256;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(BenchmarkData.Seed);
        _input = BenchmarkData.Uniform(random, BatchSize * Width);
        _weight = BenchmarkData.Uniform(random, Width * Width);
        _outputGradient = BenchmarkData.Uniform(random, BatchSize * Width);
        _activations = new float[BatchSize * Width];
        _weightGradient = new float[Width * Width];
        if (OpenBlas.IsAvailable)
            OpenBlas.SetThreadCount(1);
    }

    [Benchmark, BenchmarkCategory(Forward)]
    public void PpoTransposedB() =>
        Gemm.MultiplyTransposedB(_input, _weight, _activations, BatchSize, Width, Width, accumulate: false);

    [Benchmark(Baseline = true), BenchmarkCategory(Forward)]
    public unsafe void OpenBlasTransposedB()
    {
        fixed (float* a = _input, b = _weight, c = _activations)
            OpenBlas.Sgemm(OpenBlas.RowMajor, OpenBlas.NoTranspose, OpenBlas.Transpose, BatchSize, Width, Width, 1f, a, Width, b, Width, 0f, c, Width);
    }

    [Benchmark, BenchmarkCategory(InputGradient)]
    public void PpoMultiply() =>
        Gemm.Multiply(_outputGradient, _weight, _activations, BatchSize, Width, Width, accumulate: false);

    [Benchmark(Baseline = true), BenchmarkCategory(InputGradient)]
    public unsafe void OpenBlasMultiply()
    {
        fixed (float* a = _outputGradient, b = _weight, c = _activations)
            OpenBlas.Sgemm(OpenBlas.RowMajor, OpenBlas.NoTranspose, OpenBlas.NoTranspose, BatchSize, Width, Width, 1f, a, Width, b, Width, 0f, c, Width);
    }

    [Benchmark, BenchmarkCategory(WeightGradient)]
    public void PpoTransposedA() =>
        Gemm.MultiplyTransposedA(_outputGradient, _input, _weightGradient, Width, Width, BatchSize, accumulate: false);

    [Benchmark(Baseline = true), BenchmarkCategory(WeightGradient)]
    public unsafe void OpenBlasTransposedA()
    {
        fixed (float* a = _outputGradient, b = _input, c = _weightGradient)
            OpenBlas.Sgemm(OpenBlas.RowMajor, OpenBlas.Transpose, OpenBlas.NoTranspose, Width, Width, BatchSize, 1f, a, Width, b, Width, 0f, c, Width);
    }
}
