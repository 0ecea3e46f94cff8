using BenchmarkDotNet.Attributes;
using Ppo.Environments;
using Ppo.Environments.Box2D;
using Ppo.Environments.ClassicControl;
using Ppo.Training;

namespace Ppo.Benchmarks;

/// <summary>
/// Rollout collection with the policy in the loop (<see cref="PpoTrainer.CollectRollout"/>: act, step every environment,
/// store, then GAE), reported per environment step: steps per second = 1 / the reported time. Networks are
/// Stable-Baselines3's default [64, 64] actor and critic. Each environment is set up as its sample runs it: CartPole's
/// cheap steps on one thread, LunarLander's Box2D steps in two halves on two threads
/// (<see cref="SyncVectorEnvironment.StepInParallel"/>).
/// </summary>
[MemoryDiagnoser]
public class RolloutBenchmarks
{
    private const int CartPoleEnvironments = 8;
    private const int CartPoleSteps = 32;
    private const int LunarLanderEnvironments = 16;
    private const int LunarLanderSteps = 64;

    private SyncVectorEnvironment _environment = null!;
    private PpoTrainer _trainer = null!;

    [GlobalSetup(Target = nameof(CartPole8Envs))]
    public void SetupCartPole() => Setup(SyncVectorEnvironment.Create(CartPoleEnvironments, _ => new CartPole()), CartPoleSteps);

    [GlobalSetup(Target = nameof(LunarLander16Envs))]
    public void SetupLunarLander() => Setup(SyncVectorEnvironment.Create(LunarLanderEnvironments, _ => new LunarLander()), LunarLanderSteps, stepInParallel: true);

    [GlobalCleanup]
    public void Cleanup() => _environment.Dispose();

    /// <summary>CartPole-v1, 8 environments, 32 steps each per invocation.</summary>
    [Benchmark(OperationsPerInvoke = CartPoleEnvironments * CartPoleSteps)]
    public void CartPole8Envs() => _trainer.CollectRollout();

    /// <summary>LunarLander-v3, 16 environments, 64 steps each per invocation.</summary>
    [Benchmark(OperationsPerInvoke = LunarLanderEnvironments * LunarLanderSteps)]
    public void LunarLander16Envs() => _trainer.CollectRollout();

    private void Setup(SyncVectorEnvironment environment, int steps, bool stepInParallel = false)
    {
        _environment = environment;
        environment.StepInParallel = stepInParallel;
        var options = new PpoOptions { NumSteps = steps, NumEnvs = environment.EnvironmentCount, BatchSize = 64, Seed = BenchmarkData.Seed };
        _trainer = new PpoTrainer(environment, options);
        _trainer.CollectRollout();
    }
}
