using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ppo.Samples;
using Ppo.Samples.Rlhf;

var defaults = new RlhfOptions();
RootCommand command = SampleCommandLine.Root(
    "dotnet run -c Release --project samples/Rlhf",
    "A tiny RLHF pipeline: supervised fine-tuning, a reward model from pairwise preferences, then PPO with a KL penalty.");
Option<int> seed = SampleCommandLine.Integer("--seed", "Seed of the run", defaults.Seed, 0, 1_000_000_000);
Option<long> timesteps = SampleCommandLine.Count("--timesteps", "PPO steps (tokens) per KL penalty, e.g. 1e5", defaults.PpoTimesteps, 1, 100_000_000);
Option<string> plot = SampleCommandLine.PathWithDefault("--plot", "Where to draw the PPO curves as a PNG image", "rlhf.png");
command.Options.Add(seed);
command.Options.Add(timesteps);
command.Options.Add(plot);
return SampleCommandLine.Invoke(command, args, Console.Out, Console.Error, parsed =>
{
    var wallClock = Stopwatch.StartNew();
    RlhfOptions options = defaults with { Seed = parsed.GetValue(seed), PpoTimesteps = parsed.GetValue(timesteps) };
    string plotPath = parsed.GetRequiredValue(plot);
    if (OutputLocation.PrepareFile(plot.Name, plotPath) is string problem)
        return SampleCommandLine.Reject(Console.Error, problem);

    RlhfReport.WriteIntroduction(options, Console.Out);
    RlhfResult result = RlhfPipeline.Run(options, Console.Out);
    RlhfReport.WriteResults(result, Console.Out);
    Console.WriteLine();
    bool written = OutputLocation.Write("curves", plotPath, path => RlhfPlot.Save(result, options.Seed, path), Console.Out, Console.Error);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{wallClock.Elapsed.TotalSeconds:F1} s in all"));
    return written ? 0 : 1;
});
