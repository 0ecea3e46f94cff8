using Ppo.Networks;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Policies;

/// <summary>
/// Turns the actor network's output into an action distribution: evaluates log-probabilities and entropy of given
/// actions, back-propagates their gradients to the network output, and draws actions.
/// </summary>
internal abstract class PolicyHead
{
    /// <summary>Gets the width of the actor network's output that parameterizes the distribution.</summary>
    public abstract int NetworkOutputSize { get; }

    /// <summary>Gets the number of floats one action occupies.</summary>
    public abstract int ActionSize { get; }

    /// <summary>Gets the number of floats that describe one row's distribution (what a KL divergence needs).</summary>
    public abstract int DistributionParameterSize { get; }

    /// <summary>Gets the distribution's own trainable parameters (none for a categorical head).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Sets the distribution's own parameters to their initial values.</summary>
    public virtual void Initialize()
    {
    }

    /// <summary>Sizes the caches for up to <paramref name="maxRowCount"/> rows.</summary>
    public abstract void Resize(int maxRowCount, Device device);

    /// <summary>
    /// Evaluates the log-probability of each row's action and the entropy, under the action masks when they are not
    /// empty (<c>rowCount × mask length</c> flags), caching what <see cref="Backward"/> needs.
    /// </summary>
    public abstract void Evaluate(Tensor networkOutput, Tensor actions, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor logProbabilities, Tensor entropy);

    /// <summary>Computes KL(π_old ‖ π) of each row against the distribution of the last <see cref="Evaluate"/>, caching what <see cref="Backward"/> needs.</summary>
    public abstract void EvaluateKl(Tensor oldDistributionParameters, int rowCount, Tensor klDivergence);

    /// <summary>
    /// Writes the gradient with respect to the network output and accumulates into the head's own parameters; with
    /// <paramref name="klGradient"/>, the gradient of the last <see cref="EvaluateKl"/> is included.
    /// </summary>
    public abstract void Backward(Tensor logProbabilityGradient, Tensor entropyGradient, Tensor? klGradient, int rowCount, Tensor networkOutputGradient);

    /// <summary>Writes each row's distribution parameters (see <see cref="DistributionParameterSize"/>) for a network output, masked when masks are given.</summary>
    public abstract void WriteDistributionParameters(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor destination);

    /// <summary>Draws one action per row (or takes the mode) and its log-probability, among the valid actions when masks are given.</summary>
    public abstract void Act(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, SeededRandom random, bool deterministic, Tensor actions, Tensor logProbabilities);
}
