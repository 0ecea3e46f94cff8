using Ppo.Distributions;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Policies;

/// <summary>The policy heads' operations on tensors: each calls the distribution's kernel on the leading rows' spans.</summary>
internal static class HeadKernels
{
    public static void CategoricalEvaluate(Tensor logits, Tensor actions, ReadOnlySpan<bool> actionMasks, Tensor logProbabilities, Tensor probabilities, Tensor actionLogProbabilities, Tensor entropy, int rowCount, int classCount)
    {
        int length = rowCount * classCount;
        Span<float> logP = logProbabilities.AsSpan()[..length];
        Span<float> p = probabilities.AsSpan()[..length];
        CategoricalNormalize(logits.AsSpan()[..length], actionMasks, logP, p, rowCount, classCount);
        Categorical.LogProbability(logP, actions.AsSpan()[..rowCount], actionLogProbabilities.AsSpan()[..rowCount], classCount);
        Categorical.Entropy(logP, p, entropy.AsSpan()[..rowCount], classCount);
    }

    public static void CategoricalBackward(Tensor logProbabilities, Tensor probabilities, Tensor entropy, Tensor actions, Tensor logProbabilityGradient, Tensor entropyGradient, Tensor logitsGradient, int rowCount, int classCount)
    {
        int length = rowCount * classCount;
        Categorical.Backward(
            logProbabilities.AsSpan()[..length],
            probabilities.AsSpan()[..length],
            entropy.AsSpan()[..rowCount],
            actions.AsSpan()[..rowCount],
            logProbabilityGradient.AsSpan()[..rowCount],
            entropyGradient.AsSpan()[..rowCount],
            logitsGradient.AsSpan()[..length],
            classCount);
    }

    public static void CategoricalAct(Tensor logits, ReadOnlySpan<bool> actionMasks, Tensor logProbabilities, Tensor probabilities, SeededRandom random, bool deterministic, Tensor actions, Tensor actionLogProbabilities, int rowCount, int classCount)
    {
        int length = rowCount * classCount;
        Span<float> logP = logProbabilities.AsSpan()[..length];
        Span<float> p = probabilities.AsSpan()[..length];
        Span<float> chosen = actions.AsSpan()[..rowCount];
        CategoricalNormalize(logits.AsSpan()[..length], actionMasks, logP, p, rowCount, classCount);
        if (deterministic)
            Categorical.Mode(logP, chosen, classCount);
        else
            Categorical.Sample(p, random, chosen, classCount);
        Categorical.LogProbability(logP, chosen, actionLogProbabilities.AsSpan()[..rowCount], classCount);
    }

    /// <summary>Copies the logits as a row's distribution parameters, with <see cref="MaskedCategorical.MaskedLogit"/> at invalid actions when masks are given, so that the stored distribution carries its mask.</summary>
    public static void WriteLogits(Tensor logits, ReadOnlySpan<bool> actionMasks, int rowCount, int width, Tensor destination)
    {
        int length = rowCount * width;
        if (actionMasks.IsEmpty)
            logits.AsSpan()[..length].CopyTo(destination.AsSpan());
        else
            MaskedCategorical.ApplyMask(logits.AsSpan()[..length], actionMasks, destination.AsSpan()[..length], rowCount, width);
    }

    public static void CategoricalKl(Tensor oldLogits, Tensor newLogProbabilities, Tensor oldLogProbabilities, Tensor oldProbabilities, Tensor klDivergence, int rowCount, int classCount)
    {
        int length = rowCount * classCount;
        Span<float> oldLogP = oldLogProbabilities.AsSpan()[..length];
        Categorical.Normalize(oldLogits.AsSpan()[..length], oldLogP, oldProbabilities.AsSpan()[..length], rowCount, classCount);
        Categorical.KlDivergence(oldLogP, newLogProbabilities.AsSpan()[..length], klDivergence.AsSpan()[..rowCount], classCount);
    }

    public static void CategoricalKlBackward(Tensor oldLogProbabilities, Tensor newProbabilities, Tensor klGradient, Tensor logitsGradient, int rowCount, int classCount)
    {
        int length = rowCount * classCount;
        Categorical.KlDivergenceBackward(oldLogProbabilities.AsSpan()[..length], newProbabilities.AsSpan()[..length], klGradient.AsSpan()[..rowCount], logitsGradient.AsSpan()[..length], classCount);
    }

    public static void GaussianKl(Tensor oldMean, Tensor oldLogStandardDeviation, Tensor newMean, Tensor newLogStandardDeviation, Tensor klDivergence, int rowCount)
    {
        int length = rowCount * newLogStandardDeviation.Length;
        DiagonalGaussian.KlDivergence(oldMean.AsSpan()[..length], oldLogStandardDeviation.AsSpan(), newMean.AsSpan()[..length], newLogStandardDeviation.AsSpan(), klDivergence.AsSpan()[..rowCount]);
    }

    public static void GaussianKlBackward(Tensor oldMean, Tensor oldLogStandardDeviation, Tensor newMean, Tensor newLogStandardDeviation, Tensor klGradient, Tensor meanGradient, Tensor logStandardDeviationGradient, int rowCount)
    {
        int length = rowCount * newLogStandardDeviation.Length;
        DiagonalGaussian.KlDivergenceBackward(
            oldMean.AsSpan()[..length],
            oldLogStandardDeviation.AsSpan(),
            newMean.AsSpan()[..length],
            newLogStandardDeviation.AsSpan(),
            klGradient.AsSpan()[..rowCount],
            meanGradient.AsSpan()[..length],
            logStandardDeviationGradient.AsSpan());
    }

    public static void GaussianEvaluate(Tensor mean, Tensor logStandardDeviation, Tensor actions, Tensor actionLogProbabilities, Tensor entropy, int rowCount)
    {
        int length = rowCount * logStandardDeviation.Length;
        DiagonalGaussian.LogProbability(mean.AsSpan()[..length], logStandardDeviation.AsSpan(), actions.AsSpan()[..length], actionLogProbabilities.AsSpan()[..rowCount]);
        entropy.AsSpan()[..rowCount].Fill(DiagonalGaussian.Entropy(logStandardDeviation.AsSpan()));
    }

    public static void GaussianBackward(Tensor mean, Tensor logStandardDeviation, Tensor actions, Tensor logProbabilityGradient, Tensor entropyGradient, Tensor meanGradient, Tensor logStandardDeviationGradient, int rowCount)
    {
        int length = rowCount * logStandardDeviation.Length;
        DiagonalGaussian.Backward(
            mean.AsSpan()[..length],
            logStandardDeviation.AsSpan(),
            actions.AsSpan()[..length],
            logProbabilityGradient.AsSpan()[..rowCount],
            entropyGradient.AsSpan()[..rowCount],
            meanGradient.AsSpan()[..length],
            logStandardDeviationGradient.AsSpan());
    }

    public static void GaussianAct(Tensor mean, Tensor logStandardDeviation, SeededRandom random, bool deterministic, Tensor actions, Tensor actionLogProbabilities, int rowCount)
    {
        int length = rowCount * logStandardDeviation.Length;
        ReadOnlySpan<float> mu = mean.AsSpan()[..length];
        Span<float> chosen = actions.AsSpan()[..length];
        if (deterministic)
            mu.CopyTo(chosen);
        else
            DiagonalGaussian.Sample(mu, logStandardDeviation.AsSpan(), random, chosen);
        DiagonalGaussian.LogProbability(mu, logStandardDeviation.AsSpan(), chosen, actionLogProbabilities.AsSpan()[..rowCount]);
    }

    private static void CategoricalNormalize(ReadOnlySpan<float> logits, ReadOnlySpan<bool> actionMasks, Span<float> logProbabilities, Span<float> probabilities, int rowCount, int classCount)
    {
        if (actionMasks.IsEmpty)
            Categorical.Normalize(logits, logProbabilities, probabilities, rowCount, classCount);
        else
            MaskedCategorical.Normalize(logits, actionMasks, logProbabilities, probabilities, rowCount, classCount);
    }
}
