using System.Globalization;
using Ppo.Training;
using Spectre.Console;

namespace Ppo.Samples;

/// <summary>
/// A live progress bar in an interactive terminal: steps, steps per second, mean return, approx KL, clip fraction and
/// time left. Training runs inside <see cref="Run"/>.
/// </summary>
internal sealed class LiveProgress(long totalTimesteps) : TrainingCallback
{
    private ProgressTask? _task;
    private long _startTimesteps;

    /// <summary>Gets a value indicating whether the output is an interactive terminal outside CI, where a live display makes sense.</summary>
    public static bool IsSupported =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && AnsiConsole.Profile.Capabilities.Interactive;

    public void Run(string description, Action train) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                _task = context.AddTask(Markup.Escape(description), maxValue: totalTimesteps);
                train();
                _task.Value = _task.MaxValue;
            });

    public override void OnTrainingStart(PpoTrainer trainer) => _startTimesteps = trainer.TotalTimesteps;

    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics m)
    {
        if (_task is null)
            return true;
        _task.Value = Math.Min(trainer.TotalTimesteps - _startTimesteps, totalTimesteps);
        _task.Description = Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{trainer.TotalTimesteps,9} steps  {m.StepsPerSecond,7:F0} steps/s  return {m.MeanEpisodeReturn,7:F1}  kl {m.ApproximateKl:F4}  clip {m.ClipFraction:F3}"));
        return true;
    }
}
