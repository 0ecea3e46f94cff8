namespace Ppo.TorchSharp;

/// <summary>
/// The native PyTorch runtime (libtorch and TorchSharp's <c>libLibTorchSharp</c>) could not be loaded, or the device
/// asked for is not available. The message says why and what to reference or install.
/// </summary>
public sealed class LibTorchUnavailableException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public LibTorchUnavailableException()
        : base("The native PyTorch runtime could not be loaded.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What failed and what to do about it.</param>
    public LibTorchUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the loader's own exception.</summary>
    /// <param name="message">What failed and what to do about it.</param>
    /// <param name="innerException">The exception TorchSharp or the native loader raised.</param>
    public LibTorchUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
