using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Orleans.Policies;

/// <summary>A worker's replica of a managed-engine <see cref="ActorCritic"/>.</summary>
internal sealed class ManagedRolloutPolicy : IRolloutPolicy
{
    private readonly ActorCritic _network;

    public ManagedRolloutPolicy(ActorCritic network, int maxRowCount)
    {
        _network = network;
        _network.Resize(maxRowCount);
    }

    public int ActionSize => _network.ActionSize;

    public int DistributionParameterSize => _network.DistributionParameterSize;

    public int ParameterCount => _network.Parameters.Count;

    public void LoadParameters(ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != ParameterCount)
            throw new ArgumentException($"The policy has {ParameterCount} parameters but {parameters.Length} were sent.", nameof(parameters));
        _network.Parameters.Values.CopyFrom(parameters);
    }

    public void Act(Tensor observations, int rowCount, SeededRandom random, Tensor actions, Tensor logProbabilities, Tensor values, Tensor? distributionParameters) =>
        _network.Act(observations, rowCount, random, deterministic: false, actions, logProbabilities, values, distributionParameters);

    public void PredictValues(Tensor observations, int rowCount, Tensor values) => _network.PredictValues(observations, rowCount, values);

    public void ClipToActionSpace(Span<float> actions) => _network.ClipToActionSpace(actions);
}
