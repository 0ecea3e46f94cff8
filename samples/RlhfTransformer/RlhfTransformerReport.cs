using System.Globalization;

namespace Ppo.Samples.RlhfTransformer;

/// <summary>Prints what the pipeline does and what it produced.</summary>
public static class RlhfTransformerReport
{
    public static void WriteIntroduction(RlhfTransformerOptions options, TextWriter output)
    {
        output.WriteLine(Invariant($"RLHF on a small causal transformer (TorchSharp), seed {options.Seed}"));
        output.WriteLine(Invariant($"  a generated review language of {ReviewLanguage.VocabularySize} words over {ReviewLanguage.TopicCount} topics, one token per word; a prompt names the topic (\"hotel review :\")"));
        output.WriteLine("  a review is one or two sentences of \"the NOUN was [MODIFIER] ADJECTIVE\" clauses joined by \"and\" or \"but\", sometimes a verdict, then <end>");
        output.WriteLine("  the people prefer positive, on-topic reviews: adjectives +-1 (+-2 strong), \"very\"/\"really\" double, \"not\" halves and flips,");
        output.WriteLine(Invariant($"  \"i would recommend it\" +2; -{ReviewLanguage.OffTopicPenalty} per noun of another topic; a review that breaks the grammar rates {ReviewLanguage.IllFormedRating}"));
        output.WriteLine("  no pretrained weights: the GPT (2 blocks, width 64, 4 heads) is pretrained here on the corpus");
        output.WriteLine();
    }

    public static void WriteResults(RlhfTransformerResult result, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("reviews sampled from each policy (reward-model score, the people's hidden rating):");
        WriteExamples("SFT, the reference", result.Supervised, output);
        foreach (PpoRun run in result.Runs)
            WriteExamples($"PPO, {run.Setting.Label}", run.Final, output);

        output.WriteLine();
        output.WriteLine("means over the sampled reviews of each policy; the score is normalized so that SFT reviews score 0 +- 1; KL(pi || pi_SFT) in nats per review;");
        output.WriteLine("gamed: score above the SFT's 90th percentile with a rating below the SFT's median; well-formed: follows the grammar");
        output.WriteLine("  policy                              score   rating  KL to SFT  gamed  well-formed  length");
        WriteRow("SFT", result.Supervised, output);
        foreach (PpoRun run in result.Runs)
            WriteRow($"PPO, {run.Setting.Label}", run.Final, output);
        output.WriteLine();
        foreach ((string stage, double seconds) in result.StageSeconds)
            output.WriteLine(Invariant($"  {stage}: {seconds:F1} s"));
    }

    private static void WriteExamples(string title, PolicySummary summary, TextWriter output)
    {
        output.WriteLine("  " + title);
        foreach (ScoredReview review in summary.Examples)
            output.WriteLine(Invariant($"    {review.Score,6:+0.00;-0.00;0.00}  {review.Rating,6:+0.0;-0.0;0.0}  [{ReviewLanguage.TopicName(review.Topic)}] {ReviewLanguage.Decode(review.Response)}"));
    }

    private static void WriteRow(string name, PolicySummary summary, TextWriter output) =>
        output.WriteLine(Invariant($"  {name,-32}  {summary.MeanScore,6:+0.00;-0.00;0.00}  {summary.MeanRating,7:+0.00;-0.00;0.00}  {summary.KlPerReview,9:F2}  {100 * summary.GamedFraction,4:F1}%  {100 * summary.WellFormedFraction,10:F1}%  {summary.MeanLength,6:F1}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
