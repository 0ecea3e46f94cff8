using Ppo.Samples.Distributed;

namespace Ppo.Samples.Tests;

/// <summary>Checks the Distributed sample's command line: the learner's options, and the worker mode the learner starts its workers in.</summary>
public sealed class DistributedCommandLineTests
{
    private const int EnvironmentCount = 16;

    [Fact]
    public void WorkerCommandLine_ParsedBack_GivesTheWorkerModeWithTheSameSettings()
    {
        var commandLine = new CommandLine(EnvironmentCount);
        var started = new WorkerArguments("127.0.0.1:6380", "ppo-4242-123456789", SpinMicroseconds: 250, ParentProcessId: 4242);
        WorkerArguments? parsed = null;
        commandLine.Worker.SetAction(result => { parsed = commandLine.ReadWorker(result); return 0; });

        int exitCode = SampleCommandLine.Invoke(commandLine.Root, [.. CommandLine.WorkerCommandLine(started)], TextWriter.Null, TextWriter.Null, _ => 1);

        Assert.Equal(0, exitCode);
        Assert.Equal(started, parsed);
    }

    [Fact]
    public void Invoke_NoOptions_RunsTheLearnerWithTheDefaults()
    {
        var commandLine = new CommandLine(EnvironmentCount);
        LearnerArguments? parsed = null;

        int exitCode = SampleCommandLine.Invoke(commandLine.Root, [], TextWriter.Null, TextWriter.Null, result => { parsed = commandLine.ReadLearner(result); return 0; });

        Assert.Equal(0, exitCode);
        Assert.Equal(new LearnerArguments(Workers: 2, Seed: 1, Timesteps: 1_015_808, SpinMicroseconds: 0, KillWorkerAtUpdate: 0, SummaryPath: null), parsed);
    }

    [Fact]
    public void Invoke_EveryLearnerOption_ReadsEachValue()
    {
        var commandLine = new CommandLine(EnvironmentCount);
        LearnerArguments? parsed = null;
        string[] args = ["--workers", "3", "--seed", "7", "--timesteps", "8e4", "--spin-us", "100", "--kill-worker-at-update", "2", "--summary", "out.json"];

        int exitCode = SampleCommandLine.Invoke(commandLine.Root, args, TextWriter.Null, TextWriter.Null, result => { parsed = commandLine.ReadLearner(result); return 0; });

        Assert.Equal(0, exitCode);
        Assert.Equal(new LearnerArguments(3, 7, 80_000, 100, 2, "out.json"), parsed);
    }

    [Theory]
    [InlineData("--workers 17", "--workers must be an integer in [0, 16] (was '17').")]
    [InlineData("--workers -1", "--workers must be an integer in [0, 16] (was '-1').")]
    [InlineData("--timesteps 0", "--timesteps must be a whole number in [1, 10000000000], such as 100000 or 1e5 (was '0').")]
    [InlineData("--kill-worker-at-update 1 --workers 1", "--kill-worker-at-update needs --workers 2 or more, so that a live worker can take the lost slice.")]
    [InlineData("worker --redis 127.0.0.1:6379", "Option '--cluster' is required.")]
    [InlineData("worker --redis 127.0.0.1:6379 --cluster c --spin-us 2000000", "--spin-us must be an integer in [0, 1000000] (was '2000000').")]
    [InlineData("worker --workers 2 --redis 127.0.0.1:6379 --cluster c", "Unrecognized command or argument '--workers'.")]
    public void Invoke_InvalidOptions_ExitsWithTwoNamingTheOptionWithoutRunning(string arguments, string message)
    {
        var commandLine = new CommandLine(EnvironmentCount);
        bool ran = false;
        commandLine.Worker.SetAction(_ => { ran = true; return 0; });
        var error = new StringWriter();

        int exitCode = SampleCommandLine.Invoke(commandLine.Root, arguments.Split(' '), TextWriter.Null, error, _ => { ran = true; return 0; });

        Assert.Equal(SampleCommandLine.UsageError, exitCode);
        Assert.False(ran);
        Assert.Equal($"error: {message}", error.ToString().Split(Environment.NewLine)[0]);
    }
}
