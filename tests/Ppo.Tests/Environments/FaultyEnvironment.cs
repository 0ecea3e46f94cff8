using Ppo.Environments;

namespace Ppo.Tests.Environments;

/// <summary>What <see cref="FaultyEnvironment"/> gets wrong at its bad step.</summary>
public enum Fault
{
    /// <summary>Returns a NaN reward.</summary>
    NaNReward,

    /// <summary>Returns a reward of +∞.</summary>
    InfiniteReward,

    /// <summary>Writes NaN into element 1 of the observation.</summary>
    NaNObservation,

    /// <summary>Truncates the episode with −∞ in element 1 of its final observation.</summary>
    NonFiniteFinalObservationOfTruncation,

    /// <summary>Writes only element 0 of the observation, at every step and reset.</summary>
    PartialWrite,

    /// <summary>Throws an <see cref="InvalidOperationException"/>.</summary>
    Throw,
}

/// <summary>
/// An environment of two-element observations [step, 1] and rewards of 1 that goes wrong in one chosen way at its
/// <c>badStep</c>-th step (counted over its whole life, from 1), or from the start for <see cref="Fault.PartialWrite"/>.
/// </summary>
internal sealed class FaultyEnvironment(Fault fault, int badStep = int.MaxValue, int truncateAfter = int.MaxValue) : IEnvironment
{
    private int _step;
    private int _totalSteps;

    public BoxSpace ObservationSpace { get; } = new(float.NegativeInfinity, float.PositiveInfinity, 2);

    public Space ActionSpace { get; } = new DiscreteSpace(2);

    public void Reset(Span<float> observation, int? seed = null)
    {
        _step = 0;
        Write(observation);
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _step++;
        _totalSteps++;
        bool bad = _totalSteps == badStep;
        if (bad && fault == Fault.Throw)
            throw new InvalidOperationException($"The environment failed at its step {_totalSteps}.");
        Write(observation);
        if (bad && fault is Fault.NaNObservation)
            observation[1] = float.NaN;
        if (bad && fault is Fault.NonFiniteFinalObservationOfTruncation)
            observation[1] = float.NegativeInfinity;
        float reward = !bad ? 1f : fault switch
        {
            Fault.NaNReward => float.NaN,
            Fault.InfiniteReward => float.PositiveInfinity,
            _ => 1f,
        };
        return new StepResult(reward, Terminated: false, Truncated: _step >= truncateAfter || (bad && fault == Fault.NonFiniteFinalObservationOfTruncation));
    }

    public void Dispose()
    {
    }

    private void Write(Span<float> observation)
    {
        observation[0] = _step;
        if (fault != Fault.PartialWrite)
            observation[1] = 1f;
    }
}
