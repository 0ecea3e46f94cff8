using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Ppo.Internal;

/// <summary>
/// Runs two independent pieces of work at once: one on a background thread shared by the process, one on the caller.
/// Used to compute the actor and the critic side by side; each piece computes exactly what it would alone, so results
/// do not depend on whether they ran in parallel.
/// </summary>
/// <remarks>
/// <para>
/// The background thread polls for work for 1 ms after each piece before it blocks, so that the calls of a training
/// loop hand work over in well under a microsecond instead of paying for a wake-up each time: waking a blocked thread
/// took 12 µs to over 100 µs on a virtual machine, and the calls of a rollout come every 150 µs with 16 LunarLander
/// environments (with an event that blocked sooner, a [64, 64] update of 16 rows took 44 µs on two threads and 21 µs on
/// one; after 100 µs of polling, pieces of 1 µs every 200 µs took 14.8 µs a call instead of 4). Posting work
/// allocates nothing. When the thread is busy with another caller, or the machine has one processor, both pieces run on
/// the caller, one after the other.
/// </para>
/// <para>
/// Two threads never cost much more than one. The background thread must claim the posted piece before running it; a
/// caller that finishes its own piece first takes the other back and runs it itself, so a second core that does not run
/// our thread (busy with another process, or our thread moved onto the caller's core) delays nothing. A
/// <see cref="ParallelismGovernor"/> watches what the parallel calls cost and falls back to one thread while the second
/// core is busy, so that the background thread stops polling and leaves the cores alone, then tries two again.
/// </para>
/// </remarks>
internal static class PairedWorker
{
    private static readonly Worker? Shared = Environment.ProcessorCount > 1 ? new Worker() : null;

    /// <summary>Runs <paramref name="background"/> and <paramref name="foreground"/>, in parallel when a second processor is free.</summary>
    public static void Run(Action background, Action foreground)
    {
        if (Shared is null || !Shared.TryRun(background, foreground))
        {
            background();
            foreground();
        }
    }

    /// <summary>Gets the number of times the shared worker has fallen back to one thread since the process started.</summary>
    public static int FallbackCount => Shared?.FallbackCount ?? 0;

    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "One worker lives as long as the process.")]
    private sealed class Worker
    {
        private const int Idle = 0;
        private const int Posted = 1;
        private const int Running = 2;
        private const int Done = 3;
        private const int LineSize = 128;

        /// <summary>How long the idle thread keeps polling for work before it blocks: a training loop posts work every
        /// few microseconds to a few hundred, and waking a blocked thread costs 12 µs to over 100 µs on a virtual
        /// machine.</summary>
        private static readonly long PollTicks = Stopwatch.Frequency / 1_000;

        /// <summary>How long the caller polls for the background thread's result before it pauses between looks: longer
        /// than the pieces of a training loop take, short enough not to hold a core long once the other thread was
        /// interrupted.</summary>
        private static readonly long TightWaitTicks = Stopwatch.Frequency / 20_000;

        private readonly ManualResetEventSlim _wake = new(false, 0);
        private readonly ParallelismGovernor _governor = new(Stopwatch.Frequency);
        private Lines _lines;

        /// <summary>
        /// The fields the two threads share, on cache lines grouped by who writes them, 128 bytes apart (a pair of lines,
        /// which the hardware prefetcher fetches together). Reading or writing a line that the other core holds waits for
        /// a round trip between the cores: 630–720 ns between the two cores of a Zen 5 virtual machine, a tenth of a
        /// piece of a [64, 64] update of 64 rows. So the caller's busy flag has a line of its own, posting is a plain
        /// write, and the caller's first look at the state after its own piece is the one round trip a call waits for.
        /// With an atomic exchange to post and a busy flag on the polled line, a [64, 64] update of 64 rows took
        /// 0.7–1.0 µs longer on two threads (31.0–34.2 µs; 4 alternating runs).
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 4 * LineSize)]
        private struct Lines
        {
            /// <summary>Set while a caller uses the worker; touched by callers only, so it stays in the caller's cache.</summary>
            [FieldOffset(LineSize)]
            public int Busy;

            /// <summary>The posted piece; the caller writes it before the state, and the thread reads it after claiming.</summary>
            [FieldOffset(2 * LineSize)]
            public Action? Work;

            /// <summary>What the piece threw, written by the thread before it writes <see cref="Done"/>.</summary>
            [FieldOffset((2 * LineSize) + 8)]
            public ExceptionDispatchInfo? Error;

            /// <summary><see cref="Idle"/>, <see cref="Posted"/>, <see cref="Running"/> or <see cref="Done"/>.</summary>
            [FieldOffset((2 * LineSize) + 16)]
            public int State;

            /// <summary>The processor the caller last posted from, written with each post.</summary>
            [FieldOffset((2 * LineSize) + 20)]
            public int CallerProcessor;

            /// <summary>Set while the thread blocks; written by the thread only when it blocks or wakes.</summary>
            [FieldOffset(3 * LineSize)]
            public int Sleeping;

            /// <summary>Set by the thread when it found itself on the caller's processor; cleared by the caller.</summary>
            [FieldOffset((3 * LineSize) + 4)]
            public int SharedProcessor;
        }

        public Worker()
        {
            _lines.CallerProcessor = -1;
            var thread = new Thread(Loop) { IsBackground = true, Name = "Ppo paired worker" };
            thread.Start();
        }

        public int FallbackCount => _governor.FallbackCount;

        public bool TryRun(Action background, Action foreground)
        {
            if (Interlocked.CompareExchange(ref _lines.Busy, 1, 0) != 0)
                return false;
            try
            {
                long posted = Stopwatch.GetTimestamp();
                if (Volatile.Read(ref _lines.SharedProcessor) != 0)
                {
                    Volatile.Write(ref _lines.SharedProcessor, 0);
                    _governor.RecordSharedProcessor(posted);
                }

                if (!_governor.ShouldRunInParallel(posted))
                    return false;

                Volatile.Write(ref _lines.CallerProcessor, CurrentProcessor.Id());
                _lines.Work = background;
                _lines.Error = null;
                Volatile.Write(ref _lines.State, Posted);

                // A blocked thread takes longer to wake than the pieces of a training loop take (12 µs to over 100 µs
                // on a virtual machine), so a call made while it wakes says nothing about its core: the governor is
                // told of the wake-up instead. Judging such calls as lost sent a worker that had slept through a
                // back-off straight back to one thread, every time.
                bool waking = Volatile.Read(ref _lines.Sleeping) != 0;
                bool woke = waking && !_wake.IsSet;
                if (woke)
                    _wake.Set();
                bool tookBack = false;
                long ownDone;
                try
                {
                    foreground();
                }
                finally
                {
                    ownDone = Stopwatch.GetTimestamp();
                    if (Volatile.Read(ref _lines.State) == Posted && Interlocked.CompareExchange(ref _lines.State, Idle, Posted) == Posted)
                    {
                        tookBack = true;
                    }
                    else
                    {
                        WaitUntilDone(ownDone);
                    }
                }

                long end = Stopwatch.GetTimestamp();
                if (woke)
                    _governor.RecordWake(end);
                else if (!waking)
                    _governor.RecordParallelCall(ownDone - posted, tookBack ? 0 : end - ownDone, tookBack, end);
                if (tookBack)
                    background();
                _lines.Error?.Throw();
                return true;
            }
            finally
            {
                _lines.Work = null;
                Volatile.Write(ref _lines.State, Idle);
                Volatile.Write(ref _lines.Busy, 0);
            }
        }

        /// <summary>
        /// Waits for the background thread to finish the piece it claimed: polling the state as fast as the core allows
        /// for <see cref="TightWaitTicks"/> after <paramref name="since"/>, then with <see cref="SpinWait"/>'s growing pauses
        /// and yields.
        /// </summary>
        /// <remarks>
        /// The pieces of a training loop take microseconds: <see cref="SpinWait.SpinOnce(int)"/> doubles its pause after
        /// each look and starts yielding the core after ten, so that it noticed a finished piece up to a few microseconds
        /// late, about as long as the piece itself.
        /// </remarks>
        private void WaitUntilDone(long since)
        {
            long tightUntil = since + TightWaitTicks;
            for (int looks = 1; Volatile.Read(ref _lines.State) != Done; looks++)
            {
                // Reading the clock costs more than a look at the state on a virtual machine: once every 16 looks.
                if (looks % 16 == 0 && Stopwatch.GetTimestamp() - tightUntil >= 0)
                    break;
                Thread.SpinWait(1);
            }

            var spinner = default(SpinWait);
            while (Volatile.Read(ref _lines.State) != Done)
                spinner.SpinOnce(sleep1Threshold: -1);
        }

        private void Loop()
        {
            while (true)
            {
                WaitForWork();
                try
                {
                    _lines.Work!();
                }
                catch (Exception exception)
                {
                    _lines.Error = ExceptionDispatchInfo.Capture(exception);
                }

                Volatile.Write(ref _lines.State, Done);
            }
        }

        /// <summary>
        /// Polls for posted work for <see cref="PollTicks"/>, then blocks until it is posted; returns once it has claimed
        /// the work (moved the state from posted to running), which the caller can no longer take back.
        /// </summary>
        /// <remarks>
        /// <para>
        /// It blocks at once when it finds itself on the processor the caller last posted from, and tells the caller's
        /// governor so. The scheduler puts a woken thread there when another process holds the other core: with a busy
        /// loop on the second of two cores, 23 to 28 of a CartPole run's 28 to 30 wake-ups landed on the caller's
        /// processor, where each millisecond of polling took the caller's time (a run took 3 to 5 % longer than on one
        /// core).
        /// </para>
        /// <para>
        /// This thread writes <see cref="Lines.Sleeping"/> with a full fence before it reads the state a last time; the
        /// poster writes the state without one, so that posting never waits for the other core, and reads
        /// <see cref="Lines.Sleeping"/> after it. When the two cross, this thread blocks with work posted: the caller takes
        /// its piece back, as from a thread that is slow to claim it, and wakes this thread at its next call.
        /// </para>
        /// </remarks>
        private void WaitForWork()
        {
            long deadline = Stopwatch.GetTimestamp() + PollTicks;
            for (int looks = 1; ; looks++)
            {
                if (Volatile.Read(ref _lines.State) == Posted && Interlocked.CompareExchange(ref _lines.State, Running, Posted) == Posted)
                    return;

                // One pause between looks (Thread.SpinWait(20) took about 3 µs, as long as a piece of a small update);
                // the clock and the processor, dearer than a look, once every 16.
                if (looks % 16 != 0)
                {
                    Thread.SpinWait(1);
                    continue;
                }

                bool onCallersProcessor = CurrentProcessor.Id() == Volatile.Read(ref _lines.CallerProcessor);
                if (!onCallersProcessor && Stopwatch.GetTimestamp() < deadline)
                {
                    Thread.SpinWait(1);
                    continue;
                }

                if (onCallersProcessor)
                    Volatile.Write(ref _lines.SharedProcessor, 1);
                Interlocked.Exchange(ref _lines.Sleeping, 1);
                if (Volatile.Read(ref _lines.State) != Posted)
                    _wake.Wait();
                _wake.Reset();
                Interlocked.Exchange(ref _lines.Sleeping, 0);
                deadline = Stopwatch.GetTimestamp() + PollTicks;
            }
        }
    }
}
