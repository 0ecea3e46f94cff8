using System.Globalization;

namespace Ppo.Samples.Rlhf;

/// <summary>Prints what the pipeline does and what it produced.</summary>
public static class RlhfReport
{
    public static void WriteIntroduction(RlhfOptions options, TextWriter output)
    {
        output.WriteLine(Invariant($"RLHF on a toy language of restaurant reviews, seed {options.Seed}"));
        output.WriteLine(Invariant($"  vocabulary of {ReviewLanguage.VocabularySize} tokens: {ReviewLanguage.Format([.. Enumerable.Range(0, ReviewLanguage.VocabularySize)])}"));
        output.WriteLine(Invariant($"  a review is {ReviewLanguage.ReviewLength} tokens, two clauses \"subject was modifier adjective\"; a corpus review leans positive or negative"));
        output.WriteLine("  the people prefer positive reviews: good +1, great +2, bad -1, awful -2; \"very\" doubles, \"not\" halves and flips;");
        output.WriteLine(Invariant($"  a review that breaks the grammar rates {ReviewLanguage.GibberishRating}, below every other"));
        output.WriteLine();
    }

    public static void WriteResults(RlhfResult result, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("reviews sampled from each policy (reward-model score, rating by the people's hidden rule):");
        WriteExamples("SFT, the reference", result.Supervised, output);
        foreach (PpoRun run in result.Runs)
            WriteExamples($"PPO, {run.Penalty.Label}", run.Final, output);

        output.WriteLine();
        output.WriteLine(Invariant($"means over {result.Supervised.ReviewCount} sampled reviews per policy; the score is normalized so that SFT reviews score 0 ± 1,"));
        output.WriteLine(Invariant($"and the KL(π ‖ π_SFT) is in nats per review, the sum over its {ReviewLanguage.ReviewLength} tokens:"));
        output.WriteLine("  policy                                score     rating  KL to SFT");
        WriteRow("SFT", result.Supervised, output);
        foreach (PpoRun run in result.Runs)
            WriteRow($"PPO, {run.Penalty.Label}", run.Final, output);
    }

    private static void WriteExamples(string title, PolicySummary summary, TextWriter output)
    {
        output.WriteLine("  " + title);
        foreach (ScoredReview review in summary.Examples)
            output.WriteLine(Invariant($"    {review.Score,6:+0.00;-0.00;0.00}  {ReviewLanguage.Rating(review.Tokens),5:+0.0;-0.0;0.0}  {ReviewLanguage.Format(review.Tokens)}"));
    }

    private static void WriteRow(string name, PolicySummary summary, TextWriter output) =>
        output.WriteLine(Invariant($"  {name,-34}  {summary.MeanScore,6:+0.00;-0.00;0.00}  {summary.MeanRating,9:+0.00;-0.00;0.00}  {summary.KlPerReview,9:F2}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
