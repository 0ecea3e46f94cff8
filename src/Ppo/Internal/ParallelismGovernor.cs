namespace Ppo.Internal;

/// <summary>
/// Decides whether <see cref="PairedWorker"/> hands work to its second thread, from what the recent parallel calls cost:
/// when the second core is busy with other work, it falls back to one thread, and it tries two again later.
/// </summary>
/// <remarks>
/// <para>
/// Parallel calls are judged in windows of <see cref="WindowCalls"/>. A call is <em>lost</em> when the second thread had
/// not taken its piece by the time the caller had finished its own (the caller then takes the piece back and runs it: the
/// other core was not running our thread), or when the caller then waited longer for the second thread than its own piece
/// took (the second thread was interrupted; the library pairs pieces of similar size, so one thread would have done both
/// sooner). A piece taken back after a caller piece shorter than <see cref="ShortPieceSeconds"/> is not lost: so short a
/// piece can end before a free second thread looks for work, and taking it back costs nothing. Nor is a wait that exceeds
/// the caller's piece by less than that: the optimizer's halves of a [64, 64] actor and critic (2–2.5 µs on the caller)
/// ended 0.2–2 µs apart on a free core, and judging those waits lost sent the worker, and with it the networks' pieces,
/// to one thread. A window with <see cref="LostCallLimit"/> lost calls or more, whose waits add up to more than the
/// callers' own pieces, or in which the second thread took no piece, sends the worker to one thread for a back-off time,
/// after which a new window of parallel calls is tried.
/// Calls made while the second thread wakes from its block are not judged: a wake-up takes longer than the pieces of a
/// training loop, so the callers run both pieces while it happens. Each wake-up counts towards the window as a call, and
/// a window with <see cref="LostCallLimit"/> wake-ups also falls back: the calls come too far apart for the thread to
/// still be polling for them, and each wake-up costs the caller more than the second thread saves.
/// A single call whose wait was longer than <see cref="PreemptedWaitSeconds"/> and than its own piece falls back at once,
/// for the preemption back-off: it starts at <see cref="FirstBackOffSeconds"/>, doubles with each such wait up to
/// <see cref="LongestBackOffSeconds"/>, and halves after each stretch of parallel calls without one that lasted as long
/// as itself. A core taken by another process preempts every stretch within a time slice, so its back-off climbs to the
/// longest in a few tries and stays there; a virtual machine whose host paused the second thread once in a while (0 to
/// 3 times in a one-second CartPole run here, on an idle machine) loses a short back-off each time instead of half a
/// second. The second thread finding itself on the caller's processor falls back the same way: the scheduler put it
/// there because the other core was taken.
/// The back-off starts at <see cref="FirstBackOffSeconds"/> and doubles after each window that fails again, up to
/// <see cref="LongestBackOffSeconds"/>; a window that succeeds sets it back to the first.
/// </para>
/// <para>
/// Time comes in as timestamps of a clock with <c>ticksPerSecond</c>, so that the decisions can be tested with made-up
/// times. Not thread-safe: the worker calls it only while it holds its lock. Results never depend on it: each piece
/// computes the same on either thread.
/// </para>
/// </remarks>
internal sealed class ParallelismGovernor
{
    /// <summary>The number of parallel calls judged together.</summary>
    public const int WindowCalls = 32;

    /// <summary>The number of lost calls in a window from which the worker falls back to one thread.</summary>
    public const int LostCallLimit = 4;

    /// <summary>The first back-off time, in seconds.</summary>
    public const double FirstBackOffSeconds = 0.01;

    /// <summary>The longest back-off time, in seconds.</summary>
    public const double LongestBackOffSeconds = 0.5;

    /// <summary>
    /// Caller pieces shorter than this, in seconds, may end before the second thread has looked for work even when its
    /// core is free: their pieces taken back are not counted as lost (a window in which the second thread took no piece
    /// at all still falls back), and neither are waits for the second thread that exceed the caller's piece by less.
    /// </summary>
    public const double ShortPieceSeconds = 2e-6;

    /// <summary>
    /// A wait for the second thread longer than this, in seconds, and longer than the caller's own piece, means that
    /// another thread took its core in the middle of the piece: a scheduler hands a busy process milliseconds at a time.
    /// The worker then falls back at once, for the preemption back-off, which doubles with each such wait: a window of
    /// them cost their milliseconds again after every short back-off.
    /// </summary>
    public const double PreemptedWaitSeconds = 1e-3;

    private readonly long _firstBackOff;
    private readonly long _longestBackOff;
    private readonly long _shortPiece;
    private readonly long _preemptedWait;
    private long _backOff;
    private long _preemptionBackOff;
    private long _parallelSince;
    private long _resumeAt;
    private bool _onOneThread;
    private int _calls;
    private int _lostCalls;
    private int _takenCalls;
    private int _wakes;
    private long _ownTicks;
    private long _waitTicks;

    /// <summary>Creates a governor that starts on two threads.</summary>
    /// <param name="ticksPerSecond">The frequency of the timestamps given to it, for example <see cref="System.Diagnostics.Stopwatch.Frequency"/>.</param>
    public ParallelismGovernor(long ticksPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticksPerSecond);
        _firstBackOff = (long)(FirstBackOffSeconds * ticksPerSecond);
        _longestBackOff = (long)(LongestBackOffSeconds * ticksPerSecond);
        _shortPiece = (long)Math.Round(ShortPieceSeconds * ticksPerSecond);
        _preemptedWait = (long)Math.Round(PreemptedWaitSeconds * ticksPerSecond);
        _backOff = _firstBackOff;
        _preemptionBackOff = _firstBackOff;
    }

    /// <summary>Gets the number of times the governor has fallen back to one thread.</summary>
    public int FallbackCount { get; private set; }

    /// <summary>Returns whether a call made at <paramref name="now"/> should run its two pieces in parallel.</summary>
    public bool ShouldRunInParallel(long now)
    {
        if (_onOneThread && now - _resumeAt >= 0)
        {
            _onOneThread = false;
            _parallelSince = now;
        }

        return !_onOneThread;
    }

    /// <summary>Records one parallel call.</summary>
    /// <param name="ownTicks">How long the caller took for its own piece, from posting the other.</param>
    /// <param name="waitTicks">How long the caller then waited for the second thread to finish (0 when it took the piece back).</param>
    /// <param name="tookBack">Whether the second thread had not started the piece when the caller finished its own, so the caller ran it.</param>
    /// <param name="now">The time the call ended.</param>
    public void RecordParallelCall(long ownTicks, long waitTicks, bool tookBack, long now)
    {
        if (waitTicks > ownTicks && waitTicks > _preemptedWait)
        {
            FallBackForPreemption(now);
            return;
        }

        _calls++;
        if (!tookBack)
            _takenCalls++;
        if ((tookBack && ownTicks >= _shortPiece) || waitTicks > ownTicks + _shortPiece)
            _lostCalls++;
        _ownTicks += ownTicks;
        _waitTicks += waitTicks;
        CloseWindowIfDue(now);
    }

    /// <summary>Records one call that had to wake the second thread from its block.</summary>
    /// <param name="now">The time the call ended.</param>
    public void RecordWake(long now)
    {
        _calls++;
        _wakes++;
        CloseWindowIfDue(now);
    }

    /// <summary>
    /// Records that the second thread found itself on the caller's processor when it looked for work: the scheduler put
    /// it there because another process holds the other core, so it would take the caller's time, not add its own.
    /// Falls back at once, for the preemption back-off, as a wait for a preempted piece does.
    /// </summary>
    /// <param name="now">The time the caller learnt of it.</param>
    public void RecordSharedProcessor(long now) => FallBackForPreemption(now);

    private void FallBackForPreemption(long now)
    {
        _backOff = _preemptionBackOff;
        _preemptionBackOff = Math.Min(2 * _preemptionBackOff, _longestBackOff);
        FallBack(now);
    }

    private void CloseWindowIfDue(long now)
    {
        if (_calls < WindowCalls && _lostCalls < LostCallLimit && _wakes < LostCallLimit)
            return;

        if (_lostCalls >= LostCallLimit || _wakes >= LostCallLimit || _waitTicks > _ownTicks || _takenCalls == 0)
        {
            FallBack(now);
            return;
        }

        _backOff = _firstBackOff;
        if (_preemptionBackOff > _firstBackOff && now - _parallelSince >= _preemptionBackOff)
        {
            _preemptionBackOff /= 2;
            _parallelSince = now;
        }

        StartWindow();
    }

    private void FallBack(long now)
    {
        _onOneThread = true;
        _resumeAt = now + _backOff;
        _backOff = Math.Min(2 * _backOff, _longestBackOff);
        FallbackCount++;
        StartWindow();
    }

    private void StartWindow()
    {
        _calls = 0;
        _lostCalls = 0;
        _takenCalls = 0;
        _wakes = 0;
        _ownTicks = 0;
        _waitTicks = 0;
    }
}
