using Ppo.Environments.Box2D;
using Ppo.Environments.ClassicControl;
using Ppo.Environments.Games;
using Ppo.Environments.MinAtar;

namespace Ppo.Environments.Tests.Contract;

/// <summary>
/// Every built-in environment, as the contract tests see it. Adding an environment to the contract is one line here:
/// its name, how its episodes end (a step limit, or by themselves within a number of steps), how to build it, and what
/// else it promises (a first observation that does not depend on the seed; the legal actions, when it masks).
/// </summary>
public static class EnvironmentCases
{
    private const int ConnectFourLongestGame = ConnectFour.RowCount * ConnectFour.ColumnCount / 2;

    private static readonly EnvironmentCase[] All =
    [
        EnvironmentCase.WithStepLimit("CartPole-v1", 500, steps => new CartPole(maxEpisodeSteps: steps)),
        EnvironmentCase.WithStepLimit("Pendulum-v1", 200, steps => new Pendulum(maxEpisodeSteps: steps)),
        EnvironmentCase.WithStepLimit("LunarLander-v3", 1000, steps => new LunarLander(new LunarLanderOptions { MaxEpisodeSteps = steps })),
        EnvironmentCase.WithStepLimit("LunarLanderContinuous-v3", 1000, steps => new LunarLander(new LunarLanderOptions { Continuous = true, MaxEpisodeSteps = steps })),
        EnvironmentCase.WithStepLimit("CueMatching", CueMatching.DefaultMaxEpisodeSteps, steps => new CueMatching(maxEpisodeSteps: steps)),
        EnvironmentCase.WithStepLimit("MinAtar/Breakout-v1", Breakout.DefaultMaxEpisodeSteps, steps => new Breakout(maxEpisodeSteps: steps)),
        // An empty board whatever the seed; the seed drives the opponent. A game ends by itself within 21 moves of the agent.
        EnvironmentCase.EndingByItself("ConnectFour-Random", ConnectFourLongestGame, () => new ConnectFour(ConnectFourOpponent.Random))
            with { FirstObservationDependsOnSeed = false, LegalActions = ConnectFourLegalColumns },
        EnvironmentCase.EndingByItself("ConnectFour-OneStepLookahead", ConnectFourLongestGame, () => new ConnectFour(ConnectFourOpponent.OneStepLookahead))
            with { FirstObservationDependsOnSeed = false, LegalActions = ConnectFourLegalColumns },
    ];

    /// <summary>Gets the names of every environment, as xunit theory data.</summary>
    public static TheoryData<string> Names => Where(_ => true);

    /// <summary>Gets the environments whose first observation depends on the seed of <c>Reset</c>.</summary>
    public static TheoryData<string> SeedDependentFirstObservationNames => Where(environment => environment.FirstObservationDependsOnSeed);

    /// <summary>Gets the environments that start every episode from the same observation, whatever the seed.</summary>
    public static TheoryData<string> FixedFirstObservationNames => Where(environment => !environment.FirstObservationDependsOnSeed);

    /// <summary>Gets the environments that a step limit truncates.</summary>
    public static TheoryData<string> StepLimitedNames => Where(environment => environment.CreateWithStepLimit is not null);

    /// <summary>Gets the environments whose episodes end by themselves and are never truncated.</summary>
    public static TheoryData<string> SelfEndingNames => Where(environment => environment.CreateWithStepLimit is null);

    /// <summary>Gets the environments that expose action masks (<see cref="IMaskableEnvironment"/>).</summary>
    public static TheoryData<string> MaskableNames => Where(environment =>
    {
        using IEnvironment instance = environment.Create();
        return instance is IMaskableEnvironment;
    });

    /// <summary>Finds an environment by its name.</summary>
    public static EnvironmentCase Get(string name) => Array.Find(All, environment => environment.Name == name) ?? throw new ArgumentException($"No environment case '{name}'.", nameof(name));

    private static TheoryData<string> Where(Predicate<EnvironmentCase> promise)
    {
        var names = new TheoryData<string>();
        foreach (EnvironmentCase environment in All)
        {
            if (promise(environment))
                names.Add(environment.Name);
        }

        return names;
    }

    /// <summary>Connect Four's rule, read from the board rather than from the mask: a column is legal while its top cell is empty.</summary>
    private static bool[] ConnectFourLegalColumns(float[] observation)
    {
        bool[] legal = new bool[ConnectFour.ColumnCount];
        for (int column = 0; column < legal.Length; column++)
            legal[column] = observation[((ConnectFour.RowCount - 1) * ConnectFour.ColumnCount) + column] == 0f;
        return legal;
    }
}

/// <summary>One environment of the contract tests, and what it promises.</summary>
public sealed record EnvironmentCase
{
    private EnvironmentCase(string name, int longestEpisode, Func<IEnvironment> create, Func<int, IEnvironment>? createWithStepLimit)
    {
        Name = name;
        LongestEpisode = longestEpisode;
        CreateDefault = create;
        CreateWithStepLimit = createWithStepLimit;
    }

    /// <summary>Gets the Gymnasium name, or the library's name of an environment Gymnasium does not have.</summary>
    public string Name { get; }

    /// <summary>Gets the most steps an episode of the environment as built by <see cref="Create"/> lasts: its step limit, or the bound of the game.</summary>
    public int LongestEpisode { get; }

    /// <summary>Gets the builder of the environment truncating at a given step, or <see langword="null"/> for one without a time limit.</summary>
    public Func<int, IEnvironment>? CreateWithStepLimit { get; }

    /// <summary>Gets a value indicating whether different seeds give different first observations (an empty board does not).</summary>
    public bool FirstObservationDependsOnSeed { get; init; } = true;

    /// <summary>
    /// Gets, for an environment that masks, the mask its rules give for an observation, stated apart from the
    /// environment's own mask so that the contract can compare them; <see langword="null"/> for one that does not mask.
    /// </summary>
    public Func<float[], bool[]>? LegalActions { get; init; }

    private Func<IEnvironment> CreateDefault { get; }

    /// <summary>An environment whose episodes a step limit truncates (Gymnasium's <c>TimeLimit</c>).</summary>
    /// <param name="name">The Gymnasium name.</param>
    /// <param name="defaultMaxEpisodeSteps">The step limit Gymnasium registers it with.</param>
    /// <param name="createWithStepLimit">Builds the environment truncating at the given number of steps.</param>
    public static EnvironmentCase WithStepLimit(string name, int defaultMaxEpisodeSteps, Func<int, IEnvironment> createWithStepLimit) =>
        new(name, defaultMaxEpisodeSteps, () => createWithStepLimit(defaultMaxEpisodeSteps), createWithStepLimit);

    /// <summary>An environment without a time limit, whose every episode terminates by itself within <paramref name="longestEpisode"/> steps.</summary>
    /// <param name="name">The name.</param>
    /// <param name="longestEpisode">The most steps an episode can last.</param>
    /// <param name="create">Builds the environment.</param>
    public static EnvironmentCase EndingByItself(string name, int longestEpisode, Func<IEnvironment> create) => new(name, longestEpisode, create, createWithStepLimit: null);

    /// <summary>Builds the environment as registered.</summary>
    public IEnvironment Create() => CreateDefault();

    /// <summary>
    /// Builds the environment for a test that needs episodes to end soon: truncating at <paramref name="steps"/> when it
    /// has a step limit, else as registered (its episodes end by themselves within <see cref="ShortEpisodeBound"/> steps).
    /// </summary>
    public IEnvironment CreateWithShortEpisodes(int steps) => CreateWithStepLimit is null ? Create() : CreateWithStepLimit(steps);

    /// <summary>The most steps an episode of <see cref="CreateWithShortEpisodes"/> lasts.</summary>
    public int ShortEpisodeBound(int steps) => CreateWithStepLimit is null ? LongestEpisode : steps;
}
