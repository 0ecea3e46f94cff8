namespace Ppo.Samples.Distributed;

/// <summary>The learner's settings, as read from its command line (<see cref="CommandLine"/>).</summary>
/// <param name="Workers">The worker processes to start, at most one per environment.</param>
/// <param name="Seed">The seed of the run.</param>
/// <param name="Timesteps">The environment steps to train.</param>
/// <param name="SpinMicroseconds">The busy wait per environment step, 0 for none.</param>
/// <param name="KillWorkerAtUpdate">The update after which one worker process is killed, 0 for never.</param>
/// <param name="SummaryPath">Where to write the JSON summary, or <see langword="null"/> for none.</param>
public sealed record LearnerArguments(int Workers, int Seed, long Timesteps, int SpinMicroseconds, int KillWorkerAtUpdate, string? SummaryPath);
