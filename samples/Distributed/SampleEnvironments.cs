using Ppo.Environments.Box2D;
using Ppo.Orleans.Environments;

namespace Ppo.Samples.Distributed;

/// <summary>The environments of the sample, registered the same way by the learner and every worker.</summary>
public static class SampleEnvironments
{
    /// <summary>The registered name of the environments.</summary>
    public const string LunarLander = "LunarLander-v3";

    /// <summary>Registers LunarLander-v3, each step spinning <paramref name="spinMicroseconds"/> µs first when above 0.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="spinMicroseconds">The simulated cost of a step.</param>
    public static void Register(EnvironmentRegistry registry, int spinMicroseconds)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (spinMicroseconds > 0)
            registry.Register(LunarLander, () => new SpinningEnvironment(new LunarLander(), spinMicroseconds));
        else
            registry.Register(LunarLander, () => new LunarLander());
    }
}
