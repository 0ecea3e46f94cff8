namespace Ppo.TorchSharp.LanguageModels;

/// <summary>A reward model: a score for each (prompt, response) pair of a batch, higher for a better response.</summary>
public interface IRewardModel
{
    /// <summary>Scores every row of <paramref name="batch"/> from its prompt and response tokens (padding must not matter).</summary>
    /// <param name="batch">The prompts and responses.</param>
    /// <returns>One score per row.</returns>
    float[] Score(SequenceBatch batch);
}
