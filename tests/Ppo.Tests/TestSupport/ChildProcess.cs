using System.Diagnostics;

namespace Ppo.Tests.TestSupport;

/// <summary>Runs command-line tools (the .NET SDK, a program the test built) as child processes.</summary>
internal static class ChildProcess
{
    /// <summary>The start information of <paramref name="command"/> with its output redirected and the SDK's banners off.</summary>
    public static ProcessStartInfo StartInfo(string command, string arguments, string directory)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

    /// <summary>Runs <paramref name="command"/> to its end and returns its output; a non-zero exit fails the test with that output.</summary>
    public static string Run(string command, string arguments, string directory)
    {
        using Process process = Process.Start(StartInfo(command, arguments, directory))!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string all = output + error.Result;
        Assert.True(process.ExitCode == 0, $"'{command} {arguments}' in {directory} exited with {process.ExitCode}:{Environment.NewLine}{all}");
        return all;
    }
}
