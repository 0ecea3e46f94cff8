using System.Globalization;
using System.Text.RegularExpressions;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Packaging;

/// <summary>
/// Packs the libraries into a local folder feed, then builds and runs the README's consumer program as a fresh project
/// that references the packages by <c>PackageReference</c>, exactly as a user would after <c>dotnet add package Ppo</c>.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class PackageConsumerTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ppo-package-tests").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void ReadmeProgram_AgainstPackedLibraries_BuildsAndTrainsCartPole()
    {
        string repository = RepositoryPaths.Root();
        string version = string.Create(CultureInfo.InvariantCulture, $"0.0.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmssfff}");
        string feed = Path.Combine(_work, "feed");

        // Pack from a copy of the sources, so the developer's own build outputs are left alone.
        string sources = Path.Combine(_work, "sources");
        foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "src/Directory.Build.props", "README.md", "LICENSE" })
            File.Copy(Path.Combine(repository, file), Path.Combine(sources, file).EnsureDirectory());
        foreach (string project in new[] { "Ppo", "Ppo.Environments" })
        {
            CopyDirectory(Path.Combine(repository, "src", project), Path.Combine(sources, "src", project));
            ChildProcess.Run("dotnet", $"pack src/{project} -c Release -o \"{feed}\" -p:Version={version}", sources);
        }

        // The consumer restores into its own package folder, so test versions never reach the machine's NuGet cache.
        string consumer = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(_work, "packages")}" />
              </config>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Ppo" Version="{version}" />
                <PackageReference Include="Ppo.Environments" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), ReadmeProgram(repository));

        string output = ChildProcess.Run("dotnet", "run -c Release -- 4096", consumer);

        Match result = MeanReturnPattern().Match(output);
        Assert.True(result.Success, $"The consumer printed no episode return:{Environment.NewLine}{output}");
        Assert.InRange(double.Parse(result.Groups[1].Value, CultureInfo.InvariantCulture), 1.0, 500.0);
        Assert.True(File.Exists(Path.Combine(consumer, "cartpole.ppo")));
    }

    /// <summary>The first C# code block after the README heading "Use it in your own project".</summary>
    private static string ReadmeProgram(string repository)
    {
        string readme = File.ReadAllText(Path.Combine(repository, "README.md"));
        int section = readme.IndexOf("## Use it in your own project", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no section \"Use it in your own project\".");
        Match block = CSharpBlockPattern().Match(readme, section);
        Assert.True(block.Success, "The README section has no ```csharp block.");
        return block.Groups[1].Value;
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            string first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj")
                continue;
            File.Copy(file, Path.Combine(destination, relative).EnsureDirectory());
        }
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlockPattern();

    [GeneratedRegex(@"episode return ([0-9.]+)")]
    private static partial Regex MeanReturnPattern();
}

internal static class PathExtensions
{
    /// <summary>Creates the folder of <paramref name="path"/> and returns the path.</summary>
    public static string EnsureDirectory(this string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
