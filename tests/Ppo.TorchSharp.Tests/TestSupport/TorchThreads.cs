namespace Ppo.TorchSharp.Tests.TestSupport;

/// <summary>Tests that set libtorch's process-wide thread count run one after the other.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class TorchThreads
{
    /// <summary>The collection's name.</summary>
    public const string Collection = "libtorch threads";
}
