using Ppo.Networks;
using Ppo.Optimization;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Samples.Rlhf;

/// <summary>
/// A scalar reward model r(review): an <see cref="Mlp"/> over the review's token blocks, trained on preference pairs
/// with the Bradley–Terry loss <c>−log σ(r(chosen) − r(rejected))</c> (Christiano et al. 2017; Ziegler et al. 2019).
/// </summary>
/// <remarks>
/// <see cref="Score"/> is normalized as Ziegler et al. (2019, section 2.2) do, so that the reviews given to
/// <see cref="Normalize"/> (samples of the supervised policy) score mean 0 and standard deviation 1.
/// </remarks>
public sealed class RewardModel
{
    private readonly Mlp _network;
    private readonly ParameterSet _parameters;
    private readonly Tensor _scoreInput;
    private readonly Tensor _scoreOutput;
    private float _mean;
    private float _standardDeviation = 1f;

    public RewardModel(IReadOnlyList<int> hiddenSizes, ulong seed)
    {
        _network = new Mlp(ReviewEncoding.TokenFeatureCount, hiddenSizes, 1, ActivationFunction.Tanh, Device.Cpu);
        _parameters = new ParameterSet(_network.Parameters, Device.Cpu);
        _network.InitializeOrthogonal(Math.Sqrt(2), 1, new SeededRandom(seed));
        _network.Resize(1);
        _scoreInput = Tensor.Zeros(1, ReviewEncoding.TokenFeatureCount);
        _scoreOutput = Tensor.Zeros(1, 1);
    }

    /// <summary>The normalized score of one review.</summary>
    public float Score(ReadOnlySpan<int> review) => (RawScore(review) - _mean) / _standardDeviation;

    /// <summary>
    /// Trains on <paramref name="pairs"/> with Adam: each minibatch stacks the chosen reviews over the rejected ones,
    /// so that one forward and one backward pass cover both. The gradient of the mean loss is
    /// <c>∂L/∂r(chosen) = −σ(r(rejected) − r(chosen)) / B</c> and the opposite for <c>r(rejected)</c>.
    /// </summary>
    /// <returns>The mean loss of the last epoch.</returns>
    public double Train(IReadOnlyList<PreferencePair> pairs, int epochs, int batchSize, float learningRate, SeededRandom random)
    {
        var optimizer = new Adam(_parameters.Values, _parameters.Gradients);
        _network.Resize(2 * batchSize);
        Tensor input = Tensor.Zeros(2 * batchSize, ReviewEncoding.TokenFeatureCount);
        Tensor scores = Tensor.Zeros(2 * batchSize, 1);
        Tensor scoreGradient = Tensor.Zeros(2 * batchSize, 1);
        int[] order = new int[pairs.Count];
        double epochLoss = double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int i = 0; i < order.Length; i++)
                order[i] = i;
            random.Shuffle(order);
            double lossSum = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int count = Math.Min(batchSize, order.Length - start);
                for (int k = 0; k < count; k++)
                {
                    PreferencePair pair = pairs[order[start + k]];
                    ReviewEncoding.WriteTokens(pair.Chosen, input.Row(k));
                    ReviewEncoding.WriteTokens(pair.Rejected, input.Row(count + k));
                }

                _network.Forward(input, scores, 2 * count);
                Span<float> score = scores.AsSpan(), gradient = scoreGradient.AsSpan();
                for (int k = 0; k < count; k++)
                {
                    double margin = score[k] - score[count + k];
                    lossSum += Softplus(-margin);
                    float weight = (float)(Sigmoid(-margin) / count);
                    gradient[k] = -weight;
                    gradient[count + k] = weight;
                }

                _parameters.ZeroGradients();
                _network.Backward(scoreGradient, null, 2 * count);
                optimizer.Step(learningRate);
            }

            epochLoss = lossSum / pairs.Count;
        }

        return epochLoss;
    }

    /// <summary>The fraction of <paramref name="pairs"/> whose chosen review the model scores higher.</summary>
    public double Accuracy(IReadOnlyList<PreferencePair> pairs)
    {
        int agreed = 0;
        foreach (PreferencePair pair in pairs)
        {
            if (RawScore(pair.Chosen) > RawScore(pair.Rejected))
                agreed++;
        }

        return (double)agreed / pairs.Count;
    }

    /// <summary>Shifts and scales <see cref="Score"/> so that <paramref name="reviews"/> score mean 0 and standard deviation 1.</summary>
    public void Normalize(IReadOnlyList<int[]> reviews)
    {
        double sum = 0, sumOfSquares = 0;
        foreach (int[] review in reviews)
        {
            double score = RawScore(review);
            sum += score;
            sumOfSquares += score * score;
        }

        double mean = sum / reviews.Count;
        _mean = (float)mean;
        _standardDeviation = (float)Math.Sqrt(Math.Max(sumOfSquares / reviews.Count - mean * mean, 1e-12));
    }

    private float RawScore(ReadOnlySpan<int> review)
    {
        ReviewEncoding.WriteTokens(review, _scoreInput.AsSpan());
        _network.Forward(_scoreInput, _scoreOutput, 1);
        return _scoreOutput.AsSpan()[0];
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));
}
