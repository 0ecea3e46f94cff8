using Ppo.Environments;
using Ppo.Samples.Rlhf;
using Xunit.Abstractions;

namespace Ppo.Samples.Tests;

/// <summary>Runs the RLHF sample's pipeline on a small budget and checks what each stage must achieve.</summary>
/// <param name="run">The pipeline's run on a small budget, shared by the tests.</param>
/// <param name="output">Receives what the runs reached (shown with <c>--logger "console;verbosity=detailed"</c>).</param>
[Trait("Category", "Slow")]
public sealed class RlhfTests(RlhfTests.SmallRun run, ITestOutputHelper output) : IClassFixture<RlhfTests.SmallRun>
{
    private const float FixedBeta = 0.5f;
    private const float TargetKlPerReview = 3f;

    [Fact]
    public void Run_SmallBudget_RewardModelAgreesWithHeldOutPreferencesWellAboveChance()
    {
        // Chance is 50 %; the noisy labels cap any model near the hidden rule's own agreement (about 88 %).
        Assert.True(run.Result.RewardModelAccuracy > 0.75, $"held-out accuracy {run.Result.RewardModelAccuracy:P1}, the hidden rule's {run.Result.RuleAccuracy:P1}");
    }

    [Fact]
    public void Run_FixedBeta_ScoreRisesWhileKlStaysBelowScoreGainOverBeta()
    {
        PpoRun fixedBeta = run.Result.Runs[0];
        IReadOnlyList<TrainingPoint> curve = fixedBeta.Curve;
        double initialScore = curve[0].MeanScore, finalScore = MeanOfLast(curve, 5, point => point.MeanScore);
        Assert.True(finalScore > initialScore + 1, $"the score went from {initialScore:F2} to {finalScore:F2}");

        // PPO maximizes E[score] − β·KL, which is E_SFT[score] for the SFT policy itself. A policy that beats it has
        // KL < (E[score] − E_SFT[score]) / β: the KL a run may spend is bounded by the score it gains.
        double gain = fixedBeta.Final.MeanScore - run.Result.Supervised.MeanScore;
        double bound = gain / FixedBeta;
        Assert.True(fixedBeta.Final.KlPerReview < bound, $"KL {fixedBeta.Final.KlPerReview:F2} nats per review, bound {bound:F2}");
        for (int i = curve.Count / 2; i < curve.Count; i++)
            Assert.True(curve[i].KlPerReview < bound, $"update {i + 1}: KL {curve[i].KlPerReview:F2} nats per review, bound {bound:F2}");
    }

    [Fact]
    public void Run_AdaptiveBeta_ScoreRisesWhileKlStaysUnderItsTargetAndSettlesThere()
    {
        PpoRun adaptive = run.Result.Runs[1];
        double finalKl = MeanOfLast(adaptive.Curve, 5, point => point.KlPerReview);
        double initialScore = adaptive.Curve[0].MeanScore, finalScore = MeanOfLast(adaptive.Curve, 5, point => point.MeanScore);
        double highestKl = adaptive.Curve.Max(point => point.KlPerReview);
        output.WriteLine($"adaptive beta, target KL {TargetKlPerReview}: score {initialScore:F2} to {finalScore:F2}, KL of the last 5 updates {finalKl:F2}, highest KL of one update {highestKl:F2} nats per review");

        Assert.True(finalScore > initialScore + 1, $"the score went from {initialScore:F2} to {finalScore:F2}");
        Assert.InRange(finalKl, 0.75 * TargetKlPerReview, 1.25 * TargetKlPerReview);
        Assert.True(highestKl < 1.25 * TargetKlPerReview, $"one update's KL reached {highestKl:F2} nats per review, target {TargetKlPerReview}");
    }

    [Fact]
    public void Run_SameSeed_GivesIdenticalResults()
    {
        var options = new RlhfOptions
        {
            CorpusReviews = 256,
            SupervisedEpochs = 1,
            PreferencePairs = 200,
            RewardModelEpochs = 2,
            PpoTimesteps = 2048,
            EvaluationReviews = 64,
            Penalties = [new(1f, TargetPerReview: 1f)],
        };

        RlhfResult first = RlhfPipeline.Run(options, TextWriter.Null), second = RlhfPipeline.Run(options, TextWriter.Null);

        Assert.Equal(first.RewardModelAccuracy, second.RewardModelAccuracy);
        Assert.Equal(first.Runs[0].Curve, second.Runs[0].Curve);
        Assert.Equal(first.Runs[0].Final.MeanScore, second.Runs[0].Final.MeanScore);
        Assert.Equal(first.Runs[0].Final.KlPerReview, second.Runs[0].Final.KlPerReview);
        Assert.Equal(first.Runs[0].Final.Examples.Select(review => review.Tokens), second.Runs[0].Final.Examples.Select(review => review.Tokens));
    }

    [Fact]
    public void Step_LastToken_TerminatesWithTheRewardModelScore()
    {
        var rewardModel = new RewardModel([8], seed: 2);
        using var environment = new ReviewWritingEnvironment(rewardModel);
        int[] review = [0, 4, 5, 9, 1, 4, 7, 10];
        float[] observation = new float[ReviewEncoding.ObservationSize];
        environment.Reset(observation);

        for (int i = 0; i < review.Length - 1; i++)
            Assert.Equal(new StepResult(0f, Terminated: false, Truncated: false), environment.Step([review[i]], observation));
        StepResult last = environment.Step([review[^1]], observation);

        Assert.Equal(new StepResult(rewardModel.Score(review), Terminated: true, Truncated: false), last);
        Assert.Throws<InvalidOperationException>(() => environment.Step([0f], observation));
    }

    private static double MeanOfLast(IReadOnlyList<TrainingPoint> curve, int count, Func<TrainingPoint, double> value) =>
        curve.Skip(curve.Count - count).Average(value);

    /// <summary>One small run of the pipeline, shared by the tests: a few seconds instead of the sample's default budget.</summary>
    public sealed class SmallRun
    {
        public RlhfResult Result { get; } = RlhfPipeline.Run(
            new RlhfOptions
            {
                Seed = 1,
                CorpusReviews = 2048,
                SupervisedEpochs = 6,
                PreferencePairs = 4000,
                RewardModelEpochs = 30,
                PpoTimesteps = 40_000,
                EvaluationReviews = 500,
                Penalties = [new(FixedBeta), new(1f, TargetPerReview: TargetKlPerReview)],
            },
            TextWriter.Null);
    }
}
