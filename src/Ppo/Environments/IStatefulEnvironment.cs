namespace Ppo.Environments;

/// <summary>
/// An environment whose complete state (physics, random generator, episode progress) can be written and read back,
/// so that a checkpoint resumes training exactly where it stopped.
/// </summary>
public interface IStatefulEnvironment
{
    /// <summary>Gets a value indicating whether <see cref="SaveState"/> can capture the whole state.</summary>
    bool CanSaveState { get; }

    /// <summary>Writes the state.</summary>
    /// <param name="writer">The destination.</param>
    /// <exception cref="NotSupportedException"><see cref="CanSaveState"/> is false.</exception>
    void SaveState(BinaryWriter writer);

    /// <summary>Restores a state written by <see cref="SaveState"/> of an environment configured the same way.</summary>
    /// <param name="reader">The source.</param>
    /// <exception cref="InvalidDataException">The data is not a valid state for this environment.</exception>
    /// <exception cref="NotSupportedException"><see cref="CanSaveState"/> is false.</exception>
    void LoadState(BinaryReader reader);
}
