namespace Ppo.TorchSharp.LanguageModels;

/// <summary>A person's judgement between two responses to one prompt.</summary>
/// <param name="Prompt">The prompt's tokens.</param>
/// <param name="Chosen">The response they preferred.</param>
/// <param name="Rejected">The response they did not.</param>
public sealed record PreferencePair(int[] Prompt, int[] Chosen, int[] Rejected);
