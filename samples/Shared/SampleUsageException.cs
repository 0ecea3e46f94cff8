namespace Ppo.Samples;

/// <summary>A command-line mistake: the sample prints the message and its usage and exits with code 2.</summary>
internal sealed class SampleUsageException(string message) : Exception(message)
{
}
