using Ppo.Environments;

namespace Ppo.Tests.Environments;

/// <summary>
/// A NaN or infinite reward or observation is reported where it leaves an environment, naming the environment, the
/// step and the field; the poisoning mode reports an environment that leaves part of its observation unwritten.
/// </summary>
public sealed class SyncVectorEnvironmentFiniteTests
{
    [Theory]
    [InlineData(Fault.NaNReward, "Environment 1 returned a reward of NaN at step 3 of the vector (step 3 of its episode)")]
    [InlineData(Fault.InfiniteReward, "Environment 1 returned a reward of Infinity at step 3 of the vector (step 3 of its episode)")]
    [InlineData(Fault.NaNObservation, "Environment 1 returned an observation with NaN in element 1 at step 3 of the vector (step 3 of its episode)")]
    [InlineData(Fault.NonFiniteFinalObservationOfTruncation, "Environment 1 returned the final observation of a truncated episode with -Infinity in element 1 at step 3 of the vector (step 3 of its episode)")]
    public void Step_NonFiniteValueFromAnEnvironment_ThrowsNamingEnvironmentStepAndField(Fault fault, string expected)
    {
        using var vector = new SyncVectorEnvironment([new FaultyEnvironment(fault), new FaultyEnvironment(fault, badStep: 3)]);
        vector.Reset(seed: 1);
        vector.Step([0f, 0f]);
        vector.Step([0f, 0f]);

        var exception = Assert.Throws<ArgumentException>(() => vector.Step([0f, 0f]));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_PoisonObservationsAndAPartialWrite_ThrowsNamingEnvironmentAndTheUnwrittenElement()
    {
        using var vector = new SyncVectorEnvironment([new FaultyEnvironment(Fault.NaNReward), new FaultyEnvironment(Fault.PartialWrite)]);
        vector.Reset(seed: 1);
        vector.PoisonObservations = true;

        var exception = Assert.Throws<ArgumentException>(() => vector.Step([0f, 0f]));

        Assert.Contains("Environment 1 returned an observation with NaN in element 1 at step 1 of the vector", exception.Message, StringComparison.Ordinal);
        Assert.Contains("PoisonObservations is on", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_PoisonObservationsAndAPartialWrite_ThrowsNamingEnvironmentAndTheUnwrittenElement()
    {
        using var vector = new SyncVectorEnvironment([new FaultyEnvironment(Fault.PartialWrite)]) { PoisonObservations = true };

        var exception = Assert.Throws<ArgumentException>(() => vector.Reset(seed: 1));

        Assert.Contains("Environment 0 returned the first observation after Reset with NaN in element 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_PoisonObservationsOff_LeavesUnwrittenElementsAsTheyWere()
    {
        using var vector = new SyncVectorEnvironment([new FaultyEnvironment(Fault.PartialWrite, truncateAfter: 2)]);
        vector.Reset(seed: 1);

        VectorStep step = vector.Step([0f]);

        Assert.False(vector.PoisonObservations);
        Assert.Equal([1f, 0f], step.Observation(0).ToArray());
    }

    [Fact]
    public void Step_PoisonObservationsOnAndCompleteWrites_KeepsTheObservationsAndAutoResets()
    {
        using var poisoned = new SyncVectorEnvironment([new FaultyEnvironment(Fault.NaNReward, truncateAfter: 2)]) { PoisonObservations = true };
        using var plain = new SyncVectorEnvironment([new FaultyEnvironment(Fault.NaNReward, truncateAfter: 2)]);
        poisoned.Reset(seed: 1);
        plain.Reset(seed: 1);

        for (int t = 0; t < 5; t++)
        {
            VectorStep expected = plain.Step([0f]);
            VectorStep actual = poisoned.Step([0f]);
            Assert.Equal(expected.Observations.ToArray(), actual.Observations.ToArray());
            Assert.Equal(expected.Truncated[0], actual.Truncated[0]);
        }
    }

    [Fact]
    public void Step_AfterWarmUp_AllocatesNothingWithTheChecks()
    {
        using var vector = new SyncVectorEnvironment([new FaultyEnvironment(Fault.NaNReward, truncateAfter: 3), new FaultyEnvironment(Fault.NaNReward, truncateAfter: 3)]);
        float[] actions = [0f, 1f];
        vector.Reset(seed: 1);
        vector.Step(actions);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 20; t++)
            vector.Step(actions);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
