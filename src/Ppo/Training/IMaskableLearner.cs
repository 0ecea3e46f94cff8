using Ppo.Randomness;

namespace Ppo.Training;

/// <summary>
/// A learner that can act under action masks (see <see cref="Environments.IMaskableEnvironment"/>): it chooses only
/// valid actions, and its <see cref="ILearner.ComputeLoss"/> and <see cref="ILearner.MeanKlDivergence"/> evaluate the
/// policy under <see cref="Rollouts.Minibatch.ActionMasks"/>, the masks recorded at collection, so that the probability
/// ratio compares two distributions over the same valid actions.
/// </summary>
/// <remarks>
/// The trainer collects with masks when the environment exposes them and the learner implements this interface; a
/// learner without it cannot train a masking environment.
/// </remarks>
public interface IMaskableLearner : ILearner
{
    /// <summary>Gets the number of flags in one action mask (<see cref="Environments.ActionMasks.Length"/> of the action space).</summary>
    int ActionMaskLength { get; }

    /// <summary>Samples a valid action for each observation and reports what the rollout keeps about it.</summary>
    /// <param name="observations">The observations, <c>rows × ObservationSize</c>.</param>
    /// <param name="actionMasks">The valid actions of each row, <c>rows × ActionMaskLength</c> flags, <see langword="true"/> for a valid one.</param>
    /// <param name="random">The generator that draws the actions.</param>
    /// <param name="actions">Receives the sampled actions, <c>rows × ActionSize</c>.</param>
    /// <param name="logProbabilities">Receives the log-probability of each action under the masked distribution.</param>
    /// <param name="values">Receives the value of each observation.</param>
    /// <param name="distributionParameters">Receives each row's masked distribution parameters, or is empty when the trainer keeps none.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or a row of the masks has no valid action.</exception>
    void Act(ReadOnlySpan<float> observations, ReadOnlySpan<bool> actionMasks, SeededRandom random, Span<float> actions, Span<float> logProbabilities, Span<float> values, Span<float> distributionParameters);
}
