using Ppo.Environments;
using Ppo.Policies;
using Ppo.Randomness;

namespace Ppo.Training;

/// <summary>Runs whole episodes with a policy and reports their returns, as Stable-Baselines3's <c>evaluate_policy</c>.</summary>
public static class PolicyEvaluation
{
    /// <summary>Plays <paramref name="episodes"/> episodes in <paramref name="environment"/> with <paramref name="policy"/>.</summary>
    /// <remarks>
    /// When the environment exposes action masks (<see cref="IMaskableEnvironment"/>) and the policy takes them
    /// (<see cref="IMaskablePolicy"/> with a non-zero <see cref="IMaskablePolicy.ActionMaskLength"/>), every action is
    /// chosen under the mask of the current observation, as in training. Wrap the environment in
    /// <see cref="UnmaskedEnvironment"/> to evaluate without masks.
    /// </remarks>
    /// <param name="policy">The policy.</param>
    /// <param name="environment">The environment; reset with <paramref name="seed"/> before the first episode, then without a seed.</param>
    /// <param name="episodes">The number of episodes; at least 1.</param>
    /// <param name="seed">The seed of the first reset and of action sampling.</param>
    /// <param name="deterministic">Takes the most probable action (the default) instead of sampling.</param>
    /// <param name="observationNormalizer">The observation normalization the policy was trained with, if any; its statistics are not updated.</param>
    /// <returns>The return and length of each episode.</returns>
    /// <exception cref="ArgumentException">The policy does not fit the environment: another observation size or another action space (kind, sizes, bounds).</exception>
    public static EvaluationResult Run(IPolicy policy, IEnvironment environment, int episodes, int seed, bool deterministic = true, ObservationNormalizer? observationNormalizer = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(episodes);
        PolicyCompatibility.ThrowIfMismatched(policy, environment.ObservationSpace, environment.ActionSpace, nameof(environment));

        var random = new SeededRandom((ulong)(uint)seed);
        float[] observation = new float[policy.ObservationSize];
        float[] policyInput = new float[policy.ObservationSize];
        float[] action = new float[policy.ActionSize];
        IMaskableEnvironment? maskable = environment as IMaskableEnvironment;
        IMaskablePolicy? maskingPolicy = maskable is not null && policy is IMaskablePolicy { ActionMaskLength: > 0 } candidate ? candidate : null;
        bool[] mask = new bool[maskingPolicy?.ActionMaskLength ?? 0];
        var returns = new double[episodes];
        var lengths = new int[episodes];
        for (int episode = 0; episode < episodes; episode++)
        {
            environment.Reset(observation, episode == 0 ? seed : null);
            double total = 0;
            int length = 0;
            while (true)
            {
                if (observationNormalizer is null)
                    observation.CopyTo(policyInput, 0);
                else
                    observationNormalizer.Normalize(observation, policyInput);
                if (maskingPolicy is null)
                {
                    policy.Predict(policyInput, action, deterministic, random);
                }
                else
                {
                    maskable!.WriteActionMask(mask);
                    maskingPolicy.Predict(policyInput, mask, action, deterministic, random);
                }

                StepResult result = environment.Step(action, observation);
                total += result.Reward;
                length++;
                if (result.Terminated || result.Truncated)
                    break;
            }

            returns[episode] = total;
            lengths[episode] = length;
        }

        return new EvaluationResult(returns, lengths);
    }
}
