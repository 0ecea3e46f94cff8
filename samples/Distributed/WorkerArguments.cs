namespace Ppo.Samples.Distributed;

/// <summary>A worker process's settings, as read from its command line (<see cref="CommandLine"/>).</summary>
/// <param name="Redis">The Redis server of the cluster's membership, <c>host:port</c>.</param>
/// <param name="Cluster">The cluster to join.</param>
/// <param name="SpinMicroseconds">The busy wait per environment step, 0 for none.</param>
/// <param name="ParentProcessId">The learner's process, whose exit stops the worker; 0 for none.</param>
public sealed record WorkerArguments(string Redis, string Cluster, int SpinMicroseconds, int ParentProcessId);
