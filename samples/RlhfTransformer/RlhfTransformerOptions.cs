namespace Ppo.Samples.RlhfTransformer;

/// <summary>The seed and the budget of each stage of <see cref="RlhfTransformerPipeline"/>.</summary>
public sealed record RlhfTransformerOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>The (prompt, review) demonstrations supervised fine-tuning imitates.</summary>
    public int CorpusReviews { get; init; } = 3000;

    public int SupervisedEpochs { get; init; } = 4;

    /// <summary>The preference pairs the people label; a fifth of them is held out to measure the reward model.</summary>
    public int PreferencePairs { get; init; } = 1200;

    public int RewardModelEpochs { get; init; } = 4;

    /// <summary>PPO steps of each run; each step samples <see cref="PromptsPerStep"/> reviews.</summary>
    public int PpoSteps { get; init; } = 30;

    public int PromptsPerStep { get; init; } = 32;

    /// <summary>The reviews sampled to measure each policy.</summary>
    public int EvaluationReviews { get; init; } = 256;

    /// <summary>libtorch's threads: one, since several threads spin against each other when the cores are shared.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>One PPO run per penalty, each from the same supervised policy.</summary>
    public IReadOnlyList<KlSetting> KlSettings { get; init; } = [new(0.01f), new(0.5f), new(0.1f, Target: 3f)];
}
