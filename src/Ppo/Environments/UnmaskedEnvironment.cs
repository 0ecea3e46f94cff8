namespace Ppo.Environments;

/// <summary>
/// Presents an environment without its action masks: the same spaces, resets and steps, but not an
/// <see cref="IMaskableEnvironment"/>, so that a policy trained on it chooses among every action and must learn from the
/// environment's rewards which ones are invalid (the unmasked baseline of a masking environment).
/// </summary>
/// <param name="inner">The environment; disposed with this one.</param>
public sealed class UnmaskedEnvironment(IEnvironment inner) : IEnvironment
{
    private readonly IEnvironment _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public BoxSpace ObservationSpace => _inner.ObservationSpace;

    /// <inheritdoc/>
    public Space ActionSpace => _inner.ActionSpace;

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null) => _inner.Reset(observation, seed);

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => _inner.Step(action, observation);

    /// <inheritdoc/>
    public void Dispose() => _inner.Dispose();
}
