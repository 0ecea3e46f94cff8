using Ppo.Environments.Box2D;
using Ppo.Environments.ClassicControl;
using Ppo.Orleans.Environments;

namespace Ppo.Orleans.Tests.Infrastructure;

/// <summary>The environments every test silo registers.</summary>
internal static class TestEnvironments
{
    public const string CartPole = "CartPole-v1";
    public const string LunarLander = "LunarLander-v3";

    public static void Register(EnvironmentRegistry registry)
    {
        registry.Register(CartPole, () => new CartPole());
        registry.Register(LunarLander, () => new LunarLander());
    }

    public static EnvironmentRegistry CreateRegistry()
    {
        var registry = new EnvironmentRegistry();
        Register(registry);
        return registry;
    }
}
