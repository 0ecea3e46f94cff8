using Microsoft.Extensions.Logging;
using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Training;

namespace Ppo.Tests.Training;

/// <summary>The trainer warns through <see cref="PpoTrainer.Logger"/>, once, of a <c>BatchSize</c> that does not divide the rollout, as Stable-Baselines3 does.</summary>
public sealed class TrainerWarningTests
{
    [Fact]
    public void Learn_BatchSizeThatDoesNotDivideTheRollout_WarnsOnceWithTheSizes()
    {
        // 4 environments × 32 steps = 128 transitions in minibatches of 50: 50, 50 and 28.
        var logger = new RecordingLogger();
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(4, _ => new CartPole()), new PpoOptions { NumSteps = 32, BatchSize = 50, NumEpochs = 1, Seed = 1 }) { Logger = logger };

        trainer.Learn(256);
        trainer.Learn(128);

        (LogLevel level, EventId id, string message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(1, id.Id);
        Assert.Equal("BatchSizeDoesNotDivideRollout", id.Name);
        Assert.Contains("BatchSize 50 does not divide the rollout of NumSteps × NumEnvs = 32 × 4 = 128 transitions", message, StringComparison.Ordinal);
        Assert.Contains("2 full minibatches and a last, smaller one of 28", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Learn_BatchSizeThatDividesTheRollout_DoesNotWarn()
    {
        var logger = new RecordingLogger();
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(4, _ => new CartPole()), new PpoOptions { NumSteps = 32, BatchSize = 64, NumEpochs = 1, Seed = 1 }) { Logger = logger };

        trainer.Learn(256);

        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void Logger_Null_IsRejected()
    {
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(1, _ => new CartPole()), new PpoOptions { NumSteps = 8, BatchSize = 8, Seed = 1 });

        Assert.Throws<ArgumentNullException>(() => trainer.Logger = null!);
    }

    /// <summary>Keeps every entry logged to it.</summary>
    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, EventId Id, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId, formatter(state, exception)));
    }
}
