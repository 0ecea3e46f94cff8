namespace Ppo.Samples.Tests;

/// <summary>Checks that output paths are proven before training and that a file that still fails is written elsewhere.</summary>
public sealed class OutputLocationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ppo-output-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void PrepareFile_PathUnderAnExistingFile_NamesTheOptionAndThePath()
    {
        string blocker = Blocker();
        string path = Path.Combine(blocker, "model.ppo");

        string? problem = OutputLocation.PrepareFile("--save", path);

        Assert.NotNull(problem);
        Assert.StartsWith($"--save '{path}' cannot be written: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareFile_PathOfAnExistingFolder_SaysToGiveAFileName()
    {
        string? problem = OutputLocation.PrepareFile("--plot", _folder);

        Assert.Equal($"--plot '{_folder}' is a folder; give the name of a file.", problem);
    }

    [Fact]
    public void PrepareFile_MissingFolders_CreatesThemAndLeavesNoFileBehind()
    {
        string path = Path.Combine(_folder, "a", "b", "summary.json");

        string? problem = OutputLocation.PrepareFile("--summary", path);

        Assert.Null(problem);
        Assert.True(Directory.Exists(Path.Combine(_folder, "a", "b")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_folder, "a", "b")));
    }

    [Fact]
    public void PrepareFile_ExistingFile_LeavesItAsItWas()
    {
        string path = Path.Combine(_folder, "metrics.csv");
        File.WriteAllText(path, "kept");

        Assert.Null(OutputLocation.PrepareFile("--metrics", path));

        Assert.Equal("kept", File.ReadAllText(path));
    }

    [Fact]
    public void PrepareFolder_FolderUnderAnExistingFile_NamesTheOptionAndThePath()
    {
        string path = Path.Combine(Blocker(), "runs");

        string? problem = OutputLocation.PrepareFolder("--tensorboard", path);

        Assert.NotNull(problem);
        Assert.StartsWith($"--tensorboard '{path}' cannot be used as a folder: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareFolder_ExistingFile_NamesTheOption()
    {
        Assert.StartsWith("--tensorboard '", OutputLocation.PrepareFolder("--tensorboard", Blocker()), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteOrFallBack_FolderReplacedByAFileAfterTheCheck_WritesToTheFallbackFolderAndSaysWhere()
    {
        string target = Path.Combine(_folder, "checkpoints", "model.ppo");
        Assert.Null(OutputLocation.PrepareFile("--save", target));
        Directory.Delete(Path.Combine(_folder, "checkpoints"));
        File.WriteAllText(Path.Combine(_folder, "checkpoints"), "in the way");
        string fallbackFolder = Path.Combine(_folder, "fallback");
        var error = new StringWriter();

        string? written = OutputLocation.WriteOrFallBack("checkpoint", target, path => File.WriteAllText(path, "model"), [Blocker(), fallbackFolder], error);

        Assert.NotNull(written);
        Assert.Equal(fallbackFolder, Path.GetDirectoryName(written));
        Assert.Matches(@"^model-\d{8}-\d{6}\.ppo$", Path.GetFileName(written));
        Assert.Equal("model", File.ReadAllText(written));
        string[] lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"error: cannot write the checkpoint to '{target}': ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("error: cannot write the checkpoint to the folder '", lines[1], StringComparison.Ordinal);
        Assert.Equal($"The checkpoint is at '{written}' instead.", lines[2]);
    }

    [Fact]
    public void WriteOrFallBack_FallbackNameTaken_NeverReplacesTheFileThere()
    {
        string target = Path.Combine(Blocker(), "model.ppo");
        var written = new List<string>();
        for (int i = 0; i < 3; i++)
            written.Add(OutputLocation.WriteOrFallBack("checkpoint", target, path => File.WriteAllText(path, path), [_folder], TextWriter.Null)!);

        Assert.Equal(3, written.Distinct().Count());
        Assert.All(written, path => Assert.Equal(path, File.ReadAllText(path)));
    }

    [Fact]
    public void WriteOrFallBack_PathWorks_WritesThereAndSaysNothing()
    {
        string target = Path.Combine(_folder, "curves.png");
        var error = new StringWriter();

        string? written = OutputLocation.WriteOrFallBack("curves", target, path => File.WriteAllText(path, "png"), [Path.Combine(_folder, "unused")], error);

        Assert.Equal(target, written);
        Assert.Empty(error.ToString());
        Assert.False(Directory.Exists(Path.Combine(_folder, "unused")));
    }

    [Fact]
    public void WriteOrFallBack_NoLocationWorks_ReturnsNullAfterSayingWhy()
    {
        var error = new StringWriter();

        string? written = OutputLocation.WriteOrFallBack("summary", Path.Combine(Blocker(), "s.json"), path => File.WriteAllText(path, "{}"), [Path.Combine(Blocker(), "sub")], error);

        Assert.Null(written);
        Assert.Equal(2, error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }

    /// <summary>A file where a folder is expected.</summary>
    private string Blocker()
    {
        string path = Path.Combine(_folder, $"file-{Guid.NewGuid():N}");
        File.WriteAllText(path, "a file, not a folder");
        return path;
    }
}
