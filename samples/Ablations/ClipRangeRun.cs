namespace Ppo.Samples.Ablations;

/// <summary>One training run of the clip-range study, recorded after every update.</summary>
/// <param name="ClipRange">The constant clip range ε of the run.</param>
/// <param name="Seed">The seed of the run.</param>
/// <param name="Steps">The environment steps collected by the end of each update.</param>
/// <param name="RollingReturns">After each update, the mean return of the last <see cref="ClipRangeStudy.RollingWindow"/> finished training episodes; NaN before the first.</param>
/// <param name="ClipFractions">The fraction of clipped ratios of each update.</param>
/// <param name="EvaluationMeanReturn">The mean return of <see cref="ClipRangeStudy.EvaluationEpisodes"/> deterministic episodes after training.</param>
/// <param name="Seconds">The wall-clock time of training and evaluation.</param>
public sealed record ClipRangeRun(
    double ClipRange,
    int Seed,
    IReadOnlyList<double> Steps,
    IReadOnlyList<double> RollingReturns,
    IReadOnlyList<double> ClipFractions,
    double EvaluationMeanReturn,
    double Seconds)
{
    /// <summary>Gets the rolling-mean training return after the last update.</summary>
    public double FinalRollingReturn => RollingReturns.Count == 0 ? double.NaN : RollingReturns[RollingReturns.Count - 1];

    /// <summary>Gets the steps after which the rolling-mean training return first reached <see cref="ClipRangeStudy.SolvedAt"/>; NaN if it never did.</summary>
    public double StepsToSolve
    {
        get
        {
            for (int i = 0; i < RollingReturns.Count; i++)
            {
                if (RollingReturns[i] >= ClipRangeStudy.SolvedAt)
                    return Steps[i];
            }

            return double.NaN;
        }
    }
}
