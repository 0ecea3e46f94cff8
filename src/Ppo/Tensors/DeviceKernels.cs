using Ppo.Losses;
using Ppo.Networks;
using Ppo.Randomness;

namespace Ppo.Tensors;

/// <summary>
/// The operations the networks, distributions, losses, advantage estimation and optimizer perform on tensors. A device
/// provides one implementation; tensors passed to one call all live on that device. Row counts select the leading rows
/// of tensors allocated for the largest batch.
/// </summary>
internal abstract class DeviceKernels
{
    /// <summary><c>output = input·weightᵀ + bias</c> for the first <paramref name="rowCount"/> rows.</summary>
    public abstract void LinearForward(Tensor input, Tensor weight, Tensor bias, Tensor output, int rowCount, int inputSize, int outputSize);

    /// <summary><c>weightGradient += outputGradientᵀ·input</c>, <c>biasGradient += Σ outputGradient</c>, <c>inputGradient = outputGradient·weight</c> (when not null).</summary>
    public abstract void LinearBackward(Tensor input, Tensor weight, Tensor outputGradient, Tensor weightGradient, Tensor biasGradient, Tensor? inputGradient, int rowCount, int inputSize, int outputSize);

    /// <summary>Applies <paramref name="function"/> to the first <paramref name="count"/> elements.</summary>
    public abstract void Activate(ActivationFunction function, Tensor input, Tensor output, int count);

    /// <summary>The input gradient of <paramref name="function"/> from its output, for the first <paramref name="count"/> elements.</summary>
    public abstract void ActivateBackward(ActivationFunction function, Tensor output, Tensor outputGradient, Tensor inputGradient, int count);

    /// <summary>Normalizes logits and evaluates the log-probability of <paramref name="actions"/> and the entropy of each row.</summary>
    public abstract void CategoricalEvaluate(Tensor logits, Tensor actions, Tensor logProbabilities, Tensor probabilities, Tensor actionLogProbabilities, Tensor entropy, int rowCount, int classCount);

    /// <summary>The gradient with respect to the logits of <c>Σ g·log p(a) + h·H</c> (overwritten).</summary>
    public abstract void CategoricalBackward(Tensor logProbabilities, Tensor probabilities, Tensor entropy, Tensor actions, Tensor logProbabilityGradient, Tensor entropyGradient, Tensor logitsGradient, int rowCount, int classCount);

    /// <summary>Draws (or, when deterministic, takes the mode of) one action per row and its log-probability.</summary>
    public abstract void CategoricalAct(Tensor logits, Tensor logProbabilities, Tensor probabilities, SeededRandom random, bool deterministic, Tensor actions, Tensor actionLogProbabilities, int rowCount, int classCount);

    /// <summary>KL(π_old ‖ π_new) of each row from old logits (normalized into the two scratch tensors) and the new log-probabilities.</summary>
    public abstract void CategoricalKl(Tensor oldLogits, Tensor newLogProbabilities, Tensor oldLogProbabilities, Tensor oldProbabilities, Tensor klDivergence, int rowCount, int classCount);

    /// <summary>Adds the gradient of <c>Σ g·KL</c> with respect to the new logits.</summary>
    public abstract void CategoricalKlBackward(Tensor oldLogProbabilities, Tensor newProbabilities, Tensor klGradient, Tensor logitsGradient, int rowCount, int classCount);

    /// <summary>KL(old ‖ new) of each row of two diagonal Gaussians.</summary>
    public abstract void GaussianKl(Tensor oldMean, Tensor oldLogStandardDeviation, Tensor newMean, Tensor newLogStandardDeviation, Tensor klDivergence, int rowCount);

    /// <summary>Adds the gradients of <c>Σ g·KL</c> with respect to the new mean and log standard deviation.</summary>
    public abstract void GaussianKlBackward(Tensor oldMean, Tensor oldLogStandardDeviation, Tensor newMean, Tensor newLogStandardDeviation, Tensor klGradient, Tensor meanGradient, Tensor logStandardDeviationGradient, int rowCount);

    /// <summary>Evaluates the log-probability of <paramref name="actions"/> under a diagonal Gaussian and its entropy, for each row.</summary>
    public abstract void GaussianEvaluate(Tensor mean, Tensor logStandardDeviation, Tensor actions, Tensor actionLogProbabilities, Tensor entropy, int rowCount);

    /// <summary>The gradients of <c>Σ g·log p(a) + h·H</c>: mean gradient overwritten, log-standard-deviation gradient accumulated.</summary>
    public abstract void GaussianBackward(Tensor mean, Tensor logStandardDeviation, Tensor actions, Tensor logProbabilityGradient, Tensor entropyGradient, Tensor meanGradient, Tensor logStandardDeviationGradient, int rowCount);

    /// <summary>Draws (or, when deterministic, takes the mean as) one action per row and its log-probability.</summary>
    public abstract void GaussianAct(Tensor mean, Tensor logStandardDeviation, SeededRandom random, bool deterministic, Tensor actions, Tensor actionLogProbabilities, int rowCount);

    /// <summary>The fused PPO loss of the first <paramref name="rowCount"/> samples and its output gradients (KL ones only with a KL objective).</summary>
    public abstract PpoLossResult PpoLoss(Tensor newLogProbabilities, Tensor oldLogProbabilities, Tensor advantages, Tensor values, Tensor oldValues, Tensor returns, Tensor entropy, Tensor? klDivergence, PpoLossSettings settings, Tensor logProbabilityGradient, Tensor valueGradient, Tensor entropyGradient, Tensor? klGradient, int rowCount);

    /// <summary>Generalized advantage estimation over a whole rollout.</summary>
    public abstract void Gae(Tensor rewards, Tensor values, Tensor dones, Tensor lastValues, int environmentCount, float gamma, float lambda, Tensor advantages, Tensor returns);

    /// <summary>One Adam step over flat buffers.</summary>
    public abstract void AdamStep(Tensor parameters, Tensor gradients, Tensor firstMoment, Tensor secondMoment, long step, float learningRate, float beta1, float beta2, float epsilon);

    /// <summary>Clips the global L2 norm of <paramref name="gradients"/> to <paramref name="maxNorm"/> and returns the norm before clipping.</summary>
    public abstract float ClipGradientNorm(Tensor gradients, float maxNorm);

    /// <summary>Copies row <c>indices[i]</c> of <paramref name="source"/> into row <c>i</c> of <paramref name="destination"/>.</summary>
    public abstract void GatherRows(Tensor source, ReadOnlySpan<int> indices, Tensor destination);
}
