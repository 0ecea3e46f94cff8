namespace Ppo.Samples.Rlhf;

/// <summary>
/// How the policy and the reward model see a review: one one-hot block of <see cref="ReviewLanguage.VocabularySize"/>
/// floats per position (zeros for positions not written yet), and for the policy a one-hot of the position to write next.
/// </summary>
public static class ReviewEncoding
{
    /// <summary>The floats of the token blocks: the reward model's input.</summary>
    public static int TokenFeatureCount => ReviewLanguage.ReviewLength * ReviewLanguage.VocabularySize;

    /// <summary>The floats of a policy observation: the token blocks, then the position to write next.</summary>
    public static int ObservationSize => TokenFeatureCount + ReviewLanguage.ReviewLength;

    /// <summary>Writes the observation of a review whose first <c>prefix.Length</c> tokens are written.</summary>
    public static void WriteObservation(ReadOnlySpan<int> prefix, Span<float> observation)
    {
        WriteTokens(prefix, observation[..TokenFeatureCount]);
        Span<float> position = observation[TokenFeatureCount..];
        position.Clear();
        if (prefix.Length < ReviewLanguage.ReviewLength)
            position[prefix.Length] = 1f;
    }

    /// <summary>Writes the token blocks of <paramref name="tokens"/> into <paramref name="features"/>.</summary>
    public static void WriteTokens(ReadOnlySpan<int> tokens, Span<float> features)
    {
        features.Clear();
        for (int i = 0; i < tokens.Length; i++)
            features[i * ReviewLanguage.VocabularySize + tokens[i]] = 1f;
    }
}
