namespace Ppo.Orleans.Workers;

/// <summary>
/// One worker's part of a rollout: <c>NumSteps</c> steps of its environments, as the learner's rollout buffer stores
/// them, plus the truncation bootstraps, the values after the last step and the episodes that finished.
/// </summary>
/// <remarks>
/// Row <c>t·n + i</c> holds step <c>t</c> of the slice's environment <c>i</c> (of <c>n</c>). Rewards are the
/// environments' own; the learner adds <c>γ·V(final observation)</c> of each truncated step (<see cref="BootstrapValues"/>)
/// as the local collector does.
/// </remarks>
[GenerateSerializer]
public sealed class RolloutChunk
{
    /// <summary>Gets or sets the index of the worker that collected the chunk.</summary>
    [Id(0)]
    public int WorkerIndex { get; set; }

    /// <summary>Gets or sets the incarnation of the slice that collected it.</summary>
    [Id(1)]
    public int Incarnation { get; set; }

    /// <summary>Gets or sets the version of the parameters the actions were sampled with.</summary>
    [Id(2)]
    public long PolicyVersion { get; set; }

    /// <summary>Gets or sets the steps per environment.</summary>
    [Id(3)]
    public int Steps { get; set; }

    /// <summary>Gets or sets the number of environments of the slice.</summary>
    [Id(4)]
    public int EnvironmentCount { get; set; }

    /// <summary>Gets or sets the observations each action was chosen from, <c>[Steps·EnvironmentCount × observation size]</c>.</summary>
    [Id(5)]
    public float[] Observations { get; set; } = [];

    /// <summary>Gets or sets the sampled actions (before clipping to the action space).</summary>
    [Id(6)]
    public float[] Actions { get; set; } = [];

    /// <summary>Gets or sets the environments' rewards.</summary>
    [Id(7)]
    public float[] Rewards { get; set; } = [];

    /// <summary>Gets or sets whether each episode terminated at that step.</summary>
    [Id(8)]
    public bool[] Terminated { get; set; } = [];

    /// <summary>Gets or sets whether each episode was truncated at that step.</summary>
    [Id(9)]
    public bool[] Truncated { get; set; } = [];

    /// <summary>Gets or sets the value estimates of the observations.</summary>
    [Id(10)]
    public float[] Values { get; set; } = [];

    /// <summary>Gets or sets the log-probabilities of the actions.</summary>
    [Id(11)]
    public float[] LogProbabilities { get; set; } = [];

    /// <summary>Gets or sets the distribution parameters of each step, or an empty array when they are not kept.</summary>
    [Id(12)]
    public float[] DistributionParameters { get; set; } = [];

    /// <summary>Gets or sets the rows (<c>t·n + i</c>) whose episode was truncated and not terminated, in order.</summary>
    [Id(13)]
    public int[] BootstrapRows { get; set; } = [];

    /// <summary>Gets or sets <c>V(final observation)</c> of each row of <see cref="BootstrapRows"/> (not yet discounted).</summary>
    [Id(14)]
    public float[] BootstrapValues { get; set; } = [];

    /// <summary>Gets or sets the value estimates of the observations after the last step, one per environment.</summary>
    [Id(15)]
    public float[] LastValues { get; set; } = [];

    /// <summary>Gets or sets the rows (<c>t·n + i</c>) at which an episode finished, in order.</summary>
    [Id(16)]
    public int[] EpisodeRows { get; set; } = [];

    /// <summary>Gets or sets the undiscounted return of each finished episode.</summary>
    [Id(17)]
    public double[] EpisodeReturns { get; set; } = [];

    /// <summary>Gets or sets the length of each finished episode.</summary>
    [Id(18)]
    public int[] EpisodeLengths { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether the slice was created for this chunk (first collection, recovery or a new activation).</summary>
    [Id(19)]
    public bool SliceCreated { get; set; }

    /// <summary>Gets or sets the seconds the worker spent collecting.</summary>
    [Id(20)]
    public double CollectionSeconds { get; set; }

    /// <summary>Gets or sets where the chunk was collected (the silo's address, or <c>"local"</c>).</summary>
    [Id(21)]
    public string CollectedBy { get; set; } = string.Empty;

    /// <summary>Gets or sets a value indicating whether the slice can save its state, and so move to another silo with every bit of it.</summary>
    [Id(22)]
    public bool CanSaveState { get; set; }
}
