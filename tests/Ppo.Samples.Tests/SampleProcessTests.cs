using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Ppo.Samples.Tests;

/// <summary>Runs the built samples as processes, as a user runs them: help, mistakes in options and paths, run names.</summary>
[Trait("Category", "Slow")]
public sealed class SampleProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-sample-process-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, string[]> SampleOptions => new()
    {
        { "CartPole", ["--seed", "--timesteps", "--num-envs", "--load", "--save", "--summary", "--metrics", "--plot", "--tensorboard", "--export-onnx", "--engine", "--torch-threads"] },
        { "LunarLander", ["--seed", "--timesteps", "--num-envs", "--load", "--save", "--summary", "--metrics", "--plot", "--tensorboard", "--export-onnx", "--continuous", "--engine", "--torch-threads"] },
        { "Rlhf", ["--seed", "--timesteps", "--plot"] },
        { "Ablations", ["--clip-ranges", "--seeds", "--timesteps", "--parallel", "--plot", "--objective-plot"] },
        { "MinAtar", ["--seed", "--steps", "--threads", "--out"] },
        { "ConnectFour", ["--timesteps", "--plot"] },
        { "Distributed", ["--workers", "--seed", "--timesteps", "--spin-us", "--kill-worker-at-update", "--summary"] },
    };

    [Theory]
    [MemberData(nameof(SampleOptions))]
    public void Help_EverySample_ListsEachOfItsOptionsWithItsDefault(string sample, string[] options)
    {
        foreach (string help in new[] { "--help", "-h" })
        {
            (int exitCode, string output, string error) = Run(sample, help);

            Assert.Equal(0, exitCode);
            Assert.Empty(error);
            Assert.Matches($@"\n  dotnet run -c Release --project samples/{sample} -- (\[<\w+>\] |\[command\] )?\[options\]\n", output);
            Assert.Equal(options, OptionRows(output).Select(row => row.TrimStart().Split(' ')[0]));
            Assert.All(OptionRows(output), row => Assert.Contains("[default: ", row, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Help_MinAtar_ListsTheGameWithItsChoicesAndItsDefault()
    {
        (int exitCode, string output, _) = Run("MinAtar", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("dotnet run -c Release --project samples/MinAtar -- [<game>] [options]", output, StringComparison.Ordinal);
        string game = Assert.Single(output.Split('\n'), line => line.StartsWith("  <game>", StringComparison.Ordinal));
        Assert.Contains("breakout, cartpole, lunarlander [default: breakout]", game, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_DistributedWorkerMode_IsListedByTheLearnersHelpAndListsItsOwnOptions()
    {
        (int learnerExitCode, string learnerHelp, _) = Run("Distributed", "--help");
        (int exitCode, string output, string error) = Run("Distributed", "worker", "--help");

        Assert.Equal(0, learnerExitCode);
        Assert.Matches(@"Commands:\n  worker  Runs one worker process", learnerHelp);
        Assert.Equal(0, exitCode);
        Assert.Contains("dotnet run -c Release --project samples/Distributed -- worker [options]", output, StringComparison.Ordinal);
        Assert.Empty(error);
        Assert.Equal(["--redis", "--cluster", "--spin-us", "--parent"], OptionRows(output).Select(row => row.TrimStart().Split(' ')[0]));
        Assert.All(OptionRows(output), row => Assert.Matches(@"\[default: |\(REQUIRED\)", row));
    }

    [Theory]
    [InlineData("CartPole", "--seed -1", "--seed must be an integer in [0, 1000000000] (was '-1').")]
    [InlineData("CartPole", "--timesteps 0", "--timesteps must be a whole number in [1, 10000000000], such as 100000 or 1e5 (was '0'). Only with --load does 0 mean: evaluate it.")]
    [InlineData("CartPole", "--num-envs many", "--num-envs must be an integer in [1, 1024] (was 'many').")]
    [InlineData("LunarLander", "--timesteps 1e11", "--timesteps must be a whole number in [0, 10000000000], such as 100000 or 1e5 (was '1e11').")]
    [InlineData("Rlhf", "--timesteps 0", "--timesteps must be a whole number in [1, 100000000], such as 100000 or 1e5 (was '0').")]
    [InlineData("Rlhf", "--seed x", "--seed must be an integer in [0, 1000000000] (was 'x').")]
    [InlineData("Ablations", "--parallel 65", "--parallel must be an integer in [1, 64] (was '65').")]
    [InlineData("CartPole", "--engine onnx", "--engine must be one of managed, torchsharp (was 'onnx').")]
    [InlineData("LunarLander", "--torch-threads 0", "--torch-threads must be an integer in [1, 256] (was '0').")]
    [InlineData("MinAtar", "--threads 0", "--threads must be an integer in [1, 256] (was '0').")]
    [InlineData("MinAtar", "cartpole --steps 2.5e5x", "--steps must be a whole number in [1, 10000000000], such as 100000 or 1e5 (was '2.5e5x').")]
    [InlineData("MinAtar", "pong", "game must be one of breakout, cartpole, lunarlander (was 'pong').")]
    [InlineData("ConnectFour", "--timesteps 1e9", "--timesteps must be a whole number in [1, 100000000], such as 100000 or 1e5 (was '1e9').")]
    [InlineData("Distributed", "--workers 17", "--workers must be an integer in [0, 16] (was '17').")]
    [InlineData("Distributed", "--spin-us -1", "--spin-us must be an integer in [0, 1000000] (was '-1').")]
    [InlineData("Distributed", "--workers 1 --kill-worker-at-update 2", "--kill-worker-at-update needs --workers 2 or more, so that a live worker can take the lost slice.")]
    [InlineData("Distributed", "worker --redis 127.0.0.1:6379 --cluster c --parent -3", "--parent must be an integer in [0, 2147483647] (was '-3').")]
    [InlineData("Distributed", "worker --cluster c", "Option '--redis' is required.")]
    public void Run_ValueOutOfRange_ExitsWithTwoNamingTheOptionAndItsRangeWithoutAStackTrace(string sample, string arguments, string message)
    {
        (int exitCode, string output, string error) = Run(sample, arguments.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Equal($"error: {message}", error.Split('\n')[0]);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--save", "model.ppo")]
    [InlineData("--plot", "curves.png")]
    [InlineData("--summary", "summary.json")]
    [InlineData("--metrics", "metrics.csv")]
    [InlineData("--tensorboard", "runs")]
    [InlineData("--export-onnx", "policy.onnx")]
    public void Run_OutputPathUnderAnExistingFile_ExitsWithTwoBeforeTrainingNamingTheOption(string option, string name)
    {
        File.WriteAllText(Path.Combine(_folder, "notes"), "a file, not a folder");
        string path = Path.Combine(_folder, "notes", name);

        (int exitCode, string output, string error) = Run("CartPole", "--timesteps", "1e5", option, path);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith($"error: {option} '{path}' ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "checkpoints")));
    }

    [Theory]
    [InlineData("Rlhf", "--plot", "image.png", "cannot be written")]
    [InlineData("Ablations", "--plot", "image.png", "cannot be written")]
    [InlineData("Ablations", "--objective-plot", "image.png", "cannot be written")]
    [InlineData("ConnectFour", "--plot", "image.png", "cannot be written")]
    [InlineData("MinAtar", "--out", "curves", "cannot be used as a folder")]
    [InlineData("Distributed", "--summary", "summary.json", "cannot be written")]
    public void Run_OutputUnderAnExistingFile_ExitsWithTwoBeforeTrainingNamingTheOption(string sample, string option, string name, string problem)
    {
        File.WriteAllText(Path.Combine(_folder, "notes"), "a file, not a folder");
        string path = Path.Combine(_folder, "notes", name);

        (int exitCode, string output, string error) = Run(sample, option, path);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith($"error: {option} '{path}' {problem}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TwiceWithDefaultNames_GivesEachRunItsOwnCheckpointAndTensorBoardFolder()
    {
        string earlier = Path.Combine(_folder, "checkpoints", "cartpole-seed1.ppo");
        Directory.CreateDirectory(Path.GetDirectoryName(earlier)!);
        File.WriteAllText(earlier, "a model of the user's, named the old way");

        (int first, string firstOutput, _) = Run("CartPole", "--timesteps", "256", "--tensorboard", "runs");
        (int second, string secondOutput, _) = Run("CartPole", "--timesteps", "256", "--tensorboard", "runs");

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.Contains($"checkpoint: {Path.Combine("checkpoints", "cartpole-seed1_1.ppo")}", firstOutput, StringComparison.Ordinal);
        Assert.Contains($"checkpoint: {Path.Combine("checkpoints", "cartpole-seed1_2.ppo")}", secondOutput, StringComparison.Ordinal);
        Assert.Equal(
            ["cartpole-seed1.ppo", "cartpole-seed1_1.ppo", "cartpole-seed1_2.ppo"],
            Directory.GetFiles(Path.Combine(_folder, "checkpoints")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("a model of the user's, named the old way", File.ReadAllText(earlier));
        Assert.Equal(["cartpole-seed1_1", "cartpole-seed1_2"], Directory.GetDirectories(Path.Combine(_folder, "runs")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetDirectories(Path.Combine(_folder, "runs")), run => Assert.Single(Directory.GetFiles(run)));
    }

    [Fact]
    public void Run_SaveNamedByTheUser_ReplacesThatFile()
    {
        string path = Path.Combine(_folder, "mine.ppo");
        File.WriteAllText(path, "an older model");

        (int exitCode, string output, _) = Run("CartPole", "--timesteps", "256", "--save", path);

        Assert.Equal(0, exitCode);
        Assert.Contains($"checkpoint: {path}", output, StringComparison.Ordinal);
        Assert.NotEqual("an older model", File.ReadAllText(path));
        Assert.False(Directory.Exists(Path.Combine(_folder, "checkpoints")));
    }

    [Fact]
    public void Run_ExportOnnx_WritesAModelThatOnnxRuntimeLoadsAndRuns()
    {
        string path = Path.Combine(_folder, "cartpole.onnx");

        (int exitCode, string output, _) = Run("CartPole", "--timesteps", "256", "--export-onnx", path);

        Assert.Equal(0, exitCode);
        Assert.Contains($"ONNX model: {path}", output, StringComparison.Ordinal);
        using var session = new InferenceSession(path);
        using var observations = OrtValue.CreateTensorValueFromMemory(new float[] { 0.01f, -0.02f, 0.03f, 0.04f }, [1, 4]);
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(new RunOptions(), ["observations"], [observations], ["actions"]);
        float action = results[0].GetTensorDataAsSpan<float>()[0];
        Assert.True(action is 0f or 1f, $"CartPole's action must be 0 or 1 (was {action}).");
    }

    [Fact]
    public void Run_DistributedLearner_StartsItsWorkerInTheWorkerModeAndTrainsOnItsRollouts()
    {
        string summary = Path.Combine(_folder, "summary.json");

        (int exitCode, string output, string error) = Run("Distributed", "--workers", "1", "--timesteps", "1", "--summary", summary);

        // One update of 16 × 1024 steps does not land LunarLander: the exit code says so, the run itself succeeded.
        Assert.True(exitCode == 1, $"exit code {exitCode}; error: {error}");
        Assert.Matches(@"worker \d+ joined cluster ppo-", output);
        Assert.Contains("16384 steps in ", output, StringComparison.Ordinal);
        Assert.Contains("on 1 worker process(es); evaluation over 100 episodes", output, StringComparison.Ordinal);
        using JsonDocument written = JsonDocument.Parse(File.ReadAllText(summary));
        Assert.Equal(1, written.RootElement.GetProperty("Workers").GetInt32());
        Assert.Equal(16384, written.RootElement.GetProperty("Timesteps").GetInt64());
    }

    /// <summary>The option rows of a help, without <c>--version</c>.</summary>
    private static string[] OptionRows(string help) =>
        [.. help.Split('\n').Where(line => line.StartsWith("  --", StringComparison.Ordinal) && !line.StartsWith("  --version", StringComparison.Ordinal))];

    /// <summary>Runs a built sample in the test's folder with <c>dotnet</c>, its output redirected (so without the live display).</summary>
    private (int ExitCode, string Output, string Error) Run(string sample, params string[] args)
    {
        string[] location = typeof(SampleProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "SampleBinaries").Value!.Split('|');
        string binary = Path.Combine(location[0], sample, location[1], $"{sample}.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(binary);
        foreach (string argument in args)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
