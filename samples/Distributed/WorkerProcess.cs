using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Ppo.Orleans.Hosting;

namespace Ppo.Samples.Distributed;

/// <summary>A worker process: one silo that hosts rollout workers, until it is stopped, killed, or its learner exits.</summary>
public static class WorkerProcess
{
    /// <summary>The Orleans service of the sample's clusters.</summary>
    public const string ServiceId = "ppo-distributed";

    /// <summary>Runs the silo.</summary>
    /// <param name="arguments">The options of the worker mode (<see cref="CommandLine"/>).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(WorkerArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        (string redis, string cluster, int spin, int parent) = arguments;
        using IHost host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo => silo
                .UseRedisClustering(redis)
                .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (cluster, ServiceId))
                .ConfigureEndpoints(IPAddress.Loopback, LocalRedis.FreePort(), LocalRedis.FreePort())
                .Configure<ClusterMembershipOptions>(Membership)
                .AddRolloutWorkers(registry => SampleEnvironments.Register(registry, spin)))
            .Build();
        await host.StartAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker {Environment.ProcessId} joined cluster {cluster}"));
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => (e.Cancel, _) = (true, stopping.CancelAsync());
        while (!stopping.IsCancellationRequested && (parent == 0 || IsRunning(parent)))
            await Task.Delay(500, CancellationToken.None);
        await host.StopAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>Declares a silo that stops answering dead within a few seconds, as the sample's kill needs.</summary>
    /// <param name="options">The membership options.</param>
    public static void Membership(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = TimeSpan.FromSeconds(2);
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 1;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
