using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Losses;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Rollouts;
using Ppo.Training;

namespace Ppo.Benchmarks.Profiling;

/// <summary>
/// Where the CartPole sample's training time goes: the zoo run (8 environments, 1e5 steps, seed 1) trained as the sample
/// trains it, with the learner's calls timed and the rollouts and updates timed apart, three runs in one process (the
/// first compiles the code it reaches).
/// </summary>
/// <remarks>Run with <c>DOTNET_TieredCompilation=0</c>, as the sample runs.</remarks>
internal sealed class CartPoleProfile(TextWriter output)
{
    private const long Timesteps = 100_000;

    public void Run()
    {
        for (int run = 1; run <= 3; run++)
        {
            output.WriteLine($"{Environment.NewLine}## CartPole-v1 zoo run {run} of 3{(run == 1 ? " (compiles what it reaches)" : string.Empty)}");
            RunOnce();
        }
    }

    private void RunOnce()
    {
        PpoOptions options = ZooPresets.CartPole with { Seed = 1 };
        using var environment = SyncVectorEnvironment.Create(options.NumEnvs, _ => new CartPole());
        var policy = new ActorCritic(environment.ObservationSpace, environment.ActionSpace, null, options.Device, seed: 1UL << 8);
        var learner = new TimedLearner(new ManagedLearner(policy));
        var trainer = new PpoTrainer(environment, learner, options);

        long collect = 0, update = 0;
        TimeSpan jitBefore = JitInfo.GetCompilationTime();
        long methodsBefore = JitInfo.GetCompiledMethodCount();
        var total = Stopwatch.StartNew();
        while (trainer.TotalTimesteps < Timesteps)
        {
            long start = Stopwatch.GetTimestamp();
            trainer.CollectRollout();
            long collected = Stopwatch.GetTimestamp();
            trainer.Update(1.0 - (double)trainer.TotalTimesteps / Timesteps);
            update += Stopwatch.GetTimestamp() - collected;
            collect += collected - start;
        }

        double seconds = total.Elapsed.TotalSeconds;
        Print("training, in all", seconds, seconds, trainer.UpdateCount);
        Print("  of which compiling methods (JIT, on every thread)", (JitInfo.GetCompilationTime() - jitBefore).TotalSeconds, seconds, JitInfo.GetCompiledMethodCount() - methodsBefore);
        Print("rollouts (CollectRollout)", Seconds(collect), seconds, trainer.UpdateCount);
        Print("  Act", Seconds(learner.ActTicks), seconds, learner.ActCalls);
        Print("  PredictValues (truncation bootstrap)", Seconds(learner.PredictValuesTicks), seconds, learner.PredictValuesCalls);
        Print("  environments, buffer, GAE (the rest)", Seconds(collect - learner.ActTicks - learner.PredictValuesTicks), seconds, trainer.UpdateCount);
        Print("updates (Update)", Seconds(update), seconds, trainer.UpdateCount);
        Print("  ComputeLoss (forward, fused loss)", Seconds(learner.ComputeLossTicks), seconds, learner.ComputeLossCalls);
        Print("  ApplyGradients (backward, clipping, Adam)", Seconds(learner.ApplyGradientsTicks), seconds, learner.ApplyGradientsCalls);
        Print("  shuffle, gather, metrics (the rest)", Seconds(update - learner.ComputeLossTicks - learner.ApplyGradientsTicks), seconds, trainer.UpdateCount);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean return of the last episodes: {trainer.Episodes.MeanReturn:F1}"));
    }

    private void Print(string name, double seconds, double totalSeconds, long calls) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-46} {seconds * 1e3,9:F1} ms  {100 * seconds / totalSeconds,5:F1} %  {calls,7} calls  {seconds * 1e6 / Math.Max(1, calls),9:F2} µs per call"));

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    /// <summary>A learner that passes every call on and adds up how long the calls of each kind took.</summary>
    private sealed class TimedLearner(ILearner inner) : ILearner
    {
        public long ActTicks { get; private set; }

        public long ActCalls { get; private set; }

        public long PredictValuesTicks { get; private set; }

        public long PredictValuesCalls { get; private set; }

        public long ComputeLossTicks { get; private set; }

        public long ComputeLossCalls { get; private set; }

        public long ApplyGradientsTicks { get; private set; }

        public long ApplyGradientsCalls { get; private set; }

        public string Kind => inner.Kind;

        public IPolicy Policy => inner.Policy;

        public int DistributionParameterSize => inner.DistributionParameterSize;

        public void Reserve(int maxActRows, int maxMinibatchRows) => inner.Reserve(maxActRows, maxMinibatchRows);

        public void Act(ReadOnlySpan<float> observations, SeededRandom random, Span<float> actions, Span<float> logProbabilities, Span<float> values, Span<float> distributionParameters)
        {
            long start = Stopwatch.GetTimestamp();
            inner.Act(observations, random, actions, logProbabilities, values, distributionParameters);
            ActTicks += Stopwatch.GetTimestamp() - start;
            ActCalls++;
        }

        public void PredictValues(ReadOnlySpan<float> observations, Span<float> values)
        {
            long start = Stopwatch.GetTimestamp();
            inner.PredictValues(observations, values);
            PredictValuesTicks += Stopwatch.GetTimestamp() - start;
            PredictValuesCalls++;
        }

        public PpoLossResult ComputeLoss(Minibatch minibatch, PpoLossSettings settings)
        {
            long start = Stopwatch.GetTimestamp();
            PpoLossResult result = inner.ComputeLoss(minibatch, settings);
            ComputeLossTicks += Stopwatch.GetTimestamp() - start;
            ComputeLossCalls++;
            return result;
        }

        public float ApplyGradients(float maxGradientNorm, float learningRate)
        {
            long start = Stopwatch.GetTimestamp();
            float norm = inner.ApplyGradients(maxGradientNorm, learningRate);
            ApplyGradientsTicks += Stopwatch.GetTimestamp() - start;
            ApplyGradientsCalls++;
            return norm;
        }

        public float MeanKlDivergence(Minibatch minibatch) => inner.MeanKlDivergence(minibatch);

        public void Save(CheckpointSections sections) => inner.Save(sections);
    }
}
