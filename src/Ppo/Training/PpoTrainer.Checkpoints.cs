using Ppo.Checkpoints;
using Ppo.Environments;

namespace Ppo.Training;

/// <summary>Saving and loading the complete state of a trainer.</summary>
public sealed partial class PpoTrainer
{
    private const string OptionsSection = "OPTS";
    private const string LearnerSection = "LRNR";
    private const string NormalizationSection = "NORM";
    private const string TrainerSection = "TRNR";
    private const string ScheduleSection = "PLAN";

    /// <summary>
    /// Saves everything needed to evaluate the policy or to continue training exactly: options, the learner's kind and
    /// its own sections (for the managed engine: architecture, parameters, optimizer state), normalization statistics,
    /// random-generator state, step counts, the schedules' plan (<see cref="ScheduleStartTimesteps"/> and
    /// <see cref="ScheduleEndTimesteps"/>), the current observations and, when the environments support it
    /// (<see cref="IStatefulEnvironment"/>), their state.
    /// </summary>
    /// <param name="path">The checkpoint file; written with <see cref="AtomicFile"/>, to a temporary file first and renamed into place.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">The parameters, the optimizer state, the normalization statistics or the KL coefficients hold a NaN or infinite value, which no checkpoint can be loaded with; nothing is written.</exception>
    public void Save(string path)
    {
        var sections = new CheckpointSections();
        sections.Add(OptionsSection, writer => OptionsSerialization.Write(writer, Options));
        sections.Add(LearnerSection, writer => writer.Write(Learner.Kind));
        Learner.Save(sections);
        sections.Add(TrainerSection, WriteTrainerState);
        sections.Add(ScheduleSection, WriteSchedulePlan);
        if (Normalization is not null)
            sections.Add(NormalizationSection, WriteNormalization);
        Collector.SaveEnvironments(sections);
        sections.WriteFile(path);
    }

    /// <summary>
    /// Loads a trainer saved by <see cref="Save"/> to continue training on <paramref name="environment"/>. When the
    /// checkpoint holds the environments' state and they support <see cref="IStatefulEnvironment"/>, training continues
    /// bit for bit as if it had never stopped; otherwise the environments are reset at the next rollout. The learner is
    /// rebuilt by the factory registered in <see cref="LearnerRegistry"/> for the kind the checkpoint names (checkpoints
    /// that name none hold the managed engine).
    /// </summary>
    /// <remarks>
    /// The schedules continue where they were: the next <see cref="Learn"/> goes on from the saved
    /// <see cref="ScheduleStartTimesteps"/>, so a run saved during <c>Learn(B)</c> after <c>S</c> steps and continued
    /// with <c>Learn(B − S)</c> is bit-identical to the unbroken run. A checkpoint written before the plan was kept
    /// starts a new schedule at its step count, as every <see cref="Learn"/> did then.
    /// </remarks>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="environment">Environments like the ones trained on: same spaces (kind, sizes, bounds) and count.</param>
    /// <param name="options">Options to continue with instead of the saved ones (required when the saved ones use a custom schedule); the number of environments and the normalization switches must match.</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="CheckpointException">The file is missing parts, truncated, corrupt, of another format or version, names an unregistered learner kind, or does not match the environment or options.</exception>
    /// <exception cref="ArgumentException">The environment does not match the saved network (observation size or action space; the message names both) or the saved number of environments.</exception>
    public static PpoTrainer Load(string path, IVectorEnvironment environment, PpoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        CheckpointSections sections = CheckpointSections.ReadFile(path);
        PpoOptions saved = ReadOptions(sections, options is null);
        if (options is not null)
        {
            options = options.Validate() with { Seed = options.Seed ?? saved.Seed, NumEnvs = options.NumEnvs == 0 ? saved.NumEnvs : options.NumEnvs };
            if (options.NumEnvs != saved.NumEnvs || options.NormalizeObservations != saved.NormalizeObservations || options.NormalizeRewards != saved.NormalizeRewards)
                throw new CheckpointException($"The checkpoint was trained with NumEnvs {saved.NumEnvs}, NormalizeObservations {saved.NormalizeObservations} and NormalizeRewards {saved.NormalizeRewards}; the options given must keep them.");
        }

        PpoOptions continued = options ?? saved;
        if (environment.EnvironmentCount != continued.NumEnvs)
            throw new ArgumentException($"The checkpoint was trained on {continued.NumEnvs} environments but the vector environment has {environment.EnvironmentCount}.", nameof(environment));
        ILearner learner = LearnerFactoryOf(sections).LoadLearner(sections, continued);
        var trainer = new PpoTrainer(environment, learner, continued);
        sections.Read(TrainerSection, trainer.ReadTrainerState);
        if (sections.Contains(ScheduleSection))
            sections.Read(ScheduleSection, trainer.ReadSchedulePlan);
        else
            trainer.StartNewSchedule();
        if (trainer.Normalization is not null)
            sections.Read(NormalizationSection, trainer.ReadNormalization);
        else if (sections.Contains(NormalizationSection))
            throw new CheckpointException("The checkpoint holds normalization statistics but the options turn normalization off.");

        trainer.Collector.LoadEnvironments(sections);
        return trainer;
    }

    /// <summary>Finds the factory of the learner a checkpoint holds; checkpoints without a learner section hold the managed engine.</summary>
    internal static ILearnerFactory LearnerFactoryOf(CheckpointSections sections) =>
        LearnerRegistry.Find(sections.Contains(LearnerSection) ? sections.Read(LearnerSection, reader => reader.ReadString()) : ManagedLearner.LearnerKind);

    /// <summary>Reads the saved options; with <paramref name="mustBeComplete"/>, a custom schedule (which cannot be stored) is an error.</summary>
    internal static PpoOptions ReadOptions(CheckpointSections sections, bool mustBeComplete)
    {
        var customSchedules = new List<string>();
        PpoOptions options = sections.Read(OptionsSection, reader => OptionsSerialization.Read(reader, customSchedules));
        if (mustBeComplete && customSchedules.Count > 0)
            throw new CheckpointException($"The checkpoint was trained with custom schedules, which cannot be stored: {string.Join(", ", customSchedules)}. Pass the options to Load.");
        try
        {
            return options.Validate();
        }
        catch (ArgumentException exception)
        {
            throw new CheckpointException($"The checkpoint's options are invalid: {exception.Message}", exception);
        }
    }

    /// <summary>Reads the observation normalizer of a checkpoint, or null when observations were not normalized.</summary>
    internal static ObservationNormalizer? ReadObservationNormalizer(CheckpointSections sections, int observationSize)
    {
        if (!sections.Contains(NormalizationSection))
            return null;
        return sections.Read(NormalizationSection, reader =>
        {
            NormalizationHeader header = NormalizationHeader.Read(reader);
            var normalizer = new ObservationNormalizer(observationSize, header.ClipObservation, header.Epsilon);
            ReadStatistics(reader, normalizer.Statistics, "observation statistics");
            reader.BaseStream.Seek(0, SeekOrigin.End);
            return header.NormalizeObservations ? normalizer : null;
        });
    }

    private static void WriteStatistics(BinaryWriter writer, RunningStatistics statistics, string what)
    {
        BinaryData.WriteFiniteDoubles(writer, statistics.Mean, $"{what}' means");
        BinaryData.WriteFiniteDoubles(writer, statistics.Variance, $"{what}' variances");
        writer.Write(statistics.Count);
    }

    private static void ReadStatistics(BinaryReader reader, RunningStatistics statistics, string what)
    {
        double[] mean = BinaryData.ReadDoubles(reader, what), variance = BinaryData.ReadDoubles(reader, what);
        statistics.Set(mean, variance, reader.ReadDouble());
    }

    private void WriteTrainerState(BinaryWriter writer)
    {
        if (!float.IsFinite(KlCoefficient) || !float.IsFinite(ReferenceKlCoefficient))
            throw new InvalidOperationException($"The KL coefficients ({KlCoefficient}, {ReferenceKlCoefficient}) are not finite; a checkpoint of them could not be loaded, so none is written.");
        writer.Write(TotalTimesteps);
        writer.Write(UpdateCount);
        writer.Write(KlCoefficient);
        writer.Write(ReferenceKlCoefficient);
        Randomness.RandomStateSerialization.Write(writer, _random.State);
        Collector.WriteState(writer);
        _episodes.Write(writer);
    }

    private void ReadTrainerState(BinaryReader reader)
    {
        long timesteps = reader.ReadInt64();
        int updates = reader.ReadInt32();
        if (timesteps < 0 || updates < 0)
            throw new CheckpointException($"The checkpoint's counters ({timesteps} steps, {updates} updates) are negative.");
        float klCoefficient = reader.ReadSingle(), referenceKlCoefficient = reader.ReadSingle();
        if (!float.IsFinite(klCoefficient) || klCoefficient < 0f || !float.IsFinite(referenceKlCoefficient) || referenceKlCoefficient < 0f)
            throw new CheckpointException($"The checkpoint's KL coefficients ({klCoefficient}, {referenceKlCoefficient}) are not finite and non-negative.");
        _random.State = Randomness.RandomStateSerialization.Read(reader);
        Collector.ReadState(reader);
        _episodes.Read(reader);
        TotalTimesteps = timesteps;
        UpdateCount = updates;
        KlCoefficient = klCoefficient;
        ReferenceKlCoefficient = referenceKlCoefficient;
    }

    private void WriteSchedulePlan(BinaryWriter writer)
    {
        writer.Write(ScheduleStartTimesteps);
        writer.Write(ScheduleEndTimesteps);
    }

    private void ReadSchedulePlan(BinaryReader reader)
    {
        long start = reader.ReadInt64(), end = reader.ReadInt64();
        if (start < 0 || start > TotalTimesteps || end < start)
            throw new CheckpointException($"The checkpoint's schedule plan (from step {start} to step {end}) does not fit its {TotalTimesteps} steps.");
        ScheduleStartTimesteps = start;
        ScheduleEndTimesteps = end;
    }

    private void WriteNormalization(BinaryWriter writer)
    {
        VectorNormalization normalization = Normalization!;
        new NormalizationHeader(normalization.NormalizeObservations, normalization.NormalizeRewards, normalization.Gamma, normalization.Observations.Clip, normalization.ClipReward, normalization.Epsilon).Write(writer);
        WriteStatistics(writer, normalization.ObservationStatistics, "observation statistics");
        WriteStatistics(writer, normalization.ReturnStatistics, "return statistics");
        BinaryData.WriteFiniteDoubles(writer, normalization.RunningReturns, "running returns");
    }

    private void ReadNormalization(BinaryReader reader)
    {
        VectorNormalization normalization = Normalization!;
        NormalizationHeader header = NormalizationHeader.Read(reader);
        if (header.NormalizeObservations != normalization.NormalizeObservations || header.NormalizeRewards != normalization.NormalizeRewards)
            throw new CheckpointException("The checkpoint's normalization switches do not match the options.");
        ReadStatistics(reader, normalization.ObservationStatistics, "observation statistics");
        ReadStatistics(reader, normalization.ReturnStatistics, "return statistics");
        double[] returns = BinaryData.ReadDoubles(reader, "running returns");
        if (returns.Length != normalization.RunningReturns.Length || Array.Exists(returns, value => !double.IsFinite(value)))
            throw new CheckpointException($"The checkpoint's running returns ({returns.Length} values) do not fit {normalization.RunningReturns.Length} finite ones.");
        returns.CopyTo(normalization.RunningReturns);
    }

    /// <summary>The settings of the normalization, written before its statistics.</summary>
    private readonly record struct NormalizationHeader(bool NormalizeObservations, bool NormalizeRewards, float Gamma, float ClipObservation, float ClipReward, double Epsilon)
    {
        public void Write(BinaryWriter writer)
        {
            writer.Write(NormalizeObservations);
            writer.Write(NormalizeRewards);
            writer.Write(Gamma);
            writer.Write(ClipObservation);
            writer.Write(ClipReward);
            writer.Write(Epsilon);
        }

        public static NormalizationHeader Read(BinaryReader reader)
        {
            var header = new NormalizationHeader(reader.ReadBoolean(), reader.ReadBoolean(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadDouble());
            if (!(header.ClipObservation > 0f) || !(header.ClipReward > 0f) || !(header.Epsilon > 0) || !(header.Gamma is >= 0f and <= 1f))
                throw new CheckpointException($"The checkpoint's normalization settings {header} are invalid.");
            return header;
        }
    }
}
