using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Orleans.Policies;

/// <summary>
/// A worker's replica of the policy being trained: what collecting a rollout needs (act, value, clip), and loading the
/// learner's parameters before each update. One implementation per policy engine.
/// </summary>
/// <remarks>Implementations allocate only in their constructor, so that a worker's collection loop allocates nothing.</remarks>
public interface IRolloutPolicy
{
    /// <summary>Gets the floats per action.</summary>
    int ActionSize { get; }

    /// <summary>Gets the floats per row of the action distribution's parameters.</summary>
    int DistributionParameterSize { get; }

    /// <summary>Gets the number of floats <see cref="LoadParameters"/> takes.</summary>
    int ParameterCount { get; }

    /// <summary>Replaces every parameter with the learner's.</summary>
    /// <param name="parameters">The flat parameters, <see cref="ParameterCount"/> floats, in the engine's own order.</param>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> has the wrong length.</exception>
    void LoadParameters(ReadOnlySpan<float> parameters);

    /// <summary>Samples actions for a batch of observations and predicts their values (the rollout step).</summary>
    /// <param name="observations">The observations, <paramref name="rowCount"/> leading rows.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="random">The worker's action-sampling stream.</param>
    /// <param name="actions">Receives the sampled actions.</param>
    /// <param name="logProbabilities">Receives the log-probability of each action.</param>
    /// <param name="values">Receives the value of each observation.</param>
    /// <param name="distributionParameters">When given, receives each row's distribution parameters.</param>
    void Act(Tensor observations, int rowCount, SeededRandom random, Tensor actions, Tensor logProbabilities, Tensor values, Tensor? distributionParameters);

    /// <summary>Predicts the value of each observation.</summary>
    /// <param name="observations">The observations, <paramref name="rowCount"/> leading rows.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="values">Receives the values.</param>
    void PredictValues(Tensor observations, int rowCount, Tensor values);

    /// <summary>Clips actions in place to the action space before they reach the environments.</summary>
    /// <param name="actions">Whole actions, back to back.</param>
    void ClipToActionSpace(Span<float> actions);
}
