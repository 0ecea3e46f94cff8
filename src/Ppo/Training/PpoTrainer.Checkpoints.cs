using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.Policies;

namespace Ppo.Training;

/// <summary>Saving and loading the complete state of a trainer.</summary>
public sealed partial class PpoTrainer
{
    private const string OptionsSection = "OPTS";
    private const string ArchitectureSection = "ARCH";
    private const string ParametersSection = "PARM";
    private const string OptimizerSection = "ADAM";
    private const string NormalizationSection = "NORM";
    private const string TrainerSection = "TRNR";
    private const string EnvironmentSection = "ENVS";

    /// <summary>
    /// Saves everything needed to evaluate the policy or to continue training exactly: options, network architecture,
    /// parameters, optimizer state, normalization statistics, random-generator state, step counts, the current
    /// observations and, when the environments support it (<see cref="IStatefulEnvironment"/>), their state.
    /// </summary>
    /// <param name="path">The checkpoint file; written to a temporary file first and renamed into place.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        var sections = new List<(string, byte[])>
        {
            (OptionsSection, Serialize(writer => OptionsSerialization.Write(writer, Options))),
            (ArchitectureSection, Serialize(writer => ArchitectureSerialization.Write(writer, Policy))),
            (ParametersSection, Serialize(writer => BinaryData.WriteFloats(writer, Policy.Parameters.Values.AsSpan()))),
            (OptimizerSection, Serialize(WriteOptimizer)),
            (TrainerSection, Serialize(WriteTrainerState)),
        };
        if (Normalization is not null)
            sections.Add((NormalizationSection, Serialize(WriteNormalization)));
        if (_environmentStarted && _baseEnvironment is IStatefulEnvironment { CanSaveState: true } stateful)
            sections.Add((EnvironmentSection, Serialize(stateful.SaveState)));
        CheckpointFile.Write(path, sections);
    }

    /// <summary>
    /// Loads a trainer saved by <see cref="Save"/> to continue training on <paramref name="environment"/>. When the
    /// checkpoint holds the environments' state and they support <see cref="IStatefulEnvironment"/>, training continues
    /// bit for bit as if it had never stopped; otherwise the environments are reset at the next rollout.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="environment">Environments like the ones trained on: same spaces and count.</param>
    /// <param name="options">Options to continue with instead of the saved ones (required when the saved ones use a custom schedule); the number of environments and the normalization switches must match.</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="CheckpointException">The file is missing parts, truncated, corrupt, of another format or version, or does not match the environment or options.</exception>
    /// <exception cref="ArgumentException">The environment does not match the saved network.</exception>
    public static PpoTrainer Load(string path, IVectorEnvironment environment, PpoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        IReadOnlyDictionary<string, byte[]> sections = CheckpointFile.Read(path);
        PpoOptions saved = ReadOptions(sections, options is null);
        if (options is not null)
        {
            options = options.Validate() with { Seed = options.Seed ?? saved.Seed };
            if (options.NumEnvs != saved.NumEnvs || options.NormalizeObservations != saved.NormalizeObservations || options.NormalizeRewards != saved.NormalizeRewards)
                throw new CheckpointException($"The checkpoint was trained with NumEnvs {saved.NumEnvs}, NormalizeObservations {saved.NormalizeObservations} and NormalizeRewards {saved.NormalizeRewards}; the options given must keep them.");
        }

        ActorCritic policy = ReadPolicy(sections, (options ?? saved).Device);
        var trainer = new PpoTrainer(environment, policy, options ?? saved);
        ReadSection(sections, OptimizerSection, trainer.ReadOptimizer);
        ReadSection(sections, TrainerSection, trainer.ReadTrainerState);
        if (trainer.Normalization is not null)
            ReadSection(sections, NormalizationSection, trainer.ReadNormalization);
        else if (sections.ContainsKey(NormalizationSection))
            throw new CheckpointException("The checkpoint holds normalization statistics but the options turn normalization off.");

        trainer._environmentStarted &= sections.ContainsKey(EnvironmentSection) && environment is IStatefulEnvironment { CanSaveState: true };
        if (trainer._environmentStarted)
            ReadSection(sections, EnvironmentSection, reader => ((IStatefulEnvironment)environment).LoadState(reader));
        return trainer;
    }

    /// <summary>Reads the network of a checkpoint with its trained parameters.</summary>
    internal static ActorCritic ReadPolicy(IReadOnlyDictionary<string, byte[]> sections, Tensors.Device device)
    {
        (int observationSize, Space actionSpace, ActorCriticOptions architecture) = ReadSection(sections, ArchitectureSection, ArchitectureSerialization.Read);
        var policy = new ActorCritic(observationSize, actionSpace, architecture, device);
        float[] parameters = ReadSection(sections, ParametersSection, reader => BinaryData.ReadFiniteFloats(reader, "parameters", policy.Parameters.Count));
        policy.Parameters.Values.CopyFrom(parameters);
        return policy;
    }

    /// <summary>Reads the saved options; with <paramref name="mustBeComplete"/>, a custom schedule (which cannot be stored) is an error.</summary>
    internal static PpoOptions ReadOptions(IReadOnlyDictionary<string, byte[]> sections, bool mustBeComplete)
    {
        var customSchedules = new List<string>();
        PpoOptions options = ReadSection(sections, OptionsSection, reader => OptionsSerialization.Read(reader, customSchedules));
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
    internal static ObservationNormalizer? ReadObservationNormalizer(IReadOnlyDictionary<string, byte[]> sections, int observationSize)
    {
        if (!sections.ContainsKey(NormalizationSection))
            return null;
        return ReadSection(sections, NormalizationSection, reader =>
        {
            NormalizationHeader header = NormalizationHeader.Read(reader);
            var normalizer = new ObservationNormalizer(observationSize, header.ClipObservation, header.Epsilon);
            ReadStatistics(reader, normalizer.Statistics, "observation statistics");
            reader.BaseStream.Seek(0, SeekOrigin.End);
            return header.NormalizeObservations ? normalizer : null;
        });
    }

    private static T ReadSection<T>(IReadOnlyDictionary<string, byte[]> sections, string tag, Func<BinaryReader, T> read)
    {
        if (!sections.TryGetValue(tag, out byte[]? data))
            throw new CheckpointException($"The checkpoint has no '{tag}' section.");
        using var reader = new BinaryReader(new MemoryStream(data, writable: false));
        T result;
        try
        {
            result = read(reader);
        }
        catch (Exception exception) when (exception is EndOfStreamException or InvalidDataException or ArgumentException)
        {
            throw new CheckpointException($"The checkpoint's '{tag}' section is corrupt: {exception.Message}", exception);
        }

        if (reader.BaseStream.Position != data.Length)
            throw new CheckpointException($"The checkpoint's '{tag}' section has {data.Length - reader.BaseStream.Position} bytes left over.");
        return result;
    }

    private static void ReadSection(IReadOnlyDictionary<string, byte[]> sections, string tag, Action<BinaryReader> read) =>
        ReadSection<bool>(sections, tag, reader =>
        {
            read(reader);
            return true;
        });

    private static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
            write(writer);
        return stream.ToArray();
    }

    private static void WriteStatistics(BinaryWriter writer, RunningStatistics statistics)
    {
        BinaryData.WriteDoubles(writer, statistics.Mean);
        BinaryData.WriteDoubles(writer, statistics.Variance);
        writer.Write(statistics.Count);
    }

    private static void ReadStatistics(BinaryReader reader, RunningStatistics statistics, string what)
    {
        double[] mean = BinaryData.ReadDoubles(reader, what), variance = BinaryData.ReadDoubles(reader, what);
        statistics.Set(mean, variance, reader.ReadDouble());
    }

    private void WriteOptimizer(BinaryWriter writer)
    {
        writer.Write(Optimizer.StepCount);
        BinaryData.WriteFloats(writer, Optimizer.FirstMoment.AsSpan());
        BinaryData.WriteFloats(writer, Optimizer.SecondMoment.AsSpan());
    }

    private void ReadOptimizer(BinaryReader reader)
    {
        long steps = reader.ReadInt64();
        if (steps < 0)
            throw new CheckpointException($"The checkpoint's optimizer step count {steps} is negative.");
        Optimizer.FirstMoment.CopyFrom(BinaryData.ReadFiniteFloats(reader, "first moment", Policy.Parameters.Count));
        Optimizer.SecondMoment.CopyFrom(BinaryData.ReadFiniteFloats(reader, "second moment", Policy.Parameters.Count));
        Optimizer.StepCount = steps;
    }

    private void WriteTrainerState(BinaryWriter writer)
    {
        writer.Write(TotalTimesteps);
        writer.Write(UpdateCount);
        writer.Write(KlCoefficient);
        writer.Write(ReferenceKlCoefficient);
        Randomness.RandomStateSerialization.Write(writer, _random.State);
        writer.Write(_environmentStarted);
        BinaryData.WriteFloats(writer, _observations.AsSpan());
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
        _environmentStarted = reader.ReadBoolean();
        _observations.CopyFrom(BinaryData.ReadFiniteFloats(reader, "current observations", _observations.Length));
        _episodes.Read(reader);
        TotalTimesteps = timesteps;
        UpdateCount = updates;
        KlCoefficient = klCoefficient;
        ReferenceKlCoefficient = referenceKlCoefficient;
    }

    private void WriteNormalization(BinaryWriter writer)
    {
        VectorNormalization normalization = Normalization!;
        new NormalizationHeader(normalization.NormalizeObservations, normalization.NormalizeRewards, normalization.Gamma, normalization.Observations.Clip, normalization.ClipReward, normalization.Epsilon).Write(writer);
        WriteStatistics(writer, normalization.ObservationStatistics);
        WriteStatistics(writer, normalization.ReturnStatistics);
        BinaryData.WriteDoubles(writer, normalization.RunningReturns);
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
