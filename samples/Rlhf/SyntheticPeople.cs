using Ppo.Randomness;

namespace Ppo.Samples.Rlhf;

/// <summary>
/// The people who compare reviews: they prefer the one they rate higher (<see cref="ReviewLanguage.Rating"/>), but
/// noisily, choosing review A over B with the Bradley–Terry probability <c>σ(rating(A) − rating(B))</c>.
/// </summary>
public static class SyntheticPeople
{
    /// <summary>Pairs <c>reviews[i]</c> with <c>reviews[i + reviews.Count / 2]</c> and asks a person which one they prefer.</summary>
    public static List<PreferencePair> Compare(IReadOnlyList<int[]> reviews, SeededRandom random)
    {
        int pairCount = reviews.Count / 2;
        var pairs = new List<PreferencePair>(pairCount);
        for (int i = 0; i < pairCount; i++)
        {
            int[] first = reviews[i], second = reviews[pairCount + i];
            double margin = ReviewLanguage.Rating(first) - ReviewLanguage.Rating(second);
            bool firstChosen = random.NextDouble() < 1 / (1 + Math.Exp(-margin));
            pairs.Add(firstChosen ? new PreferencePair(first, second) : new PreferencePair(second, first));
        }

        return pairs;
    }

    /// <summary>
    /// The fraction of <paramref name="pairs"/> whose chosen review the hidden rule itself rates higher (ties count
    /// half): the best accuracy any reward model can expect on these noisy labels.
    /// </summary>
    public static double RuleAccuracy(IReadOnlyList<PreferencePair> pairs)
    {
        double agreed = 0;
        foreach (PreferencePair pair in pairs)
        {
            double chosen = ReviewLanguage.Rating(pair.Chosen), rejected = ReviewLanguage.Rating(pair.Rejected);
            agreed += chosen > rejected ? 1 : chosen == rejected ? 0.5 : 0;
        }

        return agreed / pairs.Count;
    }
}
