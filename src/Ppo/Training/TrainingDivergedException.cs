using System.Globalization;

namespace Ppo.Training;

/// <summary>
/// A minibatch step met a NaN or infinite loss or gradient norm. It is raised before any weight changes, so the policy
/// and optimizer hold the values they had after the last good step.
/// </summary>
/// <remarks>
/// The usual cause is the scale of the rewards (values of 1e19 and more square to infinity in the value loss); turn on
/// <see cref="PpoOptions.NormalizeRewards"/>, rescale the rewards, or lower <see cref="PpoOptions.LearningRate"/>.
/// </remarks>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for the step that diverged.</summary>
    /// <param name="update">The update, counted from 1 over the trainer's life.</param>
    /// <param name="epoch">The epoch within the update, from 1.</param>
    /// <param name="minibatch">The minibatch within the epoch, from 1.</param>
    /// <param name="problem">What was not finite, as a sentence fragment.</param>
    /// <param name="innerException">The learner's exception, when the learner detected it.</param>
    public TrainingDivergedException(int update, int epoch, int minibatch, string problem, Exception? innerException = null)
        : base(string.Create(CultureInfo.InvariantCulture, $"Update {update}, epoch {epoch}, minibatch {minibatch}: {problem}. No weights were changed by this step. Normalize or rescale the rewards (PpoOptions.NormalizeRewards), or lower the learning rate."), innerException)
    {
        Update = update;
        Epoch = epoch;
        Minibatch = minibatch;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the update, counted from 1 over the trainer's life, or 0 when not known.</summary>
    public int Update { get; }

    /// <summary>Gets the epoch within the update, from 1, or 0 when not known.</summary>
    public int Epoch { get; }

    /// <summary>Gets the minibatch within the epoch, from 1, or 0 when not known.</summary>
    public int Minibatch { get; }
}
