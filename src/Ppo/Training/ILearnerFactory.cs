using Ppo.Checkpoints;
using Ppo.Policies;

namespace Ppo.Training;

/// <summary>Reads the learners of one <see cref="ILearner.Kind"/> back from checkpoints; registered in <see cref="LearnerRegistry"/>.</summary>
public interface ILearnerFactory
{
    /// <summary>Gets the kind this factory reads, as <see cref="ILearner.Kind"/> writes it.</summary>
    string Kind { get; }

    /// <summary>Rebuilds a learner from the sections its <see cref="ILearner.Save"/> wrote, ready to continue training.</summary>
    /// <param name="sections">The checkpoint.</param>
    /// <param name="options">The options training continues with.</param>
    /// <returns>The learner, with its parameters and optimizer state restored.</returns>
    /// <exception cref="CheckpointException">The learner's sections are missing or invalid.</exception>
    ILearner LoadLearner(CheckpointSections sections, PpoOptions options);

    /// <summary>Rebuilds only the policy from the sections its learner wrote, for inference.</summary>
    /// <param name="sections">The checkpoint.</param>
    /// <returns>The policy with the saved parameters.</returns>
    /// <exception cref="CheckpointException">The learner's sections are missing or invalid.</exception>
    IPolicy LoadPolicy(CheckpointSections sections);
}
