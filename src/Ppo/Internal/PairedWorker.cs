using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

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
        private Action? _work;
        private ExceptionDispatchInfo? _error;
        private int _state;
        private int _sleeping;
        private int _busy;
        private int _callerProcessor = -1;
        private int _sharedProcessor;

        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "Ppo paired worker" };
            thread.Start();
        }

        public int FallbackCount => _governor.FallbackCount;

        public bool TryRun(Action background, Action foreground)
        {
            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
                return false;
            try
            {
                long posted = Stopwatch.GetTimestamp();
                if (Volatile.Read(ref _sharedProcessor) != 0)
                {
                    Volatile.Write(ref _sharedProcessor, 0);
                    _governor.RecordSharedProcessor(posted);
                }

                if (!_governor.ShouldRunInParallel(posted))
                    return false;

                Volatile.Write(ref _callerProcessor, CurrentProcessor.Id());
                _work = background;
                _error = null;
                Interlocked.Exchange(ref _state, Posted);

                // A blocked thread takes longer to wake than the pieces of a training loop take (12 µs to over 100 µs
                // on a virtual machine), so a call made while it wakes says nothing about its core: the governor is
                // told of the wake-up instead. Judging such calls as lost sent a worker that had slept through a
                // back-off straight back to one thread, every time.
                bool waking = Volatile.Read(ref _sleeping) != 0;
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
                    if (Interlocked.CompareExchange(ref _state, Idle, Posted) == Posted)
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
                _error?.Throw();
                return true;
            }
            finally
            {
                _work = null;
                Volatile.Write(ref _state, Idle);
                Volatile.Write(ref _busy, 0);
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
            for (int looks = 1; Volatile.Read(ref _state) != Done; looks++)
            {
                // Reading the clock costs more than a look at the state on a virtual machine: once every 16 looks.
                if (looks % 16 == 0 && Stopwatch.GetTimestamp() - tightUntil >= 0)
                    break;
                Thread.SpinWait(1);
            }

            var spinner = default(SpinWait);
            while (Volatile.Read(ref _state) != Done)
                spinner.SpinOnce(sleep1Threshold: -1);
        }

        private void Loop()
        {
            while (true)
            {
                WaitForWork();
                try
                {
                    _work!();
                }
                catch (Exception exception)
                {
                    _error = ExceptionDispatchInfo.Capture(exception);
                }

                Volatile.Write(ref _state, Done);
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
        /// The poster writes the state before it reads <c>_sleeping</c>, and this thread writes <c>_sleeping</c> before it
        /// reads the state again, both with full fences, so one of the two always sees the other: no wake-up is lost.
        /// </para>
        /// </remarks>
        private void WaitForWork()
        {
            long deadline = Stopwatch.GetTimestamp() + PollTicks;
            for (int looks = 1; ; looks++)
            {
                if (Volatile.Read(ref _state) == Posted && Interlocked.CompareExchange(ref _state, Running, Posted) == Posted)
                    return;

                // One pause between looks (Thread.SpinWait(20) took about 3 µs, as long as a piece of a small update);
                // the clock and the processor, dearer than a look, once every 16.
                if (looks % 16 != 0)
                {
                    Thread.SpinWait(1);
                    continue;
                }

                bool onCallersProcessor = CurrentProcessor.Id() == Volatile.Read(ref _callerProcessor);
                if (!onCallersProcessor && Stopwatch.GetTimestamp() < deadline)
                {
                    Thread.SpinWait(1);
                    continue;
                }

                if (onCallersProcessor)
                    Volatile.Write(ref _sharedProcessor, 1);
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref _state) != Posted)
                    _wake.Wait();
                _wake.Reset();
                Interlocked.Exchange(ref _sleeping, 0);
                deadline = Stopwatch.GetTimestamp() + PollTicks;
            }
        }
    }
}
