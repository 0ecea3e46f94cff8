using Ppo.Policies;
using TorchSharp.Modules;
using static TorchSharp.torch;
using ManagedLinear = Ppo.Networks.Linear;

namespace Ppo.TorchSharp.Tests.TestSupport;

/// <summary>Copies a managed <see cref="ActorCritic"/>'s parameters into a TorchSharp MLP policy and reads gradients back in the same order.</summary>
internal static class ManagedWeights
{
    /// <summary>Copies every weight, bias and the log standard deviation; the two networks must have the same architecture.</summary>
    public static void CopyInto(ActorCritic managed, TorchActorCritic torchPolicy)
    {
        foreach ((ManagedLinear source, Linear destination) in Pairs(managed, torchPolicy))
        {
            TorchInitialization.Assign(destination.weight!, source.Weight.Value.ToArray());
            TorchInitialization.Assign(destination.bias!, source.Bias.Value.ToArray());
        }

        if (managed.LogStandardDeviation is { } logStd)
            TorchInitialization.Assign(((TorchDiagonalGaussian)torchPolicy.Distribution).LogStandardDeviation, logStd.Value.ToArray());
    }

    /// <summary>Pairs each managed parameter (name, value, gradient) with the TorchSharp parameter it was copied into.</summary>
    public static IEnumerable<(string Name, Ppo.Networks.Parameter Managed, Tensor Torch)> Parameters(ActorCritic managed, TorchActorCritic torchPolicy)
    {
        int layer = 0;
        foreach ((ManagedLinear source, Linear destination) in Pairs(managed, torchPolicy))
        {
            yield return ($"layer {layer} weight", source.Weight, destination.weight!);
            yield return ($"layer {layer} bias", source.Bias, destination.bias!);
            layer++;
        }

        if (managed.LogStandardDeviation is { } logStd)
            yield return ("log_std", logStd, ((TorchDiagonalGaussian)torchPolicy.Distribution).LogStandardDeviation);
    }

    /// <summary>Reads a CPU float tensor into an array.</summary>
    public static float[] ToArray(Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();

    private static IEnumerable<(ManagedLinear, Linear)> Pairs(ActorCritic managed, TorchActorCritic torchPolicy)
    {
        if (managed.SharedTrunk is not null)
            throw new ArgumentException("The copy covers separate actor and critic networks only.", nameof(managed));
        IEnumerable<ManagedLinear> sources = managed.PolicyNetwork.LinearLayers.Concat(managed.ValueNetwork.LinearLayers);
        IEnumerable<Linear> destinations = torchPolicy.PolicyHead.modules().OfType<Linear>().Concat(torchPolicy.ValueHead.modules().OfType<Linear>());
        return sources.Zip(destinations);
    }
}
