using System.CommandLine;

namespace Ppo.Samples.Tests;

/// <summary>Checks the training samples' common command line: generated help with every default, typed values in range, response files.</summary>
public sealed class SampleCommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-command-line-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void Invoke_Help_ListsEveryOptionWithItsDefaultAndExitsWithZero(string help)
    {
        (int exitCode, string output, string error, bool ran) = Invoke(help);

        Assert.Equal(0, exitCode);
        Assert.False(ran);
        Assert.Empty(error);
        string[] options = OptionLines(output);
        Assert.Equal(
            ["--seed", "--timesteps", "--num-envs", "--load", "--save", "--summary", "--metrics", "--plot", "--tensorboard", "--export-onnx", "--continuous"],
            options.Select(line => line.TrimStart().Split(' ')[0]));
        Assert.All(options, line => Assert.Contains("[default: ", line, StringComparison.Ordinal));
        Assert.Contains("--timesteps <N>", output, StringComparison.Ordinal);
        Assert.Contains("[default: 4096]", output, StringComparison.Ordinal);
        Assert.Contains("[default: 3]", output, StringComparison.Ordinal);
        Assert.Contains("dotnet run -c Release --project samples/Test -- [options]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_Version_PrintsTheVersionAndExitsWithZero()
    {
        (int exitCode, string output, _, bool ran) = Invoke("--version");

        Assert.Equal(0, exitCode);
        Assert.False(ran);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }

    [Fact]
    public void Invoke_NoOptions_RunsWithTheDefaults()
    {
        var command = new SampleCommand("dotnet run -c Release --project samples/Test", "Tests.", defaultTimesteps: 4096, defaultNumEnvs: 3, []);
        ParseResult? parsed = null;

        int exitCode = SampleCommandLine.Invoke(command.Root, [], TextWriter.Null, TextWriter.Null, result => { parsed = result; return 0; });

        Assert.Equal(0, exitCode);
        Assert.NotNull(parsed);
        Assert.Equal(1, parsed.GetValue(command.Seed));
        Assert.Equal(4096, parsed.GetValue(command.Timesteps));
        Assert.Equal(3, parsed.GetValue(command.NumEnvs));
        Assert.Null(parsed.GetValue(command.Save));
    }

    [Theory]
    [InlineData("--timesteps", "1e5", 100_000L)]
    [InlineData("--timesteps", "2048", 2048L)]
    [InlineData("--timesteps", "0", 0L)]
    [InlineData("--timesteps", "1e10", 10_000_000_000L)]
    public void Invoke_CountInExponentForm_ParsesTheWholeNumber(string option, string value, long expected)
    {
        var command = new SampleCommand("samples/Test", "Tests.", 4096, 3, []);
        long parsed = -1;

        int exitCode = SampleCommandLine.Invoke(command.Root, [option, value], TextWriter.Null, TextWriter.Null, result => { parsed = result.GetValue(command.Timesteps); return 0; });

        Assert.Equal(0, exitCode);
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("--seed", "-1", "--seed must be an integer in [0, 1000000000] (was '-1').")]
    [InlineData("--seed", "one", "--seed must be an integer in [0, 1000000000] (was 'one').")]
    [InlineData("--seed", "1.5", "--seed must be an integer in [0, 1000000000] (was '1.5').")]
    [InlineData("--num-envs", "0", "--num-envs must be an integer in [1, 1024] (was '0').")]
    [InlineData("--num-envs", "1025", "--num-envs must be an integer in [1, 1024] (was '1025').")]
    [InlineData("--timesteps", "1.5", "--timesteps must be a whole number in [0, 10000000000], such as 100000 or 1e5 (was '1.5').")]
    [InlineData("--timesteps", "-5", "--timesteps must be a whole number in [0, 10000000000], such as 100000 or 1e5 (was '-5').")]
    [InlineData("--timesteps", "2e10", "--timesteps must be a whole number in [0, 10000000000], such as 100000 or 1e5 (was '2e10').")]
    public void Invoke_ValueOutOfRange_ExitsWithTwoNamingTheOptionAndItsRange(string option, string value, string message)
    {
        (int exitCode, string output, string error, bool ran) = Invoke(option, value);

        Assert.Equal(SampleCommandLine.UsageError, exitCode);
        Assert.False(ran);
        Assert.Empty(output);
        Assert.Equal($"error: {message}", error.Split(Environment.NewLine)[0]);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--unknown")]
    [InlineData("--seed")]
    public void Invoke_UnknownOptionOrMissingValue_ExitsWithTwoNamingTheOption(string option)
    {
        (int exitCode, _, string error, bool ran) = Invoke(option);

        Assert.Equal(SampleCommandLine.UsageError, exitCode);
        Assert.False(ran);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(option, error.Split(Environment.NewLine)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_ResponseFile_ReadsItsOptions()
    {
        string responseFile = Path.Combine(_folder, "run.rsp");
        File.WriteAllLines(responseFile, ["--seed 7", "--num-envs 2", "--continuous"]);
        var continuous = SampleCommandLine.Flag("--continuous", "A sample's own switch");
        var command = new SampleCommand("samples/Test", "Tests.", 4096, 3, [continuous]);
        (int Seed, int NumEnvs, bool Continuous) parsed = default;

        int exitCode = SampleCommandLine.Invoke(command.Root, [$"@{responseFile}"], TextWriter.Null, TextWriter.Null, result =>
        {
            parsed = (result.GetValue(command.Seed), result.GetValue(command.NumEnvs), result.GetValue(continuous));
            return 0;
        });

        Assert.Equal(0, exitCode);
        Assert.Equal((7, 2, true), parsed);
    }

    [Fact]
    public void Invoke_ResponseFileWithValueOutOfRange_ExitsWithTwoNamingTheOption()
    {
        string responseFile = Path.Combine(_folder, "bad.rsp");
        File.WriteAllLines(responseFile, ["--num-envs 0"]);

        (int exitCode, _, string error, bool ran) = Invoke($"@{responseFile}");

        Assert.Equal(SampleCommandLine.UsageError, exitCode);
        Assert.False(ran);
        Assert.StartsWith("error: --num-envs must be an integer in [1, 1024] (was '0').", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "--steps", "2.5e5" }, 250_000L)]
    public void Invoke_CountWithADefaultThatDependsOnOtherOptions_IsNullUnlessGiven(string[] args, long? expected)
    {
        RootCommand command = SampleCommandLine.Root("samples/Test", "Tests.");
        Option<long?> steps = SampleCommandLine.Count("--steps", "Steps", "1000000 for breakout", 1, 1_000_000);
        command.Options.Add(steps);
        var output = new StringWriter();
        long? parsed = -1;

        int exitCode = SampleCommandLine.Invoke(command, args, TextWriter.Null, TextWriter.Null, result => { parsed = result.GetValue(steps); return 0; });
        SampleCommandLine.Invoke(command, ["--help"], output, TextWriter.Null, _ => 1);

        Assert.Equal(0, exitCode);
        Assert.Equal(expected, parsed);
        Assert.Contains("--steps <N>", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Steps [default: 1000000 for breakout]", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_CountWithADefaultThatDependsOnOtherOptionsOutOfRange_ExitsWithTwoNamingTheOptionAndItsRange()
    {
        RootCommand command = SampleCommandLine.Root("samples/Test", "Tests.");
        command.Options.Add(SampleCommandLine.Count("--steps", "Steps", "1000 for breakout", 1, 1000));
        var error = new StringWriter();

        int exitCode = SampleCommandLine.Invoke(command, ["--steps", "1001"], TextWriter.Null, error, _ => 0);

        Assert.Equal(SampleCommandLine.UsageError, exitCode);
        Assert.StartsWith("error: --steps must be a whole number in [1, 1000], such as 100000 or 1e5 (was '1001').", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "breakout")]
    [InlineData(new[] { "cartpole" }, "cartpole")]
    public void Invoke_Choice_TakesTheGivenChoiceOrTheDefault(string[] args, string expected)
    {
        RootCommand command = SampleCommandLine.Root("samples/Test", "Tests.");
        Argument<string> game = SampleCommandLine.ChoiceArgument("game", "The game", "breakout", "breakout", "cartpole");
        command.Arguments.Add(game);
        string? parsed = null;

        int exitCode = SampleCommandLine.Invoke(command, args, TextWriter.Null, TextWriter.Null, result => { parsed = result.GetValue(game); return 0; });

        Assert.Equal(0, exitCode);
        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void Invoke_ChoiceNotAmongTheChoices_ExitsWithTwoNamingTheArgumentAndTheChoices()
    {
        RootCommand command = SampleCommandLine.Root("samples/Test", "Tests.");
        command.Arguments.Add(SampleCommandLine.ChoiceArgument("game", "The game", "breakout", "breakout", "cartpole"));
        var error = new StringWriter();
        bool ran = false;

        int exitCode = SampleCommandLine.Invoke(command, ["pong"], TextWriter.Null, error, _ => { ran = true; return 0; });

        Assert.Equal(SampleCommandLine.UsageError, exitCode);
        Assert.False(ran);
        Assert.StartsWith("error: game must be one of breakout, cartpole (was 'pong').", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_ValidOptions_ReturnsTheExitCodeOfTheRun()
    {
        var command = new SampleCommand("samples/Test", "Tests.", 4096, 3, []);
        int seed = -1;

        int exitCode = await SampleCommandLine.InvokeAsync(command.Root, ["--seed", "9"], TextWriter.Null, TextWriter.Null, async result =>
        {
            await Task.Yield();
            seed = result.GetValue(command.Seed);
            return 5;
        });

        Assert.Equal(5, exitCode);
        Assert.Equal(9, seed);
    }

    [Fact]
    public async Task InvokeAsync_ValueOutOfRange_ExitsWithTwoWithoutRunning()
    {
        var command = new SampleCommand("samples/Test", "Tests.", 4096, 3, []);
        var error = new StringWriter();
        bool ran = false;

        int exitCode = await SampleCommandLine.InvokeAsync(command.Root, ["--num-envs", "0"], TextWriter.Null, error, _ => { ran = true; return Task.FromResult(0); });

        Assert.Equal(SampleCommandLine.UsageError, exitCode);
        Assert.False(ran);
        Assert.StartsWith("error: --num-envs must be an integer in [1, 1024] (was '0').", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The option rows of the help, without <c>--help</c> and <c>--version</c>.</summary>
    private static string[] OptionLines(string help) =>
        [.. help.Split(Environment.NewLine)
            .SkipWhile(line => line != "Options:")
            .Skip(1)
            .Where(line => line.StartsWith("  -", StringComparison.Ordinal) && !line.Contains("--help", StringComparison.Ordinal) && !line.Contains("--version", StringComparison.Ordinal))];

    private static (int ExitCode, string Output, string Error, bool Ran) Invoke(params string[] args)
    {
        var command = new SampleCommand("dotnet run -c Release --project samples/Test", "Tests.", defaultTimesteps: 4096, defaultNumEnvs: 3, [SampleCommandLine.Flag("--continuous", "A sample's own switch")]);
        var output = new StringWriter();
        var error = new StringWriter();
        bool ran = false;
        int exitCode = SampleCommandLine.Invoke(command.Root, args, output, error, _ => { ran = true; return 0; });
        return (exitCode, output.ToString(), error.ToString(), ran);
    }
}
