namespace Ppo.TorchSharp.LanguageModels;

/// <summary>What one <see cref="TokenPpoTrainer.Step"/> sampled, how it was scored, and its diagnostics.</summary>
/// <param name="Generation">The responses sampled before the update, with their log-probabilities and values.</param>
/// <param name="Scores">The reward model's score of each response.</param>
/// <param name="Statistics">The step's diagnostics.</param>
public sealed record TokenPpoStepResult(GenerationResult Generation, float[] Scores, TokenPpoStatistics Statistics);
