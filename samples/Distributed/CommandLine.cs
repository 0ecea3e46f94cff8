using System.CommandLine;
using System.Globalization;

namespace Ppo.Samples.Distributed;

/// <summary>
/// The sample's command line: the learner's options, and the <c>worker</c> mode in which the learner starts its worker
/// processes, and in which a worker can be started by hand on another host. The mode is listed in the help, since a
/// hidden command of <c>System.CommandLine</c> has no help of its own.
/// </summary>
public sealed class CommandLine
{
    private const string Usage = "dotnet run -c Release --project samples/Distributed";
    private const string WorkerMode = "worker";
    private const string RedisName = "--redis";
    private const string ClusterName = "--cluster";
    private const string SpinName = "--spin-us";
    private const string ParentName = "--parent";
    private const int MostSpinMicroseconds = 1_000_000;

    private readonly Option<int> _workers;
    private readonly Option<int> _seed = SampleCommandLine.Seed();
    private readonly Option<long> _timesteps = SampleCommandLine.Count("--timesteps", "Environment steps to train, e.g. 1e6", 1_015_808, 1, SampleCommandLine.MostTimesteps);
    private readonly Option<int> _spin = SpinOption();
    private readonly Option<int> _killAt = SampleCommandLine.Integer("--kill-worker-at-update", "Kill one worker process (SIGKILL) after this update; 0 never", 0, 0, 1_000_000);
    private readonly Option<string?> _summary = SampleCommandLine.Path("--summary", "Write a JSON summary of the run", "none");
    private readonly Option<string> _redis = new(RedisName) { Description = "The Redis server that holds the cluster's membership", HelpName = "HOST:PORT", Required = true };
    private readonly Option<string> _cluster = new(ClusterName) { Description = "The cluster to join, as the learner names it", HelpName = "ID", Required = true };
    private readonly Option<int> _workerSpin = SpinOption();
    private readonly Option<int> _parent = SampleCommandLine.Integer(ParentName, "Stop when this process (the learner) has exited; 0 runs until stopped", 0, 0, int.MaxValue);

    /// <summary>Defines the learner's command and its worker mode.</summary>
    /// <param name="environmentCount">The learner's environments, which the workers share: the most workers it can use.</param>
    public CommandLine(int environmentCount)
    {
        _workers = SampleCommandLine.Integer("--workers", "Worker processes, each an Orleans silo; the environments are split evenly between them (0 steps them in this process instead, the local baseline)", 2, 0, environmentCount);
        Root = SampleCommandLine.Root(
            Usage,
            "Trains LunarLander-v3 with its rollouts collected by worker processes on an Orleans cluster whose membership lives in Redis (one on loopback is found or started); the learner starts the workers itself.");
        foreach (Option option in (Option[])[_workers, _seed, _timesteps, _spin, _killAt, _summary])
            Root.Options.Add(option);
        Root.Validators.Add(result =>
        {
            if (result.GetValue(_killAt) > 0 && result.GetValue(_workers) < 2)
                result.AddError($"{_killAt.Name} needs {_workers.Name} 2 or more, so that a live worker can take the lost slice.");
        });

        Worker = new Command(WorkerMode, $"Runs one worker process, a silo that hosts rollout workers until it is stopped, killed, or its learner exits. The learner starts its workers so; to add one by hand, on this or another host: {WorkerMode} {RedisName} HOST:PORT {ClusterName} ID");
        foreach (Option option in (Option[])[_redis, _cluster, _workerSpin, _parent])
            Worker.Options.Add(option);
        Root.Subcommands.Add(Worker);
    }

    /// <summary>Gets the learner's command, the root.</summary>
    public RootCommand Root { get; }

    /// <summary>Gets the worker mode, a subcommand.</summary>
    public Command Worker { get; }

    /// <summary>The arguments that start a worker process in the worker mode: what the learner passes to each of its workers.</summary>
    /// <param name="worker">The worker's settings.</param>
    /// <returns>The arguments, mode word first.</returns>
    public static IReadOnlyList<string> WorkerCommandLine(WorkerArguments worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return
        [
            WorkerMode,
            RedisName, worker.Redis,
            ClusterName, worker.Cluster,
            SpinName, worker.SpinMicroseconds.ToString(CultureInfo.InvariantCulture),
            ParentName, worker.ParentProcessId.ToString(CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>Reads the learner's options from a parse of <see cref="Root"/>.</summary>
    /// <param name="parsed">The parse.</param>
    /// <returns>The learner's settings.</returns>
    public LearnerArguments ReadLearner(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return new LearnerArguments(parsed.GetValue(_workers), parsed.GetValue(_seed), parsed.GetValue(_timesteps), parsed.GetValue(_spin), parsed.GetValue(_killAt), parsed.GetValue(_summary));
    }

    /// <summary>Reads the worker mode's options from a parse of <see cref="Root"/> that chose <see cref="Worker"/>.</summary>
    /// <param name="parsed">The parse.</param>
    /// <returns>The worker's settings.</returns>
    public WorkerArguments ReadWorker(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return new WorkerArguments(parsed.GetRequiredValue(_redis), parsed.GetRequiredValue(_cluster), parsed.GetValue(_workerSpin), parsed.GetValue(_parent));
    }

    /// <summary>Proves that the learner's outputs can be written where asked, before the run starts.</summary>
    /// <param name="learner">The learner's settings.</param>
    /// <returns><see langword="null"/> when they can, else a message that names the option.</returns>
    public string? PrepareOutputs(LearnerArguments learner)
    {
        ArgumentNullException.ThrowIfNull(learner);
        return learner.SummaryPath is null ? null : OutputLocation.PrepareFile(_summary.Name, learner.SummaryPath);
    }

    private static Option<int> SpinOption() =>
        SampleCommandLine.Integer(SpinName, "Busy-wait this many microseconds per environment step, a stand-in for an expensive simulator", 0, 0, MostSpinMicroseconds);
}
