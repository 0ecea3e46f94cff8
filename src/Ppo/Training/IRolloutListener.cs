namespace Ppo.Training;

/// <summary>Hears of a rollout's progress while it is collected.</summary>
public interface IRolloutListener
{
    /// <summary>Called after each step of the vector environment.</summary>
    /// <param name="environmentSteps">The environment steps it took (one per environment).</param>
    void OnSteps(int environmentSteps);

    /// <summary>Called when an episode ends, terminated or truncated.</summary>
    /// <param name="episodeReturn">The undiscounted sum of the environment's rewards over the episode.</param>
    /// <param name="length">The number of steps in the episode.</param>
    void OnEpisodeEnd(double episodeReturn, int length);
}
