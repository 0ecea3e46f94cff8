using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Training;

namespace Ppo.Tests.TestSupport;

/// <summary>The managed engine's parts of a trainer built by the convenience constructors.</summary>
internal static class ManagedTrainer
{
    public static ActorCritic Network(this PpoTrainer trainer) => ((ManagedLearner)trainer.Learner).Network;

    public static Adam Optimizer(this PpoTrainer trainer) => ((ManagedLearner)trainer.Learner).Optimizer;
}
