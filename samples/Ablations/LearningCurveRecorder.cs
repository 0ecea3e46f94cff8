using Ppo.Training;

namespace Ppo.Samples.Ablations;

/// <summary>Records, after every update, the steps so far, the mean return of the last few training episodes and the clip fraction.</summary>
internal sealed class LearningCurveRecorder(int window) : TrainingCallback
{
    private readonly Queue<double> _recentReturns = new();

    public List<double> Steps { get; } = [];

    public List<double> RollingReturns { get; } = [];

    public List<double> ClipFractions { get; } = [];

    public override void OnEpisodeEnd(PpoTrainer trainer, double episodeReturn, int length)
    {
        _recentReturns.Enqueue(episodeReturn);
        if (_recentReturns.Count > window)
            _recentReturns.Dequeue();
    }

    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        Steps.Add(metrics.TotalTimesteps);
        RollingReturns.Add(_recentReturns.Count == 0 ? double.NaN : _recentReturns.Average());
        ClipFractions.Add(metrics.ClipFraction);
        return true;
    }
}
