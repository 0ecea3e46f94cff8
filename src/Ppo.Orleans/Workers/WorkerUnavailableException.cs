namespace Ppo.Orleans.Workers;

/// <summary>A rollout worker failed on every attempt the retry budget allowed.</summary>
public sealed class WorkerUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public WorkerUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the last failure.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The last attempt's failure.</param>
    public WorkerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
