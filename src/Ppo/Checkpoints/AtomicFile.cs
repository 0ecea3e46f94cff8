namespace Ppo.Checkpoints;

/// <summary>
/// Writes a file so that a reader, or a crash at any moment, sees either the old file or the complete new one, never
/// part of one: the content goes to a temporary file in the same folder, is flushed to disk and renamed over the
/// destination. Checkpoints and ONNX models are written this way.
/// </summary>
/// <remarks>
/// <para>The temporary file is named <c>.{file name}.{32 hex digits}.tmp</c>. A process killed while writing leaves
/// it behind; the next <see cref="Write"/> of the same destination removes such stale files first
/// (<see cref="RemoveStaleTemporaryFiles"/>).</para>
/// <para>A temporary file counts as stale when it can be opened exclusively. A writer holds its own temporary file
/// open, and locked, until it is renamed, so a write in progress in another thread or process is left alone; the lock
/// is the operating system's file lock (<see cref="FileShare"/>; on Unix an advisory <c>flock</c>, which the
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> setting turns off).</para>
/// </remarks>
public static class AtomicFile
{
    private const string TemporarySuffix = ".tmp";
    private const int TemporaryIdLength = 32;

    /// <summary>
    /// Writes a file through a temporary file in the same folder that is flushed to disk and renamed over
    /// <paramref name="path"/>, after removing the stale temporary files of earlier writes of <paramref name="path"/>
    /// that were killed.
    /// </summary>
    /// <param name="path">The destination; its folder is created when missing, an existing file is replaced.</param>
    /// <param name="write">Writes the whole content to the stream it is given (the temporary file); it must not close it.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be written; the destination is left as it was.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names a root folder, not a file.", nameof(path));
        Directory.CreateDirectory(folder);
        RemoveStaleTemporaryFiles(fullPath);

        string temporary = Path.Combine(folder, $"{TemporaryPrefix(fullPath)}{Guid.NewGuid():N}{TemporarySuffix}");
        bool renamed = false;
        try
        {
            // Renamed while still open (FileShare.Delete allows it), so that no other writer ever sees it unlocked.
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Delete);
            write(stream);
            stream.Flush(flushToDisk: true);
            File.Move(temporary, fullPath, overwrite: true);
            renamed = true;
        }
        finally
        {
            if (!renamed)
                File.Delete(temporary);
        }
    }

    /// <summary>
    /// Removes the temporary files that writes of <paramref name="path"/> left behind when they were killed: those named
    /// as <see cref="Write"/> names them and held open by no writer.
    /// </summary>
    /// <param name="path">The destination whose stale temporary files are removed; other files are never touched.</param>
    /// <returns>The number of files removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    public static int RemoveStaleTemporaryFiles(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(fullPath);
        if (folder is null || !Directory.Exists(folder))
            return 0;

        string prefix = TemporaryPrefix(fullPath);
        int removed = 0;
        foreach (string candidate in Directory.EnumerateFiles(folder, "*" + TemporarySuffix))
        {
            if (!IsTemporaryName(Path.GetFileName(candidate), prefix))
                continue;
            try
            {
                // Opening exclusively fails while a live writer holds the file; closing deletes it.
                using var stale = new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
                removed++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // In use by a write in progress, or removed by another writer meanwhile.
            }
        }

        return removed;
    }

    private static string TemporaryPrefix(string fullPath) => $".{Path.GetFileName(fullPath)}.";

    private static bool IsTemporaryName(string name, string prefix)
    {
        if (name.Length != prefix.Length + TemporaryIdLength + TemporarySuffix.Length
            || !name.StartsWith(prefix, StringComparison.Ordinal)
            || !name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char digit in name.AsSpan(prefix.Length, TemporaryIdLength))
        {
            if (!char.IsAsciiHexDigitLower(digit))
                return false;
        }

        return true;
    }
}
