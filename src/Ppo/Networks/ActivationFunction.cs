namespace Ppo.Networks;

/// <summary>The element-wise nonlinearity between hidden layers.</summary>
public enum ActivationFunction
{
    /// <summary>The hyperbolic tangent, Stable-Baselines3's default for PPO.</summary>
    Tanh = 0,

    /// <summary>The rectified linear unit <c>max(x, 0)</c>.</summary>
    Relu = 1,
}
