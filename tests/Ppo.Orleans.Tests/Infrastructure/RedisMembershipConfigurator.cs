using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.TestingHost;
using Ppo.Orleans.Hosting;

namespace Ppo.Orleans.Tests.Infrastructure;

/// <summary>
/// Makes a test cluster's silos and client meet through Redis (whose endpoint the cluster's configuration holds under
/// <see cref="EndpointKey"/>) instead of the primary silo, so that any silo can be killed; silos host rollout workers and
/// declare a silo that stops answering dead within a few seconds.
/// </summary>
internal sealed class RedisMembershipConfigurator : ISiloConfigurator, IClientBuilderConfigurator
{
    public const string EndpointKey = "PpoTestRedis";

    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder
            .UseRedisClustering(Endpoint(siloBuilder.Configuration))
            .Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
            })
            .AddRolloutWorkers(TestEnvironments.Register);
    }

    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.UseRedisClustering(Endpoint(configuration));

    private static string Endpoint(IConfiguration configuration) =>
        configuration[EndpointKey] ?? throw new InvalidOperationException($"The test cluster's configuration has no {EndpointKey}.");
}
