using System.Globalization;

namespace Ppo.Samples.Distributed;

/// <summary>The sample's arguments: an optional mode word, then <c>--name value</c> pairs.</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <exception cref="ArgumentException">An option has no value.</exception>
    public CommandLine(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
            Mode = args[i++];
        for (; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Expected '--name value' at '{args[i]}'.");
            _values[args[i]] = args[i + 1];
        }
    }

    /// <summary>Gets the mode word (<c>worker</c>), or <see langword="null"/> for the learner.</summary>
    public string? Mode { get; }

    /// <summary>Gets an option's text.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    public string? Text(string name) => _values.GetValueOrDefault(name);

    /// <summary>Gets an integer option.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The value is not an integer of at least <paramref name="minimum"/>.</exception>
    public long Number(string name, long defaultValue, long minimum)
    {
        if (!_values.TryGetValue(name, out string? text))
            return defaultValue;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value < minimum)
            throw new ArgumentException($"{name} must be an integer >= {minimum} (was '{text}').");
        return value;
    }

    /// <summary>Gets a required option's text.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The option is absent.</exception>
    public string Required(string name) => Text(name) ?? throw new ArgumentException($"{name} is required.");
}
