using System.CommandLine;
using System.Globalization;
using Ppo.Plotting;
using Ppo.Samples;
using Ppo.Samples.ConnectFour;

RootCommand command = SampleCommandLine.Root(
    "dotnet run -c Release --project samples/ConnectFour",
    "Trains PPO on Connect Four against the random opponent twice, with the same seed and budget: once with action masks (full columns are never played) and once without (a move into a full column loses the game), and draws both learning curves.");
Option<long> timesteps = SampleCommandLine.Count("--timesteps", "Environment steps per run, e.g. 1e5", 100_000, 1, 100_000_000);
Option<string> plot = SampleCommandLine.PathWithDefault("--plot", "The learning curves image", "connect-four-masking.png");
command.Options.Add(timesteps);
command.Options.Add(plot);
return SampleCommandLine.Invoke(command, args, Console.Out, Console.Error, parsed =>
{
    long totalSteps = parsed.GetValue(timesteps);
    string path = parsed.GetRequiredValue(plot);
    if (OutputLocation.PrepareFile(plot.Name, path) is string problem)
        return SampleCommandLine.Reject(Console.Error, problem);

    MaskingRun masked = MaskingRun.Train(useMasks: true, totalSteps);
    MaskingRun unmasked = MaskingRun.Train(useMasks: false, totalSteps);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"After {totalSteps} steps, deterministic evaluation over {MaskingRun.EvaluationGames} games: masked {masked.EvaluationReturn:F3}, unmasked {unmasked.EvaluationReturn:F3}"));
    return OutputLocation.Write("learning curves", path, file => Draw(masked, unmasked, file), Console.Out, Console.Error) ? 0 : 1;
});

static void Draw(MaskingRun masked, MaskingRun unmasked, string path)
{
    var figure = new Figure(rows: 1, columns: 1, panelWidth: 640, panelHeight: 400, title: "Connect Four vs a random opponent", scale: 2);
    figure.Panel(0, 0)
        .Title(string.Create(CultureInfo.InvariantCulture, $"Training return, rolling mean of {MaskingRun.RollingWindow} games, seed 1"))
        .XLabel("steps")
        .YLabel("return (win +1, loss or illegal move −1)")
        .Line([.. masked.Steps], [.. masked.RollingReturns], "masked")
        .Line([.. unmasked.Steps], [.. unmasked.RollingReturns], "unmasked, penalized");
    figure.SavePng(path);
}
