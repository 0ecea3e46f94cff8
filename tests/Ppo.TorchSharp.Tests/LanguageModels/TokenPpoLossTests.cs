using Ppo.Tests.TestSupport;
using Ppo.TorchSharp.LanguageModels;
using Ppo.TorchSharp.Tests.TestSupport;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.Tests.LanguageModels;

/// <summary>
/// The token-level PPO loss against a PyTorch script written as TRL's <c>PPOTrainer</c> computes it, and the masking
/// of prompt and padding columns out of every loss, gradient and statistic.
/// </summary>
[Collection(TorchThreads.Collection)]
public sealed class TokenPpoLossTests
{
    [Fact]
    public void Compute_FixedModelAndBatch_MatchesTrlStylePyTorch()
    {
        TokenPpoGolden golden = TokenPpoGolden.Case;
        using var model = golden.Model();
        Outcome outcome = Evaluate(model, golden.Batch(), golden.Tensor("old_logprobs"), golden.Tensor("old_values"), golden.Tensor("ref_logprobs"));

        Tolerance.AssertClose(golden.Data("logprobs"), outcome.LogProbabilities, what: "log-probabilities");
        Tolerance.AssertClose(golden.Data("values"), outcome.Values, what: "values");
        Tolerance.AssertClose(golden.Data("rewards"), outcome.Rewards, what: "per-token rewards");
        Tolerance.AssertClose(golden.Data("advantages"), outcome.Advantages, what: "whitened advantages");
        Tolerance.AssertClose(golden.Data("returns"), outcome.Returns, what: "returns");
        TokenPpoLossResult result = outcome.Result;
        Tolerance.AssertClose(golden.Scalar("loss"), result.Loss, what: "loss");
        Tolerance.AssertClose(golden.Scalar("pg_loss"), result.PolicyLoss, what: "policy loss");
        Tolerance.AssertClose(golden.Scalar("vf_loss"), result.ValueLoss, what: "value loss");
        Tolerance.AssertClose(golden.Scalar("pg_clipfrac"), result.PolicyClipFraction, what: "policy clip fraction");
        Tolerance.AssertClose(golden.Scalar("vf_clipfrac"), result.ValueClipFraction, what: "value clip fraction");
        Tolerance.AssertClose(golden.Scalar("approxkl"), result.ApproximateKl, what: "approximate KL");
        Tolerance.AssertClose(golden.Scalar("policykl"), result.PolicyKl, what: "policy KL");
        Tolerance.AssertClose(golden.Scalar("mean_ratio"), result.MeanRatio, what: "mean ratio");
        Tolerance.AssertClose(golden.Scalar("value_error"), result.ValueError, what: "value error");
        foreach ((string name, float[] gradient) in outcome.Gradients)
            Tolerance.AssertClose(golden.Data("grad." + name), gradient, what: "gradient of " + name);
    }

    [Fact]
    public void Compute_PromptAndPaddingColumnsChanged_ChangesNoLossGradientOrStatistic()
    {
        TokenPpoGolden golden = TokenPpoGolden.Case;
        using var model = golden.Model();
        SequenceBatch batch = golden.Batch();
        Outcome original = Evaluate(model, batch, golden.Tensor("old_logprobs"), golden.Tensor("old_values"), golden.Tensor("ref_logprobs"));

        // Every rollout input at a prompt or padding column becomes something else, and every padding token another token.
        var generator = new Generator(7);
        Tensor outside = 1 - batch.ActionMask(CPU);
        Tensor Scramble(Tensor field) => field + (outside * (randn(field.shape, generator: generator) * 5 - 1));
        int[] tokens = batch.Tokens.ToArray();
        for (int row = 0; row < batch.RowCount; row++)
        {
            for (int position = batch.PromptLengths[row] + batch.ResponseLengths[row]; position < batch.Length; position++)
                tokens[row * batch.Length + position] = 1 + (row + position) % (model.VocabularySize - 1);
        }

        var repadded = new SequenceBatch(tokens, batch.Length, batch.PromptLengths.ToArray(), batch.ResponseLengths.ToArray(), batch.PaddingToken);
        Outcome changed = Evaluate(model, repadded, Scramble(golden.Tensor("old_logprobs")), Scramble(golden.Tensor("old_values")), Scramble(golden.Tensor("ref_logprobs")));

        Assert.Equal(original.Result, changed.Result);
        Tolerance.AssertBitwiseEqual(Masked(original.Advantages, batch), Masked(changed.Advantages, batch), "advantages");
        Tolerance.AssertBitwiseEqual(Masked(original.Returns, batch), Masked(changed.Returns, batch), "returns");
        Tolerance.AssertBitwiseEqual(Masked(original.Rewards, batch), Masked(changed.Rewards, batch), "rewards");
        foreach ((string name, float[] gradient) in original.Gradients)
            Tolerance.AssertBitwiseEqual(gradient, changed.Gradients[name], "gradient of " + name);
    }

    [Fact]
    public void Compute_LongerPadding_ChangesNoLossGradientOrStatistic()
    {
        using var model = new TransformerLanguageModel(new TransformerOptions { VocabularySize = 13, ContextLength = 16, EmbeddingSize = 8, HeadCount = 2, LayerCount = 1, Seed = 5 });
        var generator = new Generator(3);
        int[][] prompts = [[1, 2], [3], [4, 5, 6]];
        int[][] responses = [[7, 8, 9], [10, 11, 12, 1, 2], [3, 4]];
        SequenceBatch tight = SequenceBatch.FromPairs(prompts, responses, paddingToken: 0);
        SequenceBatch loose = Widen(tight, extraColumns: 6, paddingToken: 9);
        Tensor rollout = randn([tight.RowCount, loose.Length - 1], generator: generator);
        Tensor oldLogProbabilities = -rollout.abs() - 1, oldValues = rollout * 0.5, referenceLogProbabilities = -rollout.abs() - 0.5;
        long tightColumns = tight.Length - 1;

        Outcome short_ = Evaluate(model, tight, oldLogProbabilities.narrow(1, 0, tightColumns), oldValues.narrow(1, 0, tightColumns), referenceLogProbabilities.narrow(1, 0, tightColumns));
        Outcome long_ = Evaluate(model, loose, oldLogProbabilities, oldValues, referenceLogProbabilities);

        Tolerance.AssertClose(short_.Result.Loss, long_.Result.Loss, 1e-6, "loss");
        Tolerance.AssertClose(short_.Result.PolicyClipFraction, long_.Result.PolicyClipFraction, 1e-6, "policy clip fraction");
        Tolerance.AssertClose(short_.Result.ValueError, long_.Result.ValueError, 1e-6, "value error");
        foreach ((string name, float[] gradient) in short_.Gradients)
            Tolerance.AssertClose(gradient, long_.Gradients[name], 1e-6, "gradient of " + name);
    }

    [Fact]
    public void PerTokenRewards_NegativeCoefficient_Throws()
    {
        Tensor zero = zeros(1, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenPpoLoss.PerTokenRewards(zero, zero, zeros(1), zero, zeros(1, dtype: ScalarType.Int64), -0.1f));
    }

    [Fact]
    public void Advantages_SingleResponseToken_Throws()
    {
        Tensor mask = tensor(new float[] { 0, 1, 0 }, [1, 3]);
        Assert.Throws<ArgumentException>(() => TokenPpoLoss.Advantages(zeros(1, 3), zeros(1, 3), mask, 1f, 0.95f));
    }

    [Theory]
    [InlineData(0f, 0.2f, 0.1f)]
    [InlineData(0.2f, 0f, 0.1f)]
    [InlineData(0.2f, 0.2f, -1f)]
    public void Compute_CoefficientOutOfRange_Throws(float clipRange, float valueClipRange, float valueCoefficient)
    {
        Tensor zero = zeros(1, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenPpoLoss.Compute(zero, zero, zero, zero, zero, zero, ones(1, 2), clipRange, valueClipRange, valueCoefficient));
    }

    private static float[] Masked(float[] values, SequenceBatch batch)
    {
        float[] mask = batch.ActionMask(CPU).data<float>().ToArray();
        return [.. values.Where((_, i) => mask[i] != 0f)];
    }

    private static SequenceBatch Widen(SequenceBatch batch, int extraColumns, int paddingToken)
    {
        int length = batch.Length + extraColumns;
        int[] tokens = new int[batch.RowCount * length];
        Array.Fill(tokens, paddingToken);
        for (int row = 0; row < batch.RowCount; row++)
        {
            int used = batch.PromptLengths[row] + batch.ResponseLengths[row];
            batch.Tokens.Slice(row * batch.Length, used).CopyTo(tokens.AsSpan(row * length, used));
        }

        return new SequenceBatch(tokens, length, batch.PromptLengths.ToArray(), batch.ResponseLengths.ToArray(), paddingToken);
    }

    /// <summary>The whole token-level pipeline of one minibatch with the golden case's coefficients (or TRL's defaults): rewards, advantages, loss, gradients.</summary>
    private static Outcome Evaluate(TransformerLanguageModel model, SequenceBatch batch, Tensor oldLogProbabilities, Tensor oldValues, Tensor referenceLogProbabilities)
    {
        TokenPpoGolden golden = TokenPpoGolden.Case;
        float temperature = golden.Scalar("temperature");
        Tensor tokens = batch.TokenTensor(CPU);
        Tensor mask = batch.ActionMask(CPU);
        Tensor rewards = TokenPpoLoss.PerTokenRewards(oldLogProbabilities, referenceLogProbabilities, GoldenScores(batch.RowCount), mask, batch.LastActionColumns(CPU), golden.Scalar("kl_coef"));
        (Tensor advantages, Tensor returns) = TokenPpoLoss.Advantages(rewards, oldValues, mask, golden.Scalar("gamma"), golden.Scalar("lam"));
        (Tensor logits, Tensor values) = model.Forward(tokens);
        Tensor logProbabilities = TokenPpoLoss.TokenLogProbabilities(logits, tokens, temperature);
        Tensor gridValues = values.narrow(1, 0, batch.Length - 1);
        (Tensor loss, TokenPpoLossResult result) = TokenPpoLoss.Compute(
            logProbabilities, oldLogProbabilities, advantages, gridValues, oldValues, returns, mask,
            golden.Scalar("cliprange"), golden.Scalar("cliprange_value"), golden.Scalar("vf_coef"));
        model.zero_grad();
        loss.backward();
        var gradients = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach ((string name, global::TorchSharp.Modules.Parameter parameter) in model.named_parameters())
            gradients.Add(name, parameter.grad is Tensor gradient ? gradient.data<float>().ToArray() : new float[parameter.numel()]);
        return new Outcome(
            logProbabilities.detach().data<float>().ToArray(),
            gridValues.detach().data<float>().ToArray(),
            rewards.data<float>().ToArray(),
            advantages.contiguous().data<float>().ToArray(),
            returns.contiguous().data<float>().ToArray(),
            result,
            gradients);
    }

    private static Tensor GoldenScores(int rows)
    {
        float[] scores = TokenPpoGolden.Case.Data("scores");
        return tensor(rows == scores.Length ? scores : [.. Enumerable.Range(0, rows).Select(row => scores[row % scores.Length])]);
    }

    private sealed record Outcome(float[] LogProbabilities, float[] Values, float[] Rewards, float[] Advantages, float[] Returns, TokenPpoLossResult Result, Dictionary<string, float[]> Gradients);
}
