using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Samples.Rlhf;

/// <summary>Writes reviews with a policy, token by token, a whole batch of reviews at a time.</summary>
public static class ReviewSampler
{
    /// <summary>Samples <paramref name="count"/> reviews from <paramref name="policy"/>.</summary>
    public static int[][] Sample(ActorCritic policy, int count, SeededRandom random) => Sample(policy, null, count, random).Reviews;

    /// <summary>
    /// Samples <paramref name="count"/> reviews from <paramref name="policy"/> and, with a <paramref name="reference"/>,
    /// the KL divergence of each review's distribution from the reference's: KL(π ‖ π_ref) of the review is the sum over
    /// its positions of the exact KL between the two next-token distributions (the chain rule of KL divergence).
    /// </summary>
    public static SampledReviews Sample(ActorCritic policy, ActorCritic? reference, int count, SeededRandom random)
    {
        const int Length = ReviewLanguage.ReviewLength;
        int rows = count * Length, vocabulary = ReviewLanguage.VocabularySize;

        // Rows of step t sit at [t·count, (t + 1)·count), so each step is one contiguous batch.
        Tensor observations = Tensor.Zeros(rows, ReviewEncoding.ObservationSize);
        Tensor actions = Tensor.Zeros(rows, 1);
        Tensor logits = Tensor.Zeros(rows, vocabulary);
        Tensor logProbabilities = Tensor.Zeros(rows);
        Tensor values = Tensor.Zeros(rows);
        int[][] reviews = new int[count][];
        for (int i = 0; i < count; i++)
            reviews[i] = new int[Length];

        policy.Resize(count);
        for (int t = 0; t < Length; t++)
        {
            Tensor stepObservations = observations.View(t * count * ReviewEncoding.ObservationSize, count, ReviewEncoding.ObservationSize);
            Tensor stepActions = actions.View(t * count, count, 1);
            for (int i = 0; i < count; i++)
                ReviewEncoding.WriteObservation(reviews[i].AsSpan(0, t), stepObservations.Row(i));
            policy.Act(
                stepObservations,
                count,
                random,
                deterministic: false,
                stepActions,
                logProbabilities.View(t * count, count),
                values.View(t * count, count),
                logits.View(t * count * vocabulary, count, vocabulary));
            ReadOnlySpan<float> chosen = stepActions.AsSpan();
            for (int i = 0; i < count; i++)
                reviews[i][t] = (int)chosen[i];
        }

        if (reference is null)
            return new SampledReviews(reviews, null);

        Tensor klDivergence = Tensor.Zeros(rows);
        reference.Resize(rows);
        reference.Evaluate(observations, actions, rows, logProbabilities, Tensor.Zeros(rows), values, logits, klDivergence);
        double[] klPerReview = new double[count];
        ReadOnlySpan<float> kl = klDivergence.AsSpan();
        for (int t = 0; t < Length; t++)
        {
            for (int i = 0; i < count; i++)
                klPerReview[i] += kl[t * count + i];
        }

        return new SampledReviews(reviews, klPerReview);
    }
}
