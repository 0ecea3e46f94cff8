using Ppo.Samples.Ablations;
using SkiaSharp;

namespace Ppo.Samples.Tests;

/// <summary>Checks the Ablations sample: the clipped-objective curve it draws, a tiny clip-range study and its command line.</summary>
[Trait("Category", "Slow")]
public sealed class AblationsTests
{
    [Theory]
    [InlineData(1f, 0.5)]    // below 1 − ε: the unclipped term is the smaller, so r·A
    [InlineData(1f, 1.1)]    // inside the clip range
    [InlineData(1f, 1.5)]    // above 1 + ε: clipped to (1 + ε)·A
    [InlineData(-1f, 0.5)]   // below 1 − ε: clipped to (1 − ε)·A
    [InlineData(-1f, 0.9)]   // inside the clip range
    [InlineData(-1f, 1.5)]   // above 1 + ε: the unclipped term is the smaller, so r·A
    public void Compute_RatioOnEitherSideOfTheClip_EqualsMinimumOfUnclippedAndClippedTerms(float advantage, double ratio)
    {
        const float clipRange = 0.2f;
        double clipped = Math.Clamp(ratio, 1 - clipRange, 1 + clipRange);
        double expected = Math.Min(ratio * advantage, clipped * advantage);
        bool unclippedIsSmaller = ratio * advantage <= clipped * advantage;

        ClippedObjectiveCurve curve = ClippedObjectiveCurve.Compute(advantage, clipRange, [ratio]);

        Assert.Equal(expected, curve.Objectives[0], 5);
        Assert.Equal(unclippedIsSmaller ? ratio * advantage : 0, curve.Gradients[0], 5);
    }

    [Fact]
    public void Compute_PointCount_SpansZeroToTwoEvenly()
    {
        ClippedObjectiveCurve curve = ClippedObjectiveCurve.Compute(advantage: 1f, clipRange: 0.2f, points: 400);

        Assert.Equal(400, curve.Ratios.Count);
        Assert.Equal(0.005, curve.Ratios[0], 12);
        Assert.Equal(2.0, curve.Ratios[^1]);
        Assert.Equal(1.2, curve.Objectives[^1], 5);
    }

    [Fact]
    public void Run_TwoClipRangesOneSeed_RecordsCurvesThatMatchSequentialRunsAndDrawsThem()
    {
        var study = new ClipRangeStudy { ClipRanges = [0.1, 0.3], Seeds = 1, Timesteps = 5_000, Parallelism = 2 };

        IReadOnlyList<ClipRangeRun> runs = study.Run();

        Assert.Equal([0.1, 0.3], runs.Select(run => run.ClipRange));
        foreach (ClipRangeRun run in runs)
        {
            Assert.Equal(1, run.Seed);
            Assert.Equal(20, run.Steps.Count);   // ⌈5000 / (8 environments × 32 steps)⌉ updates
            Assert.Equal(5_120, run.Steps[^1]);
            Assert.Equal(run.Steps.Count, run.RollingReturns.Count);
            Assert.Equal(run.Steps.Count, run.ClipFractions.Count);
            Assert.InRange(run.FinalRollingReturn, 8, 500);
            Assert.InRange(run.EvaluationMeanReturn, 8, 500);

            ClipRangeRun alone = ClipRangeStudy.Train(run.ClipRange, run.Seed, study.Timesteps);
            Assert.Equal(alone.RollingReturns, run.RollingReturns);
            Assert.Equal(alone.ClipFractions, run.ClipFractions);
            Assert.Equal(alone.EvaluationMeanReturn, run.EvaluationMeanReturn);
        }

        string folder = Directory.CreateTempSubdirectory("ppo-ablations-").FullName;
        try
        {
            string path = Path.Combine(folder, "ablation.png");
            ClipRangeChart.Save(path, runs);
            using (SKBitmap png = SKBitmap.Decode(path))
                Assert.True(png.Width > 0 && png.Height > 0);

            var table = new StringWriter();
            ResultsTable.Write(table, runs);
            string[] lines = table.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, lines.Length);
            Assert.StartsWith("       0.1", lines[2], StringComparison.Ordinal);
            Assert.StartsWith("       0.3", lines[3], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Run_SmallStudy_WritesBothImagesAndExitsWithZero()
    {
        string folder = Directory.CreateTempSubdirectory("ppo-ablations-").FullName;
        try
        {
            string plot = Path.Combine(folder, "curves", "ablation.png"), objective = Path.Combine(folder, "objective.png");
            var output = new StringWriter();

            int exitCode = AblationsCommand.Run(["--clip-ranges", "0.2", "--seeds", "1", "--timesteps", "2e3", "--plot", plot, "--objective-plot", objective], output, TextWriter.Null);

            Assert.Equal(0, exitCode);
            using (SKBitmap image = SKBitmap.Decode(plot))
                Assert.True(image.Width > 0);
            using (SKBitmap image = SKBitmap.Decode(objective))
                Assert.True(image.Width > 0);
            Assert.Contains("clip range 0.2, seed 1", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--seeds", "0")]
    [InlineData("--timesteps", "-5")]
    [InlineData("--parallel", "two")]
    [InlineData("--clip-ranges", "0.1,0")]
    [InlineData("--clip-ranges", "0.1,0.1")]
    [InlineData("--unknown", "1")]
    public void Run_InvalidOption_ExitsWithTwoNamingTheOption(string option, string value)
    {
        var error = new StringWriter();

        int exitCode = AblationsCommand.Run([option, value], TextWriter.Null, error);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"error: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(option, error.ToString().Split(Environment.NewLine)[0], StringComparison.Ordinal);
    }
}
