using Ppo.Distributions;
using Ppo.Environments;
using Ppo.Losses;
using Ppo.Networks;
using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Rollouts;
using Ppo.Tensors;
using Ppo.Training;

namespace Ppo.Benchmarks.Profiling;

/// <summary>
/// Where one minibatch update of <see cref="MinibatchUpdateBenchmarks"/> spends its time: the whole step on one and two
/// threads, then each piece on one thread (network passes, every layer, the head, the fused loss, clipping, Adam) and
/// the matrix products and activations of the layers on their own.
/// </summary>
/// <remarks>Run with <c>DOTNET_TieredCompilation=0</c>, as the benchmarks and samples run.</remarks>
internal sealed class UpdateProfile
{
    private const int ObservationSize = 8;
    private const int ActionCount = 4;
    private static readonly PpoLossSettings Settings = new(ClipRange: 0.2f, ValueClipRange: null, NormalizeAdvantage: true, EntropyCoefficient: 0.01f, ValueCoefficient: 0.5f);

    private readonly int _hidden;
    private readonly int _rows;
    private readonly ProfileTimer _timer;

    public UpdateProfile(int hidden, int rows, ProfileTimer timer)
    {
        _hidden = hidden;
        _rows = rows;
        _timer = timer;
    }

    public void Run()
    {
        _timer.Heading($"Minibatch update, actor and critic [{_hidden}, {_hidden}], batch {_rows}, observation {ObservationSize}, Discrete({ActionCount})");
        var random = new SeededRandom(BenchmarkData.Seed);
        var minibatch = new Minibatch(_rows, ObservationSize, actionSize: 1);
        float uniformLogProbability = -MathF.Log(ActionCount);
        minibatch.CopyFrom(
            BenchmarkData.Uniform(random, _rows * ObservationSize),
            BenchmarkData.Actions(random, _rows, ActionCount),
            BenchmarkData.Uniform(random, _rows, uniformLogProbability - 0.1f, uniformLogProbability + 0.1f),
            BenchmarkData.Uniform(random, _rows, -2f, 2f),
            BenchmarkData.Uniform(random, _rows),
            BenchmarkData.Uniform(random, _rows));

        foreach (int threads in (int[])[1, 2])
        {
            ManagedLearner learner = CreateLearner(threads);
            _timer.Time($"whole step, {threads} thread(s)", () =>
            {
                learner.ComputeLoss(minibatch, Settings);
                learner.ApplyGradients(0.5f, 3e-4f);
            });
            _timer.Time($"  ComputeLoss (evaluate + fused loss), {threads} thread(s)", () => learner.ComputeLoss(minibatch, Settings));
            _timer.Time($"  ApplyGradients (zero, backward, clip, Adam), {threads} thread(s)", () => learner.ApplyGradients(0.5f, 3e-4f));
        }

        ProfilePieces(CreateLearner(1), minibatch);
    }

    private ManagedLearner CreateLearner(int threads)
    {
        var options = new ActorCriticOptions { PolicyHiddenSizes = [_hidden, _hidden], ValueHiddenSizes = [_hidden, _hidden] };
        var policy = new ActorCritic(ObservationSize, new DiscreteSpace(ActionCount), options, seed: BenchmarkData.Seed) { ParallelBranches = threads == 2 };
        var learner = new ManagedLearner(policy);
        learner.Reserve(maxActRows: 1, maxMinibatchRows: _rows);
        return learner;
    }

    private void ProfilePieces(ManagedLearner learner, Minibatch minibatch)
    {
        ActorCritic policy = learner.Network;
        int rows = _rows;
        Tensor observations = Tensor.FromValues(minibatch.Observations, rows, ObservationSize);
        Tensor actions = Tensor.FromValues(minibatch.Actions, rows, 1);
        Tensor logProbabilities = Tensor.Zeros(rows), entropy = Tensor.Zeros(rows), values = Tensor.Zeros(rows);
        Tensor logProbabilityGradient = Tensor.Zeros(rows), entropyGradient = Tensor.Zeros(rows), valueGradient = Tensor.Zeros(rows);
        policy.Evaluate(observations, actions, rows, logProbabilities, entropy, values);
        PpoLoss.Compute(logProbabilities.AsSpan(), minibatch.OldLogProbabilities, minibatch.Advantages, values.AsSpan(), minibatch.OldValues, minibatch.Returns, entropy.AsSpan(), Settings, logProbabilityGradient.AsSpan(), valueGradient.AsSpan(), entropyGradient.AsSpan());

        _timer.Heading("Pieces, one thread");
        _timer.Time("Evaluate: actor + head + critic", () => policy.Evaluate(observations, actions, rows, logProbabilities, entropy, values));
        _timer.Time("PpoLoss.Compute (fused)", () => PpoLoss.Compute(logProbabilities.AsSpan(), minibatch.OldLogProbabilities, minibatch.Advantages, values.AsSpan(), minibatch.OldValues, minibatch.Returns, entropy.AsSpan(), Settings, logProbabilityGradient.AsSpan(), valueGradient.AsSpan(), entropyGradient.AsSpan()));
        _timer.Time("ZeroGradients", policy.Parameters.ZeroGradients);
        _timer.Time("Backward: head + actor + critic", () => policy.Backward(logProbabilityGradient, entropyGradient, valueGradient, rows));
        _timer.Time("ClipByGlobalNorm", () => GradientClipping.ClipByGlobalNorm(policy.Parameters.Gradients.AsSpan(), float.MaxValue));
        var adam = new Adam(policy.Parameters.Values, policy.Parameters.Gradients) { StepInParallel = false };
        _timer.Time($"Adam.Step, {policy.Parameters.Count} parameters", () => adam.Step(0f));

        ProfileNetwork("actor", policy.PolicyNetwork, observations);
        ProfileNetwork("critic", policy.ValueNetwork, observations);
        ProfileHead(rows);
    }

    private void ProfileNetwork(string name, Mlp network, Tensor observations)
    {
        int rows = _rows;
        var outputs = new Tensor[network.Layers.Count + 1];
        var gradients = new Tensor[network.Layers.Count + 1];
        outputs[0] = observations;
        gradients[0] = Tensor.Zeros(rows, network.InputSize);
        var random = new SeededRandom(BenchmarkData.Seed + 1);
        for (int i = 0; i < network.Layers.Count; i++)
        {
            int width = network.Layers[i].OutputSize;
            outputs[i + 1] = Tensor.Zeros(rows, width);
            gradients[i + 1] = Tensor.FromValues(BenchmarkData.Uniform(random, rows * width, -0.01f, 0.01f), rows, width);
        }

        Tensor output = outputs[^1], outputGradient = gradients[^1];
        _timer.Time($"{name} MLP forward", () => network.Forward(observations, output, rows));
        _timer.Time($"{name} MLP backward (no input gradient)", () => network.Backward(outputGradient, null, rows));
        for (int i = 0; i < network.Layers.Count; i++)
        {
            ILayer layer = network.Layers[i];
            Tensor input = outputs[i], layerOutput = outputs[i + 1], layerGradient = gradients[i + 1];
            Tensor? inputGradient = i == 0 ? null : gradients[i];
            string label = layer is Linear ? $"Linear {layer.InputSize}→{layer.OutputSize}" : $"tanh {layer.OutputSize}";
            _timer.Time($"  {name} {label} forward", () => layer.Forward(input, layerOutput, rows));
            _timer.Time($"  {name} {label} backward{(inputGradient is null ? " (no input gradient)" : string.Empty)}", () => layer.Backward(layerGradient, inputGradient, rows));
        }

        foreach (Linear linear in network.LinearLayers)
            ProfileGemm(linear.InputSize, linear.OutputSize);
    }

    private void ProfileGemm(int inputSize, int outputSize)
    {
        int rows = _rows;
        var random = new SeededRandom(BenchmarkData.Seed + 2);
        float[] x = BenchmarkData.Uniform(random, rows * inputSize), w = BenchmarkData.Uniform(random, outputSize * inputSize);
        float[] y = BenchmarkData.Uniform(random, rows * outputSize), dw = new float[outputSize * inputSize], dx = new float[rows * inputSize];
        _timer.Time($"    Gemm X·Wᵀ {rows}×{outputSize}×{inputSize}", () => Gemm.MultiplyTransposedB(x, w, y, rows, outputSize, inputSize, accumulate: true));
        _timer.Time($"    Gemm dYᵀ·X {outputSize}×{inputSize}×{rows}", () => Gemm.MultiplyTransposedA(y, x, dw, outputSize, inputSize, rows, accumulate: true));
        _timer.Time($"    Gemm dY·W {rows}×{inputSize}×{outputSize}", () => Gemm.Multiply(y, w, dx, rows, inputSize, outputSize, accumulate: false));
        _timer.Time($"    bias broadcast {rows}×{outputSize}", () => MatrixRows.Broadcast(dw.AsSpan(0, outputSize), y, rows));
        _timer.Time($"    bias gradient sum {rows}×{outputSize}", () => MatrixRows.SumInto(y, rows, dw.AsSpan(0, outputSize)));
        if (outputSize == _hidden)
        {
            float[] t = BenchmarkData.Uniform(random, rows * outputSize, -3f, 3f), u = new float[rows * outputSize];
            _timer.Time($"    Activations.Tanh {rows * outputSize} elements", () => Activations.Tanh(t, u));
            _timer.Time($"    Activations.TanhBackward {rows * outputSize} elements", () => Activations.TanhBackward(u, y, t));
        }
    }

    private void ProfileHead(int rows)
    {
        var random = new SeededRandom(BenchmarkData.Seed + 3);
        float[] logits = BenchmarkData.Uniform(random, rows * ActionCount), actions = BenchmarkData.Actions(random, rows, ActionCount);
        float[] logP = new float[rows * ActionCount], p = new float[rows * ActionCount], chosen = new float[rows], entropy = new float[rows];
        float[] logPGradient = BenchmarkData.Uniform(random, rows), entropyGradient = BenchmarkData.Uniform(random, rows), logitsGradient = new float[rows * ActionCount];
        _timer.Time($"Categorical.Normalize {rows}×{ActionCount}", () => Categorical.Normalize(logits, logP, p, rows, ActionCount));
        _timer.Time($"Categorical.LogProbability {rows}", () => Categorical.LogProbability(logP, actions, chosen, ActionCount));
        _timer.Time($"Categorical.Entropy {rows}", () => Categorical.Entropy(logP, p, entropy, ActionCount));
        _timer.Time($"Categorical.Backward {rows}", () => Categorical.Backward(logP, p, entropy, actions, logPGradient, entropyGradient, logitsGradient, ActionCount));
    }
}
