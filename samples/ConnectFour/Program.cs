using System.Globalization;
using Ppo.Environments;
using Ppo.Plotting;
using Ppo.Samples.Ablations;
using Ppo.Samples.ConnectFour;
using Ppo.Training;

// Trains PPO on Connect Four against the random opponent twice, with the same seed and budget: once with action masks
// (full columns are never played) and once without (a move into a full column loses the game), and draws both
// learning curves. Arguments: [total steps, default 100000] [output PNG, default connect-four-masking.png].
int totalSteps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
string path = args.Length > 1 ? args[1] : "connect-four-masking.png";

MaskingRun masked = MaskingRun.Train(useMasks: true, totalSteps);
MaskingRun unmasked = MaskingRun.Train(useMasks: false, totalSteps);

var figure = new Figure(rows: 1, columns: 1, panelWidth: 640, panelHeight: 400, title: "Connect Four vs a random opponent", scale: 2);
figure.Panel(0, 0)
    .Title(string.Create(CultureInfo.InvariantCulture, $"Training return, rolling mean of {MaskingRun.RollingWindow} games, seed 1"))
    .XLabel("steps")
    .YLabel("return (win +1, loss or illegal move −1)")
    .Line([.. masked.Steps], [.. masked.RollingReturns], "masked")
    .Line([.. unmasked.Steps], [.. unmasked.RollingReturns], "unmasked, penalized");
figure.SavePng(path);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"After {totalSteps} steps, deterministic evaluation over {MaskingRun.EvaluationGames} games: masked {masked.EvaluationReturn:F3}, unmasked {unmasked.EvaluationReturn:F3}"));
Console.WriteLine($"Wrote {Path.GetFullPath(path)}");
return 0;

namespace Ppo.Samples.ConnectFour
{
    /// <summary>One training run: the rolling training return after every update and the final evaluation.</summary>
    internal sealed record MaskingRun(IReadOnlyList<double> Steps, IReadOnlyList<double> RollingReturns, double EvaluationReturn)
    {
        public const int RollingWindow = 200;
        public const int EvaluationGames = 200;

        /// <summary>Trains with the options of the learning test, with or without the masks, and evaluates the same way.</summary>
        public static MaskingRun Train(bool useMasks, int totalSteps)
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
}
