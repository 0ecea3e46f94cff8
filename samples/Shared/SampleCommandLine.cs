using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Ppo.Samples;

/// <summary>
/// The samples' command lines on <c>System.CommandLine</c>: options that check their own range and say it in the same
/// words, help generated from them with every default, <c>--version</c>, <c>-h</c> and <c>@file</c> response files.
/// </summary>
internal static class SampleCommandLine
{
    /// <summary>The exit code of a command-line mistake: an unknown option, a value out of range, an unusable path.</summary>
    public const int UsageError = 2;

    /// <summary>The longest run a sample accepts, in environment steps.</summary>
    public const long MostTimesteps = 10_000_000_000;

    /// <summary>The command of a sample: help opens with <paramref name="description"/> and shows <paramref name="usage"/>, the command that runs it.</summary>
    public static RootCommand Root(string usage, string description) => new(description) { HelpName = $"{usage} --" };

    /// <summary>The seed of a run, in [0, 1000000000].</summary>
    public static Option<int> Seed(int defaultValue = 1) => Integer("--seed", "Seed of the run", defaultValue, 0, 1_000_000_000);

    /// <summary>An integer option in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Option<int> Integer(string name, string description, int defaultValue, int minimum, int maximum) =>
        Ranged(
            name,
            description,
            defaultValue,
            text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= maximum ? value : null,
            text => string.Create(CultureInfo.InvariantCulture, $"{name} must be an integer in [{minimum}, {maximum}] (was '{text}')."));

    /// <summary>A count of steps in [<paramref name="minimum"/>, <paramref name="maximum"/>], written whole or in exponent form (<c>1e5</c>).</summary>
    public static Option<long> Count(string name, string description, long defaultValue, long minimum, long maximum) =>
        Ranged(
            name,
            description,
            defaultValue,
            text => ParseCount(text, minimum, maximum),
            text => CountRangeMessage(name, minimum, maximum, text));

    /// <summary>
    /// A count of steps as <see cref="Count(string, string, long, long, long)"/> whose default depends on other options:
    /// <see langword="null"/> when it is not given, and <paramref name="defaultText"/> says in the help what it is then.
    /// </summary>
    public static Option<long?> Count(string name, string description, string defaultText, long minimum, long maximum) =>
        new(name)
        {
            Description = $"{description} [default: {defaultText}]",
            HelpName = "N",
            CustomParser = result =>
            {
                string text = result.Tokens[0].Value;
                long? value = ParseCount(text, minimum, maximum);
                if (value is null)
                    result.AddError(CountRangeMessage(name, minimum, maximum, text));
                return value;
            },
        };

    /// <summary>The message of a count out of range, also used by checks that span several options.</summary>
    public static string CountRangeMessage(string name, long minimum, long maximum, string text) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number in [{minimum}, {maximum}], such as 100000 or 1e5 (was '{text}').");

    /// <summary>An option that takes one of <paramref name="allowed"/> (compared exactly), <paramref name="defaultValue"/> when absent.</summary>
    public static Option<string> ChoiceOption(string name, string description, string defaultValue, IReadOnlyList<string> allowed) =>
        new(name)
        {
            Description = description,
            HelpName = string.Join('|', allowed),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseChoice(result, name, defaultValue, allowed),
        };

    /// <summary>A path option; <paramref name="defaultText"/> says in the help what happens without it.</summary>
    public static Option<string?> Path(string name, string description, string defaultText, string helpName = "PATH") =>
        new(name) { Description = $"{description} [default: {defaultText}]", HelpName = helpName };

    /// <summary>A path option with a default path; <paramref name="helpName"/> stands for the value in the help (<c>DIR</c> for a folder).</summary>
    public static Option<string> PathWithDefault(string name, string description, string defaultPath, string helpName = "PATH") =>
        new(name) { Description = description, HelpName = helpName, DefaultValueFactory = _ => defaultPath };

    /// <summary>A positional argument that is one of <paramref name="allowed"/>, <paramref name="defaultValue"/> when it is not given.</summary>
    public static Argument<string> ChoiceArgument(string name, string description, string defaultValue, params string[] allowed) =>
        new(name)
        {
            Description = $"{description}: {string.Join(", ", allowed)}",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseChoice(result, name, defaultValue, allowed),
        };

    private static string ParseChoice(ArgumentResult result, string name, string defaultValue, IReadOnlyList<string> allowed)
    {
        string text = result.Tokens[0].Value;
        if (allowed.Contains(text, StringComparer.Ordinal))
            return text;
        result.AddError($"{name} must be one of {string.Join(", ", allowed)} (was '{text}').");
        return defaultValue;
    }

    /// <summary>A switch, off by default.</summary>
    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = $"{description} [default: off]", Arity = ArgumentArity.Zero };

    /// <summary>
    /// Parses <paramref name="args"/> and runs <paramref name="run"/>, or shows the help or the version. A mistake prints
    /// <c>error: </c> with a message that names the option, then points to <c>--help</c>, and returns <see cref="UsageError"/>.
    /// </summary>
    public static int Invoke(RootCommand command, string[] args, TextWriter output, TextWriter error, Func<ParseResult, int> run)
    {
        command.SetAction(run);
        ParseResult parsed = command.Parse(args);
        return parsed.Action is ParseErrorAction ? RejectParseErrors(parsed, error) : parsed.Invoke(Configuration(output, error));
    }

    /// <summary>
    /// As <see cref="Invoke"/>, for a sample whose work is asynchronous. Ctrl+C and SIGTERM are left to the sample (and
    /// to .NET, which ends the process), as in a sample without a command-line library.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand command, string[] args, TextWriter output, TextWriter error, Func<ParseResult, Task<int>> run)
    {
        command.SetAction(run);
        ParseResult parsed = command.Parse(args);
        if (parsed.Action is ParseErrorAction)
            return RejectParseErrors(parsed, error);
        InvocationConfiguration configuration = Configuration(output, error);
        configuration.ProcessTerminationTimeout = null;
        return await parsed.InvokeAsync(configuration).ConfigureAwait(false);
    }

    /// <summary>Prints a mistake found after parsing (an unusable path, an invalid combination) and returns <see cref="UsageError"/>.</summary>
    public static int Reject(TextWriter error, params string[] messages)
    {
        foreach (string message in messages)
            error.WriteLine($"error: {message}");
        error.WriteLine("Run with --help to see every option and its default.");
        return UsageError;
    }

    private static int RejectParseErrors(ParseResult parsed, TextWriter error) => Reject(error, [.. parsed.Errors.Select(problem => problem.Message)]);

    private static InvocationConfiguration Configuration(TextWriter output, TextWriter error) =>
        new() { Output = output, Error = error, EnableDefaultExceptionHandler = false };

    private static long? ParseCount(string text, long minimum, long maximum) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value == Math.Floor(value) && value >= minimum && value <= maximum ? (long)value : null;

    /// <summary>An option whose value <paramref name="parse"/> reads and checks; a value it refuses is reported with <paramref name="message"/>.</summary>
    private static Option<T> Ranged<T>(string name, string description, T defaultValue, Func<string, T?> parse, Func<string, string> message)
        where T : struct =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens[0].Value;
                if (parse(text) is T value)
                    return value;
                result.AddError(message(text));
                return defaultValue;
            },
        };
}
