using Ppo.Training;

namespace Ppo.Tests.Training;

public sealed class MetricsCsvWriterTests
{
    [Fact]
    public void FormatRow_HasOneColumnPerHeaderField_InvariantCulture()
    {
        var metrics = new UpdateMetrics(3, 768, -0.01f, 0.5f, -0.6f, 0.2f, 0.004f, 0.1f, 0.9f, 0.7f, 1e-3f, 0.2f, 10, 20, false, 1234.5, 0.62, 21.5, 21.5, 40);

        string row = MetricsCsvWriter.FormatRow(metrics);

        Assert.Equal(MetricsCsvWriter.Header.Split(',').Length, row.Split(',').Length);
        Assert.StartsWith("3,768,-0.01,0.5,-0.6,0.2,0.004,0.1,0.9,0.7,0.001,0.2,10,20,0,1234.5,0.62,21.5,21.5,40", row, StringComparison.Ordinal);
    }

    [Fact]
    public void OnUpdate_WritesHeaderThenOneRowPerUpdate()
    {
        using var text = new StringWriter();
        using (var writer = new MetricsCsvWriter(text))
        {
            writer.OnUpdate(null!, new UpdateMetrics { Update = 1 });
            writer.OnUpdate(null!, new UpdateMetrics { Update = 2 });
        }

        string[] lines = text.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(MetricsCsvWriter.Header, lines[0]);
        Assert.StartsWith("2,", lines[2], StringComparison.Ordinal);
    }
}
