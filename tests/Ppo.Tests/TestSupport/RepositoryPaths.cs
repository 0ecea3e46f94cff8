namespace Ppo.Tests.TestSupport;

/// <summary>Where the repository is, seen from the test binaries.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder that holds <c>Ppo.sln</c>, above the test binaries.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ppo.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException("The repository root (with Ppo.sln) is not above the test binaries.");
    }
}
