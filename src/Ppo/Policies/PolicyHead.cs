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

    /// <summary>Gets the distribution's own trainable parameters (none for a categorical head).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Sets the distribution's own parameters to their initial values.</summary>
    public virtual void Initialize()
    {
    }

    /// <summary>Sizes the caches for up to <paramref name="maxRowCount"/> rows.</summary>
    public abstract void Resize(int maxRowCount, Device device);

    /// <summary>Evaluates the log-probability of each row's action and the entropy, caching what <see cref="Backward"/> needs.</summary>
    public abstract void Evaluate(Tensor networkOutput, Tensor actions, int rowCount, Tensor logProbabilities, Tensor entropy);

    /// <summary>Writes the gradient with respect to the network output and accumulates into the head's own parameters.</summary>
    public abstract void Backward(Tensor logProbabilityGradient, Tensor entropyGradient, int rowCount, Tensor networkOutputGradient);

    /// <summary>Draws one action per row (or takes the mode) and its log-probability.</summary>
    public abstract void Act(Tensor networkOutput, int rowCount, SeededRandom random, bool deterministic, Tensor actions, Tensor logProbabilities);
}
