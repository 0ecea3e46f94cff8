using System.Numerics.Tensors;
using Ppo.Internal;
using Ppo.Randomness;

namespace Ppo.Distributions;

/// <summary>
/// Kernels of the categorical distribution over <c>k</c> classes parameterized by unnormalized logits, one row of
/// <c>k</c> logits per sample: normalization, log-probabilities, entropy, sampling, the mode, and the analytic gradient.
/// </summary>
/// <remarks>
/// <para>Log-probabilities use the stable log-softmax <c>log pᵢ = xᵢ − m − log Σⱼ exp(xⱼ − m)</c> with <c>m = maxⱼ xⱼ</c>.</para>
/// <para>Entropy <c>H = −Σᵢ pᵢ log pᵢ</c>; its gradient is <c>∂H/∂xᵢ = −pᵢ (log pᵢ + H)</c>, and the gradient of
/// <c>log p_a</c> is <c>∂ log p_a/∂xᵢ = [i = a] − pᵢ</c>.</para>
/// </remarks>
public static class Categorical
{
    /// <summary>Normalizes each row of logits into log-probabilities and probabilities.</summary>
    /// <param name="logits">The logits, <c>rowCount × classCount</c>.</param>
    /// <param name="logProbabilities">Receives <c>log p</c>, same size.</param>
    /// <param name="probabilities">Receives <c>p = exp(log p)</c>, same size.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="classCount">The number of classes; at least 1.</param>
    /// <exception cref="ArgumentException">A span does not hold <c>rowCount × classCount</c> elements.</exception>
    /// <remarks>
    /// <paramref name="logProbabilities"/> may be <paramref name="logits"/> itself. A row's results are the same bits
    /// whichever rows are normalized with it, so acting on a few observations and evaluating a minibatch agree exactly.
    /// </remarks>
    public static void Normalize(ReadOnlySpan<float> logits, Span<float> logProbabilities, Span<float> probabilities, int rowCount, int classCount)
    {
        int length = CheckSizes(rowCount, classCount);
        Guard.HasLength(logits, length, nameof(logits));
        Guard.HasLength(logProbabilities, length, nameof(logProbabilities));
        Guard.HasLength(probabilities, length, nameof(probabilities));

        // Rows go in chunks, and each transcendental function runs once over a whole chunk: a vectorized call instead
        // of several on spans of a few elements (256 rows of 2 classes: 10 µs a row at a time). The vectorized exp and
        // log give the same bits at every position of spans of 4 or more, so shorter spans are padded to 4: a row's
        // result does not depend on the rows beside it.
        Span<float> logSums = stackalloc float[NormalizeChunkRows];
        for (int start = 0; start < rowCount; start += NormalizeChunkRows)
        {
            int rows = Math.Min(NormalizeChunkRows, rowCount - start);
            int offset = start * classCount, count = rows * classCount;
            ReadOnlySpan<float> x = logits.Slice(offset, count);
            Span<float> logP = logProbabilities.Slice(offset, count);
            Span<float> p = probabilities.Slice(offset, count);
            for (int r = 0; r < rows; r++)
            {
                int rowStart = r * classCount;
                float max = x[rowStart];
                for (int i = rowStart + 1; i < rowStart + classCount; i++)
                    max = MathF.Max(max, x[i]);
                for (int i = rowStart; i < rowStart + classCount; i++)
                    logP[i] = x[i] - max;
            }

            ApplyPadded(logP, p, exponential: true);
            for (int r = 0; r < rows; r++)
            {
                float sum = 0f;
                for (int i = r * classCount; i < (r + 1) * classCount; i++)
                    sum += p[i];
                logSums[r] = sum;
            }

            ApplyPadded(logSums[..rows], logSums[..rows], exponential: false);
            for (int r = 0; r < rows; r++)
            {
                float logSum = logSums[r];
                for (int i = r * classCount; i < (r + 1) * classCount; i++)
                    logP[i] -= logSum;
            }

            ApplyPadded(logP, p, exponential: true);
        }
    }

    /// <summary>Reads the log-probability of each row's action.</summary>
    /// <param name="logProbabilities">The log-probabilities, <c>rowCount × classCount</c>.</param>
    /// <param name="actions">One action per row, each an integer in [0, classCount) stored as a float.</param>
    /// <param name="destination">Receives one log-probability per row.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An action is not a valid class.</exception>
    public static void LogProbability(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<float> actions, Span<float> destination, int classCount)
    {
        int rowCount = actions.Length;
        Guard.HasLength(logProbabilities, CheckSizes(rowCount, classCount), nameof(logProbabilities));
        Guard.HasLength(destination, rowCount, nameof(destination));
        for (int r = 0; r < rowCount; r++)
            destination[r] = logProbabilities[r * classCount + ToClass(actions[r], classCount)];
    }

    /// <summary>Computes the entropy <c>H = −Σ p log p</c> of each row.</summary>
    /// <param name="logProbabilities">The log-probabilities, <c>rowCount × classCount</c>.</param>
    /// <param name="probabilities">The probabilities, same size.</param>
    /// <param name="destination">Receives one entropy per row.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Entropy(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<float> probabilities, Span<float> destination, int classCount)
    {
        int rowCount = destination.Length;
        int length = CheckSizes(rowCount, classCount);
        Guard.HasLength(logProbabilities, length, nameof(logProbabilities));
        Guard.HasLength(probabilities, length, nameof(probabilities));
        for (int r = 0; r < rowCount; r++)
        {
            float sum = 0f;
            for (int i = r * classCount; i < (r + 1) * classCount; i++)
                sum += probabilities[i] * logProbabilities[i];
            destination[r] = -sum;
        }
    }

    /// <summary>
    /// Computes the gradient with respect to the logits of <c>Σ_r (g_r · log p_r(a_r) + h_r · H_r)</c>, overwriting
    /// <paramref name="logitsGradient"/>.
    /// </summary>
    /// <param name="logProbabilities">The log-probabilities, <c>rowCount × classCount</c>.</param>
    /// <param name="probabilities">The probabilities, same size.</param>
    /// <param name="entropy">The entropy of each row.</param>
    /// <param name="actions">The action of each row.</param>
    /// <param name="logProbabilityGradient">The upstream gradient <c>g_r</c> of each row's log-probability.</param>
    /// <param name="entropyGradient">The upstream gradient <c>h_r</c> of each row's entropy.</param>
    /// <param name="logitsGradient">Receives the gradient, <c>rowCount × classCount</c>.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An action is not a valid class.</exception>
    /// <remarks><c>∂/∂xᵢ = g·([i = a] − pᵢ) − h·pᵢ·(log pᵢ + H)</c>.</remarks>
    public static void Backward(
        ReadOnlySpan<float> logProbabilities,
        ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> entropy,
        ReadOnlySpan<float> actions,
        ReadOnlySpan<float> logProbabilityGradient,
        ReadOnlySpan<float> entropyGradient,
        Span<float> logitsGradient,
        int classCount)
    {
        int rowCount = actions.Length;
        int length = CheckSizes(rowCount, classCount);
        Guard.HasLength(logProbabilities, length, nameof(logProbabilities));
        Guard.HasLength(probabilities, length, nameof(probabilities));
        Guard.HasLength(logitsGradient, length, nameof(logitsGradient));
        Guard.HasLength(entropy, rowCount, nameof(entropy));
        Guard.HasLength(logProbabilityGradient, rowCount, nameof(logProbabilityGradient));
        Guard.HasLength(entropyGradient, rowCount, nameof(entropyGradient));

        for (int r = 0; r < rowCount; r++)
        {
            int offset = r * classCount;
            float g = logProbabilityGradient[r];
            float h = entropyGradient[r];
            float entropyOfRow = entropy[r];
            for (int i = 0; i < classCount; i++)
            {
                float p = probabilities[offset + i];
                logitsGradient[offset + i] = -g * p - h * p * (logProbabilities[offset + i] + entropyOfRow);
            }

            logitsGradient[offset + ToClass(actions[r], classCount)] += g;
        }
    }

    /// <summary>Draws one action per row by inverting the cumulative distribution with one uniform draw per row.</summary>
    /// <param name="probabilities">The probabilities, <c>rowCount × classCount</c>.</param>
    /// <param name="random">The generator; exactly one <see cref="SeededRandom.NextFloat"/> is drawn per row.</param>
    /// <param name="actions">Receives one action per row, as a float.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Sample(ReadOnlySpan<float> probabilities, SeededRandom random, Span<float> actions, int classCount)
    {
        ArgumentNullException.ThrowIfNull(random);
        int rowCount = actions.Length;
        Guard.HasLength(probabilities, CheckSizes(rowCount, classCount), nameof(probabilities));
        for (int r = 0; r < rowCount; r++)
        {
            ReadOnlySpan<float> p = probabilities.Slice(r * classCount, classCount);
            float u = random.NextFloat();
            float cumulative = 0f;
            int chosen = -1;
            for (int i = 0; i < classCount; i++)
            {
                if (p[i] <= 0f)
                    continue;
                chosen = i;
                cumulative += p[i];
                if (u < cumulative)
                    break;
            }

            // Rounding can leave the cumulative sum just below u; the last class with mass is then the right pick.
            actions[r] = chosen < 0 ? 0 : chosen;
        }
    }

    /// <summary>Writes each row's most probable class (the first one on ties), the deterministic action.</summary>
    /// <param name="logits">The logits (or log-probabilities), <c>rowCount × classCount</c>.</param>
    /// <param name="actions">Receives one action per row, as a float.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Mode(ReadOnlySpan<float> logits, Span<float> actions, int classCount)
    {
        int rowCount = actions.Length;
        Guard.HasLength(logits, CheckSizes(rowCount, classCount), nameof(logits));
        for (int r = 0; r < rowCount; r++)
            actions[r] = TensorPrimitives.IndexOfMax(logits.Slice(r * classCount, classCount));
    }

    /// <summary>Computes <c>KL(p ‖ q) = Σᵢ pᵢ (log pᵢ − log qᵢ)</c> of each row, with <c>p</c> the old and <c>q</c> the new distribution.</summary>
    /// <param name="oldLogProbabilities">The log-probabilities of the old distribution, <c>rowCount × classCount</c>.</param>
    /// <param name="newLogProbabilities">The log-probabilities of the new distribution, same size.</param>
    /// <param name="destination">Receives one divergence per row.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void KlDivergence(ReadOnlySpan<float> oldLogProbabilities, ReadOnlySpan<float> newLogProbabilities, Span<float> destination, int classCount)
    {
        int rowCount = destination.Length;
        int length = CheckSizes(rowCount, classCount);
        Guard.HasLength(oldLogProbabilities, length, nameof(oldLogProbabilities));
        Guard.HasLength(newLogProbabilities, length, nameof(newLogProbabilities));
        for (int r = 0; r < rowCount; r++)
        {
            double sum = 0;
            for (int i = r * classCount; i < (r + 1) * classCount; i++)
                sum += Math.Exp(oldLogProbabilities[i]) * (oldLogProbabilities[i] - (double)newLogProbabilities[i]);
            destination[r] = (float)sum;
        }
    }

    /// <summary>
    /// Adds the gradient of <c>Σ_r g_r · KL(p_r ‖ q_r)</c> with respect to the new logits to <paramref name="logitsGradient"/>:
    /// <c>∂/∂zᵢ = g·(qᵢ − pᵢ)</c>.
    /// </summary>
    /// <param name="oldLogProbabilities">The log-probabilities of the old distribution, <c>rowCount × classCount</c>.</param>
    /// <param name="newProbabilities">The probabilities of the new distribution, same size.</param>
    /// <param name="klGradient">The upstream gradient <c>g_r</c> of each row's divergence.</param>
    /// <param name="logitsGradient">The gradient with respect to the new logits, accumulated into.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void KlDivergenceBackward(ReadOnlySpan<float> oldLogProbabilities, ReadOnlySpan<float> newProbabilities, ReadOnlySpan<float> klGradient, Span<float> logitsGradient, int classCount)
    {
        int rowCount = klGradient.Length;
        int length = CheckSizes(rowCount, classCount);
        Guard.HasLength(oldLogProbabilities, length, nameof(oldLogProbabilities));
        Guard.HasLength(newProbabilities, length, nameof(newProbabilities));
        Guard.HasLength(logitsGradient, length, nameof(logitsGradient));
        for (int r = 0; r < rowCount; r++)
        {
            float g = klGradient[r];
            for (int i = r * classCount; i < (r + 1) * classCount; i++)
                logitsGradient[i] += g * (newProbabilities[i] - MathF.Exp(oldLogProbabilities[i]));
        }
    }

    /// <summary>Rows normalized together, within the L1 cache for up to a few hundred classes.</summary>
    private const int NormalizeChunkRows = 64;

    /// <summary>The shortest span on which <see cref="TensorPrimitives.Exp(ReadOnlySpan{float}, Span{float})"/> and <see cref="TensorPrimitives.Log(ReadOnlySpan{float}, Span{float})"/> take their vectorized path.</summary>
    private const int VectorizedLength = 4;

    /// <summary>
    /// Writes <c>exp</c> (or <c>log</c>) of <paramref name="source"/> into <paramref name="destination"/> (which may alias it),
    /// through a zero-padded copy of <see cref="VectorizedLength"/> elements when shorter, so that every element takes the vectorized path.
    /// </summary>
    private static void ApplyPadded(ReadOnlySpan<float> source, Span<float> destination, bool exponential)
    {
        if (source.Length >= VectorizedLength)
        {
            if (exponential)
                TensorPrimitives.Exp(source, destination);
            else
                TensorPrimitives.Log(source, destination);
            return;
        }

        Span<float> padded = stackalloc float[VectorizedLength];
        padded.Clear();
        source.CopyTo(padded);
        if (exponential)
            TensorPrimitives.Exp(padded, padded);
        else
            TensorPrimitives.Log(padded, padded);
        padded[..source.Length].CopyTo(destination);
    }

    private static int CheckSizes(int rowCount, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        return rowCount * classCount;
    }

    private static int ToClass(float action, int classCount)
    {
        int index = (int)action;
        if (index != action || (uint)index >= (uint)classCount)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"An action must be an integer in [0, {classCount - 1}].");
        return index;
    }
}
