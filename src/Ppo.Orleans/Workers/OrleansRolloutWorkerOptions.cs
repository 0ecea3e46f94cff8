namespace Ppo.Orleans.Workers;

/// <summary>How the learner talks to its rollout-worker grains and recovers from their failures.</summary>
public sealed record OrleansRolloutWorkerOptions
{
    /// <summary>Gets the name that keeps this run's grains apart from other runs on the cluster.</summary>
    /// <value>The default value is <c>"ppo"</c>.</value>
    public string Run { get; init; } = "ppo";

    /// <summary>Gets how long one collection may take before the worker counts as lost and its slice is recreated.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan CollectTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets how many times one update's chunk of one worker is attempted before the run gives up.</summary>
    /// <value>The default value is 8.</value>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Gets the pause before the first retry; it doubles with each further one, giving membership time to notice a dead silo.</summary>
    /// <value>The default value is 250 ms.</value>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Gets a value indicating whether the workers are spread anew over the live silos before each update, so that a
    /// silo that joined during the run takes part from the next update. A worker whose environments can save their state
    /// moves with it (Orleans' grain migration) and the run keeps every bit; any other restarts on its new silo as a new
    /// incarnation, exactly as after a fault, and the run then also depends on when silos joined. An update that follows
    /// a worker's failure does not rebalance: membership may still list the dead silo.
    /// </summary>
    /// <value>The default value is <see langword="true"/>; with <see langword="false"/> a joining silo hosts only slices recreated after faults.</value>
    public bool Rebalance { get; init; } = true;

    /// <summary>Throws when a value is out of range.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">A field is out of range; the message names every one.</exception>
    public OrleansRolloutWorkerOptions Validate()
    {
        List<string>? errors = null;
        void Check(bool ok, string message)
        {
            if (!ok)
                (errors ??= []).Add(message);
        }

        Check(!string.IsNullOrWhiteSpace(Run) && !Run.Contains('/', StringComparison.Ordinal), $"{nameof(Run)} must be non-empty without '/' (was '{Run}').");
        Check(CollectTimeout > TimeSpan.Zero, $"{nameof(CollectTimeout)} must be > 0 (was {CollectTimeout}).");
        Check(MaxAttempts >= 1, $"{nameof(MaxAttempts)} must be >= 1 (was {MaxAttempts}).");
        Check(RetryDelay >= TimeSpan.Zero, $"{nameof(RetryDelay)} must be >= 0 (was {RetryDelay}).");
        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
