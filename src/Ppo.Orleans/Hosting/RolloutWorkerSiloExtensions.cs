using Microsoft.Extensions.DependencyInjection.Extensions;
using Ppo.Orleans.Environments;
using Ppo.Orleans.Placement;

namespace Ppo.Orleans.Hosting;

/// <summary>Makes a silo host rollout workers.</summary>
public static class RolloutWorkerSiloExtensions
{
    /// <summary>Registers the environments this silo's rollout workers can create, by name.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="registerEnvironments">Adds the factories, for example <c>r =&gt; r.Register("CartPole-v1", () =&gt; new CartPole())</c>.</param>
    /// <returns>The builder.</returns>
    public static ISiloBuilder AddRolloutWorkers(this ISiloBuilder builder, Action<EnvironmentRegistry> registerEnvironments)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(registerEnvironments);
        var registry = new EnvironmentRegistry();
        registerEnvironments(registry);
        builder.Services.TryAddSingleton(registry);
        builder.Services.AddPlacementDirector<WorkerSpreadPlacement, WorkerSpreadPlacementDirector>();
        return builder;
    }
}
