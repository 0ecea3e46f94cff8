using Ppo.Environments;
using Ppo.Environments.Games;

namespace Ppo.Tests.Environments;

/// <summary>Checks how <see cref="SyncVectorEnvironment"/> carries action masks and the new action spaces.</summary>
public sealed class SyncVectorEnvironmentMaskTests
{
    [Fact]
    public void WriteActionMasks_AfterAutomaticReset_ReportsTheNewEpisodesMask()
    {
        using var vector = new SyncVectorEnvironment([new MaskedStub(emptyAfter: 99, episodeLength: 2), new MaskedStub(emptyAfter: 99)]);
        bool[] masks = new bool[6];
        vector.Reset(seed: 3);
        vector.WriteActionMasks(masks);
        Assert.Equal([true, false, false, true, false, false], masks);

        vector.Step([0f, 0f]);
        vector.WriteActionMasks(masks);
        Assert.Equal([false, true, false, false, true, false], masks);

        VectorStep step = vector.Step([1f, 1f]);
        vector.WriteActionMasks(masks);
        Assert.True(step.Terminated[0]);
        Assert.Equal([true, false, false, false, false, true], masks);
        Assert.True(vector.HasActionMasks);
    }

    [Fact]
    public void WriteActionMasks_EnvironmentWithoutValidAction_ThrowsNamingEnvironmentAndStep()
    {
        using var vector = new SyncVectorEnvironment([new MaskedStub(emptyAfter: 99), new MaskedStub(emptyAfter: 2)]);
        bool[] masks = new bool[6];
        vector.Reset(seed: 1);
        vector.Step([0f, 0f]);
        vector.WriteActionMasks(masks);
        vector.Step([0f, 1f]);

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => vector.WriteActionMasks(masks));

        Assert.Contains("Environment 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("step 2 of the vector", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteActionMasks_ThroughVectorNormalization_PassesTheWrappedMasks()
    {
        using var normalized = new VectorNormalization(new SyncVectorEnvironment([new MaskedStub(emptyAfter: 99)]));
        bool[] masks = new bool[3];
        normalized.Reset(seed: 1);
        normalized.Step([0f]);

        normalized.WriteActionMasks(masks);

        Assert.True(normalized.HasActionMasks);
        Assert.Equal([false, true, false], masks);
    }

    [Fact]
    public void Constructor_MaskedBoxEnvironment_IsRejected()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new SyncVectorEnvironment([new MaskedStub(99, actionSpace: new BoxSpace(-1f, 1f, 3))]));

        Assert.Contains("cannot be masked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteActionMasks_UnmaskedEnvironments_Throws()
    {
        using var vector = SyncVectorEnvironment.Create(2, _ => new CueMatching());
        vector.Reset(seed: 1);

        Assert.False(vector.HasActionMasks);
        Assert.Throws<InvalidOperationException>(() => vector.WriteActionMasks(new bool[14]));
    }

    [Fact]
    public void Step_MultiDiscreteActions_AreCheckedAgainstTheSpace()
    {
        using var vector = SyncVectorEnvironment.Create(2, _ => new CueMatching());
        vector.Reset(seed: 1);

        vector.Step([2f, 3f, 0f, 0f]);

        ArgumentException error = Assert.Throws<ArgumentException>(() => vector.Step([2f, 3f, 3f, 0f]));
        Assert.Contains("environment 1", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Discrete(3) (or the given space) whose mask leaves only action <c>step mod 3</c> valid, and none from step
    /// <c>emptyAfter</c> on; episodes terminate after <c>episodeLength</c> steps.
    /// </summary>
    private sealed class MaskedStub(int emptyAfter, int episodeLength = 1000, Space? actionSpace = null) : IEnvironment, IMaskableEnvironment
    {
        private int _steps;

        public BoxSpace ObservationSpace { get; } = new(-1f, 1f, 1);

        public Space ActionSpace { get; } = actionSpace ?? new DiscreteSpace(3);

        public void Reset(Span<float> observation, int? seed = null) => _steps = 0;

        public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            _steps++;
            return new StepResult(0f, _steps == episodeLength, false);
        }

        public void WriteActionMask(Span<bool> mask)
        {
            mask.Clear();
            mask[_steps % 3] = _steps < emptyAfter;
        }

        public void Dispose()
        {
        }
    }
}
