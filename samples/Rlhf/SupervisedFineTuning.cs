using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Samples.Rlhf;

/// <summary>
/// Stage 1: trains a policy's actor by maximum likelihood on a corpus, so that it writes reviews like the corpus's.
/// Every review gives one training row per position: the observation of its prefix and the token that follows.
/// </summary>
public static class SupervisedFineTuning
{
    /// <summary>
    /// Minimizes the mean negative log-likelihood <c>−(1/B) Σ log π(token | prefix)</c> over shuffled minibatches with
    /// Adam. Its gradient with respect to each log-probability is <c>−1/B</c>, which <see cref="ActorCritic.Backward"/>
    /// takes through the actor; the critic gets zero gradients and stays as it is.
    /// </summary>
    public static void Train(ActorCritic policy, IReadOnlyList<int[]> corpus, int epochs, int batchSize, float learningRate, SeededRandom random)
    {
        (Tensor observations, Tensor tokens) = TrainingRows(corpus);
        int rowCount = tokens.RowCount;
        policy.Resize(batchSize);
        var optimizer = new Adam(policy.Parameters.Values, policy.Parameters.Gradients);
        Tensor batchObservations = Tensor.Zeros(batchSize, ReviewEncoding.ObservationSize);
        Tensor batchTokens = Tensor.Zeros(batchSize, 1);
        Tensor logProbabilities = Tensor.Zeros(batchSize), entropy = Tensor.Zeros(batchSize), values = Tensor.Zeros(batchSize);
        Tensor logProbabilityGradient = Tensor.Zeros(batchSize), zeros = Tensor.Zeros(batchSize);
        int[] order = new int[rowCount];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int i = 0; i < rowCount; i++)
                order[i] = i;
            random.Shuffle(order);
            for (int start = 0; start < rowCount; start += batchSize)
            {
                int count = Math.Min(batchSize, rowCount - start);
                for (int k = 0; k < count; k++)
                {
                    observations.Row(order[start + k]).CopyTo(batchObservations.Row(k));
                    batchTokens.AsSpan()[k] = tokens.AsSpan()[order[start + k]];
                }

                policy.Evaluate(batchObservations, batchTokens, count, logProbabilities, entropy, values);
                logProbabilityGradient.AsSpan()[..count].Fill(-1f / count);
                policy.Parameters.ZeroGradients();
                policy.Backward(logProbabilityGradient, zeros, zeros, count);
                optimizer.Step(learningRate);
            }
        }
    }

    /// <summary>The mean negative log-likelihood of <paramref name="reviews"/> under <paramref name="policy"/>, in nats per token.</summary>
    public static double NegativeLogLikelihood(ActorCritic policy, IReadOnlyList<int[]> reviews)
    {
        (Tensor observations, Tensor tokens) = TrainingRows(reviews);
        int rowCount = tokens.RowCount;
        Tensor logProbabilities = Tensor.Zeros(rowCount);
        policy.Resize(rowCount);
        policy.Evaluate(observations, tokens, rowCount, logProbabilities, Tensor.Zeros(rowCount), Tensor.Zeros(rowCount));
        double sum = 0;
        foreach (float logProbability in logProbabilities.AsSpan())
            sum -= logProbability;
        return sum / rowCount;
    }

    private static (Tensor Observations, Tensor Tokens) TrainingRows(IReadOnlyList<int[]> reviews)
    {
        const int Length = ReviewLanguage.ReviewLength;
        Tensor observations = Tensor.Zeros(reviews.Count * Length, ReviewEncoding.ObservationSize);
        Tensor tokens = Tensor.Zeros(reviews.Count * Length, 1);
        for (int r = 0; r < reviews.Count; r++)
        {
            for (int t = 0; t < Length; t++)
            {
                ReviewEncoding.WriteObservation(reviews[r].AsSpan(0, t), observations.Row(r * Length + t));
                tokens.AsSpan()[r * Length + t] = reviews[r][t];
            }
        }

        return (observations, tokens);
    }
}
