using System.Globalization;

namespace Ppo.Samples;

/// <summary>The command-line options of a sample: <c>--name value</c> pairs and bare <c>--flag</c> switches.</summary>
internal sealed class SampleArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private SampleArguments()
    {
    }

    /// <summary>Parses <paramref name="args"/>; an unknown option or a missing value throws <see cref="SampleUsageException"/>.</summary>
    public static SampleArguments Parse(string[] args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        var parsed = new SampleArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (flagOptions.Contains(name))
            {
                parsed._flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new SampleUsageException($"{name} needs a value.");
                parsed._values[name] = args[++i];
            }
            else
            {
                throw new SampleUsageException($"unknown option '{name}'.");
            }
        }

        return parsed;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public int Integer(string name, int defaultValue, int minimum, int maximum)
    {
        if (!_values.TryGetValue(name, out string? text))
            return defaultValue;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < minimum || value > maximum)
            throw new SampleUsageException($"{name} must be an integer in [{minimum}, {maximum}] (was '{text}').");
        return value;
    }

    public long Count(string name, long defaultValue, long minimum, long maximum)
    {
        if (!_values.TryGetValue(name, out string? text))
            return defaultValue;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value != Math.Floor(value) || value < minimum || value > maximum)
            throw new SampleUsageException($"{name} must be a whole number in [{minimum}, {maximum}], such as 100000 or 1e5 (was '{text}').");
        return (long)value;
    }
}
