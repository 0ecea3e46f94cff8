using System.CommandLine;
using Ppo.Environments;
using Ppo.Training;

namespace Ppo.Samples;

/// <summary>
/// An engine a sample can train with instead of the managed default, chosen with <c>--engine</c>: how it creates the
/// learner of a new run, how its checkpoints are loaded, its own options, and which of its exceptions mean that it
/// cannot run on this machine.
/// </summary>
internal sealed class SampleEngine
{
    /// <summary>The value of <c>--engine</c> that selects the managed engine, the default.</summary>
    public const string Managed = ManagedLearner.LearnerKind;

    /// <summary>Gets the value of <c>--engine</c> that selects this engine; also the learner kind its checkpoints record.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the engine's own options, shown in the help after the common ones.</summary>
    public IReadOnlyList<Option> Options { get; init; } = [];

    /// <summary>Creates the learner of a new run for the environments' spaces and the run's hyperparameters.</summary>
    public required Func<ParseResult, IVectorEnvironment, PpoOptions, ILearner> CreateLearner { get; init; }

    /// <summary>Registers what loading the engine's checkpoints needs (see <see cref="LearnerRegistry"/>).</summary>
    public required Action<ParseResult> RegisterCheckpointFactory { get; init; }

    /// <summary>Returns what to tell the user when <c>exception</c> means that the engine cannot run here, or <see langword="null"/> for any other exception.</summary>
    public required Func<Exception, string?> Unavailable { get; init; }
}
