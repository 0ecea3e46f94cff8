using Ppo.Checkpoints;

namespace Ppo.Training;

/// <summary>
/// The learner kinds that checkpoints can be loaded into. The managed engine's kind, <see cref="ManagedLearner.LearnerKind"/>,
/// is always present; another engine registers its <see cref="ILearnerFactory"/> once, before loading its checkpoints.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public static class LearnerRegistry
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, ILearnerFactory> Factories = new(StringComparer.Ordinal)
    {
        [ManagedLearner.LearnerKind] = ManagedLearner.Factory,
    };

    /// <summary>Registers the factory of a learner kind, replacing any earlier one of the same kind.</summary>
    /// <param name="factory">The factory; its <see cref="ILearnerFactory.Kind"/> must not be empty.</param>
    /// <exception cref="ArgumentException">The kind is empty, or is the managed engine's own.</exception>
    public static void Register(ILearnerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentException.ThrowIfNullOrWhiteSpace(factory.Kind, nameof(factory));
        if (factory.Kind == ManagedLearner.LearnerKind && !ReferenceEquals(factory, ManagedLearner.Factory))
            throw new ArgumentException($"The learner kind '{ManagedLearner.LearnerKind}' belongs to the managed engine.", nameof(factory));
        lock (Gate)
            Factories[factory.Kind] = factory;
    }

    /// <summary>Finds the factory of a learner kind.</summary>
    /// <param name="kind">The kind, as written in a checkpoint.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="CheckpointException">No factory is registered for <paramref name="kind"/>.</exception>
    public static ILearnerFactory Find(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        lock (Gate)
        {
            if (Factories.TryGetValue(kind, out ILearnerFactory? factory))
                return factory;
            throw new CheckpointException($"The checkpoint holds a learner of kind '{kind}', which is not registered (known kinds: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal))}); register its factory with {nameof(LearnerRegistry)}.{nameof(Register)} first.");
        }
    }
}
