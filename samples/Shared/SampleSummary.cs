using System.Text.Json;

namespace Ppo.Samples;

/// <summary>The JSON summary a sample writes with <c>--summary</c>.</summary>
internal static class SampleSummary
{
    public static void Write(string path, string environment, int seed, long timesteps, double wallSeconds, double trainSeconds, Training.EvaluationResult evaluation)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("env", environment);
        json.WriteNumber("seed", seed);
        json.WriteNumber("timesteps", timesteps);
        json.WriteNumber("wall_seconds", Math.Round(wallSeconds, 3));
        json.WriteNumber("train_seconds", Math.Round(trainSeconds, 3));
        json.WriteNumber("eval_episodes", evaluation.Returns.Count);
        json.WriteNumber("eval_mean_return", evaluation.MeanReturn);
        json.WriteNumber("eval_std_return", evaluation.StandardDeviationOfReturn);
        json.WriteEndObject();
    }
}
