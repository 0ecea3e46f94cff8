using System.CommandLine;
using System.Globalization;

namespace Ppo.Samples;

/// <summary>The options every training sample takes, with their defaults and ranges, and the sample's own.</summary>
internal sealed class SampleCommand
{
    public SampleCommand(string usage, string description, long defaultTimesteps, int defaultNumEnvs, IReadOnlyList<Option> extraOptions)
    {
        Timesteps = SampleCommandLine.Count("--timesteps", "Environment steps to train, e.g. 1e5; 0 with --load only evaluates", defaultTimesteps, 0, SampleCommandLine.MostTimesteps);
        NumEnvs = SampleCommandLine.Integer("--num-envs", "Parallel environments", defaultNumEnvs, 1, 1024);
        Root = SampleCommandLine.Root(usage, description);
        foreach (Option option in (Option[])[Seed, Timesteps, NumEnvs, Load, Save, Summary, Metrics, Plot, TensorBoard, ExportOnnx, .. extraOptions])
            Root.Options.Add(option);
    }

    public RootCommand Root { get; }

    public Option<int> Seed { get; } = SampleCommandLine.Seed();

    public Option<long> Timesteps { get; }

    public Option<int> NumEnvs { get; }

    public Option<string?> Load { get; } = SampleCommandLine.Path("--load", "Continue from a checkpoint (or, with --timesteps 0, only evaluate it)", "none: a new run");

    public Option<string?> Save { get; } = SampleCommandLine.Path(
        "--save",
        "Where to write the final checkpoint; a file there is replaced",
        string.Create(CultureInfo.InvariantCulture, $"checkpoints/<environment>-seed<N>_<run>{RunNames.CheckpointExtension}, numbered so that no run replaces another; none when only evaluating"));

    public Option<string?> Summary { get; } = SampleCommandLine.Path("--summary", "Write a JSON summary of the run", "none");

    public Option<string?> Metrics { get; } = SampleCommandLine.Path("--metrics", "Write one CSV row of metrics per update", "none");

    public Option<string?> Plot { get; } = SampleCommandLine.Path("--plot", "Draw the training curves as a PNG image", "none");

    public Option<string?> ExportOnnx { get; } = SampleCommandLine.Path("--export-onnx", "Export the trained policy as an ONNX model (opset 15) for ONNX Runtime", "none");

    public Option<string?> TensorBoard { get; } = SampleCommandLine.Path(
        "--tensorboard",
        "Write TensorBoard event files to a new folder <environment>-seed<N>_<run> under this one (open with tensorboard --logdir)",
        "none",
        helpName: "DIR");
}
