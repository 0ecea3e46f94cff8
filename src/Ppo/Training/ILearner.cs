using Ppo.Checkpoints;
using Ppo.Losses;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Rollouts;

namespace Ppo.Training;

/// <summary>
/// The policy that <see cref="PpoTrainer"/> trains, as the trainer drives it: act on a batch of observations while
/// collecting, predict values for bootstrapping, compute the fused PPO loss of a minibatch, apply its gradients, and
/// save itself into a checkpoint. The trainer knows nothing else of how the policy computes, so any engine (the managed
/// SIMD engine, TorchSharp, ...) trains through the same loop.
/// </summary>
/// <remarks>
/// <para>The rollout buffer and the minibatch are host memory; a learner copies what it needs to where it computes.
/// Every member after <see cref="Reserve"/> should allocate nothing, since the trainer calls them in its hot loop.</para>
/// <para>One minibatch step is <see cref="ComputeLoss"/> followed by <see cref="ApplyGradients"/>; they are separate so
/// that the trainer can stop between them when the approximate KL divergence exceeds <see cref="PpoOptions.TargetKl"/>.
/// Loading is done by the <see cref="ILearnerFactory"/> registered for <see cref="Kind"/> in <see cref="LearnerRegistry"/>.</para>
/// </remarks>
public interface ILearner
{
    /// <summary>
    /// Gets the name of the learner's kind, written into checkpoints; loading a checkpoint looks it up in
    /// <see cref="LearnerRegistry"/> to find the factory that reads the learner's sections.
    /// </summary>
    string Kind { get; }

    /// <summary>Gets the policy with the current parameters, for inference and evaluation.</summary>
    IPolicy Policy { get; }

    /// <summary>
    /// Gets the number of floats that describe the action distribution of one observation (logits, or a Gaussian's mean
    /// and log standard deviation), which the KL objectives compare.
    /// </summary>
    int DistributionParameterSize { get; }

    /// <summary>Prepares the learner for batches up to the given sizes; may allocate. The trainer calls it once, before training.</summary>
    /// <param name="maxActRows">The most observations <see cref="Act"/> and <see cref="PredictValues"/> receive at once (the number of environments).</param>
    /// <param name="maxMinibatchRows">The most rows a <see cref="Minibatch"/> holds.</param>
    void Reserve(int maxActRows, int maxMinibatchRows);

    /// <summary>Samples an action for each observation and reports what the rollout keeps about it (the rollout step).</summary>
    /// <param name="observations">The observations, <c>rows × ObservationSize</c>.</param>
    /// <param name="random">The generator that draws the actions; the trainer's stream, so that a run depends only on its seed.</param>
    /// <param name="actions">Receives the sampled actions, <c>rows × ActionSize</c>, not clipped to the action space.</param>
    /// <param name="logProbabilities">Receives the log-probability of each sampled action; its length is the number of rows.</param>
    /// <param name="values">Receives the value of each observation.</param>
    /// <param name="distributionParameters">Receives each row's distribution parameters, <c>rows × DistributionParameterSize</c>, or is empty when the trainer keeps none.</param>
    void Act(ReadOnlySpan<float> observations, SeededRandom random, Span<float> actions, Span<float> logProbabilities, Span<float> values, Span<float> distributionParameters);

    /// <summary>Predicts the value of each observation (bootstrapping after the last step and after truncations).</summary>
    /// <param name="observations">The observations, <c>rows × ObservationSize</c>.</param>
    /// <param name="values">Receives one value per row; its length is the number of rows.</param>
    void PredictValues(ReadOnlySpan<float> observations, Span<float> values);

    /// <summary>
    /// Evaluates the current policy on a minibatch and computes the fused PPO loss, its parts and diagnostics, keeping
    /// whatever <see cref="ApplyGradients"/> needs to back-propagate it.
    /// </summary>
    /// <param name="minibatch">The gathered rows.</param>
    /// <param name="settings">The loss coefficients and switches of this update (the KL objectives read <see cref="Minibatch.OldDistributionParameters"/>).</param>
    /// <returns>The loss, its parts and the diagnostics.</returns>
    PpoLossResult ComputeLoss(Minibatch minibatch, PpoLossSettings settings);

    /// <summary>
    /// Back-propagates the loss of the last <see cref="ComputeLoss"/>, clips the global gradient norm to
    /// <paramref name="maxGradientNorm"/> and takes one optimizer step.
    /// </summary>
    /// <param name="maxGradientNorm">The largest global L2 norm of the gradient.</param>
    /// <param name="learningRate">The optimizer's step size for this step.</param>
    /// <returns>The global gradient norm before clipping.</returns>
    /// <exception cref="NotFiniteNumberException">The gradient norm is NaN or infinite; no parameter was changed.</exception>
    float ApplyGradients(float maxGradientNorm, float learningRate);

    /// <summary>Returns the mean KL(π_old ‖ π) over a minibatch, π_old given by <see cref="Minibatch.OldDistributionParameters"/>.</summary>
    /// <param name="minibatch">The gathered rows, with distribution parameters.</param>
    /// <returns>The mean divergence.</returns>
    float MeanKlDivergence(Minibatch minibatch);

    /// <summary>Adds the learner's own sections (its architecture, parameters and optimizer state) to a checkpoint.</summary>
    /// <param name="sections">The checkpoint being written.</param>
    /// <exception cref="InvalidOperationException">The parameters or the optimizer state hold a NaN or infinite value, which the learner's loading would reject.</exception>
    void Save(CheckpointSections sections);
}
