using Ppo.Environments.Box2D;
using Ppo.Environments.ClassicControl;
using Ppo.Environments.Games;
using Ppo.Environments.MinAtar;

namespace Ppo.Environments.Tests.Contract;

/// <summary>
/// Every built-in environment, as the contract tests see it. Adding an environment to the contract is one line here:
/// its Gymnasium name, its default step limit, and how to build it with a given step limit.
/// </summary>
public static class EnvironmentCases
{
    private static readonly EnvironmentCase[] All =
    [
        new("CartPole-v1", 500, steps => new CartPole(maxEpisodeSteps: steps)),
        new("Pendulum-v1", 200, steps => new Pendulum(maxEpisodeSteps: steps)),
        new("LunarLander-v3", 1000, steps => new LunarLander(new LunarLanderOptions { MaxEpisodeSteps = steps })),
        new("LunarLanderContinuous-v3", 1000, steps => new LunarLander(new LunarLanderOptions { Continuous = true, MaxEpisodeSteps = steps })),
        new("CueMatching", CueMatching.DefaultMaxEpisodeSteps, steps => new CueMatching(maxEpisodeSteps: steps)),
        new("MinAtar/Breakout-v1", Breakout.DefaultMaxEpisodeSteps, steps => new Breakout(maxEpisodeSteps: steps)),
    ];

    /// <summary>Gets the Gymnasium names of the environments, as xunit theory data.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (EnvironmentCase environment in All)
                names.Add(environment.Name);
            return names;
        }
    }

    /// <summary>Finds an environment by its Gymnasium name.</summary>
    public static EnvironmentCase Get(string name) => Array.Find(All, environment => environment.Name == name) ?? throw new ArgumentException($"No environment case '{name}'.", nameof(name));
}

/// <summary>One environment of the contract tests.</summary>
/// <param name="Name">The Gymnasium name.</param>
/// <param name="DefaultMaxEpisodeSteps">The step limit Gymnasium registers it with.</param>
/// <param name="CreateWithStepLimit">Builds the environment truncating at the given number of steps.</param>
public sealed record EnvironmentCase(string Name, int DefaultMaxEpisodeSteps, Func<int, IEnvironment> CreateWithStepLimit)
{
    /// <summary>Builds the environment with its default step limit.</summary>
    public IEnvironment Create() => CreateWithStepLimit(DefaultMaxEpisodeSteps);
}
