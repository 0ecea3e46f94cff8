using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Ppo.Environments.Box2D;
using Ppo.Orleans;
using Ppo.Orleans.Environments;
using Ppo.Orleans.Workers;
using Ppo.Policies;
using Ppo.Training;

namespace Ppo.Samples.Distributed;

/// <summary>The learner: starts Redis and the worker processes, trains on their rollouts, evaluates, stops them.</summary>
public static class LearnerProcess
{
    /// <summary>The environments of the run, split between the workers.</summary>
    public const int NumEnvs = 16;

    /// <summary>Runs the whole sample.</summary>
    /// <param name="arguments">The options of the command line (<see cref="CommandLine"/>).</param>
    /// <returns>The exit code: 0 when LunarLander reached 200, 1 when it did not.</returns>
    public static async Task<int> RunAsync(LearnerArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        (int workers, int seed, long timesteps, int spin, int killAt, string? summaryPath) = arguments;

        await using LocalRedis redis = await LocalRedis.FindOrStartAsync();
        string cluster = string.Create(CultureInfo.InvariantCulture, $"ppo-{Environment.ProcessId}-{Stopwatch.GetTimestamp()}");
        Console.WriteLine($"Redis {redis.Endpoint}{(redis.StartedHere ? " (started here)" : string.Empty)}, cluster {cluster}, {workers} worker process(es)");
        List<Process> processes = [.. Enumerable.Range(0, workers).Select(_ => StartWorker(redis.Endpoint, cluster, spin))];
        try
        {
            using IHost client = await ConnectAsync(redis.Endpoint, cluster, workers);
            var registry = new EnvironmentRegistry();
            SampleEnvironments.Register(registry, spin);
            var options = ZooPresets.LunarLander with { NumEnvs = NumEnvs, Seed = seed };
            using var pool = new OrleansRolloutWorkers(client.Services.GetRequiredService<IClusterClient>(), new OrleansRolloutWorkerOptions { Run = "lunar-lander" });
            var collector = new DistributedRolloutCollector(pool, WorkerLayout.Even(SampleEnvironments.LunarLander, NumEnvs, workers), registry, seed);
            // The weights are seeded as PpoTrainer seeds those of the network it creates: (seed << 8) | 0.
            var policy = new ActorCritic(collector.ObservationSpace.Size, collector.ActionSpace, seed: (ulong)(uint)seed << 8);
            var trainer = new PpoTrainer(collector, new ManagedLearner(policy), options);
            var progress = new Progress(collector, processes, killAt);
            var clock = Stopwatch.StartNew();
            trainer.Learn(timesteps, progress);
            double seconds = clock.Elapsed.TotalSeconds;

            using var evaluation = new LunarLander();
            EvaluationResult result = PolicyEvaluation.Run(policy, evaluation, episodes: 100, seed: seed);
            double stepsPerSecond = trainer.TotalTimesteps / seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{trainer.TotalTimesteps} steps in {seconds:F1} s ({stepsPerSecond:F0} steps/s) on {workers} worker process(es); evaluation over 100 episodes: {result.MeanReturn:F1} ± {result.StandardDeviationOfReturn:F1}; {collector.Recoveries.Count} recovery(ies)"));
            foreach (WorkerRecovery recovery in collector.Recoveries)
                Console.WriteLine($"  recovery: update {recovery.PolicyVersion + 1}, worker {recovery.WorkerIndex} -> incarnation {recovery.Incarnation}: {recovery.Reason}");
            if (summaryPath is not null)
                await WriteSummaryAsync(summaryPath, new Summary(SampleEnvironments.LunarLander, workers, seed, spin, trainer.UpdateCount, trainer.TotalTimesteps, seconds, stepsPerSecond, progress.MeanRoundTripSeconds, progress.MeanSlowestWorkerSeconds, result.MeanReturn, result.StandardDeviationOfReturn, collector.Recoveries.Count));
            return result.MeanReturn >= 200 ? 0 : 1;
        }
        finally
        {
            foreach (Process process in processes)
            {
                if (!process.HasExited)
                    process.Kill();
                process.Dispose();
            }
        }
    }

    private static Process StartWorker(string redis, string cluster, int spin)
    {
        // The same program in worker mode: its native launcher when there is one, else the dotnet host with its assembly.
        string launcher = Path.Combine(AppContext.BaseDirectory, "Distributed");
        var start = new ProcessStartInfo(File.Exists(launcher) ? launcher : Environment.ProcessPath!) { UseShellExecute = false };
        if (!File.Exists(launcher))
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Distributed.dll"));
        foreach (string argument in CommandLine.WorkerCommandLine(new WorkerArguments(redis, cluster, spin, Environment.ProcessId)))
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("A worker process did not start.");
    }

    /// <summary>Connects a cluster client once <paramref name="workers"/> silos are active.</summary>
    private static async Task<IHost> ConnectAsync(string redis, string cluster, int workers)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            IHost client = Host.CreateDefaultBuilder()
                .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Error))
                .UseOrleansClient(builder => builder
                    .UseRedisClustering(redis)
                    .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (cluster, WorkerProcess.ServiceId)))
                .Build();
            try
            {
                await client.StartAsync();
                IManagementGrain management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
                while ((await management.GetHosts(onlyActive: true)).Count < workers)
                {
                    if (clock.Elapsed > TimeSpan.FromMinutes(2))
                        throw new TimeoutException($"Fewer than {workers} worker silos joined within 2 minutes.");
                    await Task.Delay(200);
                }

                return client;
            }
            catch (Exception exception) when (exception is not TimeoutException && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                client.Dispose();
                await Task.Delay(500);
            }
        }
    }

    private static async Task WriteSummaryAsync(string path, Summary summary)
    {
        string temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(summary, SummaryJson.Default.Summary));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Prints each update, and kills one worker process (SIGKILL) after update <c>killAt</c>.</summary>
    private sealed class Progress(DistributedRolloutCollector collector, List<Process> processes, int killAt) : TrainingCallback
    {
        private double _roundTrips;
        private double _slowestWorkers;
        private int _updates;

        public double MeanRoundTripSeconds => _roundTrips / Math.Max(1, _updates);

        public double MeanSlowestWorkerSeconds => _slowestWorkers / Math.Max(1, _updates);

        public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
        {
            DistributedRolloutMetrics rollout = collector.LastMetrics;
            _roundTrips += rollout.RoundTripSeconds;
            _slowestWorkers += rollout.SlowestWorkerSeconds;
            _updates++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"update {metrics.Update,3}  steps {metrics.TotalTimesteps,8}  return {metrics.MeanEpisodeReturn,7:F1}  {metrics.StepsPerSecond,6:F0} steps/s  round trip {rollout.RoundTripSeconds * 1000,6:F0} ms (slowest worker {rollout.SlowestWorkerSeconds * 1000,6:F0} ms)  recoveries {rollout.TotalRecoveries}"));
            foreach (WorkerRecovery recovery in rollout.RecoveriesThisUpdate)
                Console.WriteLine($"  recovered worker {recovery.WorkerIndex} (incarnation {recovery.Incarnation}): {recovery.Reason}");
            if (metrics.Update == killAt)
            {
                Process victim = processes[^1];
                Console.WriteLine($"  killing worker process {victim.Id} (SIGKILL)");
                victim.Kill();
            }

            return true;
        }
    }
}
