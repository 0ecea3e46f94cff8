using Ppo.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>The supervised loop shared by <see cref="SupervisedFineTuning"/> and <see cref="TransformerRewardModel"/>: Adam over shuffled minibatches.</summary>
internal static class MinibatchTraining
{
    /// <summary>Runs <paramref name="epochs"/> passes over <paramref name="itemCount"/> items in seeded random order.</summary>
    /// <param name="parameters">The parameters Adam (eps 1e-8) updates.</param>
    /// <param name="itemCount">The number of training items, ≥ 1.</param>
    /// <param name="epochs">Passes over the items, ≥ 1.</param>
    /// <param name="batchSize">Items per minibatch, ≥ 1.</param>
    /// <param name="learningRate">Adam's step size, &gt; 0.</param>
    /// <param name="seed">The seed of the order.</param>
    /// <param name="loss">The scalar loss of the items whose indices it is given, with gradient.</param>
    /// <returns>The mean loss of each epoch.</returns>
    public static IReadOnlyList<float> Run(IEnumerable<Parameter> parameters, int itemCount, int epochs, int batchSize, float learningRate, ulong seed, Func<int[], Tensor> loss)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(itemCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (!float.IsFinite(learningRate) || learningRate <= 0f)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and > 0.");

        var random = new SeededRandom(seed);
        using Adam optimizer = optim.Adam(parameters, learningRate);
        int[] order = new int[itemCount];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        var losses = new List<float>(epochs);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                using DisposeScope scope = NewDisposeScope();
                Tensor value = loss(order[start..Math.Min(start + batchSize, order.Length)]);
                optimizer.zero_grad();
                value.backward();
                optimizer.step();
                sum += value.item<float>();
                batches++;
            }

            losses.Add((float)(sum / batches));
        }

        return losses;
    }
}
