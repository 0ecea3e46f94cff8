using System.Globalization;
using Ppo.Networks;

namespace Ppo.Policies;

/// <summary>
/// The architecture of an <see cref="ActorCritic"/>. The defaults are Stable-Baselines3's <c>MlpPolicy</c> for PPO:
/// separate actor and critic networks of two hidden layers of 64 tanh units, orthogonal initialization.
/// </summary>
public sealed record ActorCriticOptions
{
    /// <summary>Gets the hidden layers shared by the actor and the critic, applied first (empty: no shared trunk).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<int> SharedHiddenSizes { get; init; } = [];

    /// <summary>Gets the hidden layers of the actor (Stable-Baselines3's <c>net_arch["pi"]</c>).</summary>
    /// <value>The default value is [64, 64].</value>
    public IReadOnlyList<int> PolicyHiddenSizes { get; init; } = [64, 64];

    /// <summary>Gets the hidden layers of the critic (Stable-Baselines3's <c>net_arch["vf"]</c>).</summary>
    /// <value>The default value is [64, 64].</value>
    public IReadOnlyList<int> ValueHiddenSizes { get; init; } = [64, 64];

    /// <summary>Gets the nonlinearity after each hidden layer (<c>activation_fn</c>).</summary>
    /// <value>The default value is <see cref="ActivationFunction.Tanh"/>.</value>
    public ActivationFunction Activation { get; init; } = ActivationFunction.Tanh;

    /// <summary>
    /// Gets a value indicating whether weights are initialized orthogonally (<c>ortho_init</c>): gain √2 for hidden layers,
    /// 0.01 for the policy output, 1 for the value output, biases 0. Otherwise weights and biases are uniform in
    /// ±1/√fan-in, PyTorch's default for <c>nn.Linear</c>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool OrthogonalInitialization { get; init; } = true;

    /// <summary>Gets the initial log standard deviation of a diagonal Gaussian policy (<c>log_std_init</c>).</summary>
    /// <value>The default value is 0.</value>
    public float LogStdInit { get; init; }

    /// <summary>Returns this instance, or throws one exception listing every invalid field.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">One or more fields are out of range.</exception>
    public ActorCriticOptions Validate()
    {
        List<string>? errors = null;
        void Check(bool ok, string message)
        {
            if (!ok)
                (errors ??= []).Add(message);
        }

        CheckSizes(SharedHiddenSizes, nameof(SharedHiddenSizes), Check);
        CheckSizes(PolicyHiddenSizes, nameof(PolicyHiddenSizes), Check);
        CheckSizes(ValueHiddenSizes, nameof(ValueHiddenSizes), Check);
        Check(Enum.IsDefined(Activation), $"{nameof(Activation)} must be one of {string.Join(", ", Enum.GetNames<ActivationFunction>())} (was {(int)Activation}).");
        Check(float.IsFinite(LogStdInit) && LogStdInit is >= -20f and <= 2f, string.Create(CultureInfo.InvariantCulture, $"{nameof(LogStdInit)} must be in [-20, 2] (was {LogStdInit})."));

        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }

    private static void CheckSizes(IReadOnlyList<int>? sizes, string name, Action<bool, string> check)
    {
        if (sizes is null)
        {
            check(false, $"{name} must not be null.");
            return;
        }

        for (int i = 0; i < sizes.Count; i++)
            check(sizes[i] is >= 1 and <= 65536, $"{name}[{i}] must be in [1, 65536] (was {sizes[i]}).");
    }
}
