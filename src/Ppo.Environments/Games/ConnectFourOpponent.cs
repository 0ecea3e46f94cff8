namespace Ppo.Environments.Games;

/// <summary>The fixed policy that plays the second side of <see cref="ConnectFour"/>.</summary>
public enum ConnectFourOpponent
{
    /// <summary>Drops its piece into a column drawn uniformly from those that are not full.</summary>
    Random,

    /// <summary>
    /// Looks one move ahead: takes a column that wins at once if there is one, else blocks a column where the agent
    /// would win at once, else plays as <see cref="Random"/>. The lowest such column is taken first.
    /// </summary>
    OneStepLookahead,
}
