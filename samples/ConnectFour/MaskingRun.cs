using Ppo.Environments;
using Ppo.Samples.Ablations;
using Ppo.Training;

namespace Ppo.Samples.ConnectFour;

/// <summary>One training run: the rolling training return after every update and the final evaluation.</summary>
internal sealed record MaskingRun(IReadOnlyList<double> Steps, IReadOnlyList<double> RollingReturns, double EvaluationReturn)
{
    public const int RollingWindow = 200;
    public const int EvaluationGames = 200;

    /// <summary>Trains with the options of the learning test, with or without the masks, and evaluates the same way.</summary>
    public static MaskingRun Train(bool useMasks, long totalSteps)
    {
        var options = new PpoOptions { NumEnvs = 8, NumSteps = 128, BatchSize = 256, NumEpochs = 4, EntCoef = 0.01f, Seed = 1 };
        using var environment = SyncVectorEnvironment.Create(options.NumEnvs, _ => Game(useMasks));
        var recorder = new LearningCurveRecorder(RollingWindow);
        var trainer = new PpoTrainer(environment, options);
        trainer.Learn(totalSteps, recorder);
        using IEnvironment evaluated = Game(useMasks);
        double evaluation = PolicyEvaluation.Run(trainer.Learner.Policy, evaluated, EvaluationGames, seed: 1000).MeanReturn;
        return new MaskingRun(recorder.Steps, recorder.RollingReturns, evaluation);
    }

    private static IEnvironment Game(bool useMasks) => useMasks ? new Ppo.Environments.Games.ConnectFour() : new UnmaskedEnvironment(new Ppo.Environments.Games.ConnectFour());
}
