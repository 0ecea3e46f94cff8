using System.Diagnostics;
using System.Globalization;
using Ppo.Samples;
using Ppo.Samples.Rlhf;

// A tiny RLHF pipeline: supervised fine-tuning, a reward model from pairwise preferences, then PPO with a KL penalty.
var wallClock = Stopwatch.StartNew();
RlhfOptions options;
string plotPath;
try
{
    SampleArguments arguments = SampleArguments.Parse(args, ["--seed", "--timesteps", "--plot"], ["--help"]);
    if (arguments.Has("--help"))
    {
        Console.WriteLine(Usage());
        return 0;
    }

    options = new RlhfOptions
    {
        Seed = arguments.Integer("--seed", 1, 0, 1_000_000_000),
        PpoTimesteps = arguments.Count("--timesteps", new RlhfOptions().PpoTimesteps, 1, 100_000_000),
    };
    plotPath = arguments.Text("--plot") ?? "rlhf.png";
}
catch (SampleUsageException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    Console.Error.WriteLine(Usage());
    return 2;
}

RlhfReport.WriteIntroduction(options, Console.Out);
RlhfResult result = RlhfPipeline.Run(options, Console.Out);
RlhfReport.WriteResults(result, Console.Out);
RlhfPlot.Save(result, options.Seed, plotPath);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"curves: {plotPath}; {wallClock.Elapsed.TotalSeconds:F1} s in all"));
return 0;

static string Usage() => string.Join(
    Environment.NewLine,
    [
        "usage: dotnet run -c Release --project samples/Rlhf -- [options]",
        "  --seed N         seed of the run (default 1)",
        string.Create(CultureInfo.InvariantCulture, $"  --timesteps N    PPO steps (tokens) per KL penalty, e.g. 1e5 (default {new RlhfOptions().PpoTimesteps})"),
        "  --plot PATH      where to draw the PPO curves as a PNG image (default rlhf.png)",
    ]);
