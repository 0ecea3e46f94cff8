using Orleans.TestingHost;
using Ppo.Orleans.Hosting;

namespace Ppo.Orleans.Tests.Infrastructure;

/// <summary>Makes every silo of a test cluster host rollout workers of the test environments.</summary>
internal sealed class WorkerSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddRolloutWorkers(TestEnvironments.Register);
}
