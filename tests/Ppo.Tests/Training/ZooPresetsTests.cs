using Ppo.Training;

namespace Ppo.Tests.Training;

/// <summary>Checks the presets against rl-baselines3-zoo's <c>hyperparams/ppo.yml</c>.</summary>
public sealed class ZooPresetsTests
{
    [Fact]
    public void CartPole_HasTheZooSettings()
    {
        PpoOptions options = ZooPresets.CartPole.Validate();

        Assert.Equal((8, 32, 256, 20), (options.NumEnvs, options.NumSteps, options.BatchSize, options.NumEpochs));
        Assert.Equal((0.98f, 0.8f, 0f), (options.Gamma, options.GaeLambda, options.EntCoef));
        Assert.Equal(1e-3, options.LearningRate.ValueAt(1.0), 12);
        Assert.Equal(0.5e-3, options.LearningRate.ValueAt(0.5), 12);
        Assert.Equal(0.2, options.ClipRange.ValueAt(1.0), 6);
        Assert.Equal(0.1, options.ClipRange.ValueAt(0.5), 6);
    }

    [Fact]
    public void LunarLander_AndItsContinuousVersion_HaveTheZooSettings()
    {
        foreach (PpoOptions options in new[] { ZooPresets.LunarLander.Validate(), ZooPresets.LunarLanderContinuous.Validate() })
        {
            Assert.Equal((16, 1024, 64, 4), (options.NumEnvs, options.NumSteps, options.BatchSize, options.NumEpochs));
            Assert.Equal((0.999f, 0.98f, 0.01f), (options.Gamma, options.GaeLambda, options.EntCoef));
            Assert.Equal(3e-4, options.LearningRate.ValueAt(0.5), 12);
            Assert.Equal(0.2, options.ClipRange.ValueAt(0.5), 6);
        }
    }

    [Fact]
    public void Pendulum_HasTheZooSettingsWithoutStateDependentExploration()
    {
        PpoOptions options = ZooPresets.Pendulum.Validate();

        Assert.Equal((4, 1024, 64, 10), (options.NumEnvs, options.NumSteps, options.BatchSize, options.NumEpochs));
        Assert.Equal((0.9f, 0.95f), (options.Gamma, options.GaeLambda));
        Assert.Equal(1e-3, options.LearningRate.ValueAt(0.5), 12);
    }

    [Fact]
    public void EachProperty_ReturnsANewInstance()
    {
        Assert.NotSame(ZooPresets.CartPole, ZooPresets.CartPole);
    }
}
