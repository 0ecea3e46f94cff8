using Ppo.Environments;
using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Training;

namespace Ppo.Tests.Training.ForeignLearner;

public sealed class ForeignLearnerTests
{
    private const int Lamps = 3;

    [Fact]
    public void Learn_TabularLearner_LearnsTheBanditThroughTheSeam()
    {
        var learner = new TabularLearner(Lamps, Lamps);
        var trainer = new PpoTrainer(Bandits(), learner, Options());

        UpdateMetrics metrics = trainer.Learn(4_096);

        Assert.True(learner.StepCount > 0);
        Assert.True(metrics.MeanEpisodeReturn > 0.9, $"The mean return was {metrics.MeanEpisodeReturn}.");
        Assert.Equal([0f, 1f, 2f], PredictEveryLamp(trainer.Policy));
        Assert.Equal(0, PolicyEvaluation.Run(trainer.Policy, new MatchingBandit(Lamps), episodes: 30, seed: 5).Returns.Count(r => r != 1.0));
    }

    [Fact]
    public void SaveAndLoad_TabularLearner_RestoresTheLearnerByItsKindAndContinuesIdentically()
    {
        LearnerRegistry.Register(new TabularLearner.Factory());
        string path = Path.Combine(Path.GetTempPath(), $"ppo-tabular-{Guid.NewGuid():N}.ppo");
        try
        {
            var unbroken = new PpoTrainer(Bandits(), new TabularLearner(Lamps, Lamps), Options());
            var first = new PpoTrainer(Bandits(), new TabularLearner(Lamps, Lamps), Options());
            unbroken.Learn(1_024);
            first.Learn(1_024);
            first.Save(path);

            PpoTrainer resumed = PpoTrainer.Load(path, Bandits());
            var restored = Assert.IsType<TabularLearner>(resumed.Learner);
            Assert.Equal(((TabularLearner)first.Learner).Logits, restored.Logits);
            Assert.Equal([0f, 1f, 2f], PredictEveryLamp(TrainedPolicy.Load(path)));

            unbroken.Learn(1_024);
            resumed.Learn(1_024);
            Assert.Equal(((TabularLearner)unbroken.Learner).Logits, restored.Logits);
            Assert.Equal(((TabularLearner)unbroken.Learner).StateValues, restored.StateValues);
            Assert.Equal(unbroken.TotalTimesteps, resumed.TotalTimesteps);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static PpoOptions Options() => new()
    {
        NumEnvs = 4,
        NumSteps = 64,
        BatchSize = 64,
        NumEpochs = 4,
        EntCoef = 0f,
        LearningRate = Schedule.Constant(0.5),
        Seed = 3,
    };

    private static SyncVectorEnvironment Bandits() => SyncVectorEnvironment.Create(4, _ => new MatchingBandit(Lamps));

    private static float[] PredictEveryLamp(IPolicy policy)
    {
        float[] observations = new float[Lamps * Lamps];
        for (int lamp = 0; lamp < Lamps; lamp++)
            observations[(lamp * Lamps) + lamp] = 1f;
        float[] actions = new float[Lamps];
        policy.Predict(observations, actions);
        return actions;
    }
}
