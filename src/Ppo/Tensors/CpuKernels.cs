using Ppo.Distributions;
using Ppo.Losses;
using Ppo.Networks;
using Ppo.Optimization;
using Ppo.Randomness;

namespace Ppo.Tensors;

/// <summary>The CPU implementation of <see cref="DeviceKernels"/>: each operation calls the managed SIMD kernel on spans.</summary>
internal sealed class CpuKernels : DeviceKernels
{
    public override void LinearForward(Tensor input, Tensor weight, Tensor bias, Tensor output, int rowCount, int inputSize, int outputSize)
    {
        Span<float> y = output.AsSpan()[..(rowCount * outputSize)];
        MatrixRows.Broadcast(bias.AsSpan(), y, rowCount);
        Gemm.MultiplyTransposedB(input.AsSpan()[..(rowCount * inputSize)], weight.AsSpan(), y, rowCount, outputSize, inputSize, accumulate: true);
    }

    public override void LinearBackward(Tensor input, Tensor weight, Tensor outputGradient, Tensor weightGradient, Tensor biasGradient, Tensor? inputGradient, int rowCount, int inputSize, int outputSize)
    {
        ReadOnlySpan<float> dy = outputGradient.AsSpan()[..(rowCount * outputSize)];
        Gemm.MultiplyTransposedA(dy, input.AsSpan()[..(rowCount * inputSize)], weightGradient.AsSpan(), outputSize, inputSize, rowCount, accumulate: true);
        MatrixRows.SumInto(dy, rowCount, biasGradient.AsSpan());
        if (inputGradient is not null)
            Gemm.Multiply(dy, weight.AsSpan(), inputGradient.AsSpan()[..(rowCount * inputSize)], rowCount, inputSize, outputSize, accumulate: false);
    }

    public override void Activate(ActivationFunction function, Tensor input, Tensor output, int count)
    {
        ReadOnlySpan<float> x = input.AsSpan()[..count];
        Span<float> y = output.AsSpan()[..count];
        if (function == ActivationFunction.Tanh)
            Activations.Tanh(x, y);
        else
            Activations.Relu(x, y);
    }

    public override void ActivateBackward(ActivationFunction function, Tensor output, Tensor outputGradient, Tensor inputGradient, int count)
    {
        ReadOnlySpan<float> y = output.AsSpan()[..count];
        ReadOnlySpan<float> dy = outputGradient.AsSpan()[..count];
        Span<float> dx = inputGradient.AsSpan()[..count];
        if (function == ActivationFunction.Tanh)
            Activations.TanhBackward(y, dy, dx);
        else
            Activations.ReluBackward(y, dy, dx);
    }

    public override void CategoricalEvaluate(Tensor logits, Tensor actions, Tensor logProbabilities, Tensor probabilities, Tensor actionLogProbabilities, Tensor entropy, int rowCount, int classCount)
    {
        int length = rowCount * classCount;
        Span<float> logP = logProbabilities.AsSpan()[..length];
        Span<float> p = probabilities.AsSpan()[..length];
        Categorical.Normalize(logits.AsSpan()[..length], logP, p, rowCount, classCount);
        Categorical.LogProbability(logP, actions.AsSpan()[..rowCount], actionLogProbabilities.AsSpan()[..rowCount], classCount);
        Categorical.Entropy(logP, p, entropy.AsSpan()[..rowCount], classCount);
    }

    public override void CategoricalBackward(Tensor logProbabilities, Tensor probabilities, Tensor entropy, Tensor actions, Tensor logProbabilityGradient, Tensor entropyGradient, Tensor logitsGradient, int rowCount, int classCount)
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

    public override void CategoricalAct(Tensor logits, Tensor logProbabilities, Tensor probabilities, SeededRandom random, bool deterministic, Tensor actions, Tensor actionLogProbabilities, int rowCount, int classCount)
    {
        int length = rowCount * classCount;
        Span<float> logP = logProbabilities.AsSpan()[..length];
        Span<float> p = probabilities.AsSpan()[..length];
        Span<float> chosen = actions.AsSpan()[..rowCount];
        Categorical.Normalize(logits.AsSpan()[..length], logP, p, rowCount, classCount);
        if (deterministic)
            Categorical.Mode(logP, chosen, classCount);
        else
            Categorical.Sample(p, random, chosen, classCount);
        Categorical.LogProbability(logP, chosen, actionLogProbabilities.AsSpan()[..rowCount], classCount);
    }

    public override void CategoricalKl(Tensor oldLogits, Tensor newLogProbabilities, Tensor oldLogProbabilities, Tensor oldProbabilities, Tensor klDivergence, int rowCount, int classCount)
    {
        int length = rowCount * classCount;
        Span<float> oldLogP = oldLogProbabilities.AsSpan()[..length];
        Categorical.Normalize(oldLogits.AsSpan()[..length], oldLogP, oldProbabilities.AsSpan()[..length], rowCount, classCount);
        Categorical.KlDivergence(oldLogP, newLogProbabilities.AsSpan()[..length], klDivergence.AsSpan()[..rowCount], classCount);
    }

    public override void CategoricalKlBackward(Tensor oldLogProbabilities, Tensor newProbabilities, Tensor klGradient, Tensor logitsGradient, int rowCount, int classCount)
    {
        int length = rowCount * classCount;
        Categorical.KlDivergenceBackward(oldLogProbabilities.AsSpan()[..length], newProbabilities.AsSpan()[..length], klGradient.AsSpan()[..rowCount], logitsGradient.AsSpan()[..length], classCount);
    }

    public override void GaussianKl(Tensor oldMean, Tensor oldLogStandardDeviation, Tensor newMean, Tensor newLogStandardDeviation, Tensor klDivergence, int rowCount)
    {
        int length = rowCount * newLogStandardDeviation.Length;
        DiagonalGaussian.KlDivergence(oldMean.AsSpan()[..length], oldLogStandardDeviation.AsSpan(), newMean.AsSpan()[..length], newLogStandardDeviation.AsSpan(), klDivergence.AsSpan()[..rowCount]);
    }

    public override void GaussianKlBackward(Tensor oldMean, Tensor oldLogStandardDeviation, Tensor newMean, Tensor newLogStandardDeviation, Tensor klGradient, Tensor meanGradient, Tensor logStandardDeviationGradient, int rowCount)
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

    public override void GaussianEvaluate(Tensor mean, Tensor logStandardDeviation, Tensor actions, Tensor actionLogProbabilities, Tensor entropy, int rowCount)
    {
        int length = rowCount * logStandardDeviation.Length;
        DiagonalGaussian.LogProbability(mean.AsSpan()[..length], logStandardDeviation.AsSpan(), actions.AsSpan()[..length], actionLogProbabilities.AsSpan()[..rowCount]);
        entropy.AsSpan()[..rowCount].Fill(DiagonalGaussian.Entropy(logStandardDeviation.AsSpan()));
    }

    public override void GaussianBackward(Tensor mean, Tensor logStandardDeviation, Tensor actions, Tensor logProbabilityGradient, Tensor entropyGradient, Tensor meanGradient, Tensor logStandardDeviationGradient, int rowCount)
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

    public override void GaussianAct(Tensor mean, Tensor logStandardDeviation, SeededRandom random, bool deterministic, Tensor actions, Tensor actionLogProbabilities, int rowCount)
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

    public override PpoLossResult PpoLoss(Tensor newLogProbabilities, Tensor oldLogProbabilities, Tensor advantages, Tensor values, Tensor oldValues, Tensor returns, Tensor entropy, Tensor? klDivergence, PpoLossSettings settings, Tensor logProbabilityGradient, Tensor valueGradient, Tensor entropyGradient, Tensor? klGradient, int rowCount) =>
        Losses.PpoLoss.Compute(
            newLogProbabilities.AsSpan()[..rowCount],
            oldLogProbabilities.AsSpan()[..rowCount],
            advantages.AsSpan()[..rowCount],
            values.AsSpan()[..rowCount],
            oldValues.AsSpan()[..rowCount],
            returns.AsSpan()[..rowCount],
            entropy.AsSpan()[..rowCount],
            klDivergence is null ? [] : klDivergence.AsSpan()[..rowCount],
            settings,
            logProbabilityGradient.AsSpan()[..rowCount],
            valueGradient.AsSpan()[..rowCount],
            entropyGradient.AsSpan()[..rowCount],
            klGradient is null ? [] : klGradient.AsSpan()[..rowCount]);

    public override void Gae(Tensor rewards, Tensor values, Tensor dones, Tensor lastValues, int environmentCount, float gamma, float lambda, Tensor advantages, Tensor returns) =>
        Rollouts.Gae.Compute(rewards.AsSpan(), values.AsSpan(), dones.AsSpan(), lastValues.AsSpan(), environmentCount, gamma, lambda, advantages.AsSpan(), returns.AsSpan());

    public override void AdamStep(Tensor parameters, Tensor gradients, Tensor firstMoment, Tensor secondMoment, long step, float learningRate, float beta1, float beta2, float epsilon) =>
        Adam.Update(parameters.AsSpan(), gradients.AsSpan(), firstMoment.AsSpan(), secondMoment.AsSpan(), step, learningRate, beta1, beta2, epsilon);

    public override float ClipGradientNorm(Tensor gradients, float maxNorm) =>
        GradientClipping.ClipByGlobalNorm(gradients.AsSpan(), maxNorm);

    public override void GatherRows(Tensor source, ReadOnlySpan<int> indices, Tensor destination) =>
        MatrixRows.Gather(source.AsSpan(), source.RowLength, indices, destination.AsSpan());
}
