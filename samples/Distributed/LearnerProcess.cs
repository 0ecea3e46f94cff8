using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Ppo.Environments;
using Ppo.Environments.Box2D;
using Ppo.Orleans;
using Ppo.Orleans.Environments;
using Ppo.Orleans.Workers;
using Ppo.Policies;
using Ppo.Training;

namespace Ppo.Samples.Distributed;

/// <summary>
/// The learner: starts Redis and the worker processes, trains on their rollouts, evaluates, stops them. With
/// <c>--workers 0</c> it steps the same environments in this process instead, as the local sample does, for a baseline.
/// </summary>
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
        (int workers, int seed, _, int spin, int killAt, _) = arguments;

        var registry = new EnvironmentRegistry();
        SampleEnvironments.Register(registry, spin);
        var options = ZooPresets.LunarLander with { NumEnvs = NumEnvs, Seed = seed };
        if (workers == 0)
        {
            // The local sample's way: one vector of the environments, stepped in two halves on two threads.
            using SyncVectorEnvironment environments = registry.Create(SampleEnvironments.LunarLander, NumEnvs);
            environments.StepInParallel = true;
            var policy = CreatePolicy(environments.ObservationSpace.Size, environments.ActionSpace, seed);
            var progress = new Progress(null, [], 0);
            return await FinishAsync(new PpoTrainer(environments, new ManagedLearner(policy), options), policy, progress, arguments);
        }

        await using LocalRedis redis = await LocalRedis.FindOrStartAsync();
        string cluster = string.Create(CultureInfo.InvariantCulture, $"ppo-{Environment.ProcessId}-{Stopwatch.GetTimestamp()}");
        Console.WriteLine($"Redis {redis.Endpoint}{(redis.StartedHere ? " (started here)" : string.Empty)}, cluster {cluster}, {workers} worker process(es)");
        List<Process> processes = [.. Enumerable.Range(0, workers).Select(_ => StartWorker(redis.Endpoint, cluster, spin))];
        try
        {
            using IHost client = await ConnectAsync(redis.Endpoint, cluster, workers);
            using var pool = new OrleansRolloutWorkers(client.Services.GetRequiredService<IClusterClient>(), new OrleansRolloutWorkerOptions { Run = "lunar-lander" });
            var collector = new DistributedRolloutCollector(pool, WorkerLayout.Even(SampleEnvironments.LunarLander, NumEnvs, workers), registry, seed);
            var policy = CreatePolicy(collector.ObservationSpace.Size, collector.ActionSpace, seed);
            var progress = new Progress(collector, processes, killAt);
            int exitCode = await FinishAsync(new PpoTrainer(collector, new ManagedLearner(policy), options), policy, progress, arguments);
            foreach (WorkerRecovery recovery in collector.Recoveries)
                Console.WriteLine($"  recovery: update {recovery.PolicyVersion + 1}, worker {recovery.WorkerIndex} -> incarnation {recovery.Incarnation}: {recovery.Reason}");
            return exitCode;
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

    /// <summary>The weights, seeded as PpoTrainer seeds those of the network it creates: (seed &lt;&lt; 8) | 0.</summary>
    private static ActorCritic CreatePolicy(int observationSize, Space actionSpace, int seed) =>
        new(observationSize, actionSpace, seed: (ulong)(uint)seed << 8);

    /// <summary>Trains, evaluates 100 deterministic episodes, prints the result and writes the summary when asked.</summary>
    private static async Task<int> FinishAsync(PpoTrainer trainer, ActorCritic policy, Progress progress, LearnerArguments arguments)
    {
        (int workers, int seed, long timesteps, int spin, _, string? summaryPath) = arguments;
        var clock = Stopwatch.StartNew();
        trainer.Learn(timesteps, progress);
        double seconds = clock.Elapsed.TotalSeconds;

        using var evaluation = new LunarLander();
        EvaluationResult result = PolicyEvaluation.Run(policy, evaluation, episodes: 100, seed: seed);
        double stepsPerSecond = trainer.TotalTimesteps / seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{trainer.TotalTimesteps} steps in {seconds:F1} s ({stepsPerSecond:F0} steps/s) {(workers == 0 ? "in this process" : $"on {workers} worker process(es)")}; evaluation over 100 episodes: {result.MeanReturn:F1} ± {result.StandardDeviationOfReturn:F1}; {progress.Recoveries} recovery(ies), {progress.Moves} move(s)"));
        if (summaryPath is not null)
        {
            await WriteSummaryAsync(summaryPath, new Summary(SampleEnvironments.LunarLander, workers, seed, spin, trainer.UpdateCount, trainer.TotalTimesteps, seconds, stepsPerSecond, progress.MeanRoundTripSeconds, progress.MeanSlowestWorkerSeconds, result.MeanReturn, result.StandardDeviationOfReturn, progress.Recoveries, progress.Moves));
        }

        return result.MeanReturn >= 200 ? 0 : 1;
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

    /// <summary>
    /// Prints each update with its rollout recoveries (from the trainer's metrics) and, for remote workers, the round trip
    /// and the moves; kills one worker process (SIGKILL) after update <c>killAt</c>.
    /// </summary>
    private sealed class Progress(DistributedRolloutCollector? collector, List<Process> processes, int killAt) : TrainingCallback
    {
        private double _roundTrips;
        private double _slowestWorkers;
        private int _updates;

        public double MeanRoundTripSeconds => _roundTrips / Math.Max(1, _updates);

        public double MeanSlowestWorkerSeconds => _slowestWorkers / Math.Max(1, _updates);

        /// <summary>Gets the sum of the updates' <see cref="UpdateMetrics.RolloutRecoveries"/>.</summary>
        public int Recoveries { get; private set; }

        public int Moves { get; private set; }

        public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
        {
            Recoveries += metrics.RolloutRecoveries;
            _updates++;
            string line = string.Create(CultureInfo.InvariantCulture,
                $"update {metrics.Update,3}  steps {metrics.TotalTimesteps,8}  return {metrics.MeanEpisodeReturn,7:F1}  {metrics.StepsPerSecond,6:F0} steps/s  recoveries {metrics.RolloutRecoveries}");
            if (collector is null)
            {
                Console.WriteLine(line);
                return true;
            }

            DistributedRolloutMetrics rollout = collector.LastMetrics;
            _roundTrips += rollout.RoundTripSeconds;
            _slowestWorkers += rollout.SlowestWorkerSeconds;
            Moves += rollout.MovesThisUpdate.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{line}  round trip {rollout.RoundTripSeconds * 1000,6:F0} ms (slowest worker {rollout.SlowestWorkerSeconds * 1000,6:F0} ms)"));
            foreach (WorkerMove move in rollout.MovesThisUpdate)
                Console.WriteLine($"  moved worker {move.WorkerIndex} from {move.From} to {move.To} {(move.KeptState ? "with its state" : $"as incarnation {move.Incarnation} (its environments cannot save their state)")}");
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
