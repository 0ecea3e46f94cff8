using Ppo.Randomness;

namespace Ppo.Samples.Rlhf;

/// <summary>
/// The toy language of the sample: restaurant reviews of two clauses "subject was modifier adjective", such as
/// "food was very good staff was not bad". It defines the vocabulary, the corpus that supervised fine-tuning imitates,
/// and the hidden rule behind the people's preferences.
/// </summary>
/// <remarks>
/// The corpus has structure a policy must learn: the grammar (which words may stand at which position), two different
/// subjects per review, and a mood: a review leans positive or negative, and each adjective follows the mood with
/// probability <see cref="MoodConsistency"/>.
/// </remarks>
public static class ReviewLanguage
{
    public const int ClauseLength = 4;
    public const int ReviewLength = 2 * ClauseLength;
    public const double MoodConsistency = 0.8;
    public const double GibberishRating = -10;

    private const int SubjectCount = 4;
    private const int ModifierCount = 3;
    private const int AdjectivesPerPolarity = 2;
    private const int Was = 4;
    private const int Very = 5;
    private const int Quite = 6;
    private const int Not = 7;
    private const int Good = 8;
    private const int Great = 9;
    private const int Bad = 10;
    private const int Awful = 11;

    private static readonly string[] Words = ["food", "staff", "room", "view", "was", "very", "quite", "not", "good", "great", "bad", "awful"];

    public static int VocabularySize => Words.Length;

    public static string Format(ReadOnlySpan<int> tokens)
    {
        var words = new string[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
            words[i] = Words[tokens[i]];
        return string.Join(' ', words);
    }

    /// <summary>Writes one review of the corpus into <paramref name="review"/> (<see cref="ReviewLength"/> tokens).</summary>
    public static void WriteCorpusReview(SeededRandom random, Span<int> review)
    {
        bool positiveMood = random.NextDouble() < 0.5;
        int firstSubject = random.NextInt(SubjectCount);
        int secondSubject = random.NextInt(SubjectCount - 1);
        if (secondSubject >= firstSubject)
            secondSubject++;
        WriteClause(random, positiveMood, firstSubject, review[..ClauseLength]);
        WriteClause(random, positiveMood, secondSubject, review[ClauseLength..]);
    }

    /// <summary>
    /// The log-probability of <paramref name="review"/> under the corpus distribution, summed over both moods;
    /// negative infinity for a review the corpus never contains.
    /// </summary>
    public static double CorpusLogProbability(ReadOnlySpan<int> review)
    {
        if (!IsWellFormed(review) || review[ClauseLength] == review[0])
            return double.NegativeInfinity;

        double probability = 0;
        foreach (bool positiveMood in (ReadOnlySpan<bool>)[true, false])
        {
            double moodProbability = 0.5;
            for (int clause = 0; clause < 2; clause++)
            {
                double subject = clause == 0 ? 1.0 / SubjectCount : 1.0 / (SubjectCount - 1);
                bool followsMood = IsPositive(review[clause * ClauseLength + 3]) == positiveMood;
                double adjective = (followsMood ? MoodConsistency : 1 - MoodConsistency) / AdjectivesPerPolarity;
                moodProbability *= subject / ModifierCount * adjective;
            }

            probability += moodProbability;
        }

        return Math.Log(probability);
    }

    /// <summary>Whether every clause of <paramref name="review"/> reads "subject was modifier adjective".</summary>
    public static bool IsWellFormed(ReadOnlySpan<int> review)
    {
        if (review.Length != ReviewLength)
            return false;
        for (int start = 0; start < ReviewLength; start += ClauseLength)
        {
            ReadOnlySpan<int> clause = review.Slice(start, ClauseLength);
            if (clause[0] >= SubjectCount || clause[1] != Was || !IsModifier(clause[2]) || !IsAdjective(clause[3]))
                return false;
        }

        return true;
    }

    /// <summary>
    /// The hidden rule the people judge by: the sentiment of a well-formed review, the sum of its adjectives' values
    /// (good +1, great +2, bad −1, awful −2), each doubled after "very" and halved and flipped after "not"; a review that
    /// is not well-formed rates <see cref="GibberishRating"/>, below every well-formed one.
    /// </summary>
    public static double Rating(ReadOnlySpan<int> review)
    {
        if (!IsWellFormed(review))
            return GibberishRating;

        double sentiment = 0;
        for (int start = 0; start < ReviewLength; start += ClauseLength)
        {
            double value = review[start + 3] switch { Good => 1, Great => 2, Bad => -1, _ => -2 };
            double factor = review[start + 2] switch { Very => 2, Not => -0.5, _ => 1 };
            sentiment += factor * value;
        }

        return sentiment;
    }

    private static void WriteClause(SeededRandom random, bool positiveMood, int subject, Span<int> clause)
    {
        bool positive = random.NextDouble() < MoodConsistency ? positiveMood : !positiveMood;
        clause[0] = subject;
        clause[1] = Was;
        clause[2] = Very + random.NextInt(ModifierCount);
        clause[3] = (positive ? Good : Bad) + random.NextInt(AdjectivesPerPolarity);
    }

    private static bool IsModifier(int token) => token is Very or Quite or Not;

    private static bool IsAdjective(int token) => token is Good or Great or Bad or Awful;

    private static bool IsPositive(int adjective) => adjective is Good or Great;
}
