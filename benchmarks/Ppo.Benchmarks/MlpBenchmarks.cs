using BenchmarkDotNet.Attributes;
using Ppo.Networks;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Benchmarks;

/// <summary>
/// A tanh MLP of two hidden layers of <see cref="Hidden"/> units, input 8 and output 4 (the actor of a LunarLander
/// policy): the forward pass alone, and forward followed by backward.
/// </summary>
[MemoryDiagnoser]
public class MlpBenchmarks
{
    private const int InputSize = 8;
    private const int OutputSize = 4;

    private Mlp _network = null!;
    private Tensor _input = null!;
    private Tensor _output = null!;
    private Tensor _outputGradient = null!;

    [Params(64, 256)]
    public int Hidden { get; set; } = 64;

    [Params(64, 256, 2048)]
    public int BatchSize { get; set; } = 64;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(BenchmarkData.Seed);
        _network = new Mlp(InputSize, [Hidden, Hidden], OutputSize, ActivationFunction.Tanh, Device.Cpu);
        _ = new ParameterSet(_network.Parameters, Device.Cpu);
        _network.InitializeOrthogonal(Math.Sqrt(2.0), 0.01, random);
        _network.Resize(BatchSize);
        _input = Tensor.FromValues(BenchmarkData.Uniform(random, BatchSize * InputSize), BatchSize, InputSize);
        _output = Tensor.Zeros(BatchSize, OutputSize);
        _outputGradient = Tensor.FromValues(BenchmarkData.Uniform(random, BatchSize * OutputSize, -0.01f, 0.01f), BatchSize, OutputSize);
    }

    [Benchmark]
    public void Forward() => _network.Forward(_input, _output, BatchSize);

    /// <summary>The training pass: forward, then backward into the parameter gradients (no input gradient, as for a first network).</summary>
    [Benchmark]
    public void ForwardBackward()
    {
        _network.Forward(_input, _output, BatchSize);
        _network.Backward(_outputGradient, null, BatchSize);
    }
}
