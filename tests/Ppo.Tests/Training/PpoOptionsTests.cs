using Ppo.Optimization;
using Ppo.Training;

namespace Ppo.Tests.Training;

public sealed class PpoOptionsTests
{
    [Fact]
    public void Defaults_MatchStableBaselines3()
    {
        var options = new PpoOptions();

        Assert.Equal(2048, options.NumSteps);
        Assert.Equal(0, options.NumEnvs);   // taken from the environments, which is where Stable-Baselines3 takes n_envs from
        Assert.Equal(64, options.BatchSize);
        Assert.Equal(10, options.NumEpochs);
        Assert.Equal(0.99f, options.Gamma);
        Assert.Equal(0.95f, options.GaeLambda);
        Assert.Equal(0.2, options.ClipRange.ValueAt(0.5));
        Assert.Null(options.ClipRangeVf);
        Assert.True(options.NormalizeAdvantage);
        Assert.Equal(0f, options.EntCoef);
        Assert.Equal(0.5f, options.VfCoef);
        Assert.Equal(0.5f, options.MaxGradNorm);
        Assert.Null(options.TargetKl);
        Assert.Equal(3e-4, options.LearningRate.ValueAt(0.5));
        Assert.Null(options.Seed);
        Assert.Same(options, options.Validate());
    }

    public static TheoryData<string, PpoOptions, string> InvalidOptions => new()
    {
        { "NumSteps", new PpoOptions { NumSteps = 0 }, "[1, 1000000] (was 0)" },
        { "NumEnvs", new PpoOptions { NumEnvs = -1 }, "[0, 4096], 0 for the environments' count (was -1)" },
        { "NumSteps × NumEnvs", new PpoOptions { NumSteps = 1, NumEnvs = 1, BatchSize = 2 }, "[2, 100000000] (was 1)" },
        { "BatchSize", new PpoOptions { NumEnvs = 1, BatchSize = 1 }, "[2, 2048]" },
        { "BatchSize", new PpoOptions { NumEnvs = 1, BatchSize = 4096 }, "(was 4096)" },
        { "BatchSize", new PpoOptions { BatchSize = 1 }, "[2, NumSteps × NumEnvs] (was 1)" },
        { "NumEpochs", new PpoOptions { NumEpochs = 0 }, "[1, 10000] (was 0)" },
        { "Gamma", new PpoOptions { Gamma = 1.5f }, "[0, 1] (was 1.5)" },
        { "Gamma", new PpoOptions { Gamma = float.NaN }, "(was NaN)" },
        { "GaeLambda", new PpoOptions { GaeLambda = -0.1f }, "[0, 1] (was -0.1)" },
        { "ClipRange", new PpoOptions { ClipRange = 0.0 }, "> 0 at the start" },
        { "ClipRange", new PpoOptions { ClipRange = Schedule.Linear(0.2, -0.1) }, ">= 0 at the end" },
        { "ClipRangeVf", new PpoOptions { ClipRangeVf = double.NaN }, "finite and > 0" },
        { "EntCoef", new PpoOptions { EntCoef = -0.01f }, ">= 0 (was -0.01)" },
        { "VfCoef", new PpoOptions { VfCoef = float.PositiveInfinity }, "finite and >= 0" },
        { "MaxGradNorm", new PpoOptions { MaxGradNorm = 0f }, "> 0 (was 0)" },
        { "TargetKl", new PpoOptions { TargetKl = 0f }, "null or finite and > 0 (was 0)" },
        { "LearningRate", new PpoOptions { LearningRate = -1e-3 }, "> 0 at the start" },
        { "LearningRate", new PpoOptions { LearningRate = Schedule.Custom(_ => double.PositiveInfinity) }, "finite" },
        { "Device", new PpoOptions { Device = null! }, "must not be null" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_InvalidField_ThrowsNamingFieldAndRange(string field, PpoOptions options, string expectedText)
    {
        var exception = Assert.Throws<ArgumentException>(() => options.Validate());

        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
        Assert.Contains(expectedText, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralInvalidFields_ListsEveryOne()
    {
        var options = new PpoOptions { NumEpochs = 0, Gamma = 2f, MaxGradNorm = -1f };

        var exception = Assert.Throws<ArgumentException>(() => options.Validate());

        Assert.Contains("NumEpochs", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Gamma", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxGradNorm", exception.Message, StringComparison.Ordinal);
        Assert.Equal(3, exception.Message.Split(Environment.NewLine).Length);
    }

    [Fact]
    public void RolloutSize_IsNumStepsTimesNumEnvs()
    {
        Assert.Equal(32 * 8, new PpoOptions { NumSteps = 32, NumEnvs = 8 }.RolloutSize);
    }
}
