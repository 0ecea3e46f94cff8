using System.Globalization;

namespace Ppo.TensorBoard;

/// <summary>Writes scalar summaries to a TensorBoard event file, in the TFRecord format TensorFlow's own writer uses.</summary>
/// <remarks>
/// The file is <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host name&gt;</c> in the log directory, so that
/// <c>tensorboard --logdir</c> on that directory or a parent shows it as one run. Its first record is an event with
/// <c>file_version = "brain.Event:2"</c>; each call of <see cref="WriteScalar"/> or <see cref="WriteScalars"/> then adds one
/// event and flushes it to the operating system, so a running TensorBoard sees it at once. Instances are not thread-safe.
/// </remarks>
public sealed class TensorBoardEventWriter : IDisposable
{
    /// <summary>The <c>file_version</c> of the first event, which identifies the format of the records after it.</summary>
    public const string FileVersion = "brain.Event:2";

    private readonly FileStream _stream;
    private readonly TimeProvider _timeProvider;
    private readonly List<(string Tag, float Value)> _batch = [];
    private bool _disposed;

    /// <summary>Creates a new event file in <paramref name="logDirectory"/>, creating the directory if it is missing.</summary>
    /// <param name="logDirectory">The run's directory.</param>
    /// <exception cref="ArgumentException"><paramref name="logDirectory"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="IOException">The directory or the file cannot be created.</exception>
    public TensorBoardEventWriter(string logDirectory)
        : this(logDirectory, TimeProvider.System)
    {
    }

    /// <summary>Creates a new event file in <paramref name="logDirectory"/>, taking wall-clock times from <paramref name="timeProvider"/>.</summary>
    /// <param name="logDirectory">The run's directory; created if it is missing.</param>
    /// <param name="timeProvider">The clock for the file name and the events' <c>wall_time</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="logDirectory"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The directory or the file cannot be created.</exception>
    /// <remarks>
    /// When another writer created the same file name in the same second, <c>.1</c>, <c>.2</c>, … is appended,
    /// as TensorFlow's file suffix would be, so neither file is overwritten.
    /// </remarks>
    public TensorBoardEventWriter(string logDirectory, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);

        _timeProvider = timeProvider;
        DateTimeOffset now = timeProvider.GetUtcNow();
        Directory.CreateDirectory(logDirectory);
        _stream = CreateNewFile(logDirectory, string.Create(
            CultureInfo.InvariantCulture, $"events.out.tfevents.{now.ToUnixTimeSeconds():D10}.{Environment.MachineName}"));

        FilePath = _stream.Name;
        try
        {
            TfRecord.Write(_stream, EventEncoding.FileVersion(WallTime(now), FileVersion));
            _stream.Flush();
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    /// <summary>The full path of the event file.</summary>
    public string FilePath { get; }

    /// <summary>Writes one scalar as its own event and flushes it.</summary>
    /// <param name="tag">The chart's name; a <c>/</c> groups charts, as in <c>train/value_loss</c>.</param>
    /// <param name="step">The x coordinate, usually the environment steps so far.</param>
    /// <param name="value">The value; NaN and infinities are written as they are.</param>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ObjectDisposedException">The writer has been disposed.</exception>
    public void WriteScalar(string tag, long step, float value)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ObjectDisposedException.ThrowIf(_disposed, this);

        _batch.Clear();
        _batch.Add((tag, value));
        WriteBatch(step);
    }

    /// <summary>Writes several scalars of one step as a single event and flushes it; writes nothing when there are none.</summary>
    /// <param name="step">The x coordinate shared by every scalar.</param>
    /// <param name="scalars">The tags and values; NaN and infinities are written as they are.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scalars"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A tag is <see langword="null"/> or empty; nothing is written then.</exception>
    /// <exception cref="ObjectDisposedException">The writer has been disposed.</exception>
    public void WriteScalars(long step, IEnumerable<(string Tag, float Value)> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        ObjectDisposedException.ThrowIf(_disposed, this);

        _batch.Clear();
        foreach ((string tag, float value) in scalars)
        {
            if (string.IsNullOrEmpty(tag))
                throw new ArgumentException($"The tag of scalar {_batch.Count} is null or empty.", nameof(scalars));
            _batch.Add((tag, value));
        }

        if (_batch.Count > 0)
            WriteBatch(step);
    }

    /// <summary>Pushes everything written so far to the operating system, where a running TensorBoard reads it.</summary>
    /// <exception cref="ObjectDisposedException">The writer has been disposed.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Flush();
    }

    /// <summary>Flushes and closes the file. Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stream.Dispose();
    }

    private void WriteBatch(long step)
    {
        TfRecord.Write(_stream, EventEncoding.Scalars(WallTime(_timeProvider.GetUtcNow()), step, _batch));
        _stream.Flush();
    }

    private static double WallTime(DateTimeOffset time) =>
        (time - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    private static FileStream CreateNewFile(string directory, string name)
    {
        for (int suffix = 0; ; suffix++)
        {
            string path = Path.Combine(directory, suffix == 0 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}.{suffix}"));
            try
            {
                return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }
    }
}
