using System.Collections.Concurrent;
using Ppo.Environments;

namespace Ppo.Orleans.Environments;

/// <summary>
/// Environment factories by name (for example <c>"LunarLander-v3"</c>), so that a learner can ask a worker on another
/// machine for environments by a name both sides know, as Gymnasium's <c>gymnasium.make</c> does.
/// </summary>
/// <remarks>Every silo that hosts rollout workers registers the same names; registering is thread-safe.</remarks>
public sealed class EnvironmentRegistry
{
    private readonly ConcurrentDictionary<string, Func<IEnvironment>> _factories = new(StringComparer.Ordinal);

    /// <summary>Gets the registered names, in no particular order.</summary>
    public IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)_factories.Keys;

    /// <summary>Registers <paramref name="factory"/> under <paramref name="name"/>, replacing any factory of that name.</summary>
    /// <param name="name">The environment's name; not empty.</param>
    /// <param name="factory">Creates one new environment per call.</param>
    /// <returns>This registry, to chain registrations.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public EnvironmentRegistry Register(string name, Func<IEnvironment> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        _factories[name] = factory;
        return this;
    }

    /// <summary>Tells whether a factory is registered under <paramref name="name"/>.</summary>
    /// <param name="name">The environment's name.</param>
    /// <returns><see langword="true"/> if <see cref="Create"/> can build it.</returns>
    public bool Contains(string name) => name is not null && _factories.ContainsKey(name);

    /// <summary>Creates <paramref name="count"/> environments of the registered kind as one vector.</summary>
    /// <param name="name">The registered name.</param>
    /// <param name="count">The number of environments; at least 1.</param>
    /// <returns>A new vector environment that the caller disposes.</returns>
    /// <exception cref="KeyNotFoundException">No factory is registered under <paramref name="name"/> (the message lists those that are).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public SyncVectorEnvironment Create(string name, int count)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (!_factories.TryGetValue(name, out Func<IEnvironment>? factory))
            throw new KeyNotFoundException($"No environment is registered as '{name}'; registered: {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal))}.");
        return SyncVectorEnvironment.Create(count, _ => factory());
    }
}
