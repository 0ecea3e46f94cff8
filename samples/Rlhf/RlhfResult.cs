namespace Ppo.Samples.Rlhf;

/// <summary>What the three stages of the pipeline produced.</summary>
/// <param name="HeldOutNegativeLogLikelihood">The supervised policy's negative log-likelihood of held-out corpus reviews, in nats per token.</param>
/// <param name="CorpusEntropy">The corpus distribution's own negative log-likelihood of the same reviews, in nats per token: the best a policy can reach.</param>
/// <param name="RewardModelAccuracy">The fraction of held-out preference pairs whose chosen review the reward model scores higher.</param>
/// <param name="RuleAccuracy">The same fraction for the people's hidden rule: the ceiling on noisy labels.</param>
/// <param name="HeldOutPairs">The number of held-out preference pairs.</param>
/// <param name="Supervised">The supervised policy, the reference of every PPO run.</param>
/// <param name="Runs">One PPO run per KL penalty.</param>
public sealed record RlhfResult(
    double HeldOutNegativeLogLikelihood,
    double CorpusEntropy,
    double RewardModelAccuracy,
    double RuleAccuracy,
    int HeldOutPairs,
    PolicySummary Supervised,
    IReadOnlyList<PpoRun> Runs);
