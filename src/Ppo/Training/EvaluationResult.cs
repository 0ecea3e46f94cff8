namespace Ppo.Training;

/// <summary>The returns of evaluation episodes.</summary>
/// <param name="Returns">The undiscounted return of each episode, in order.</param>
/// <param name="Lengths">The length of each episode, in order.</param>
public sealed record EvaluationResult(IReadOnlyList<double> Returns, IReadOnlyList<int> Lengths)
{
    /// <summary>Gets the mean return.</summary>
    public double MeanReturn => Returns.Average();

    /// <summary>Gets the population standard deviation of the returns, as Stable-Baselines3's <c>evaluate_policy</c> reports it.</summary>
    public double StandardDeviationOfReturn
    {
        get
        {
            double mean = MeanReturn;
            return Math.Sqrt(Returns.Sum(r => (r - mean) * (r - mean)) / Returns.Count);
        }
    }

    /// <summary>Gets the mean episode length.</summary>
    public double MeanLength => Lengths.Average();
}
