namespace Ppo.Training;

/// <summary>Hooks into <see cref="PpoTrainer.Learn"/>: called when training starts, after each update, and when it ends.</summary>
public abstract class TrainingCallback
{
    /// <summary>Called once before the first rollout.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void OnTrainingStart(PpoTrainer trainer)
    {
    }

    /// <summary>Called after each update with its metrics.</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="metrics">What the update did.</param>
    /// <returns><see langword="true"/> to continue training; <see langword="false"/> to stop after this update.</returns>
    public virtual bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics) => true;

    /// <summary>Called once when training ends, normally or by a callback's request.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void OnTrainingEnd(PpoTrainer trainer)
    {
    }

    /// <summary>Wraps an action called after each update.</summary>
    /// <param name="onUpdate">Called with the metrics of each update.</param>
    /// <returns>A callback that always continues training.</returns>
    public static TrainingCallback AfterEachUpdate(Action<UpdateMetrics> onUpdate)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        return new ActionCallback(onUpdate);
    }

    private sealed class ActionCallback(Action<UpdateMetrics> onUpdate) : TrainingCallback
    {
        public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
        {
            onUpdate(metrics);
            return true;
        }
    }
}
