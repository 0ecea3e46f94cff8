using Ppo.Environments;
using Ppo.Policies;

namespace Ppo.Tests.Policies;

public sealed class ActorCriticObservationSpaceTests
{
    [Fact]
    public void Constructor_ImageObservations_PointsToTheTorchSharpEngine()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ActorCritic(new BoxSpace(0f, 1f, [4, 10, 10]), new DiscreteSpace(3)));

        Assert.Contains("rank 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_VectorObservations_TakesTheirSize()
    {
        var network = new ActorCritic(new BoxSpace(-1f, 1f, 6), new DiscreteSpace(2));

        Assert.Equal(6, network.ObservationSize);
    }
}
