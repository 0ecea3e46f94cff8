using System.Text.RegularExpressions;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Architecture;

/// <summary>
/// The folders of <c>src/Ppo</c> depend on each other in one direction only: a test that reads every source file's
/// <c>using Ppo.X</c> directives and its qualified references (<c>Ppo.X.Type</c>, <c>X.Type</c>, in code and in XML
/// documentation) and fails on any cycle, and on <c>Tensors</c> using anything above it.
/// </summary>
public sealed partial class FolderDependencyTests
{
    [Fact]
    public void Folders_OfTheCoreLibrary_DependOnEachOtherWithoutCycles()
    {
        Dictionary<string, HashSet<string>> dependencies = ReadDependencies();

        List<string> cycle = FindCycle(dependencies);

        Assert.True(cycle.Count == 0, $"The folders of src/Ppo depend on each other in a cycle: {string.Join(" → ", cycle)}.");
    }

    [Fact]
    public void Tensors_DependsOnNothingButInternalHelpers()
    {
        Dictionary<string, HashSet<string>> dependencies = ReadDependencies();

        Assert.Equal(["Internal"], dependencies["Tensors"].Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Checkpoints_IsTheFileFormatOnly()
    {
        Dictionary<string, HashSet<string>> dependencies = ReadDependencies();

        Assert.Empty(dependencies["Checkpoints"]);
    }

    private static Dictionary<string, HashSet<string>> ReadDependencies()
    {
        string source = Path.Combine(RepositoryPaths.Root(), "src", "Ppo");
        string[] folders = [.. Directory.GetDirectories(source).Select(Path.GetFileName).Where(name => name is not ("bin" or "obj")).Select(name => name!)];
        var reference = new Regex($@"(?<![\w.])(?:using\s+)?(?:Ppo\.)?({string.Join('|', folders)})(?:\.[A-Z]|;)", RegexOptions.CultureInvariant);
        var dependencies = folders.ToDictionary(folder => folder, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (string folder in folders)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(source, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in reference.Matches(File.ReadAllText(file)))
                {
                    if (match.Groups[1].Value != folder)
                        dependencies[folder].Add(match.Groups[1].Value);
                }
            }
        }

        return dependencies;
    }

    /// <summary>A cycle as the folders along it (first and last the same), or empty when the graph has none.</summary>
    private static List<string> FindCycle(Dictionary<string, HashSet<string>> dependencies)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (string start in dependencies.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start))
                return path;
        }

        return [];

        bool Visit(string folder)
        {
            if (state.GetValueOrDefault(folder) == 2)
                return false;
            path.Add(folder);
            if (state.GetValueOrDefault(folder) == 1)
            {
                path.RemoveRange(0, path.IndexOf(folder));
                return true;
            }

            state[folder] = 1;
            foreach (string next in dependencies[folder].Order(StringComparer.Ordinal))
            {
                if (Visit(next))
                    return true;
            }

            state[folder] = 2;
            path.RemoveAt(path.Count - 1);
            return false;
        }
    }
}
