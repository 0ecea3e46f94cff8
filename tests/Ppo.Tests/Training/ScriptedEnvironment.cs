using Ppo.Environments;

namespace Ppo.Tests.Training;

/// <summary>
/// A deterministic environment for trainer tests: the observation is [step, 1], the reward 1 per step, episodes
/// truncate after <c>truncateAfter</c> steps or terminate after <c>terminateAfter</c>, and a chosen step can return a
/// NaN observation or reward.
/// </summary>
internal sealed class ScriptedEnvironment(int truncateAfter = int.MaxValue, int terminateAfter = int.MaxValue, int badStep = -1, bool badReward = false) : IEnvironment
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
        Write(observation);
        bool bad = _totalSteps == badStep;
        if (bad && !badReward)
            observation[0] = float.NaN;
        return new StepResult(bad && badReward ? float.PositiveInfinity : 1f, _step >= terminateAfter, _step >= truncateAfter);
    }

    public void Dispose()
    {
    }

    private void Write(Span<float> observation)
    {
        observation[0] = _step;
        observation[1] = 1f;
    }
}
