using Ppo.TorchSharp.LanguageModels;
using Ppo.TorchSharp.Tests.TestSupport;
using Ppo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.Tests.LanguageModels;

/// <summary>The token-level PPO trainer: its controller, its safety switches, its determinism, and that it learns.</summary>
[Collection(TorchThreads.Collection)]
public sealed class TokenPpoTrainerTests
{
    private const int Vocabulary = 8;
    private const int Liked = 5;
    private const int Stop = 1;

    private static readonly GenerationOptions Sampling = new() { StopToken = Stop, MinResponseLength = 2, MaxResponseLength = 6 };

    private static TransformerLanguageModel Model(ulong seed = 2) =>
        new(new TransformerOptions { VocabularySize = Vocabulary, ContextLength = 8, EmbeddingSize = 16, HeadCount = 2, LayerCount = 1, Seed = seed });

    private static List<int[]> Prompts(int count) => [.. Enumerable.Range(0, count).Select(i => new[] { 2 + (i % 3) })];

    [Trait("Category", "Slow")]
    [Fact]
    public void Step_RewardForATokenWithAdaptiveKl_ScoreRisesWithKlBounded()
    {
        // The reward is the fraction of response tokens that are the liked token (1/8 at random); from a random
        // reference, 60 steps of 32 responses must raise the mean score by 0.25 while the KL per response stays below 6 nats.
        set_num_threads(1);
        using TransformerLanguageModel policy = Model(), reference = policy.Clone();
        var options = new TokenPpoOptions { LearningRate = 3e-3f, MiniBatchSize = 8, KlCoefficient = 0.1f, AdaptiveKlTarget = 3f, AdaptiveKlHorizon = 320, Seed = 3 };
        using var trainer = new TokenPpoTrainer(policy, reference, new LikedTokenShare(), options, Sampling);

        var scores = new List<float>();
        var kls = new List<float>();
        for (int step = 0; step < 60; step++)
        {
            TokenPpoStatistics statistics = trainer.Step(Prompts(32)).Statistics;
            scores.Add(statistics.MeanScore);
            kls.Add(statistics.KlK1);
        }

        float before = scores.Take(5).Average(), after = scores.TakeLast(5).Average(), finalKl = kls.TakeLast(5).Average();
        Assert.True(after - before >= 0.25f, $"The mean score went from {before:F3} to {after:F3}.");
        Assert.True(finalKl < 6f, $"The KL per response is {finalKl:F2} nats.");
    }

    [Fact]
    public void Step_AdaptiveKl_MovesBetaByTheProportionalController()
    {
        using TransformerLanguageModel policy = Model(), reference = Model(seed: 9);
        var options = new TokenPpoOptions { KlCoefficient = 0.2f, AdaptiveKlTarget = 0.5f, AdaptiveKlHorizon = 100, NumEpochs = 1, Seed = 1 };
        using var trainer = new TokenPpoTrainer(policy, reference, new LikedTokenShare(), options, Sampling);

        TokenPpoStatistics statistics = trainer.Step(Prompts(16)).Statistics;

        Assert.Equal(0.2f, statistics.KlCoefficient);
        Assert.Equal(KlPenaltyControllers.Proportional(0.2f, statistics.KlK1, 0.5f, 16, 100), statistics.NextKlCoefficient);
        Assert.Equal(statistics.NextKlCoefficient, trainer.KlCoefficient);
    }

    [Fact]
    public void Step_FixedKl_KeepsBetaAndReportsFiniteStatistics()
    {
        using TransformerLanguageModel policy = Model(), reference = policy.Clone();
        var options = new TokenPpoOptions { KlCoefficient = 0.3f, AdaptiveKlTarget = null, NumEpochs = 2, MiniBatchSize = 4, Seed = 1 };
        using var trainer = new TokenPpoTrainer(policy, reference, new LikedTokenShare(), options, Sampling);

        TokenPpoStatistics statistics = trainer.Step(Prompts(12)).Statistics;

        Assert.Equal(0.3f, statistics.NextKlCoefficient);
        Assert.Equal(6, statistics.MinibatchesOptimized);
        Assert.Equal(0, statistics.MinibatchesSkipped);
        Assert.Equal(0f, statistics.KlK1, 5);
        Assert.Equal(0f, statistics.KlK3, 5);
        Assert.InRange(statistics.MeanResponseLength, 2f, 6f);
        foreach (float value in new[] { statistics.Entropy, statistics.PolicyLoss, statistics.ValueLoss, statistics.ValueError, statistics.PolicyClipFraction, statistics.ValueClipFraction, statistics.ApproximateKl })
            Assert.True(float.IsFinite(value));
    }

    [Fact]
    public void Step_RatioThresholdBelowEveryMeanRatio_SkipsEveryMinibatchAndLeavesTheWeights()
    {
        // The mean ratio of a minibatch is about 1 (its expectation under the sampling policy), so a threshold of 0.5 skips all.
        using TransformerLanguageModel policy = Model(), reference = policy.Clone();
        var options = new TokenPpoOptions { RatioThreshold = 0.5f, NumEpochs = 2, MiniBatchSize = 4, LearningRate = 1e-2f, Seed = 1 };
        using var trainer = new TokenPpoTrainer(policy, reference, new LikedTokenShare(), options, Sampling);
        float[] before = Weights(policy);

        TokenPpoStatistics statistics = trainer.Step(Prompts(8)).Statistics;

        Assert.Equal(4, statistics.MinibatchesSkipped);
        Assert.Equal(0, statistics.MinibatchesOptimized);
        Assert.True(float.IsNaN(statistics.PolicyLoss));
        Assert.Equal(before, Weights(policy));
    }

    [Fact]
    public void Step_EarlyStopKlTiny_StopsAfterTheFirstMinibatchThatExceedsIt()
    {
        using TransformerLanguageModel policy = Model(), reference = policy.Clone();
        var options = new TokenPpoOptions { EarlyStopKl = 1e-9f, NumEpochs = 4, MiniBatchSize = 4, LearningRate = 1e-2f, Seed = 1 };
        using var trainer = new TokenPpoTrainer(policy, reference, new LikedTokenShare(), options, Sampling);

        TokenPpoStatistics statistics = trainer.Step(Prompts(16)).Statistics;

        Assert.True(statistics.StoppedEarly);
        Assert.InRange(statistics.MinibatchesOptimized, 1, 3);
    }

    [Fact]
    public void Step_SameSeedTwice_SameWeights()
    {
        float[] Run()
        {
            using TransformerLanguageModel policy = Model(), reference = policy.Clone();
            using var trainer = new TokenPpoTrainer(policy, reference, new LikedTokenShare(), new TokenPpoOptions { LearningRate = 1e-3f, MiniBatchSize = 4, Seed = 7 }, Sampling);
            trainer.Step(Prompts(8));
            trainer.Step(Prompts(8));
            return Weights(policy);
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Step_Training_LeavesTheReferenceUnchanged()
    {
        using TransformerLanguageModel policy = Model(), reference = policy.Clone();
        float[] before = Weights(reference);
        using var trainer = new TokenPpoTrainer(policy, reference, new LikedTokenShare(), new TokenPpoOptions { LearningRate = 1e-2f, MiniBatchSize = 4, Seed = 2 }, Sampling);

        trainer.Step(Prompts(8));

        Assert.Equal(before, Weights(reference));
        Assert.NotEqual(before, Weights(policy));
    }

    [Fact]
    public void Step_AfterTheFirst_LeavesNoTensorAlive()
    {
        using TransformerLanguageModel policy = Model(), reference = policy.Clone();
        using var trainer = new TokenPpoTrainer(policy, reference, new LikedTokenShare(), new TokenPpoOptions { MiniBatchSize = 4, Seed = 4 }, Sampling);
        trainer.Step(Prompts(8));
        long live = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

        for (int step = 0; step < 3; step++)
            trainer.Step(Prompts(8));

        Assert.Equal(live, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData(nameof(TokenPpoOptions.LearningRate))]
    [InlineData(nameof(TokenPpoOptions.NumEpochs))]
    [InlineData(nameof(TokenPpoOptions.MiniBatchSize))]
    [InlineData(nameof(TokenPpoOptions.Gamma))]
    [InlineData(nameof(TokenPpoOptions.GaeLambda))]
    [InlineData(nameof(TokenPpoOptions.ClipRange))]
    [InlineData(nameof(TokenPpoOptions.ValueClipRange))]
    [InlineData(nameof(TokenPpoOptions.ValueCoefficient))]
    [InlineData(nameof(TokenPpoOptions.KlCoefficient))]
    [InlineData(nameof(TokenPpoOptions.AdaptiveKlTarget))]
    [InlineData(nameof(TokenPpoOptions.AdaptiveKlHorizon))]
    [InlineData(nameof(TokenPpoOptions.RatioThreshold))]
    [InlineData(nameof(TokenPpoOptions.EarlyStopKl))]
    [InlineData(nameof(TokenPpoOptions.MaxGradNorm))]
    public void Validate_FieldOutOfRange_ThrowsNamingTheField(string field)
    {
        TokenPpoOptions options = field switch
        {
            nameof(TokenPpoOptions.LearningRate) => new() { LearningRate = 0f },
            nameof(TokenPpoOptions.NumEpochs) => new() { NumEpochs = 0 },
            nameof(TokenPpoOptions.MiniBatchSize) => new() { MiniBatchSize = 0 },
            nameof(TokenPpoOptions.Gamma) => new() { Gamma = 1.5f },
            nameof(TokenPpoOptions.GaeLambda) => new() { GaeLambda = -0.1f },
            nameof(TokenPpoOptions.ClipRange) => new() { ClipRange = 0f },
            nameof(TokenPpoOptions.ValueClipRange) => new() { ValueClipRange = float.NaN },
            nameof(TokenPpoOptions.ValueCoefficient) => new() { ValueCoefficient = -1f },
            nameof(TokenPpoOptions.KlCoefficient) => new() { KlCoefficient = -0.1f },
            nameof(TokenPpoOptions.AdaptiveKlTarget) => new() { AdaptiveKlTarget = 0f },
            nameof(TokenPpoOptions.AdaptiveKlHorizon) => new() { AdaptiveKlHorizon = 0 },
            nameof(TokenPpoOptions.RatioThreshold) => new() { RatioThreshold = 0f },
            nameof(TokenPpoOptions.EarlyStopKl) => new() { EarlyStopKl = -1f },
            _ => new() { MaxGradNorm = 0f },
        };

        ArgumentException exception = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
    }

    private static float[] Weights(TransformerLanguageModel model)
    {
        using DisposeScope scope = NewDisposeScope();
        return cat([.. model.parameters().Select(parameter => parameter.detach().flatten())]).data<float>().ToArray();
    }

    /// <summary>The share of a response's tokens that are <see cref="Liked"/>.</summary>
    private sealed class LikedTokenShare : IRewardModel
    {
        public float[] Score(SequenceBatch batch)
        {
            float[] scores = new float[batch.RowCount];
            for (int row = 0; row < batch.RowCount; row++)
            {
                ReadOnlySpan<int> response = batch.Response(row);
                int liked = 0;
                foreach (int token in response)
                    liked += token == Liked ? 1 : 0;
                scores[row] = (float)liked / response.Length;
            }

            return scores;
        }
    }
}
