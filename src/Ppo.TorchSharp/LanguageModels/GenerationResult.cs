namespace Ppo.TorchSharp.LanguageModels;

/// <summary>What <see cref="LanguageModelGeneration.Generate"/> sampled.</summary>
/// <param name="Batch">The prompts and their responses.</param>
/// <param name="LogProbabilities">
/// The log-probability of each response token under the tempered policy, on the action grid <c>[B, L − 1]</c>
/// (see <see cref="SequenceBatch"/>), 0 in the masked columns.
/// </param>
/// <param name="Values">The value of the state before each response token, on the action grid, 0 in the masked columns.</param>
public sealed record GenerationResult(SequenceBatch Batch, float[] LogProbabilities, float[] Values);
