namespace Ppo.Checkpoints;

/// <summary>A checkpoint file cannot be used: it is truncated, corrupt, of another format or version, or does not match what it is loaded into.</summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointException()
    {
    }

    /// <summary>Creates the exception with a message that names the problem.</summary>
    /// <param name="message">What is wrong with the checkpoint.</param>
    public CheckpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    /// <param name="message">What is wrong with the checkpoint.</param>
    /// <param name="innerException">The underlying error.</param>
    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
