namespace Ppo.Samples.Rlhf;

/// <summary>The seed and the budget of each stage of <see cref="RlhfPipeline"/>.</summary>
public sealed record RlhfOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>The reviews of the corpus that supervised fine-tuning imitates.</summary>
    public int CorpusReviews { get; init; } = 4096;

    public int SupervisedEpochs { get; init; } = 8;

    /// <summary>The preference pairs the people label; a fifth of them is held out to measure the reward model.</summary>
    public int PreferencePairs { get; init; } = 5000;

    public int RewardModelEpochs { get; init; } = 30;

    /// <summary>The PPO environment steps (tokens) of each run; a review is <see cref="ReviewLanguage.ReviewLength"/> steps.</summary>
    public long PpoTimesteps { get; init; } = 100_000;

    /// <summary>The reviews sampled to measure each policy.</summary>
    public int EvaluationReviews { get; init; } = 1000;

    /// <summary>One PPO run per penalty, each from the same supervised policy.</summary>
    public IReadOnlyList<KlPenalty> Penalties { get; init; } = [new(0.02f), new(0.5f), new(1f, TargetPerReview: 4f)];
}
