using Ppo.Randomness;
using Ppo.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.LanguageModels;

/// <summary>
/// Fine-tunes a causal language model against a reward model with PPO over tokens, as TRL's <c>PPOTrainer.step</c>
/// does after Ziegler et al. (2019, "Fine-tuning language models from human preferences"): sample responses, score
/// them, penalize each token's divergence from a frozen reference, estimate advantages with GAE, and optimize the
/// clipped losses for a few epochs of minibatches.
/// </summary>
/// <remarks>
/// <para>One <see cref="Step"/>: (1) sample a response per prompt with <see cref="GenerationOptions"/>; (2) score each
/// (prompt, response); (3) one forward pass of the policy and of the reference over the batch, without gradient, gives
/// the old log-probabilities and values and the reference's log-probabilities; (4) rewards
/// <see cref="TokenPpoLoss.PerTokenRewards"/>, advantages and returns <see cref="TokenPpoLoss.Advantages"/>; (5)
/// <see cref="TokenPpoOptions.NumEpochs"/> passes over shuffled minibatches of sequences, each a
/// <see cref="TokenPpoLoss.Compute"/>, <c>backward</c>, optional <c>clip_grad_norm_</c> and a <c>torch.optim.Adam</c>
/// step (eps 1e-8, PyTorch's default, as TRL leaves it); (6) the adaptive controller updates β from the batch's k1 KL
/// per sequence, <see cref="KlPenaltyControllers.Proportional"/> with the batch's sequence count as steps.</para>
/// <para>Where Ppo departs from TRL: a minibatch whose mean ratio exceeds <see cref="TokenPpoOptions.RatioThreshold"/>
/// takes no optimizer step at all (TRL zeroes its loss but still steps Adam, whose moments then still move the
/// weights); <see cref="TokenPpoOptions.MiniBatchSize"/> defaults to 16 rather than 1; there is no entropy bonus, score
/// scaling or reward whitening, which TRL's defaults leave off as well.</para>
/// <para>Every step runs in a dispose scope, so native memory stays flat over a run. The sampling draws from a
/// <c>torch.Generator</c> seeded at each step from the trainer's seeded generator, which also orders the minibatches,
/// so a run depends on <see cref="TokenPpoOptions.Seed"/> alone.</para>
/// </remarks>
public sealed class TokenPpoTrainer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Adam _optimizer;
    private readonly Generator _generator;
    private readonly SeededRandom _random;

    /// <summary>Creates a trainer; the reference is frozen (its parameters stop requiring gradients).</summary>
    /// <param name="policy">The model to fine-tune.</param>
    /// <param name="reference">The frozen reference, usually a copy of the policy before fine-tuning, on the same device.</param>
    /// <param name="rewardModel">Scores the responses.</param>
    /// <param name="options">The PPO hyperparameters.</param>
    /// <param name="generation">How responses are sampled.</param>
    /// <exception cref="ArgumentException">An option is out of range, or the models disagree on the vocabulary.</exception>
    public TokenPpoTrainer(CausalLanguageModel policy, CausalLanguageModel reference, IRewardModel rewardModel, TokenPpoOptions options, GenerationOptions generation)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(rewardModel);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generation);
        if (policy.VocabularySize != reference.VocabularySize)
            throw new ArgumentException($"The policy reads {policy.VocabularySize} tokens and the reference {reference.VocabularySize}; they must agree.", nameof(reference));
        Options = options.Validate();
        Generation = generation.Validate();
        Policy = policy;
        Reference = reference;
        RewardModel = rewardModel;
        foreach (Parameter parameter in reference.parameters())
            parameter.requires_grad = false;
        _parameters = [.. policy.parameters()];
        Device = _parameters[0].device;
        _optimizer = optim.Adam(_parameters, Options.LearningRate);
        _generator = new Generator(0, Device);
        _random = new SeededRandom(Options.Seed);
        KlCoefficient = Options.KlCoefficient;
    }

    /// <summary>Gets the model being fine-tuned.</summary>
    public CausalLanguageModel Policy { get; }

    /// <summary>Gets the frozen reference of the KL penalty.</summary>
    public CausalLanguageModel Reference { get; }

    /// <summary>Gets the reward model.</summary>
    public IRewardModel RewardModel { get; }

    /// <summary>Gets the PPO hyperparameters.</summary>
    public TokenPpoOptions Options { get; }

    /// <summary>Gets how responses are sampled.</summary>
    public GenerationOptions Generation { get; }

    /// <summary>Gets the device the policy computes on.</summary>
    public Device Device { get; }

    /// <summary>Gets β of the next step's rewards.</summary>
    public float KlCoefficient { get; private set; }

    /// <summary>Samples a response to each prompt, scores them, and updates the policy on the batch.</summary>
    /// <param name="prompts">The prompts of this step's batch, at least two.</param>
    /// <returns>The responses, their scores and the step's diagnostics.</returns>
    /// <exception cref="ArgumentException">Fewer than two prompts, or a prompt that does not fit (see <see cref="LanguageModelGeneration.Generate"/>).</exception>
    /// <exception cref="InvalidOperationException">The reward model returned the wrong number of scores, or a gradient norm is not finite.</exception>
    public TokenPpoStepResult Step(IReadOnlyList<int[]> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count < 2)
            throw new ArgumentException($"A step needs at least two prompts (was {prompts.Count}).", nameof(prompts));
        using DisposeScope scope = NewDisposeScope();
        _generator.manual_seed((long)(_random.NextUInt64() >> 1));
        GenerationResult generation = LanguageModelGeneration.Generate(Policy, prompts, Generation, _generator);
        SequenceBatch batch = generation.Batch;
        float[] scores = RewardModel.Score(batch);
        if (scores.Length != batch.RowCount)
            throw new InvalidOperationException($"The reward model returned {scores.Length} scores for {batch.RowCount} responses.");

        Rollout rollout = Score(batch, scores);
        float coefficient = KlCoefficient;
        Totals totals = Optimize(rollout, batch.RowCount);
        if (Options.AdaptiveKlTarget is float target)
            KlCoefficient = KlPenaltyControllers.Proportional(KlCoefficient, rollout.KlK1, target, batch.RowCount, Options.AdaptiveKlHorizon);

        float meanScore = 0f, meanLength = 0f;
        for (int row = 0; row < batch.RowCount; row++)
        {
            meanScore += scores[row];
            meanLength += batch.ResponseLengths[row];
        }

        var statistics = new TokenPpoStatistics(
            meanScore / batch.RowCount,
            rollout.KlK1,
            rollout.KlK3,
            coefficient,
            KlCoefficient,
            rollout.Entropy,
            meanLength / batch.RowCount,
            -coefficient * rollout.KlK1,
            totals.Mean(totals.PolicyLoss),
            totals.Mean(totals.ValueLoss),
            totals.Mean(totals.PolicyClipFraction),
            totals.Mean(totals.ValueClipFraction),
            totals.Mean(totals.ValueError),
            totals.Mean(totals.ApproximateKl),
            totals.Optimized,
            totals.Skipped,
            totals.StoppedEarly);
        return new TokenPpoStepResult(generation, scores, statistics);
    }

    /// <summary>Releases the optimizer's state and the generator.</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        _generator.Dispose();
    }

    private Rollout Score(SequenceBatch batch, float[] scores)
    {
        float temperature = Generation.Temperature;
        Tensor tokens = batch.TokenTensor(Device);
        Tensor mask = batch.ActionMask(Device);
        using IDisposable noGradient = no_grad();
        (Tensor logits, Tensor values) = Policy.Forward(tokens);
        Tensor logProbabilities = TokenPpoLoss.TokenLogProbabilities(logits, tokens, temperature);
        Tensor oldValues = values.narrow(1, 0, batch.Length - 1);
        Tensor referenceLogProbabilities = TokenPpoLoss.TokenLogProbabilities(Reference.Forward(tokens).Logits, tokens, temperature);
        Tensor rewards = TokenPpoLoss.PerTokenRewards(logProbabilities, referenceLogProbabilities, tensor(scores, device: Device), mask, batch.LastActionColumns(Device), KlCoefficient);
        (Tensor advantages, Tensor returns) = TokenPpoLoss.Advantages(rewards, oldValues, mask, Options.Gamma, Options.GaeLambda);
        Tensor logReferenceRatio = (referenceLogProbabilities - logProbabilities) * mask;
        float[] summary = stack([
            (-logReferenceRatio).sum(1).mean(),
            (logReferenceRatio.exp() - 1 - logReferenceRatio).mul(mask).sum(1).mean(),
            TokenPpoLoss.MaskedMean(TokenPpoLoss.TokenEntropy(logits, temperature), mask)]).cpu().data<float>().ToArray();
        return new Rollout(tokens, mask, logProbabilities, oldValues, advantages, returns, summary[0], summary[1], summary[2]);
    }

    private Totals Optimize(Rollout rollout, int rowCount)
    {
        var totals = new Totals();
        int[] order = new int[rowCount];
        for (int i = 0; i < rowCount; i++)
            order[i] = i;
        for (int epoch = 0; epoch < Options.NumEpochs && !totals.StoppedEarly; epoch++)
        {
            _random.Shuffle(order);
            for (int start = 0; start < rowCount; start += Options.MiniBatchSize)
            {
                using DisposeScope scope = NewDisposeScope();
                int count = Math.Min(Options.MiniBatchSize, rowCount - start);
                long[] rows = new long[count];
                for (int i = 0; i < count; i++)
                    rows[i] = order[start + i];
                Tensor index = tensor(rows, device: Device);
                Tensor tokens = rollout.Tokens.index_select(0, index);
                (Tensor logits, Tensor values) = Policy.Forward(tokens);
                Tensor logProbabilities = TokenPpoLoss.TokenLogProbabilities(logits, tokens, Generation.Temperature);
                (Tensor loss, TokenPpoLossResult result) = TokenPpoLoss.Compute(
                    logProbabilities,
                    rollout.LogProbabilities.index_select(0, index),
                    rollout.Advantages.index_select(0, index),
                    values.narrow(1, 0, tokens.shape[1] - 1),
                    rollout.Values.index_select(0, index),
                    rollout.Returns.index_select(0, index),
                    rollout.Mask.index_select(0, index),
                    Options.ClipRange,
                    Options.ValueClipRange,
                    Options.ValueCoefficient);
                if (Options.RatioThreshold is float threshold && !(result.MeanRatio <= threshold))
                {
                    totals.Skipped++;
                    continue;
                }

                _optimizer.zero_grad();
                loss.backward();
                if (Options.MaxGradNorm is float maxNorm)
                {
                    double norm = nn.utils.clip_grad_norm_(_parameters, maxNorm);
                    if (!double.IsFinite(norm))
                        throw new InvalidOperationException($"The gradient norm is {norm}; the optimizer step was not taken and the weights are unchanged.");
                }

                _optimizer.step();
                totals.Add(result);
                if (Options.EarlyStopKl is float earlyStop && result.PolicyKl > 1.5f * earlyStop)
                {
                    totals.StoppedEarly = true;
                    break;
                }
            }
        }

        return totals;
    }

    private sealed record Rollout(Tensor Tokens, Tensor Mask, Tensor LogProbabilities, Tensor Values, Tensor Advantages, Tensor Returns, float KlK1, float KlK3, float Entropy);

    /// <summary>Sums of the optimized minibatches' diagnostics.</summary>
    private sealed class Totals
    {
        public int Optimized { get; private set; }

        public int Skipped { get; set; }

        public bool StoppedEarly { get; set; }

        public double PolicyLoss { get; private set; }

        public double ValueLoss { get; private set; }

        public double PolicyClipFraction { get; private set; }

        public double ValueClipFraction { get; private set; }

        public double ValueError { get; private set; }

        public double ApproximateKl { get; private set; }

        public void Add(TokenPpoLossResult result)
        {
            Optimized++;
            PolicyLoss += result.PolicyLoss;
            ValueLoss += result.ValueLoss;
            PolicyClipFraction += result.PolicyClipFraction;
            ValueClipFraction += result.ValueClipFraction;
            ValueError += result.ValueError;
            ApproximateKl += result.ApproximateKl;
        }

        public float Mean(double sum) => Optimized == 0 ? float.NaN : (float)(sum / Optimized);
    }
}
