using Ppo.Internal;

namespace Ppo.Losses;

/// <summary>The entropy bonus of PPO written as a loss: <c>−mean(H)</c>, so that minimizing it raises the entropy.</summary>
/// <remarks><c>∂loss/∂Hᵢ = −1/B</c>.</remarks>
public static class EntropyLoss
{
    /// <summary>Computes <c>−mean(H)</c> and its gradient with respect to each entropy.</summary>
    /// <param name="entropy">The entropy of each sample's action distribution.</param>
    /// <param name="entropyGradient">Receives <c>∂loss/∂H</c> (overwritten).</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static float Compute(ReadOnlySpan<float> entropy, Span<float> entropyGradient)
    {
        int count = entropy.Length;
        if (count == 0)
            throw new ArgumentException("The minibatch must not be empty.", nameof(entropy));
        Guard.HasLength(entropyGradient, count, nameof(entropyGradient));

        double sum = 0;
        for (int i = 0; i < count; i++)
            sum += entropy[i];
        entropyGradient.Fill(-1f / count);
        return (float)(-sum / count);
    }
}
