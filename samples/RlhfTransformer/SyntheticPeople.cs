using Ppo.Randomness;
using Ppo.TorchSharp.LanguageModels;

namespace Ppo.Samples.RlhfTransformer;

/// <summary>
/// The people who compare two responses to one prompt: they prefer the one the hidden rule rates higher, but noisily,
/// choosing A over B with the Bradley–Terry probability <c>σ(rating(A) − rating(B))</c>.
/// </summary>
public static class SyntheticPeople
{
    public static PreferencePair Compare(int[] prompt, int[] first, int[] second, SeededRandom random)
    {
        int topic = ReviewLanguage.TopicOf(prompt);
        double margin = ReviewLanguage.Rating(topic, first) - ReviewLanguage.Rating(topic, second);
        bool firstChosen = random.NextDouble() < 1 / (1 + Math.Exp(-margin));
        return firstChosen ? new PreferencePair(prompt, first, second) : new PreferencePair(prompt, second, first);
    }

    /// <summary>The fraction of pairs whose chosen response the hidden rule rates higher (ties count half): the best a reward model can expect.</summary>
    public static double RuleAccuracy(IReadOnlyList<PreferencePair> pairs)
    {
        double agreed = 0;
        foreach (PreferencePair pair in pairs)
        {
            int topic = ReviewLanguage.TopicOf(pair.Prompt);
            double chosen = ReviewLanguage.Rating(topic, pair.Chosen), rejected = ReviewLanguage.Rating(topic, pair.Rejected);
            agreed += chosen > rejected ? 1 : chosen == rejected ? 0.5 : 0;
        }

        return agreed / pairs.Count;
    }
}
