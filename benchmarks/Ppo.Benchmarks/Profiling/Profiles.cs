using System.Globalization;
using System.Runtime.Intrinsics;

namespace Ppo.Benchmarks.Profiling;

/// <summary>
/// The stopwatch breakdowns, run instead of BenchmarkDotNet by <c>--profile</c>:
/// <c>--profile cartpole</c> (where the CartPole sample's training time goes) and
/// <c>--profile update [hidden rows]...</c> (where a minibatch update's time goes; [64, 64] at 64 and 256 rows by default).
/// </summary>
internal static class Profiles
{
    public static int Run(string[] args, TextWriter output)
    {
        output.WriteLine($"Vector512 accelerated: {Vector512.IsHardwareAccelerated}, Vector256: {Vector256.IsHardwareAccelerated}; processors: {Environment.ProcessorCount}; tiered compilation: {Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? "default"}");
        switch (args)
        {
            case ["cartpole"]:
                new CartPoleProfile(output).Run();
                return 0;
            case ["update"]:
                new UpdateProfile(64, 64, new ProfileTimer(output)).Run();
                new UpdateProfile(64, 256, new ProfileTimer(output)).Run();
                return 0;
            case ["update", .. string[] sizes] when sizes.Length % 2 == 0:
                for (int i = 0; i < sizes.Length; i += 2)
                    new UpdateProfile(int.Parse(sizes[i], CultureInfo.InvariantCulture), int.Parse(sizes[i + 1], CultureInfo.InvariantCulture), new ProfileTimer(output)).Run();
                return 0;
            default:
                Console.Error.WriteLine("usage: --profile cartpole | --profile update [hidden rows]...");
                return 2;
        }
    }
}
