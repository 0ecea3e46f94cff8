using Ppo.Internal;

namespace Ppo.Tests.Internal;

public class PairedWorkerTests
{
    [Fact]
    public void Run_ManyTimesWithPausesBetween_RunsBothPiecesEveryTime()
    {
        int background = 0, foreground = 0;
        for (int i = 0; i < 2000; i++)
        {
            PairedWorker.Run(() => background++, () => foreground++);
            if (i % 200 == 0)
                Thread.Sleep(5); // long enough for the worker to stop polling and block
        }

        Assert.Equal(2000, background);
        Assert.Equal(2000, foreground);
    }

    [Fact]
    public void Run_BackgroundThrows_RethrowsOnTheCallerAndKeepsWorking()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            PairedWorker.Run(() => throw new InvalidOperationException("background failed"), () => { }));

        Assert.Equal("background failed", exception.Message);
        int after = 0;
        PairedWorker.Run(() => after++, () => after++);
        Assert.Equal(2, after);
    }

    [Fact]
    public void Run_CalledFromSeveralThreadsAtOnce_RunsEveryPieceOnce()
    {
        int total = 0;
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 500; i++)
                PairedWorker.Run(() => Interlocked.Increment(ref total), () => Interlocked.Increment(ref total));
        });

        Assert.Equal(4 * 500 * 2, total);
    }
}
