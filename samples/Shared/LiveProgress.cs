using System.Diagnostics;
using Ppo.Training;
using Spectre.Console;

namespace Ppo.Samples;

/// <summary>
/// A live progress display in an interactive terminal: a bar with its percentage and time left, and the latest update's
/// steps, mean return, steps per second, approx KL and clip fraction, laid out afresh for the terminal's width at every
/// update (<see cref="ProgressLayout"/>). Training runs inside <see cref="Run"/>.
/// </summary>
internal sealed class LiveProgress(string description, long totalTimesteps) : TrainingCallback
{
    private readonly Stopwatch _clock = new();
    private LiveDisplayContext? _context;
    private long _startTimesteps;

    /// <summary>Gets a value indicating whether the output is an interactive terminal outside CI, where a live display makes sense.</summary>
    public static bool IsSupported =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Shows the display while <paramref name="train"/> runs.</summary>
    public void Run(Action train) =>
        AnsiConsole.Live(Render(done: 0, metrics: null)).AutoClear(false).Start(context =>
        {
            _context = context;
            train();
        });

    public override void OnTrainingStart(PpoTrainer trainer)
    {
        _startTimesteps = trainer.TotalTimesteps;
        _clock.Restart();
    }

    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        _context?.UpdateTarget(Render(trainer.TotalTimesteps - _startTimesteps, metrics));
        return true;
    }

    private Text Render(long done, UpdateMetrics? metrics) =>
        new(string.Join('\n', ProgressLayout.Lines(description, done, totalTimesteps, _clock.Elapsed, metrics, AnsiConsole.Profile.Width)));
}
