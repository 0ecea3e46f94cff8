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
    /// <summary>The least time between two redraws, so that a run of many short updates does not spend its time drawing.</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    private readonly Stopwatch _clock = new();
    private LiveDisplayContext? _context;
    private long _startTimesteps, _done;
    private UpdateMetrics? _metrics;
    private TimeSpan _shownAt;

    /// <summary>Gets a value indicating whether the output is an interactive terminal outside CI, where a live display makes sense.</summary>
    public static bool IsSupported =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Shows the display while <paramref name="train"/> runs.</summary>
    public void Run(Action train) =>
        AnsiConsole.Live(Render()).AutoClear(false).Start(context =>
        {
            _context = context;
            train();
            context.UpdateTarget(Render());
        });

    public override void OnTrainingStart(PpoTrainer trainer)
    {
        _startTimesteps = trainer.TotalTimesteps;
        _clock.Restart();
        _shownAt = TimeSpan.Zero;
    }

    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        _done = trainer.TotalTimesteps - _startTimesteps;
        _metrics = metrics;
        if (_context is not null && _clock.Elapsed - _shownAt >= RefreshInterval)
        {
            _shownAt = _clock.Elapsed;
            _context.UpdateTarget(Render());
        }

        return true;
    }

    private Text Render() =>
        new(string.Join('\n', ProgressLayout.Lines(description, _done, totalTimesteps, _clock.Elapsed, _metrics, AnsiConsole.Profile.Width)));
}
