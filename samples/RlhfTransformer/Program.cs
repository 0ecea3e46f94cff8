using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ppo.Samples;
using Ppo.Samples.RlhfTransformer;

var defaults = new RlhfTransformerOptions();
RootCommand command = SampleCommandLine.Root(
    "dotnet run -c Release --project samples/RlhfTransformer",
    "RLHF on a small causal transformer with TorchSharp: supervised pretraining, a Bradley-Terry transformer reward model, then PPO over tokens with a KL penalty (fixed small, fixed large, adaptive).");
Option<int> seed = SampleCommandLine.Integer("--seed", "Seed of the run", defaults.Seed, 0, 1_000_000_000);
Option<int> steps = SampleCommandLine.Integer("--ppo-steps", "PPO steps per KL setting", defaults.PpoSteps, 1, 100_000);
Option<int> corpus = SampleCommandLine.Integer("--corpus", "Reviews of the pretraining corpus", defaults.CorpusReviews, 64, 10_000_000);
Option<int> pairs = SampleCommandLine.Integer("--pairs", "Preference pairs the people label", defaults.PreferencePairs, 10, 10_000_000);
Option<int> threads = SampleCommandLine.Integer("--threads", "libtorch's threads", defaults.Threads, 1, 256);
Option<string> plot = SampleCommandLine.PathWithDefault("--plot", "Where to draw the PPO curves as a PNG image", "rlhf-transformer.png");
command.Options.Add(seed);
command.Options.Add(steps);
command.Options.Add(corpus);
command.Options.Add(pairs);
command.Options.Add(threads);
command.Options.Add(plot);
return SampleCommandLine.Invoke(command, args, Console.Out, Console.Error, parsed =>
{
    var wallClock = Stopwatch.StartNew();
    RlhfTransformerOptions options = defaults with
    {
        Seed = parsed.GetValue(seed),
        PpoSteps = parsed.GetValue(steps),
        CorpusReviews = parsed.GetValue(corpus),
        PreferencePairs = parsed.GetValue(pairs),
        Threads = parsed.GetValue(threads),
    };
    string plotPath = parsed.GetRequiredValue(plot);
    if (OutputLocation.PrepareFile(plot.Name, plotPath) is string problem)
        return SampleCommandLine.Reject(Console.Error, problem);

    RlhfTransformerReport.WriteIntroduction(options, Console.Out);
    RlhfTransformerResult result = RlhfTransformerPipeline.Run(options, Console.Out);
    RlhfTransformerReport.WriteResults(result, Console.Out);
    Console.WriteLine();
    bool written = OutputLocation.Write("curves", plotPath, path => RlhfTransformerPlot.Save(result, options.Seed, path), Console.Out, Console.Error);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{wallClock.Elapsed.TotalSeconds:F1} s in all"));
    return written ? 0 : 1;
});
