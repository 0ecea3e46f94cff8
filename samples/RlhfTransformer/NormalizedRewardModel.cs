using Ppo.TorchSharp.LanguageModels;

namespace Ppo.Samples.RlhfTransformer;

/// <summary>A reward model's scores shifted and scaled so that the supervised policy's reviews score 0 ± 1, as Ziegler et al. (2019) normalize theirs.</summary>
public sealed class NormalizedRewardModel(IRewardModel inner, float mean, float standardDeviation) : IRewardModel
{
    public float[] Score(SequenceBatch batch)
    {
        float[] scores = inner.Score(batch);
        for (int i = 0; i < scores.Length; i++)
            scores[i] = (scores[i] - mean) / standardDeviation;
        return scores;
    }
}
