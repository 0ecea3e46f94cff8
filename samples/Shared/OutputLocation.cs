using System.Globalization;

namespace Ppo.Samples;

/// <summary>
/// Where a sample writes its outputs. Each location is prepared before training starts (its folder created, a file
/// written and removed there), so that a mistake in a path costs seconds, not a trained model; and a file that still
/// cannot be written at the end is written to the first fallback folder that works.
/// </summary>
internal static class OutputLocation
{
    /// <summary>Creates the folder of the file <paramref name="path"/> and proves that a file can be written there.</summary>
    /// <returns><see langword="null"/> when the file can be written, else a message that names <paramref name="option"/>.</returns>
    public static string? PrepareFile(string option, string path)
    {
        try
        {
            string fullPath = Path.GetFullPath(path);
            if (Directory.Exists(fullPath))
                return $"{option} '{path}' is a folder; give the name of a file.";
            string folder = Path.GetDirectoryName(fullPath) ?? fullPath;
            Directory.CreateDirectory(folder);
            ProveWritable(folder);
            return null;
        }
        catch (Exception exception) when (IsPathProblem(exception))
        {
            return $"{option} '{path}' cannot be written: {exception.Message}";
        }
    }

    /// <summary>Creates the folder <paramref name="path"/> and proves that a file can be written in it.</summary>
    /// <returns><see langword="null"/> when files can be written there, else a message that names <paramref name="option"/>.</returns>
    public static string? PrepareFolder(string option, string path)
    {
        try
        {
            string fullPath = Path.GetFullPath(path);
            Directory.CreateDirectory(fullPath);
            ProveWritable(fullPath);
            return null;
        }
        catch (Exception exception) when (IsPathProblem(exception))
        {
            return $"{option} '{path}' cannot be used as a folder: {exception.Message}";
        }
    }

    /// <summary>
    /// Writes <paramref name="what"/> to <paramref name="path"/> and says so on <paramref name="output"/>, or falls back
    /// to <see cref="DefaultFallbackFolders"/> (<see cref="WriteOrFallBack"/>).
    /// </summary>
    /// <returns>Whether it was written where asked.</returns>
    public static bool Write(string what, string path, Action<string> write, TextWriter output, TextWriter error)
    {
        string? written = WriteOrFallBack(what, path, write, DefaultFallbackFolders(), error);
        if (written == path)
            output.WriteLine($"{what}: {path}");
        return written == path;
    }

    /// <summary>
    /// Writes <paramref name="what"/> with <paramref name="write"/> to <paramref name="path"/>; when that fails, writes it
    /// under a new name to the first of <paramref name="fallbackFolders"/> that works, and says where.
    /// </summary>
    /// <returns>The path written, or <see langword="null"/> when no location worked (both messages are on <paramref name="error"/>).</returns>
    public static string? WriteOrFallBack(string what, string path, Action<string> write, IEnumerable<string> fallbackFolders, TextWriter error)
    {
        try
        {
            write(path);
            return path;
        }
        catch (Exception exception) when (IsPathProblem(exception))
        {
            error.WriteLine($"error: cannot write the {what} to '{path}': {exception.Message}");
        }

        foreach (string folder in fallbackFolders)
        {
            try
            {
                Directory.CreateDirectory(folder);
                string fallback = FreeName(folder, path);
                write(fallback);
                error.WriteLine($"The {what} is at '{fallback}' instead.");
                return fallback;
            }
            catch (Exception exception) when (IsPathProblem(exception))
            {
                error.WriteLine($"error: cannot write the {what} to the folder '{folder}' either: {exception.Message}");
            }
        }

        return null;
    }

    /// <summary>The folders a file that cannot be written where asked goes to: the working folder, then the temporary folder.</summary>
    public static IEnumerable<string> DefaultFallbackFolders() => [Environment.CurrentDirectory, Path.GetTempPath()];

    /// <summary>A name for <paramref name="path"/>'s file in <paramref name="folder"/> that no file there has yet: <c>name-20250101-120000.ext</c>.</summary>
    private static string FreeName(string folder, string path)
    {
        string stem = Path.GetFileNameWithoutExtension(path), extension = Path.GetExtension(path);
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string candidate = Path.Combine(folder, $"{stem}-{stamp}{extension}");
        for (int copy = 2; File.Exists(candidate) || Directory.Exists(candidate); copy++)
            candidate = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{stem}-{stamp}-{copy}{extension}"));
        return candidate;
    }

    private static void ProveWritable(string folder)
    {
        string probe = Path.Combine(folder, $".ppo-write-test-{Guid.NewGuid():N}");
        using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
        stream.WriteByte(0);
    }

    private static bool IsPathProblem(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;
}
