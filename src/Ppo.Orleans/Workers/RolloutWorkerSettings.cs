using Ppo.Orleans.Policies;

namespace Ppo.Orleans.Workers;

/// <summary>What one rollout worker owns: which environments, which random streams, how long a rollout is, which policy.</summary>
/// <remarks>Sent with every collection, so that a worker activated anew (on another silo after a fault) can rebuild its slice.</remarks>
[GenerateSerializer, Immutable]
public sealed record RolloutWorkerSettings
{
    /// <summary>Gets the registered name of the environments (see <see cref="Environments.EnvironmentRegistry"/>).</summary>
    [Id(0)]
    public required string EnvironmentName { get; init; }

    /// <summary>Gets the worker's index in the layout; chunks are assembled in this order.</summary>
    [Id(1)]
    public required int WorkerIndex { get; init; }

    /// <summary>Gets the index, in the whole layout, of the slice's first environment.</summary>
    [Id(2)]
    public required int FirstEnvironment { get; init; }

    /// <summary>Gets the number of environments of the slice.</summary>
    [Id(3)]
    public required int EnvironmentCount { get; init; }

    /// <summary>Gets the run's seed, from which the worker's streams are derived (<see cref="WorkerStreams"/>).</summary>
    [Id(4)]
    public required int Seed { get; init; }

    /// <summary>Gets 0 for the worker's first slice, then 1, 2, … for each slice recreated after a fault.</summary>
    [Id(5)]
    public int Incarnation { get; init; }

    /// <summary>Gets the steps collected per environment and update (<c>NumSteps</c>).</summary>
    [Id(6)]
    public required int NumSteps { get; init; }

    /// <summary>Gets a value indicating whether the chunk carries each step's distribution parameters (for the KL objectives).</summary>
    [Id(7)]
    public bool KeepDistributionParameters { get; init; }

    /// <summary>Gets the description of the policy whose replica the worker acts with.</summary>
    [Id(8)]
    public required PolicyDescription Policy { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">A field is out of range; the message names every one.</exception>
    public RolloutWorkerSettings Validate()
    {
        List<string>? errors = null;
        void Check(bool ok, string message)
        {
            if (!ok)
                (errors ??= []).Add(message);
        }

        Check(!string.IsNullOrWhiteSpace(EnvironmentName), $"{nameof(EnvironmentName)} must not be empty.");
        Check(WorkerIndex >= 0, $"{nameof(WorkerIndex)} must be >= 0 (was {WorkerIndex}).");
        Check(FirstEnvironment >= 0, $"{nameof(FirstEnvironment)} must be >= 0 (was {FirstEnvironment}).");
        Check(EnvironmentCount >= 1, $"{nameof(EnvironmentCount)} must be >= 1 (was {EnvironmentCount}).");
        Check(Incarnation >= 0, $"{nameof(Incarnation)} must be >= 0 (was {Incarnation}).");
        Check(NumSteps >= 1, $"{nameof(NumSteps)} must be >= 1 (was {NumSteps}).");
        Check(Policy is not null, $"{nameof(Policy)} must not be null.");
        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
