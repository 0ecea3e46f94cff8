using System.Globalization;

namespace Ppo.Orleans.Workers;

/// <summary>
/// How a run's environments are split over its rollout workers: worker <c>i</c> owns
/// <c>EnvironmentCounts[i]</c> consecutive environments of the registered kind. A run's results depend on its seed and
/// this layout, never on where the workers run.
/// </summary>
public sealed record WorkerLayout
{
    /// <summary>Gets the registered name of the environments.</summary>
    public required string EnvironmentName { get; init; }

    /// <summary>Gets the number of environments of each worker, in worker order.</summary>
    public required IReadOnlyList<int> EnvironmentCounts { get; init; }

    /// <summary>Gets the total number of environments (the trainer's <c>NumEnvs</c>).</summary>
    public int EnvironmentCount
    {
        get
        {
            int total = 0;
            foreach (int count in EnvironmentCounts)
                total += count;
            return total;
        }
    }

    /// <summary>Splits <paramref name="environmentCount"/> environments over <paramref name="workerCount"/> workers as evenly as possible, the first ones taking the remainder.</summary>
    /// <param name="environmentName">The registered name of the environments.</param>
    /// <param name="environmentCount">The total number of environments; at least <paramref name="workerCount"/>.</param>
    /// <param name="workerCount">The number of workers; at least 1.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public static WorkerLayout Even(string environmentName, int environmentCount, int workerCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workerCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(environmentCount, workerCount);
        var counts = new int[workerCount];
        for (int i = 0; i < workerCount; i++)
            counts[i] = environmentCount / workerCount + (i < environmentCount % workerCount ? 1 : 0);
        return new WorkerLayout { EnvironmentName = environmentName, EnvironmentCounts = counts };
    }

    /// <summary>Throws when a value is out of range.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">A field is out of range; the message names every one.</exception>
    public WorkerLayout Validate()
    {
        List<string>? errors = null;
        void Check(bool ok, string message)
        {
            if (!ok)
                (errors ??= []).Add(message);
        }

        Check(!string.IsNullOrWhiteSpace(EnvironmentName), $"{nameof(EnvironmentName)} must not be empty.");
        Check(EnvironmentCounts is { Count: > 0 }, $"{nameof(EnvironmentCounts)} must name at least one worker.");
        for (int i = 0; i < (EnvironmentCounts?.Count ?? 0); i++)
            Check(EnvironmentCounts![i] >= 1, string.Create(CultureInfo.InvariantCulture, $"{nameof(EnvironmentCounts)}[{i}] must be >= 1 (was {EnvironmentCounts[i]})."));
        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
