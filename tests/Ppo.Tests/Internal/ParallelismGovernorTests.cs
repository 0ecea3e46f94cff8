using Ppo.Internal;

namespace Ppo.Tests.Internal;

public class ParallelismGovernorTests
{
    /// <summary>One tick per microsecond, so that the times below read as microseconds.</summary>
    private const long TicksPerSecond = 1_000_000;

    private static readonly long FirstBackOff = (long)(ParallelismGovernor.FirstBackOffSeconds * TicksPerSecond);
    private static readonly long LongestBackOff = (long)(ParallelismGovernor.LongestBackOffSeconds * TicksPerSecond);

    [Fact]
    public void ShouldRunInParallel_NewGovernor_ReturnsTrue()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);

        Assert.True(governor.ShouldRunInParallel(now: 0));
    }

    [Fact]
    public void RecordParallelCall_CallsThatPayOff_StayOnTwoThreads()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;

        // Pieces of 20 µs each side, the second thread finishing within 2 µs of the caller: a free second core.
        for (int call = 0; call < 10 * ParallelismGovernor.WindowCalls; call++)
        {
            Assert.True(governor.ShouldRunInParallel(now));
            now += 22;
            governor.RecordParallelCall(ownTicks: 20, waitTicks: 2, tookBack: false, now);
        }

        Assert.Equal(0, governor.FallbackCount);
    }

    [Fact]
    public void RecordParallelCall_SecondThreadNeverStartsInTime_FallsBackToOneThread()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;

        for (int call = 0; call < ParallelismGovernor.LostCallLimit; call++)
        {
            Assert.True(governor.ShouldRunInParallel(now));
            now += 40;
            governor.RecordParallelCall(ownTicks: 20, waitTicks: 0, tookBack: true, now);
        }

        Assert.False(governor.ShouldRunInParallel(now));
        Assert.False(governor.ShouldRunInParallel(now + FirstBackOff - 1));
        Assert.Equal(1, governor.FallbackCount);
    }

    [Fact]
    public void RecordParallelCall_ShortPiecesTakenBackBesideLongOnesTaken_StaysOnTwoThreads()
    {
        // Each update's last call (Adam's halves) is too short for the second thread to start it in time.
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;
        for (int i = 0; i < 4 * ParallelismGovernor.WindowCalls; i++)
        {
            now += 50;
            bool shortPiece = i % 3 == 2;
            governor.RecordParallelCall(ownTicks: shortPiece ? 1 : 20, waitTicks: shortPiece ? 0 : 2, tookBack: shortPiece, now);
        }

        Assert.True(governor.ShouldRunInParallel(now));
        Assert.Equal(0, governor.FallbackCount);
    }

    [Fact]
    public void RecordParallelCall_ShortPiecesFinishedMicrosecondsAfterTheCaller_StaysOnTwoThreads()
    {
        // Each update's last call (the optimizer's halves of a small network): the second thread's half ends 1.5 µs
        // after the caller's, which took 2 µs, beside the networks' long pieces. Ticks of 0.1 µs.
        var governor = new ParallelismGovernor(10 * TicksPerSecond);
        long now = 0;
        for (int i = 0; i < 4 * ParallelismGovernor.WindowCalls; i++)
        {
            now += 500;
            bool shortPiece = i % 3 == 2;
            governor.RecordParallelCall(ownTicks: shortPiece ? 20 : 200, waitTicks: shortPiece ? 35 : 20, tookBack: false, now);
        }

        Assert.True(governor.ShouldRunInParallel(now));
        Assert.Equal(0, governor.FallbackCount);
    }

    [Fact]
    public void RecordParallelCall_EveryShortPieceTakenBack_FallsBackToOneThread()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;
        for (int i = 0; i < ParallelismGovernor.WindowCalls; i++)
        {
            now += 50;
            governor.RecordParallelCall(ownTicks: 1, waitTicks: 0, tookBack: true, now);
        }

        Assert.False(governor.ShouldRunInParallel(now));
        Assert.Equal(1, governor.FallbackCount);
    }

    [Fact]
    public void RecordParallelCall_FewLostCallsInAWindow_StaysOnTwoThreads()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;

        // A wake-up now and then (the thread had blocked between bursts of work) loses a call but not the window.
        for (int call = 0; call < 4 * ParallelismGovernor.WindowCalls; call++)
        {
            bool tookBack = call % ParallelismGovernor.WindowCalls < ParallelismGovernor.LostCallLimit - 1;
            now += 25;
            governor.RecordParallelCall(ownTicks: 20, waitTicks: tookBack ? 0 : 3, tookBack, now);
        }

        Assert.True(governor.ShouldRunInParallel(now));
        Assert.Equal(0, governor.FallbackCount);
    }

    [Fact]
    public void RecordWake_OneWakeBeforeABurstOfCallsThatPayOff_StaysOnTwoThreads()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;

        // After each back-off or pause the thread blocks, and the first call of the next burst wakes it.
        for (int burst = 0; burst < 10; burst++)
        {
            now += 5000;
            governor.RecordWake(now);
            RecordCallsThatPayOff(governor, ref now, ParallelismGovernor.WindowCalls);
        }

        Assert.True(governor.ShouldRunInParallel(now));
        Assert.Equal(0, governor.FallbackCount);
    }

    [Fact]
    public void RecordWake_EveryCallWakesTheThread_FallsBackToOneThread()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;

        // Calls 2 ms apart: the thread has blocked again before each of them.
        for (int call = 0; call < ParallelismGovernor.LostCallLimit; call++)
        {
            now += 2000;
            governor.RecordWake(now);
        }

        Assert.False(governor.ShouldRunInParallel(now));
        Assert.Equal(1, governor.FallbackCount);
    }

    [Fact]
    public void RecordParallelCall_SecondThreadInterruptedMidPiece_FallsBackToOneThread()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;

        // One call in a window waited 3 ms for a preempted thread: more than all the window's own pieces together.
        for (int call = 0; call < ParallelismGovernor.WindowCalls; call++)
        {
            long wait = call == 5 ? 3000 : 1;
            now += 20 + wait;
            governor.RecordParallelCall(ownTicks: 20, waitTicks: wait, tookBack: false, now);
        }

        Assert.False(governor.ShouldRunInParallel(now));
        Assert.Equal(1, governor.FallbackCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PreemptionSign_AfterCallsThatPaidOff_FallsBackAtOnce(bool sharedProcessor)
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;
        RecordCallsThatPayOff(governor, ref now, calls: 3);

        now = RecordPreemptionSign(governor, now, sharedProcessor);

        Assert.Equal(1, governor.FallbackCount);
        Assert.False(governor.ShouldRunInParallel(now + FirstBackOff - 1));
        Assert.True(governor.ShouldRunInParallel(now + FirstBackOff));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PreemptionSign_AgainAfterEachBackOff_DoublesTheBackOffUpToTheLongest(bool sharedProcessor)
    {
        // Another process holds the second core: every try is preempted within a time slice, or every wake-up puts the
        // thread on the caller's processor.
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;
        long expected = FirstBackOff;
        for (int fallback = 0; fallback < 9; fallback++)
        {
            RecordCallsThatPayOff(governor, ref now, calls: 3);
            now = RecordPreemptionSign(governor, now, sharedProcessor);

            Assert.False(governor.ShouldRunInParallel(now + expected - 1));
            Assert.True(governor.ShouldRunInParallel(now + expected));
            now += expected;
            expected = Math.Min(2 * expected, LongestBackOff);
        }

        Assert.Equal(LongestBackOff, expected);
    }

    [Fact]
    public void RecordParallelCall_StretchWithoutPreemptionAsLongAsTheBackOff_HalvesThePreemptionBackOff()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = RecordPreemptedCall(governor, now: 0) + FirstBackOff;
        Assert.True(governor.ShouldRunInParallel(now));
        now = RecordPreemptedCall(governor, now) + 2 * FirstBackOff;
        Assert.True(governor.ShouldRunInParallel(now));

        // Windows that pay off for 4 first back-offs: the preemption back-off, then at 4, halves to 2.
        long until = now + 4 * FirstBackOff;
        while (now < until)
            RecordCallsThatPayOff(governor, ref now, calls: ParallelismGovernor.WindowCalls);

        now = RecordPreemptedCall(governor, now);
        Assert.False(governor.ShouldRunInParallel(now + 2 * FirstBackOff - 1));
        Assert.True(governor.ShouldRunInParallel(now + 2 * FirstBackOff));
    }

    [Fact]
    public void ShouldRunInParallel_BackOffOver_TriesTwoThreadsAgain()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long fellBackAt = FallBack(governor, now: 1000);

        Assert.False(governor.ShouldRunInParallel(fellBackAt + FirstBackOff - 1));
        Assert.True(governor.ShouldRunInParallel(fellBackAt + FirstBackOff));
    }

    [Fact]
    public void RecordParallelCall_FailingAgainAfterEachBackOff_DoublesTheBackOffUpToTheLongest()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = 0;
        long expected = FirstBackOff;
        for (int fallback = 0; fallback < 12; fallback++)
        {
            long fellBackAt = FallBack(governor, now);

            Assert.False(governor.ShouldRunInParallel(fellBackAt + expected - 1));
            Assert.True(governor.ShouldRunInParallel(fellBackAt + expected));
            now = fellBackAt + expected;
            expected = Math.Min(2 * expected, LongestBackOff);
        }

        Assert.Equal(LongestBackOff, expected);
        Assert.Equal(12, governor.FallbackCount);
    }

    [Fact]
    public void RecordParallelCall_WindowThatPaysOffAfterAFallback_ResetsTheBackOff()
    {
        var governor = new ParallelismGovernor(TicksPerSecond);
        long now = FallBack(governor, now: 0) + FirstBackOff;
        now = FallBack(governor, now) + 2 * FirstBackOff;
        Assert.True(governor.ShouldRunInParallel(now));

        for (int call = 0; call < ParallelismGovernor.WindowCalls; call++)
        {
            now += 22;
            governor.RecordParallelCall(ownTicks: 20, waitTicks: 2, tookBack: false, now);
        }

        long fellBackAt = FallBack(governor, now);
        Assert.True(governor.ShouldRunInParallel(fellBackAt + FirstBackOff));
    }

    [Fact]
    public void Constructor_NonPositiveFrequency_ThrowsNamingIt()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelismGovernor(0));

        Assert.Equal("ticksPerSecond", exception.ParamName);
    }

    /// <summary>Records taken-back calls until the governor falls back; returns the time it did.</summary>
    private static long FallBack(ParallelismGovernor governor, long now)
    {
        for (int call = 0; call < ParallelismGovernor.LostCallLimit; call++)
        {
            now += 30;
            governor.RecordParallelCall(ownTicks: 20, waitTicks: 0, tookBack: true, now);
        }

        Assert.False(governor.ShouldRunInParallel(now));
        return now;
    }

    /// <summary>
    /// Records a sign that another thread holds the second core: a call whose second thread was paused for 4 ms in the
    /// middle of its piece, or the second thread waking on the caller's processor. Returns the time after it.
    /// </summary>
    private static long RecordPreemptionSign(ParallelismGovernor governor, long now, bool sharedProcessor)
    {
        if (!sharedProcessor)
            return RecordPreemptedCall(governor, now);

        governor.RecordSharedProcessor(now);
        Assert.False(governor.ShouldRunInParallel(now));
        return now;
    }

    /// <summary>Records a call whose second thread was paused for 4 ms after a 20 µs piece of the caller's; returns when it ended.</summary>
    private static long RecordPreemptedCall(ParallelismGovernor governor, long now)
    {
        now += 4020;
        governor.RecordParallelCall(ownTicks: 20, waitTicks: 4000, tookBack: false, now);
        Assert.False(governor.ShouldRunInParallel(now));
        return now;
    }

    /// <summary>Records <paramref name="calls"/> calls of 20 µs pieces, the second thread finishing 2 µs after the caller.</summary>
    private static void RecordCallsThatPayOff(ParallelismGovernor governor, ref long now, int calls)
    {
        for (int call = 0; call < calls; call++)
        {
            now += 22;
            governor.RecordParallelCall(ownTicks: 20, waitTicks: 2, tookBack: false, now);
        }
    }
}
