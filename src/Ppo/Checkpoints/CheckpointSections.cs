using System.Text;

namespace Ppo.Checkpoints;

/// <summary>
/// The tagged sections of a checkpoint file, in memory: each part of a training run (the trainer, the learner, the
/// normalization, the environments) writes its own sections and reads them back by tag. The file around them is
/// framed, checksummed and written atomically by <see cref="WriteFile"/> and <see cref="ReadFile"/>.
/// </summary>
/// <remarks>
/// A tag is four ASCII characters. The trainer uses <c>OPTS</c>, <c>LRNR</c>, <c>TRNR</c>, <c>PLAN</c>, <c>NORM</c> and <c>ENVS</c>;
/// the managed learner <c>ARCH</c>, <c>PARM</c> and <c>ADAM</c>. Another learner picks tags of its own.
/// </remarks>
public sealed class CheckpointSections
{
    private readonly List<(string Tag, byte[] Data)> _sections = [];
    private readonly Dictionary<string, byte[]> _byTag = new(StringComparer.Ordinal);

    /// <summary>Gets the tags, in the order the sections were added or read.</summary>
    public IEnumerable<string> Tags
    {
        get
        {
            foreach ((string tag, _) in _sections)
                yield return tag;
        }
    }

    /// <summary>Reads every section of a checkpoint file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The sections.</returns>
    /// <exception cref="CheckpointException">The file is not a checkpoint, or it is truncated, corrupt or of a newer format version.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CheckpointSections ReadFile(string path)
    {
        var sections = new CheckpointSections();
        foreach ((string tag, byte[] data) in CheckpointFile.Read(path))
            sections.AddData(tag, data);
        return sections;
    }

    /// <summary>Writes the sections to a checkpoint file with <see cref="AtomicFile"/>: to a temporary file in the same folder first, then renamed into place.</summary>
    /// <param name="path">The file; its folder is created when missing.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void WriteFile(string path) => CheckpointFile.Write(path, _sections);

    /// <summary>Tells whether a section is present.</summary>
    /// <param name="tag">The section's tag.</param>
    /// <returns><see langword="true"/> when the section is present.</returns>
    public bool Contains(string tag) => _byTag.ContainsKey(tag);

    /// <summary>Adds a section whose content <paramref name="write"/> produces.</summary>
    /// <param name="tag">Four ASCII characters, not yet used in this checkpoint.</param>
    /// <param name="write">Writes the section's content.</param>
    /// <exception cref="ArgumentException">The tag is not four ASCII characters or is already present.</exception>
    public void Add(string tag, Action<BinaryWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            write(writer);
        AddData(tag, stream.ToArray());
    }

    /// <summary>Reads a section that must be present and must be consumed completely.</summary>
    /// <typeparam name="T">What the section holds.</typeparam>
    /// <param name="tag">The section's tag.</param>
    /// <param name="read">Reads the content.</param>
    /// <returns>What <paramref name="read"/> returned.</returns>
    /// <exception cref="CheckpointException">The section is missing, cut short, invalid or longer than what was read.</exception>
    public T Read<T>(string tag, Func<BinaryReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (!_byTag.TryGetValue(tag, out byte[]? data))
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

    /// <summary>Reads a section that must be present and must be consumed completely.</summary>
    /// <param name="tag">The section's tag.</param>
    /// <param name="read">Reads the content.</param>
    /// <exception cref="CheckpointException">The section is missing, cut short, invalid or longer than what was read.</exception>
    public void Read(string tag, Action<BinaryReader> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        Read<bool>(tag, reader =>
        {
            read(reader);
            return true;
        });
    }

    private void AddData(string tag, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Length != 4 || !Ascii.IsValid(tag))
            throw new ArgumentException($"A section tag is four ASCII characters (was '{tag}').", nameof(tag));
        if (!_byTag.TryAdd(tag, data))
            throw new ArgumentException($"The checkpoint already has a '{tag}' section.", nameof(tag));
        _sections.Add((tag, data));
    }
}
