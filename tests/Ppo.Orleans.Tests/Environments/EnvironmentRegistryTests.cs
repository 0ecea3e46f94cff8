using Ppo.Orleans.Environments;
using Ppo.Orleans.Tests.Infrastructure;

namespace Ppo.Orleans.Tests.Environments;

public sealed class EnvironmentRegistryTests
{
    [Fact]
    public void Create_RegisteredName_BuildsThatManyEnvironments()
    {
        using var vector = TestEnvironments.CreateRegistry().Create(TestEnvironments.CartPole, 3);

        Assert.Equal(3, vector.EnvironmentCount);
        Assert.Equal(4, vector.ObservationSpace.Size);
    }

    [Fact]
    public void Create_UnknownName_ThrowsListingTheRegisteredOnes()
    {
        var exception = Assert.Throws<KeyNotFoundException>(() => TestEnvironments.CreateRegistry().Create("Pong-v5", 1));

        Assert.Contains("'Pong-v5'", exception.Message, StringComparison.Ordinal);
        Assert.Contains(TestEnvironments.CartPole, exception.Message, StringComparison.Ordinal);
        Assert.Contains(TestEnvironments.LunarLander, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_EmptyName_Throws()
    {
        Assert.Throws<ArgumentException>("name", () => new EnvironmentRegistry().Register(" ", () => throw new InvalidOperationException()));
    }
}
