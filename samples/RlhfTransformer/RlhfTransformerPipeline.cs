using System.Diagnostics;
using System.Globalization;
using Ppo.Randomness;
using Ppo.TorchSharp.LanguageModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppo.Samples.RlhfTransformer;

/// <summary>
/// RLHF on a small causal transformer, after Ziegler et al. (2019) and TRL's gpt2-sentiment example: (1) supervised
/// fine-tuning of a GPT on a generated review corpus, (2) a transformer reward model fitted with the Bradley–Terry loss
/// to noisy synthetic preferences between the supervised policy's reviews, (3) PPO over tokens against the reward
/// model with a per-token KL penalty toward the frozen supervised policy, for each KL setting.
/// </summary>
public static class RlhfTransformerPipeline
{
    private const int HeldOutCorpusReviews = 512;
    private const int ExampleCount = 5;

    private static readonly GenerationOptions Sampling = new()
    {
        StopToken = ReviewLanguage.End,
        MinResponseLength = 2,
        MaxResponseLength = ReviewLanguage.MaxResponseLength,
        PaddingToken = ReviewLanguage.Padding,
    };

    public static RlhfTransformerResult Run(RlhfTransformerOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        set_num_threads(options.Threads);
        var stages = new List<(string, double)>();
        var clock = Stopwatch.StartNew();

        // Stage 1: supervised fine-tuning on the corpus.
        var corpusRandom = new SeededRandom(StreamSeed(options.Seed, 0));
        (List<int[]> prompts, List<int[]> reviews) = WriteCorpus(options.CorpusReviews, corpusRandom);
        (List<int[]> heldOutPrompts, List<int[]> heldOutReviews) = WriteCorpus(HeldOutCorpusReviews, corpusRandom);
        var supervised = new TransformerLanguageModel(ModelShape(StreamSeed(options.Seed, 1)));
        IReadOnlyList<float> losses = SupervisedFineTuning.Train(supervised, prompts, reviews, options.SupervisedEpochs, batchSize: 64, learningRate: 2e-3f, StreamSeed(options.Seed, 2), ReviewLanguage.Padding);
        double heldOutLikelihood = HeldOutLikelihood(supervised, heldOutPrompts, heldOutReviews);
        stages.Add(("supervised fine-tuning", clock.Elapsed.TotalSeconds));
        log.WriteLine(Invariant($"stage 1, supervised fine-tuning on {options.CorpusReviews} reviews ({options.SupervisedEpochs} epochs): {clock.Elapsed.TotalSeconds:F1} s"));
        log.WriteLine(Invariant($"  training loss {losses[0]:F3} -> {losses[^1]:F3}, held-out {heldOutLikelihood:F3} nats per response token"));

        // Stage 2: the reward model, from noisy preferences between pairs of the supervised policy's reviews.
        clock.Restart();
        using var generator = new Generator(StreamSeed(options.Seed, 3));
        var topicRandom = new SeededRandom(StreamSeed(options.Seed, 4));
        var peopleRandom = new SeededRandom(StreamSeed(options.Seed, 5));
        var pairs = new List<PreferencePair>(options.PreferencePairs);
        while (pairs.Count < options.PreferencePairs)
        {
            List<int[]> pairPrompts = RandomPrompts(Math.Min(64, options.PreferencePairs - pairs.Count), topicRandom);
            SequenceBatch first = LanguageModelGeneration.Generate(supervised, pairPrompts, Sampling, generator).Batch;
            SequenceBatch second = LanguageModelGeneration.Generate(supervised, pairPrompts, Sampling, generator).Batch;
            for (int i = 0; i < pairPrompts.Count; i++)
                pairs.Add(SyntheticPeople.Compare(pairPrompts[i], first.Response(i).ToArray(), second.Response(i).ToArray(), peopleRandom));
        }

        int heldOutCount = options.PreferencePairs / 5;
        List<PreferencePair> trainingPairs = pairs[heldOutCount..], heldOutPairs = pairs[..heldOutCount];
        var rewardModel = new TransformerRewardModel(ModelShape(StreamSeed(options.Seed, 6)));
        rewardModel.Train(trainingPairs, options.RewardModelEpochs, batchSize: 64, learningRate: 1e-3f, StreamSeed(options.Seed, 7), ReviewLanguage.Padding);
        double accuracy = Accuracy(rewardModel, heldOutPairs), ruleAccuracy = SyntheticPeople.RuleAccuracy(heldOutPairs);
        IRewardModel normalized = Normalize(rewardModel, supervised, generator, topicRandom, options.EvaluationReviews);
        stages.Add(("reward model", clock.Elapsed.TotalSeconds));
        log.WriteLine(Invariant($"stage 2, reward model from {trainingPairs.Count} preference pairs ({options.RewardModelEpochs} epochs): {clock.Elapsed.TotalSeconds:F1} s"));
        log.WriteLine(Invariant($"  held-out accuracy {100 * accuracy:F1}% of {heldOutCount} pairs; the hidden rule itself: {100 * ruleAccuracy:F1}%, since the people are noisy"));

        // Stage 3: PPO from the supervised policy, once per KL setting.
        clock.Restart();
        (PolicySummary supervisedSummary, double scoreThreshold, double ratingThreshold) = MeasureSupervised(supervised, normalized, options, StreamSeed(options.Seed, 8));
        log.WriteLine(Invariant($"stage 3, PPO over tokens against the reward model with a per-token KL penalty toward the SFT policy, {options.PpoSteps} steps of {options.PromptsPerStep} reviews per run"));
        var runs = new List<PpoRun>();
        foreach (KlSetting setting in options.KlSettings)
        {
            clock.Restart();
            TransformerLanguageModel policy = supervised.Clone();
            List<TrainingPoint> curve = FineTune(policy, supervised, normalized, setting, options, StreamSeed(options.Seed, 16 + runs.Count));
            PolicySummary final = Measure(policy, supervised, normalized, options.EvaluationReviews, StreamSeed(options.Seed, 8), scoreThreshold, ratingThreshold);
            runs.Add(new PpoRun(setting, curve, final, clock.Elapsed.TotalSeconds));
            stages.Add(($"PPO, {setting.Label}", clock.Elapsed.TotalSeconds));
            log.WriteLine(Invariant($"  {setting.Label}: score {final.MeanScore:+0.00;-0.00}, rating {final.MeanRating:+0.00;-0.00}, KL {final.KlPerReview:F2} nats per review, gamed {100 * final.GamedFraction:F1}%, {clock.Elapsed.TotalSeconds:F1} s"));
            policy.Dispose();
        }

        return new RlhfTransformerResult(heldOutLikelihood, accuracy, ruleAccuracy, heldOutCount, supervisedSummary, runs, stages);
    }

    private static TransformerOptions ModelShape(ulong seed) => new()
    {
        VocabularySize = ReviewLanguage.VocabularySize,
        ContextLength = ReviewLanguage.PromptLength + ReviewLanguage.MaxResponseLength,
        EmbeddingSize = 64,
        HeadCount = 4,
        LayerCount = 2,
        Seed = seed,
    };

    private static List<TrainingPoint> FineTune(TransformerLanguageModel policy, TransformerLanguageModel reference, IRewardModel rewardModel, KlSetting setting, RlhfTransformerOptions options, ulong seed)
    {
        var ppoOptions = new TokenPpoOptions
        {
            LearningRate = 3e-4f,
            MiniBatchSize = 16,
            KlCoefficient = setting.Coefficient,
            AdaptiveKlTarget = setting.Target,
            AdaptiveKlHorizon = 16 * options.PromptsPerStep,
            Seed = seed,
        };
        using var trainer = new TokenPpoTrainer(policy, reference, rewardModel, ppoOptions, Sampling);
        var topicRandom = new SeededRandom(seed ^ 0x5eed);
        var curve = new List<TrainingPoint>(options.PpoSteps);
        for (int step = 0; step < options.PpoSteps; step++)
        {
            TokenPpoStepResult result = trainer.Step(RandomPrompts(options.PromptsPerStep, topicRandom));
            double rating = 0;
            for (int row = 0; row < result.Generation.Batch.RowCount; row++)
                rating += ReviewLanguage.Rating(ReviewLanguage.TopicOf(result.Generation.Batch.Prompt(row)), result.Generation.Batch.Response(row));
            TokenPpoStatistics statistics = result.Statistics;
            curve.Add(new TrainingPoint(step + 1, statistics.MeanScore, rating / result.Generation.Batch.RowCount, statistics.KlK1, statistics.KlCoefficient));
        }

        return curve;
    }

    private static (PolicySummary Summary, double ScoreThreshold, double RatingThreshold) MeasureSupervised(TransformerLanguageModel supervised, IRewardModel rewardModel, RlhfTransformerOptions options, ulong seed)
    {
        (List<ScoredReview> reviews, double kl) = Sample(supervised, supervised, rewardModel, options.EvaluationReviews, seed);
        double[] scores = [.. reviews.Select(review => (double)review.Score).Order()];
        double[] ratings = [.. reviews.Select(review => review.Rating).Order()];
        double scoreThreshold = scores[(int)(0.9 * (scores.Length - 1))], ratingThreshold = ratings[(ratings.Length - 1) / 2];
        return (Summarize(reviews, kl, scoreThreshold, ratingThreshold), scoreThreshold, ratingThreshold);
    }

    private static PolicySummary Measure(TransformerLanguageModel policy, TransformerLanguageModel reference, IRewardModel rewardModel, int count, ulong seed, double scoreThreshold, double ratingThreshold)
    {
        (List<ScoredReview> reviews, double kl) = Sample(policy, reference, rewardModel, count, seed);
        return Summarize(reviews, kl, scoreThreshold, ratingThreshold);
    }

    private static PolicySummary Summarize(List<ScoredReview> reviews, double kl, double scoreThreshold, double ratingThreshold)
    {
        double score = 0, rating = 0, wellFormed = 0, gamed = 0, length = 0;
        foreach (ScoredReview review in reviews)
        {
            score += review.Score;
            rating += review.Rating;
            length += review.Response.Length;
            wellFormed += ReviewLanguage.IsWellFormed(review.Topic, review.Response) ? 1 : 0;
            gamed += review.Score > scoreThreshold && review.Rating < ratingThreshold ? 1 : 0;
        }

        int n = reviews.Count;
        return new PolicySummary(score / n, rating / n, kl, wellFormed / n, gamed / n, length / n, reviews[..ExampleCount]);
    }

    /// <summary>Samples <paramref name="count"/> reviews and scores them; the KL is the k1 estimate per review against <paramref name="reference"/>.</summary>
    private static (List<ScoredReview> Reviews, double KlPerReview) Sample(TransformerLanguageModel policy, TransformerLanguageModel reference, IRewardModel rewardModel, int count, ulong seed)
    {
        using var generator = new Generator(seed >> 1);
        var topicRandom = new SeededRandom(seed);
        var reviews = new List<ScoredReview>(count);
        double klSum = 0;
        while (reviews.Count < count)
        {
            using DisposeScope scope = NewDisposeScope();
            List<int[]> prompts = RandomPrompts(Math.Min(128, count - reviews.Count), topicRandom);
            GenerationResult generation = LanguageModelGeneration.Generate(policy, prompts, Sampling, generator);
            SequenceBatch batch = generation.Batch;
            float[] scores = rewardModel.Score(batch);
            using (no_grad())
            {
                Tensor tokens = batch.TokenTensor(CPU);
                Tensor referenceLogProbabilities = TokenPpoLoss.TokenLogProbabilities(reference.Forward(tokens).Logits, tokens, Sampling.Temperature);
                Tensor logProbabilities = TokenPpoLoss.TokenLogProbabilities(policy.Forward(tokens).Logits, tokens, Sampling.Temperature);
                klSum += ((logProbabilities - referenceLogProbabilities) * batch.ActionMask(CPU)).sum().item<float>();
            }

            for (int row = 0; row < batch.RowCount; row++)
            {
                int topic = ReviewLanguage.TopicOf(batch.Prompt(row));
                int[] response = batch.Response(row).ToArray();
                reviews.Add(new ScoredReview(topic, response, scores[row], ReviewLanguage.Rating(topic, response)));
            }
        }

        return (reviews, klSum / count);
    }

    private static NormalizedRewardModel Normalize(TransformerRewardModel rewardModel, TransformerLanguageModel supervised, Generator generator, SeededRandom topicRandom, int count)
    {
        var scores = new List<float>(count);
        while (scores.Count < count)
        {
            List<int[]> prompts = RandomPrompts(Math.Min(128, count - scores.Count), topicRandom);
            scores.AddRange(rewardModel.Score(LanguageModelGeneration.Generate(supervised, prompts, Sampling, generator).Batch));
        }

        double mean = scores.Average();
        double deviation = Math.Sqrt(scores.Sum(score => (score - mean) * (score - mean)) / (scores.Count - 1));
        return new NormalizedRewardModel(rewardModel, (float)mean, (float)Math.Max(deviation, 1e-6));
    }

    private static double Accuracy(TransformerRewardModel rewardModel, List<PreferencePair> pairs)
    {
        float[] chosen = rewardModel.Score(SequenceBatch.FromPairs([.. pairs.Select(pair => pair.Prompt)], [.. pairs.Select(pair => pair.Chosen)], ReviewLanguage.Padding));
        float[] rejected = rewardModel.Score(SequenceBatch.FromPairs([.. pairs.Select(pair => pair.Prompt)], [.. pairs.Select(pair => pair.Rejected)], ReviewLanguage.Padding));
        double agreed = 0;
        for (int i = 0; i < pairs.Count; i++)
            agreed += chosen[i] > rejected[i] ? 1 : chosen[i] == rejected[i] ? 0.5 : 0;
        return agreed / pairs.Count;
    }

    private static double HeldOutLikelihood(TransformerLanguageModel model, List<int[]> prompts, List<int[]> reviews)
    {
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGradient = no_grad();
        return SupervisedFineTuning.MeanNegativeLogLikelihood(model, SequenceBatch.FromPairs(prompts, reviews, ReviewLanguage.Padding)).item<float>();
    }

    private static (List<int[]> Prompts, List<int[]> Reviews) WriteCorpus(int count, SeededRandom random)
    {
        var prompts = new List<int[]>(count);
        var reviews = new List<int[]>(count);
        for (int i = 0; i < count; i++)
        {
            int topic = random.NextInt(ReviewLanguage.TopicCount);
            prompts.Add(ReviewLanguage.Prompt(topic));
            reviews.Add(ReviewLanguage.WriteCorpusReview(topic, random));
        }

        return (prompts, reviews);
    }

    private static List<int[]> RandomPrompts(int count, SeededRandom random)
    {
        var prompts = new List<int[]>(count);
        for (int i = 0; i < count; i++)
            prompts.Add(ReviewLanguage.Prompt(random.NextInt(ReviewLanguage.TopicCount)));
        return prompts;
    }

    private static ulong StreamSeed(int seed, int stream) => ((ulong)(uint)seed << 8) | (uint)stream;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
