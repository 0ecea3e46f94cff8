using System.Globalization;

namespace Ppo.Optimization;

/// <summary>
/// A value that changes over a training run as a function of the remaining progress, which goes from 1 at the start
/// to 0 at the end (Stable-Baselines3's <c>progress_remaining</c>). Used for the learning rate and the clip range.
/// </summary>
/// <remarks>A plain number converts to a constant schedule: <c>LearningRate = 3e-4</c>.</remarks>
public abstract class Schedule
{
    private protected Schedule()
    {
    }

    /// <summary>Returns the value when <paramref name="progressRemaining"/> of the run is left.</summary>
    /// <param name="progressRemaining">The remaining fraction of the run; values outside [0, 1] are clamped.</param>
    /// <returns>The scheduled value.</returns>
    public abstract double ValueAt(double progressRemaining);

    /// <summary>A schedule that is always <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The schedule.</returns>
    public static Schedule Constant(double value) => new ConstantSchedule(value);

    /// <summary>A schedule that goes linearly from <paramref name="initial"/> at the start to <paramref name="final"/> at the end.</summary>
    /// <param name="initial">The value at progress remaining 1.</param>
    /// <param name="final">The value at progress remaining 0.</param>
    /// <returns>The schedule <c>final + (initial − final)·progressRemaining</c>, with the progress clamped to [0, 1].</returns>
    public static Schedule Linear(double initial, double final = 0.0) => new LinearSchedule(initial, final);

    /// <summary>A schedule computed by <paramref name="function"/> from the remaining progress (clamped to [0, 1]).</summary>
    /// <param name="function">The function of the remaining progress.</param>
    /// <param name="description">A short description shown by <see cref="object.ToString"/>.</param>
    /// <returns>The schedule.</returns>
    public static Schedule Custom(Func<double, double> function, string description = "custom")
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(description);
        return new CustomSchedule(function, description);
    }

    /// <summary>Converts a number to a constant schedule.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Schedule(double value) => Constant(value);

    /// <summary>Converts a number to a constant schedule.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The constant schedule.</returns>
    public static Schedule FromDouble(double value) => Constant(value);

    /// <summary>Writes the schedule: its kind, then its numbers (or, for a custom schedule, only its description).</summary>
    internal abstract void Write(BinaryWriter writer);

    /// <summary>Reads a schedule written by <see cref="Write"/>; a custom schedule cannot be rebuilt and comes back as <see langword="null"/> with its description.</summary>
    /// <exception cref="InvalidDataException">The kind is unknown.</exception>
    internal static Schedule? Read(BinaryReader reader, out string description)
    {
        byte kind = reader.ReadByte();
        switch (kind)
        {
            case ConstantKind:
                double value = reader.ReadDouble();
                description = value.ToString(CultureInfo.InvariantCulture);
                return Constant(value);
            case LinearKind:
                Schedule linear = Linear(reader.ReadDouble(), reader.ReadDouble());
                description = linear.ToString()!;
                return linear;
            case CustomKind:
                description = reader.ReadString();
                return null;
            default:
                throw new InvalidDataException($"Unknown schedule kind {kind}.");
        }
    }

    private const byte ConstantKind = 0;
    private const byte LinearKind = 1;
    private const byte CustomKind = 2;

    private static double Clamp(double progressRemaining) => Math.Clamp(double.IsNaN(progressRemaining) ? 0.0 : progressRemaining, 0.0, 1.0);

    private sealed class ConstantSchedule(double value) : Schedule
    {
        public override double ValueAt(double progressRemaining) => value;

        public override string ToString() => value.ToString(CultureInfo.InvariantCulture);

        internal override void Write(BinaryWriter writer)
        {
            writer.Write(ConstantKind);
            writer.Write(value);
        }
    }

    private sealed class LinearSchedule(double initial, double final) : Schedule
    {
        public override double ValueAt(double progressRemaining) => final + (initial - final) * Clamp(progressRemaining);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"linear({initial} → {final})");

        internal override void Write(BinaryWriter writer)
        {
            writer.Write(LinearKind);
            writer.Write(initial);
            writer.Write(final);
        }
    }

    private sealed class CustomSchedule(Func<double, double> function, string description) : Schedule
    {
        public override double ValueAt(double progressRemaining) => function(Clamp(progressRemaining));

        public override string ToString() => description;

        internal override void Write(BinaryWriter writer)
        {
            writer.Write(CustomKind);
            writer.Write(description);
        }
    }
}
