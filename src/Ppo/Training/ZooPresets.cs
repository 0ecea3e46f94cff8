using Ppo.Optimization;

namespace Ppo.Training;

/// <summary>
/// The hyperparameters that rl-baselines3-zoo publishes for PPO (<c>hyperparams/ppo.yml</c>), under
/// <see cref="PpoOptions"/>' names, for the environments Ppo ships. Each property returns a new instance; change a
/// field with <c>with</c>, for example <c>ZooPresets.CartPole with { Seed = 2 }</c>.
/// </summary>
/// <remarks>
/// Everything not listed takes <see cref="PpoOptions"/>' defaults, which are Stable-Baselines3's: a value coefficient
/// of 0.5, a gradient-norm limit of 0.5, advantage normalization, separate [64, 64] tanh networks.
/// </remarks>
public static class ZooPresets
{
    /// <summary>CartPole-v1: 8 environments × 32 steps, minibatch 256, 20 epochs, γ 0.98, λ 0.8, learning rate
    /// linear from 1e-3 and clip range linear from 0.2, for 1e5 steps (zoo result: 500 ± 0).</summary>
    public static PpoOptions CartPole => new()
    {
        NumEnvs = 8,
        NumSteps = 32,
        BatchSize = 256,
        GaeLambda = 0.8f,
        Gamma = 0.98f,
        NumEpochs = 20,
        EntCoef = 0f,
        LearningRate = Schedule.Linear(1e-3),
        ClipRange = Schedule.Linear(0.2),
    };

    /// <summary>LunarLander-v3: 16 environments × 1,024 steps, minibatch 64, 4 epochs, γ 0.999, λ 0.98, entropy
    /// coefficient 0.01, learning rate 3e-4, clip range 0.2, for 1e6 steps (zoo result: 242 ± 32).</summary>
    public static PpoOptions LunarLander => new()
    {
        NumEnvs = 16,
        NumSteps = 1024,
        BatchSize = 64,
        GaeLambda = 0.98f,
        Gamma = 0.999f,
        NumEpochs = 4,
        EntCoef = 0.01f,
        LearningRate = 3e-4,
        ClipRange = 0.2,
    };

    /// <summary>LunarLanderContinuous-v3: the zoo uses <see cref="LunarLander"/>'s settings (zoo result: 271 ± 32).</summary>
    public static PpoOptions LunarLanderContinuous => LunarLander;

    /// <summary>Pendulum-v1: 4 environments × 1,024 steps, minibatch 64, 10 epochs, γ 0.9, λ 0.95, learning rate
    /// 1e-3, clip range 0.2, for 1e5 steps.</summary>
    /// <remarks>The zoo adds state-dependent exploration (gSDE), which Ppo does not have; with the plain diagonal
    /// Gaussian these settings learn more slowly (the Pendulum learning test uses λ 0.9 and normalized observations).</remarks>
    public static PpoOptions Pendulum => new()
    {
        NumEnvs = 4,
        NumSteps = 1024,
        BatchSize = 64,
        GaeLambda = 0.95f,
        Gamma = 0.9f,
        NumEpochs = 10,
        LearningRate = 1e-3,
        ClipRange = 0.2,
    };
}
