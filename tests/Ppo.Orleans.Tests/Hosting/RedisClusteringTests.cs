using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Ppo.Orleans.Hosting;
using Ppo.Orleans.Tests.Infrastructure;
using Ppo.Orleans.Workers;
using Ppo.Policies;
using Ppo.Samples.Distributed;

namespace Ppo.Orleans.Tests.Hosting;

public sealed class RedisClusteringTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task CollectAsync_SilosAndClientMeetThroughRedis_ReturnsTheLocalChunk()
    {
        string clusterId = $"ppo-test-{Guid.NewGuid():N}";
        using IHost first = await StartSiloAsync(clusterId, siloPort: LocalRedis.FreePort(), gatewayPort: LocalRedis.FreePort());
        using IHost second = await StartSiloAsync(clusterId, siloPort: LocalRedis.FreePort(), gatewayPort: LocalRedis.FreePort());
        using IHost client = Host.CreateDefaultBuilder()
            .UseOrleansClient(builder => builder
                .UseRedisClustering(redis.Endpoint)
                .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clusterId, "ppo")))
            .Build();
        await client.StartAsync();

        ActorCritic policy = WorkerLayouts.CreatePolicy(TestEnvironments.CartPole);
        RolloutWorkerSettings settings = WorkerLayouts.Settings(TestEnvironments.CartPole, policy, workerIndex: 0, environmentsPerWorker: 4, numSteps: 32);
        IRolloutWorkerGrain grain = client.Services.GetRequiredService<IClusterClient>().GetGrain<IRolloutWorkerGrain>(RolloutWorkerKeys.For("redis", 0, 0));
        RolloutChunk remote = await grain.CollectAsync(settings, WorkerLayouts.Parameters(policy));
        using RolloutSlice local = WorkerLayouts.LocalSlice(settings);

        WorkerLayouts.AssertSameChunk(local.Collect(WorkerLayouts.Parameters(policy)), remote);
        await client.StopAsync();
        await second.StopAsync();
        await first.StopAsync();
    }

    private async Task<IHost> StartSiloAsync(string clusterId, int siloPort, int gatewayPort)
    {
        IHost host = Host.CreateDefaultBuilder()
            .UseOrleans(silo => silo
                .UseRedisClustering(redis.Endpoint)
                .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clusterId, "ppo"))
                .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort)
                .AddRolloutWorkers(TestEnvironments.Register))
            .Build();
        await host.StartAsync();
        return host;
    }
}
