using Ppo.Checkpoints;

namespace Ppo.Tests.Checkpoints;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-atomic-tests").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static string TemporaryOf(string name) => $".{name}.{Guid.NewGuid():N}.tmp";

    [Fact]
    public void Write_ExistingFile_IsReplacedAndNoTemporaryFileIsLeft()
    {
        string path = PathOf("model.bin");
        File.WriteAllText(path, "old");

        AtomicFile.Write(path, stream => stream.Write("new"u8));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Write_StaleTemporaryFilesOfTheSameTarget_AreRemovedAndOthersKept()
    {
        string path = PathOf("model.bin");
        string[] stale = [PathOf(TemporaryOf("model.bin")), PathOf(TemporaryOf("model.bin"))];
        string[] kept = [PathOf(TemporaryOf("other.bin")), PathOf(TemporaryOf("model.bin.old")), PathOf(".model.bin.backup.tmp"), PathOf("model.bin.tmp")];
        foreach (string file in stale.Concat(kept))
            File.WriteAllText(file, "left by a killed write");

        AtomicFile.Write(path, stream => stream.Write("new"u8));

        Assert.Equal([.. kept.Append(path).Order(StringComparer.Ordinal)], Directory.GetFiles(_folder).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RemoveStaleTemporaryFiles_TemporaryFileOfAWriteInProgress_IsLeftAlone()
    {
        string path = PathOf("model.bin");
        string inProgress = PathOf(TemporaryOf("model.bin"));
        string stale = PathOf(TemporaryOf("model.bin"));
        File.WriteAllText(stale, "left by a killed write");

        int removed;
        using (var writer = new FileStream(inProgress, FileMode.CreateNew, FileAccess.Write, FileShare.Delete))
        {
            writer.Write("half"u8);
            removed = AtomicFile.RemoveStaleTemporaryFiles(path);
            Assert.True(File.Exists(inProgress));
        }

        Assert.Equal(1, removed);
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void Write_ContentThatThrows_KeepsTheOldFileAndLeavesNoTemporaryFile()
    {
        string path = PathOf("model.bin");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidDataException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidDataException("The content could not be produced.");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Write_MissingFolder_IsCreated()
    {
        string path = PathOf(Path.Combine("a", "b", "model.bin"));

        AtomicFile.Write(path, stream => stream.WriteByte(7));

        Assert.Equal([7], File.ReadAllBytes(path));
    }
}
