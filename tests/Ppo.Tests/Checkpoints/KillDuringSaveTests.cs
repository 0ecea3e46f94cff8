using System.Diagnostics;
using Ppo.Checkpoints;
using Ppo.Tests.TestSupport;
using Ppo.Training;
using Xunit.Abstractions;

namespace Ppo.Tests.Checkpoints;

/// <summary>
/// A process that saves checkpoints over and over is killed (SIGKILL on Unix) twenty times at random moments: every
/// checkpoint left loads, and the next save leaves no temporary file behind.
/// </summary>
[Trait("Category", "Slow")]
public sealed class KillDuringSaveTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 20;

    /// <summary>The assemblies the writer program references from this test's output folder: Ppo and what it depends on.</summary>
    private static readonly string[] WriterAssemblies = ["Ppo", "System.Numerics.Tensors", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.DependencyInjection.Abstractions"];

    private readonly string _work = Directory.CreateTempSubdirectory("ppo-kill-tests").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void Save_KilledAtRandomMoments_LeavesOnlyLoadableCheckpointsAndTheNextSaveCleansUp()
    {
        string writer = BuildWriter();
        string folder = Path.Combine(_work, "run");
        string checkpoint = Path.Combine(folder, "model.ppo");
        var random = new Random(20_260_101);
        int killsThatLeftATemporaryFile = 0;

        for (int kill = 0; kill < Kills; kill++)
        {
            using (Process process = Process.Start(ChildProcess.StartInfo("dotnet", $"\"{writer}\" \"{checkpoint}\"", _work))!)
            {
                string? first = process.StandardOutput.ReadLine();
                if (first != "saved 1")
                    Assert.Fail($"The writer printed '{first}' instead of its first save: {process.StandardError.ReadToEnd()}");
                Thread.Sleep(random.Next(0, 400));
                process.Kill();
                process.WaitForExit();
            }

            string[] temporary = Directory.GetFiles(folder, ".*.tmp");
            killsThatLeftATemporaryFile += temporary.Length;
            Assert.True(temporary.Length <= 1, $"Kill {kill + 1} finds {temporary.Length} temporary files; each save removes those of earlier ones.");
            foreach (string file in Directory.GetFiles(folder, "*.ppo"))
                Assert.Equal("Discrete(2)", TrainedPolicy.Load(file).ActionSpace.ToString());
        }

        CheckpointSections.ReadFile(checkpoint).WriteFile(checkpoint);

        output.WriteLine($"{killsThatLeftATemporaryFile} of {Kills} kills struck during a write and left its temporary file.");
        Assert.Equal([checkpoint], Directory.GetFiles(folder));
        Assert.NotNull(TrainedPolicy.Load(checkpoint));
    }

    /// <summary>Builds a program that trains a little, then saves its trainer to the path it is given until it is killed, printing "saved N" after each save.</summary>
    private string BuildWriter()
    {
        string project = Path.Combine(_work, "writer");
        Directory.CreateDirectory(project);
        string references = string.Concat(
            WriterAssemblies
                .Select(name => Path.Combine(AppContext.BaseDirectory, name + ".dll"))
                .Where(File.Exists)
                .Select(path => $"""<Reference Include="{Path.GetFileNameWithoutExtension(path)}"><HintPath>{path}</HintPath></Reference>"""));
        File.WriteAllText(Path.Combine(project, "Writer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>{references}</ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using Ppo.Environments;
            using Ppo.Policies;
            using Ppo.Training;

            // Networks of 2 × 512 units make each checkpoint about 6 MB, so that most of the time goes to writing files.
            using var environments = SyncVectorEnvironment.Create(2, _ => new Drift());
            var trainer = new PpoTrainer(environments, new PpoOptions { NumSteps = 8, BatchSize = 16, NumEpochs = 1, Seed = 1 }, new ActorCriticOptions { PolicyHiddenSizes = [512, 512], ValueHiddenSizes = [512, 512] });
            trainer.Learn(16);
            for (long saves = 1; ; saves++)
            {
                trainer.Save(args[0]);
                Console.WriteLine($"saved {saves}");
            }

            sealed class Drift : IEnvironment
            {
                private int _step;

                public BoxSpace ObservationSpace { get; } = new(-1f, 1f, 4);

                public Space ActionSpace { get; } = new DiscreteSpace(2);

                public void Reset(Span<float> observation, int? seed = null)
                {
                    _step = 0;
                    observation.Fill(0.1f);
                }

                public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
                {
                    _step++;
                    observation.Fill(action[0] == 0f ? -0.1f : 0.1f);
                    return new StepResult(1f, Terminated: false, Truncated: _step == 10);
                }

                public void Dispose()
                {
                }
            }
            """);
        ChildProcess.Run("dotnet", "build -c Release -o out", project);
        return Path.Combine(project, "out", "Writer.dll");
    }
}
