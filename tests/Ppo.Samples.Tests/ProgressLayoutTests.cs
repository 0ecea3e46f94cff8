using Ppo.Training;
using Spectre.Console;

namespace Ppo.Samples.Tests;

/// <summary>Checks that the live progress display fits every terminal width from 60 columns up, without wrapping.</summary>
public sealed class ProgressLayoutTests
{
    public static TheoryData<int> Widths => [60, 61, 64, 72, 79, 80, 81, 100, 120, 132, 160, 200];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Lines_AnyWidthFromSixty_EveryLineShorterThanTheWidthWithBarPercentageAndTimeLeft(int width)
    {
        foreach ((long done, long total, UpdateMetrics? metrics) in Cases())
        {
            string[] lines = ProgressLayout.Lines("LunarLanderContinuous-v3", done, total, TimeSpan.FromSeconds(754), metrics, width);

            Assert.Equal(2, lines.Length);
            Assert.All(lines, line => Assert.True(line.Length < width, $"{line.Length} columns at width {width}: '{line}'"));
            Assert.Matches(@" \[[#-]{4,}\] +\d+%  \d+:\d\d(:\d\d)?  ", lines[0]);
            Assert.Matches(@"(left|done|--:--|>99 h)$", lines[0]);
            Assert.DoesNotContain('\n', lines[0] + lines[1]);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Lines_RenderedBySpectreAtThatWidth_TakeTwoRows(int width)
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        string[] lines = ProgressLayout.Lines("CartPole-v1", 51_200, 100_000, TimeSpan.FromSeconds(0.6), Metrics(totalTimesteps: 51_200), width);

        console.Write(new Text(string.Join('\n', lines)));

        Assert.Equal(lines, output.ToString().TrimEnd('\n').Split('\n').Select(line => line.TrimEnd()));
    }

    [Fact]
    public void Lines_Wide_ShowsEveryFigureAndABarOfSixty()
    {
        string[] lines = ProgressLayout.Lines("CartPole-v1", 25_000, 100_000, TimeSpan.FromSeconds(30), Metrics(totalTimesteps: 25_000), 200);

        Assert.Equal("CartPole-v1 [" + new string('#', 15) + new string('-', 45) + "]  25%  0:30  1:30 left", lines[0]);
        Assert.Equal("25000 steps  return 123.5  40000 steps/s  kl 0.0123  clip 0.125  ratio 1.001 ± 0.035  entropy 0.650  update 97", lines[1]);
    }

    [Fact]
    public void Lines_Narrow_KeepsTheMostImportantFigures()
    {
        string[] lines = ProgressLayout.Lines("CartPole-v1", 25_000, 100_000, TimeSpan.FromSeconds(30), Metrics(totalTimesteps: 25_000), 60);

        Assert.Equal("25000 steps  return 123.5  40000 steps/s  kl 0.0123", lines[1]);
    }

    private static IEnumerable<(long Done, long Total, UpdateMetrics? Metrics)> Cases() =>
    [
        (0, 100_000, null),
        (256, 100_000, Metrics(totalTimesteps: 256)),
        (99_999, 100_000, Metrics(totalTimesteps: 99_999)),
        (100_096, 100_000, Metrics(totalTimesteps: 100_096)),
        (1, 10_000_000_000, Metrics(totalTimesteps: 9_999_999_999, meanReturn: -123_456_789.5, stepsPerSecond: 12_345_678)),
    ];

    private static UpdateMetrics Metrics(long totalTimesteps, double meanReturn = 123.456, double stepsPerSecond = 40_000) =>
        new(Update: 97, TotalTimesteps: totalTimesteps, PolicyLoss: -0.01f, ValueLoss: 0.5f, EntropyLoss: -0.65f, Loss: 0.2f, ApproximateKl: 0.0123f,
            ClipFraction: 0.125f, ExplainedVariance: 0.9f, GradientNorm: 0.4f, LearningRate: 3e-4f, ClipRange: 0.2f, EpochsCompleted: 10, GradientSteps: 40,
            EarlyStopped: false, StepsPerSecond: stepsPerSecond, ElapsedSeconds: 1, MeanEpisodeReturn: meanReturn, MeanEpisodeLength: 200, EpisodesFinished: 12,
            RatioMean: 1.0012f, RatioStandardDeviation: 0.0346f);
}
