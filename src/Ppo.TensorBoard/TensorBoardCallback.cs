using Ppo.Training;

namespace Ppo.TensorBoard;

/// <summary>A callback that logs every field of <see cref="UpdateMetrics"/> to TensorBoard after each update, at step <see cref="UpdateMetrics.TotalTimesteps"/>.</summary>
/// <remarks>
/// Tags are Stable-Baselines3's where it logs the same quantity, so runs of both libraries share charts:
/// <c>rollout/ep_rew_mean</c>, <c>rollout/ep_len_mean</c>, <c>time/fps</c>, <c>time/iterations</c>, <c>time/time_elapsed</c>,
/// <c>time/total_timesteps</c>, <c>time/episodes</c>, <c>train/policy_gradient_loss</c>, <c>train/value_loss</c>,
/// <c>train/entropy_loss</c>, <c>train/loss</c>, <c>train/approx_kl</c>, <c>train/clip_fraction</c>,
/// <c>train/explained_variance</c>, <c>train/learning_rate</c> and <c>train/clip_range</c>. The rest have no counterpart there:
/// <c>train/gradient_norm</c>, <c>train/epochs</c>, <c>train/gradient_steps</c> (this update's optimizer steps) and
/// <c>train/early_stopped</c> (1 when the KL target stopped the update, else 0), and, for the KL penalties,
/// <c>train/kl_divergence</c>, <c>train/kl_coefficient</c>, <c>train/reference_kl</c> and <c>train/reference_kl_coefficient</c>, and for the probability ratio <c>train/ratio_mean</c> and <c>train/ratio_std</c>, and <c>rollout/recoveries</c> (the parts of the rollout collected again after their workers were lost; 0 for a local collector).
/// NaN values, such as the episode means before the first episode ends, are left out rather than drawn.
/// </remarks>
public sealed class TensorBoardCallback : TrainingCallback, IDisposable
{
    private readonly TensorBoardEventWriter _writer;
    private readonly bool _ownsWriter;
    private readonly List<(string Tag, float Value)> _scalars = [];

    /// <summary>Logs to a new event file in <paramref name="logDirectory"/>, creating the directory if it is missing.</summary>
    /// <param name="logDirectory">The run's directory, such as <c>runs/cartpole-1</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="logDirectory"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="IOException">The directory or the file cannot be created.</exception>
    public TensorBoardCallback(string logDirectory)
        : this(new TensorBoardEventWriter(logDirectory), ownsWriter: true)
    {
    }

    /// <summary>Logs through <paramref name="writer"/>, which may also carry scalars of the caller's own.</summary>
    /// <param name="writer">The event writer.</param>
    /// <param name="ownsWriter">Whether disposing this callback disposes <paramref name="writer"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public TensorBoardCallback(TensorBoardEventWriter writer, bool ownsWriter = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    /// <summary>The event writer this callback logs through.</summary>
    public TensorBoardEventWriter Writer => _writer;

    /// <inheritdoc/>
    public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
    {
        _scalars.Clear();
        Add("rollout/ep_rew_mean", metrics.MeanEpisodeReturn);
        Add("rollout/ep_len_mean", metrics.MeanEpisodeLength);
        Add("time/fps", metrics.StepsPerSecond);
        Add("time/iterations", metrics.Update);
        Add("time/time_elapsed", metrics.ElapsedSeconds);
        Add("time/total_timesteps", metrics.TotalTimesteps);
        Add("time/episodes", metrics.EpisodesFinished);
        Add("train/policy_gradient_loss", metrics.PolicyLoss);
        Add("train/value_loss", metrics.ValueLoss);
        Add("train/entropy_loss", metrics.EntropyLoss);
        Add("train/loss", metrics.Loss);
        Add("train/approx_kl", metrics.ApproximateKl);
        Add("train/clip_fraction", metrics.ClipFraction);
        Add("train/explained_variance", metrics.ExplainedVariance);
        Add("train/learning_rate", metrics.LearningRate);
        Add("train/clip_range", metrics.ClipRange);
        Add("train/gradient_norm", metrics.GradientNorm);
        Add("train/epochs", metrics.EpochsCompleted);
        Add("train/gradient_steps", metrics.GradientSteps);
        Add("train/early_stopped", metrics.EarlyStopped ? 1 : 0);
        Add("train/kl_divergence", metrics.KlDivergence);
        Add("train/kl_coefficient", metrics.KlCoefficient);
        Add("train/reference_kl", metrics.ReferenceKl);
        Add("train/reference_kl_coefficient", metrics.ReferenceKlCoefficient);
        Add("train/ratio_mean", metrics.RatioMean);
        Add("train/ratio_std", metrics.RatioStandardDeviation);
        Add("rollout/recoveries", metrics.RolloutRecoveries);

        _writer.WriteScalars(metrics.TotalTimesteps, _scalars);
        return true;
    }

    /// <inheritdoc/>
    public override void OnTrainingEnd(PpoTrainer trainer) => _writer.Flush();

    /// <summary>Disposes the writer when this callback owns it.</summary>
    public void Dispose()
    {
        if (_ownsWriter)
            _writer.Dispose();
    }

    private void Add(string tag, double value)
    {
        if (!double.IsNaN(value))
            _scalars.Add((tag, (float)value));
    }
}
