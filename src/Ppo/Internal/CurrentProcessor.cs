using System.Runtime.InteropServices;

namespace Ppo.Internal;

/// <summary>Tells which processor the calling thread is running on, as of the call.</summary>
internal static class CurrentProcessor
{
    private static readonly bool AsksTheKernel = OperatingSystem.IsLinux() && KernelAnswers();

    /// <summary>
    /// Returns the number of the processor the calling thread runs on. On Linux it asks the kernel each time
    /// (<c>sched_getcpu</c>, through the vDSO: tens of nanoseconds); elsewhere, or where the C library lacks that call,
    /// it returns <see cref="Thread.GetCurrentProcessorId"/>, which the runtime caches and refreshes every few calls, so
    /// it may name a processor the thread has since left.
    /// </summary>
    public static int Id() => AsksTheKernel ? SchedGetCpu() : Thread.GetCurrentProcessorId();

    private static bool KernelAnswers()
    {
        try
        {
            return SchedGetCpu() >= 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "sched_getcpu")]
    [SuppressGCTransition]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SchedGetCpu();
}
