using Ppo.Environments;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppo.TorchSharp.Tests;

public sealed class TorchPoliciesTests
{
    [Fact]
    public void Cnn_TenByTenImages_FitsThreeLayersOfThreeByThreeKernels()
    {
        using DisposeScope scope = NewDisposeScope();
        using TorchActorCritic policy = TorchPolicies.Cnn(new BoxSpace(0f, 1f, [4, 10, 10]), new DiscreteSpace(3), seed: 1);
        Tensor observations = rand(5, 400);

        (Tensor headOutput, Tensor values) = policy.Forward(observations);

        var extractor = Assert.IsType<NatureCnn>(policy.FeatureExtractor);
        Assert.Equal([3, 3, 3], extractor.KernelSizes);
        Assert.Equal([5L, 3L], headOutput.shape);
        Assert.Equal([5L], values.shape);
    }

    [Fact]
    public void Cnn_AtariSizedImages_UsesTheNaturePaperKernels()
    {
        var extractor = new NatureCnn(4, 84, 84);

        Assert.Equal([8, 4, 3], extractor.KernelSizes);
        using DisposeScope scope = NewDisposeScope();
        Assert.Equal([2L, 512L], extractor.call(zeros(2, 4 * 84 * 84)).shape);
    }

    [Fact]
    public void Cnn_VectorObservations_IsRejectedWithTheShape()
    {
        var exception = Assert.Throws<ArgumentException>(() => TorchPolicies.Cnn(new BoxSpace(-1f, 1f, 8), new DiscreteSpace(2)));

        Assert.Contains("rank 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PolicyHeadOfTheWrongWidth_SaysWhatItNeeds()
    {
        var exception = Assert.Throws<ArgumentException>(() => new TorchActorCritic(
            new BoxSpace(-1f, 1f, 4), new DiscreteSpace(3), nn.Identity(), nn.Linear(4, 2), nn.Linear(4, 1), new TorchCategorical(3)));

        Assert.Contains("[B, 3]", exception.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 2]", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DistributionForAnotherSpace_IsRejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => new TorchActorCritic(
            new BoxSpace(-1f, 1f, 4), new BoxSpace(-1f, 1f, 2), nn.Identity(), nn.Linear(4, 2), nn.Linear(4, 1), new TorchCategorical(2)));

        Assert.Contains("TorchDiagonalGaussian", exception.Message, StringComparison.Ordinal);
    }
}
