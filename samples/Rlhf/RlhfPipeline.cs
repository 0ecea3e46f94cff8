using System.Diagnostics;
using System.Globalization;
using Ppo.Environments;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Training;

namespace Ppo.Samples.Rlhf;

/// <summary>
/// Reinforcement learning from human feedback in miniature, after Ziegler et al. (2019), "Fine-tuning language models
/// from human preferences": (1) supervised fine-tuning of a policy on a corpus, (2) a reward model fitted to pairwise
/// preferences between the supervised policy's samples, (3) PPO against the reward model with a per-token KL penalty
/// toward the frozen supervised policy.
/// </summary>
public static class RlhfPipeline
{
    private const int HeldOutCorpusReviews = 512;
    private const int ExampleCount = 6;

    private static readonly ActorCriticOptions PolicyArchitecture = new() { PolicyHiddenSizes = [64, 64], ValueHiddenSizes = [64, 64] };

    public static RlhfResult Run(RlhfOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);

        // Stage 1: supervised fine-tuning.
        var clock = Stopwatch.StartNew();
        var corpusRandom = new SeededRandom(StreamSeed(options.Seed, 0));
        List<int[]> corpus = WriteCorpus(options.CorpusReviews, corpusRandom);
        List<int[]> heldOutCorpus = WriteCorpus(HeldOutCorpusReviews, corpusRandom);
        var supervised = new ActorCritic(ReviewEncoding.ObservationSize, new DiscreteSpace(ReviewLanguage.VocabularySize), PolicyArchitecture, seed: StreamSeed(options.Seed, 1));
        SupervisedFineTuning.Train(supervised, corpus, options.SupervisedEpochs, batchSize: 256, learningRate: 3e-3f, new SeededRandom(StreamSeed(options.Seed, 2)));
        double heldOutLikelihood = SupervisedFineTuning.NegativeLogLikelihood(supervised, heldOutCorpus);
        double corpusEntropy = CorpusEntropy(heldOutCorpus);
        log.WriteLine(Invariant($"stage 1, supervised fine-tuning on {options.CorpusReviews} corpus reviews ({options.SupervisedEpochs} epochs): {clock.Elapsed.TotalSeconds:F1} s"));
        log.WriteLine(Invariant($"  held-out negative log-likelihood {heldOutLikelihood:F3} nats per token; the corpus's own: {corpusEntropy:F3}"));

        // Stage 2: the reward model, from people's preferences between pairs of the supervised policy's reviews.
        clock.Restart();
        var samplingRandom = new SeededRandom(StreamSeed(options.Seed, 3));
        List<PreferencePair> pairs = SyntheticPeople.Compare(ReviewSampler.Sample(supervised, 2 * options.PreferencePairs, samplingRandom), new SeededRandom(StreamSeed(options.Seed, 4)));
        int heldOutCount = options.PreferencePairs / 5;
        List<PreferencePair> trainingPairs = pairs[heldOutCount..], heldOutPairs = pairs[..heldOutCount];
        var rewardModel = new RewardModel([64], StreamSeed(options.Seed, 5));
        rewardModel.Train(trainingPairs, options.RewardModelEpochs, batchSize: 64, learningRate: 1e-3f, new SeededRandom(StreamSeed(options.Seed, 6)));
        rewardModel.Normalize(ReviewSampler.Sample(supervised, options.EvaluationReviews, samplingRandom));
        double accuracy = rewardModel.Accuracy(heldOutPairs), ruleAccuracy = SyntheticPeople.RuleAccuracy(heldOutPairs);
        log.WriteLine(Invariant($"stage 2, reward model from {trainingPairs.Count} preference pairs between SFT reviews ({options.RewardModelEpochs} epochs): {clock.Elapsed.TotalSeconds:F1} s"));
        log.WriteLine(Invariant($"  held-out accuracy {100 * accuracy:F1}% of {heldOutCount} pairs; the hidden rule itself: {100 * ruleAccuracy:F1}%, since the people are noisy"));

        // Stage 3: PPO from the supervised policy, once per KL penalty.
        PolicySummary supervisedSummary = Summarize(supervised, supervised, rewardModel, options.EvaluationReviews, StreamSeed(options.Seed, 7));
        log.WriteLine(Invariant($"stage 3, PPO against the reward model with a per-token KL penalty toward the SFT policy, {options.PpoTimesteps} tokens per run"));
        var runs = new List<PpoRun>();
        foreach (KlPenalty penalty in options.Penalties)
        {
            clock.Restart();
            ActorCritic policy = supervised.Clone();
            IReadOnlyList<TrainingPoint> curve = FineTune(policy, supervised, rewardModel, penalty, options);
            PolicySummary final = Summarize(policy, supervised, rewardModel, options.EvaluationReviews, StreamSeed(options.Seed, 8 + runs.Count));
            runs.Add(new PpoRun(penalty, curve, final, clock.Elapsed.TotalSeconds));
            log.WriteLine(Invariant($"  {penalty.Label}: score {final.MeanScore:+0.00;-0.00}, KL {final.KlPerReview:F2} nats per review, {clock.Elapsed.TotalSeconds:F1} s"));
        }

        return new RlhfResult(heldOutLikelihood, corpusEntropy, accuracy, ruleAccuracy, heldOutCount, supervisedSummary, runs);
    }

    private static List<TrainingPoint> FineTune(ActorCritic policy, ActorCritic reference, RewardModel rewardModel, KlPenalty penalty, RlhfOptions options)
    {
        // A rollout is 16 × 64 tokens: 128 whole reviews. γ = 1 and λ = 0.95 as in Ziegler et al. (2019): the score
        // comes only at the end of a review, and no token's share of it should fade with distance. The horizon lets an
        // adaptive β change by at most 0.2 × 1024 / 4096 = 5 % per update, so it settles within a few thousand reviews.
        var ppoOptions = new PpoOptions
        {
            NumEnvs = 16,
            NumSteps = 64,
            BatchSize = 256,
            NumEpochs = 4,
            Gamma = 1f,
            GaeLambda = 0.95f,
            LearningRate = 3e-4,
            ReferenceKlCoef = penalty.Coefficient,
            ReferenceKlTarget = penalty.TargetPerToken,
            ReferenceKlHorizon = 4096,
            Seed = options.Seed,
        };
        using var environment = SyncVectorEnvironment.Create(ppoOptions.NumEnvs, _ => new ReviewWritingEnvironment(rewardModel));
        var trainer = new PpoTrainer(environment, policy, ppoOptions) { ReferencePolicy = reference };
        var recorder = new TrainingRecorder();
        trainer.Learn(options.PpoTimesteps, recorder);
        return recorder.Points;
    }

    private static PolicySummary Summarize(ActorCritic policy, ActorCritic reference, RewardModel rewardModel, int count, ulong seed)
    {
        SampledReviews sample = ReviewSampler.Sample(policy, reference, count, new SeededRandom(seed));
        double scoreSum = 0, rating = 0, kl = 0;
        var examples = new List<ScoredReview>();
        for (int i = 0; i < count; i++)
        {
            float score = rewardModel.Score(sample.Reviews[i]);
            scoreSum += score;
            rating += ReviewLanguage.Rating(sample.Reviews[i]);
            kl += sample.KlToReference![i];
            if (i < ExampleCount)
                examples.Add(new ScoredReview(sample.Reviews[i], score));
        }

        return new PolicySummary(count, scoreSum / count, rating / count, kl / count, examples);
    }

    private static List<int[]> WriteCorpus(int count, SeededRandom random)
    {
        var reviews = new List<int[]>(count);
        for (int i = 0; i < count; i++)
        {
            int[] review = new int[ReviewLanguage.ReviewLength];
            ReviewLanguage.WriteCorpusReview(random, review);
            reviews.Add(review);
        }

        return reviews;
    }

    private static double CorpusEntropy(List<int[]> reviews)
    {
        double sum = 0;
        foreach (int[] review in reviews)
            sum -= ReviewLanguage.CorpusLogProbability(review);
        return sum / (reviews.Count * ReviewLanguage.ReviewLength);
    }

    private static ulong StreamSeed(int seed, int stream) => ((ulong)(uint)seed << 8) | (uint)stream;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Records the reward-model score and the KL to the reference of each update's rollout.</summary>
    private sealed class TrainingRecorder : TrainingCallback
    {
        private double _scoreSum;
        private int _reviewCount;

        public List<TrainingPoint> Points { get; } = [];

        public override void OnEpisodeEnd(PpoTrainer trainer, double episodeReturn, int length)
        {
            _scoreSum += episodeReturn;
            _reviewCount++;
        }

        public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
        {
            Points.Add(new TrainingPoint(
                metrics.TotalTimesteps / ReviewLanguage.ReviewLength,
                _scoreSum / _reviewCount,
                metrics.ReferenceKl * ReviewLanguage.ReviewLength,
                metrics.ReferenceKlCoefficient));
            _scoreSum = 0;
            _reviewCount = 0;
            return true;
        }
    }
}
