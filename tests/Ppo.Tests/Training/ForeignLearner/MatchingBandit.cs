using Ppo.Environments;
using Ppo.Randomness;

namespace Ppo.Tests.Training.ForeignLearner;

/// <summary>
/// A one-step environment: the observation shows one of <c>n</c> lamps lit (one-hot), and the action that names the lit
/// lamp earns reward 1, any other 0. Every episode terminates after its single step. Its state can be saved, so a
/// resumed run continues exactly.
/// </summary>
internal sealed class MatchingBandit(int lampCount) : IEnvironment, IStatefulEnvironment
{
    private readonly SeededRandom _random = new(0);
    private int _lit = -1;

    public BoxSpace ObservationSpace { get; } = new(0f, 1f, lampCount);

    public Space ActionSpace { get; } = new DiscreteSpace(lampCount);

    public void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is int value)
            _random.Reseed((ulong)value);
        _lit = _random.NextInt(lampCount);
        observation.Clear();
        observation[_lit] = 1f;
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_lit < 0)
            throw new InvalidOperationException("Reset first.");
        float reward = (int)action[0] == _lit ? 1f : 0f;
        _lit = -1;
        return new StepResult(reward, Terminated: true, Truncated: false);
    }

    public bool CanSaveState => true;

    public void SaveState(BinaryWriter writer)
    {
        RandomStateSerialization.Write(writer, _random.State);
        writer.Write(_lit);
    }

    public void LoadState(BinaryReader reader)
    {
        _random.State = RandomStateSerialization.Read(reader);
        _lit = reader.ReadInt32();
    }

    public void Dispose()
    {
    }
}
