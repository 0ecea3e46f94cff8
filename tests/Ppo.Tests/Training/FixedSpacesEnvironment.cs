using Ppo.Environments;

namespace Ppo.Tests.Training;

/// <summary>An environment of any spaces for checks of space matching: constant observations, reward 1, episodes of five steps.</summary>
internal sealed class FixedSpacesEnvironment(Space actionSpace, int observationSize = 2) : IEnvironment
{
    private int _step;

    public BoxSpace ObservationSpace { get; } = new(-1f, 1f, observationSize);

    public Space ActionSpace { get; } = actionSpace;

    public void Reset(Span<float> observation, int? seed = null)
    {
        _step = 0;
        observation.Fill(0.5f);
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _step++;
        observation.Fill(0.5f);
        return new StepResult(1f, Terminated: false, Truncated: _step == 5);
    }

    public void Dispose()
    {
    }
}
