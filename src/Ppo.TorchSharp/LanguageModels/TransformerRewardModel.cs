using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// A small transformer reward model: a <see cref="TransformerOptions"/>-shaped causal decoder whose scalar head reads
/// the hidden state of the last response token, trained on preference pairs with the Bradley–Terry loss
/// <c>−log σ(r(chosen) − r(rejected))</c> (Ziegler et al. 2019; Ouyang et al. 2022, eq. 1).
/// </summary>
/// <remarks>
/// Being causal and reading the last response token, the score depends on the prompt and the response and never on
/// the padding after them. The module's state names its parts <c>trunk</c> and <c>score_head</c>.
/// </remarks>
public sealed class TransformerRewardModel : nn.Module, IRewardModel
{
    private readonly TransformerTrunk _trunk;
    private readonly Linear _scoreHead;

    /// <summary>Creates the reward model with GPT-2's initialization drawn from <see cref="TransformerOptions.Seed"/>.</summary>
    /// <param name="options">The shape of the decoder.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded.</exception>
    public TransformerRewardModel(TransformerOptions options)
        : base(nameof(TransformerRewardModel))
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        TorchRuntime.EnsureLoaded();
        _trunk = new TransformerTrunk(Options);
        _scoreHead = nn.Linear(Options.EmbeddingSize, 1);
        register_module("trunk", _trunk);
        register_module("score_head", _scoreHead);
        TransformerTrunk.Initialize(this, Options.Seed);
    }

    /// <summary>Gets the shape of the decoder.</summary>
    public TransformerOptions Options { get; }

    /// <summary>The score of each row, with gradient.</summary>
    /// <param name="batch">The prompts and responses; rows no longer than the context.</param>
    /// <returns>The scores, <c>[B]</c>, on the model's device.</returns>
    /// <exception cref="ArgumentException">The rows are longer than the context.</exception>
    public Tensor Forward(SequenceBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Device device = _scoreHead.weight!.device;
        Tensor hidden = _trunk.call(batch.TokenTensor(device));
        long[] lastPositions = new long[batch.RowCount];
        for (int row = 0; row < batch.RowCount; row++)
            lastPositions[row] = batch.PromptLengths[row] + batch.ResponseLengths[row] - 1;
        Tensor index = tensor(lastPositions, device: device).view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);
        return _scoreHead.call(hidden.gather(1, index).squeeze(1)).squeeze(-1);
    }

    /// <inheritdoc/>
    public float[] Score(SequenceBatch batch)
    {
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGradient = no_grad();
        return Forward(batch).cpu().data<float>().ToArray();
    }

    /// <summary>The Bradley–Terry loss of preference pairs: <c>mean(−log σ(r_chosen − r_rejected))</c>.</summary>
    /// <param name="chosenScores">The scores of the preferred responses, <c>[B]</c>.</param>
    /// <param name="rejectedScores">The scores of the others, <c>[B]</c>.</param>
    /// <returns>The scalar loss.</returns>
    public static Tensor BradleyTerryLoss(Tensor chosenScores, Tensor rejectedScores)
    {
        ArgumentNullException.ThrowIfNull(chosenScores);
        ArgumentNullException.ThrowIfNull(rejectedScores);
        return -nn.functional.logsigmoid(chosenScores - rejectedScores).mean();
    }

    /// <summary>Trains on preference pairs with Adam (eps 1e-8) and the Bradley–Terry loss, in shuffled minibatches.</summary>
    /// <param name="pairs">The judgements.</param>
    /// <param name="epochs">Passes over the pairs, ≥ 1.</param>
    /// <param name="batchSize">Pairs per minibatch, ≥ 1.</param>
    /// <param name="learningRate">Adam's step size, &gt; 0.</param>
    /// <param name="seed">The seed of the minibatch order.</param>
    /// <param name="paddingToken">The token that pads the rows of a minibatch.</param>
    /// <returns>The mean loss of each epoch.</returns>
    /// <exception cref="ArgumentException">No pairs, or a count or rate out of range.</exception>
    public IReadOnlyList<float> Train(IReadOnlyList<PreferencePair> pairs, int epochs, int batchSize, float learningRate, ulong seed, int paddingToken = 0)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
            throw new ArgumentException("At least one preference pair is needed.", nameof(pairs));
        return MinibatchTraining.Run(parameters(), pairs.Count, epochs, batchSize, learningRate, seed, items =>
        {
            int[][] prompts = [.. items.Select(i => pairs[i].Prompt)];
            Tensor chosen = Forward(SequenceBatch.FromPairs(prompts, [.. items.Select(i => pairs[i].Chosen)], paddingToken));
            return BradleyTerryLoss(chosen, Forward(SequenceBatch.FromPairs(prompts, [.. items.Select(i => pairs[i].Rejected)], paddingToken)));
        });
    }
}
