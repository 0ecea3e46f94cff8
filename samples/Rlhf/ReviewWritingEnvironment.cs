using Ppo.Environments;

namespace Ppo.Samples.Rlhf;

/// <summary>
/// Writing one review as an episode: each action appends a token, and the episode terminates after
/// <see cref="ReviewLanguage.ReviewLength"/> tokens with the reward model's score of the review as its only reward.
/// </summary>
public sealed class ReviewWritingEnvironment(RewardModel rewardModel) : IEnvironment
{
    private static readonly DiscreteSpace Tokens = new(ReviewLanguage.VocabularySize);
    private readonly int[] _review = new int[ReviewLanguage.ReviewLength];
    private int _length = -1;

    public BoxSpace ObservationSpace { get; } = new(0f, 1f, ReviewEncoding.ObservationSize);

    public Space ActionSpace => Tokens;

    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckObservationLength(observation);
        _length = 0;
        ReviewEncoding.WriteObservation([], observation);
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        int token = Tokens.ToAction(action, nameof(action));
        CheckObservationLength(observation);
        if (_length < 0 || _length == _review.Length)
            throw new InvalidOperationException("Reset the environment before writing a review.");

        _review[_length++] = token;
        ReviewEncoding.WriteObservation(_review.AsSpan(0, _length), observation);
        return _length < _review.Length
            ? new StepResult(0f, Terminated: false, Truncated: false)
            : new StepResult(rewardModel.Score(_review), Terminated: true, Truncated: false);
    }

    public void Dispose()
    {
    }

    private static void CheckObservationLength(Span<float> observation)
    {
        if (observation.Length != ReviewEncoding.ObservationSize)
            throw new ArgumentException($"The observation must have {ReviewEncoding.ObservationSize} floats (was {observation.Length}).", nameof(observation));
    }
}
