namespace Ppo.Samples.RlhfTransformer;

/// <summary>A response sampled from a policy, with the reward model's score and the people's hidden rating.</summary>
public sealed record ScoredReview(int Topic, int[] Response, float Score, double Rating);

/// <summary>A policy measured on freshly sampled reviews.</summary>
/// <param name="MeanScore">The mean reward-model score (normalized: supervised reviews score 0 ± 1).</param>
/// <param name="MeanRating">The mean hidden rating, what the people would think.</param>
/// <param name="KlPerReview">KL(π ‖ π_SFT) in nats per review, the k1 estimate over the sampled reviews.</param>
/// <param name="WellFormedFraction">The fraction of reviews that follow the grammar.</param>
/// <param name="GamedFraction">The fraction that game the reward model: a score above the supervised policy's 90th percentile with a rating below its median.</param>
/// <param name="MeanLength">The mean response length in tokens.</param>
/// <param name="Examples">The first few reviews.</param>
public sealed record PolicySummary(double MeanScore, double MeanRating, double KlPerReview, double WellFormedFraction, double GamedFraction, double MeanLength, IReadOnlyList<ScoredReview> Examples);

/// <summary>One PPO step's rollout: the mean score, the hidden rating, the KL (k1, per review) and β.</summary>
public sealed record TrainingPoint(int Step, double MeanScore, double MeanRating, double KlPerReview, double Coefficient);

public sealed record PpoRun(KlSetting Setting, IReadOnlyList<TrainingPoint> Curve, PolicySummary Final, double Seconds);

public sealed record RlhfTransformerResult(
    double HeldOutLikelihood,
    double RewardModelAccuracy,
    double RuleAccuracy,
    int HeldOutPairs,
    PolicySummary Supervised,
    IReadOnlyList<PpoRun> Runs,
    IReadOnlyList<(string Stage, double Seconds)> StageSeconds);
