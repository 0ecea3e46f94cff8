using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Ppo.Internal;

/// <summary>
/// Runs two independent pieces of work at once: one on a background thread shared by the process, one on the caller.
/// Used to compute the actor and the critic side by side; each piece computes exactly what it would alone, so results
/// do not depend on whether they ran in parallel.
/// </summary>
/// <remarks>
/// The background thread waits on events that spin briefly before blocking, so that the back-to-back calls of a training
/// loop hand work over in well under a microsecond. Posting work allocates nothing. When the thread is busy with
/// another caller, or the machine has one processor, both pieces run on the caller, one after the other.
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

    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "One worker lives as long as the process.")]
    private sealed class Worker
    {
        private const int SpinCount = 2047;
        private readonly ManualResetEventSlim _start = new(false, SpinCount);
        private readonly ManualResetEventSlim _done = new(false, SpinCount);
        private Action? _work;
        private ExceptionDispatchInfo? _error;
        private int _busy;

        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "Ppo paired worker" };
            thread.Start();
        }

        public bool TryRun(Action background, Action foreground)
        {
            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
                return false;
            try
            {
                _work = background;
                _error = null;
                _done.Reset();
                _start.Set();
                try
                {
                    foreground();
                }
                finally
                {
                    _done.Wait();
                }

                _error?.Throw();
                return true;
            }
            finally
            {
                _work = null;
                Volatile.Write(ref _busy, 0);
            }
        }

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                _start.Reset();
                try
                {
                    _work!();
                }
                catch (Exception exception)
                {
                    _error = ExceptionDispatchInfo.Capture(exception);
                }

                _done.Set();
            }
        }
    }
}
