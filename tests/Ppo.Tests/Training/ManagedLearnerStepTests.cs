using Ppo.Environments;
using Ppo.Losses;
using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Rollouts;
using Ppo.Tensors;
using Ppo.Training;

namespace Ppo.Tests.Training;

/// <summary>
/// Checks <see cref="ManagedLearner.ApplyGradients"/>, which zeroes, back-propagates, clips and steps each branch's
/// parameters on the thread of that branch, against the same step taken on the whole parameter buffer.
/// </summary>
public sealed class ManagedLearnerStepTests
{
    private const int Rows = 256;
    private const int ObservationSize = 3;
    private const float LearningRate = 1e-3f;

    private static readonly PpoLossSettings Settings = new(ClipRange: 0.2f, ValueClipRange: null, NormalizeAdvantage: true, EntropyCoefficient: 0.01f, ValueCoefficient: 0.5f);

    /// <summary>A shared trunk, the actor with a Gaussian head's log standard deviations after it, then the critic.</summary>
    private static readonly ActorCriticOptions TrunkAndBranches = new() { SharedHiddenSizes = [16], PolicyHiddenSizes = [32, 32], ValueHiddenSizes = [32, 32] };

    [Theory]
    [InlineData(100f)]
    [InlineData(0.05f)]
    public void ApplyGradients_TrunkAndGaussianHead_StepsEveryParameterAsTheWholeBufferStepWould(float maxGradientNorm)
    {
        var space = new BoxSpace(-1f, 1f, 2);
        var learner = new ManagedLearner(new ActorCritic(ObservationSize, space, TrunkAndBranches, seed: 7));
        ActorCritic reference = new(ObservationSize, space, TrunkAndBranches, seed: 7);
        var referenceOptimizer = new Adam(reference.Parameters.Values, reference.Parameters.Gradients);
        learner.Reserve(1, Rows);
        reference.Resize(Rows);
        Minibatch minibatch = RandomMinibatch(actionSize: 2, seed: 11);

        for (int step = 0; step < 3; step++)
        {
            learner.ComputeLoss(minibatch, Settings);
            float norm = learner.ApplyGradients(maxGradientNorm, LearningRate);
            float referenceNorm = ReferenceStep(reference, referenceOptimizer, minibatch, maxGradientNorm);

            Assert.Equal(referenceNorm, norm, referenceNorm * 1e-6f);
        }

        float[] expected = reference.Parameters.Values.ToArray(), actual = learner.Network.Parameters.Values.ToArray();
        if (maxGradientNorm > 10f)
        {
            // Unclipped, the norm is only reported: every parameter takes the bits of the whole-buffer step.
            Assert.Equal(expected, actual);
        }
        else
        {
            // Clipped, the scale comes from a norm summed in parts, within a rounding of the whole buffer's.
            for (int i = 0; i < expected.Length; i++)
                Assert.Equal(expected[i], actual[i], 1e-6f);
        }
    }

    [Fact]
    public void ApplyGradients_OnTwoThreadsOrOne_GivesBitIdenticalParameters()
    {
        // 256 rows × about 17,000 parameters is above the size from which the branches run on two threads.
        var options = new ActorCriticOptions { SharedHiddenSizes = [64], PolicyHiddenSizes = [64, 64], ValueHiddenSizes = [64, 64] };
        var space = new BoxSpace(-1f, 1f, 2);
        var parallel = new ManagedLearner(new ActorCritic(ObservationSize, space, options, seed: 5) { ParallelBranches = true });
        var sequential = new ManagedLearner(new ActorCritic(ObservationSize, space, options, seed: 5) { ParallelBranches = false });
        parallel.Reserve(1, Rows);
        sequential.Reserve(1, Rows);
        Minibatch minibatch = RandomMinibatch(actionSize: 2, seed: 13);

        for (int step = 0; step < 5; step++)
        {
            foreach (ManagedLearner learner in (ManagedLearner[])[parallel, sequential])
            {
                learner.ComputeLoss(minibatch, Settings);
                learner.ApplyGradients(0.5f, LearningRate);
            }
        }

        Assert.Equal(sequential.Network.Parameters.Values.ToArray(), parallel.Network.Parameters.Values.ToArray());
        Assert.Equal(sequential.Optimizer.SecondMoment.ToArray(), parallel.Optimizer.SecondMoment.ToArray());
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void ApplyGradients_MaxGradientNormNotPositiveFinite_ThrowsNamingIt(float maxGradientNorm)
    {
        var learner = new ManagedLearner(new ActorCritic(ObservationSize, new DiscreteSpace(2), seed: 1));
        learner.Reserve(1, Rows);
        learner.ComputeLoss(RandomMinibatch(actionSize: 1, seed: 1, classCount: 2), Settings);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => learner.ApplyGradients(maxGradientNorm, LearningRate));

        Assert.Equal("maxGradientNorm", exception.ParamName);
        Assert.Equal(0, learner.Optimizer.StepCount);
    }

    /// <summary>The step on the whole buffers: evaluate, the fused loss, zero, backward, <c>clip_grad_norm_</c>, Adam.</summary>
    private static float ReferenceStep(ActorCritic network, Adam optimizer, Minibatch minibatch, float maxGradientNorm)
    {
        Tensor logProbabilities = Tensor.Zeros(Rows), entropy = Tensor.Zeros(Rows), values = Tensor.Zeros(Rows);
        Tensor logProbabilityGradient = Tensor.Zeros(Rows), entropyGradient = Tensor.Zeros(Rows), valueGradient = Tensor.Zeros(Rows);
        network.Evaluate(minibatch.ObservationTensor, minibatch.ActionTensor, Rows, logProbabilities, entropy, values);
        PpoLoss.Compute(logProbabilities.AsSpan(), minibatch.OldLogProbabilities, minibatch.Advantages, values.AsSpan(), minibatch.OldValues, minibatch.Returns, entropy.AsSpan(), Settings, logProbabilityGradient.AsSpan(), valueGradient.AsSpan(), entropyGradient.AsSpan());
        network.Parameters.ZeroGradients();
        network.Backward(logProbabilityGradient, entropyGradient, valueGradient, Rows);
        float norm = GradientClipping.ClipByGlobalNorm(network.Parameters.Gradients.AsSpan(), maxGradientNorm);
        optimizer.Step(LearningRate);
        return norm;
    }

    private static Minibatch RandomMinibatch(int actionSize, int seed, int classCount = 0)
    {
        var random = new Random(seed);
        float[] Uniform(int count, float low, float high) => [.. Enumerable.Range(0, count).Select(_ => low + ((high - low) * random.NextSingle()))];
        float[] actions = classCount > 0 ? [.. Enumerable.Range(0, Rows).Select(_ => (float)random.Next(classCount))] : Uniform(Rows * actionSize, -1f, 1f);
        var minibatch = new Minibatch(Rows, ObservationSize, actionSize);
        minibatch.CopyFrom(Uniform(Rows * ObservationSize, -1f, 1f), actions, Uniform(Rows, -2f, -1f), Uniform(Rows, -2f, 2f), Uniform(Rows, -1f, 1f), Uniform(Rows, -1f, 1f));
        return minibatch;
    }
}
