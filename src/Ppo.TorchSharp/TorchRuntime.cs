using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>Loads libtorch once and turns the loader's failures into messages a user can act on.</summary>
internal static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool s_cpuLoaded;

    /// <summary>Loads the native runtime for <paramref name="deviceType"/> and returns the device.</summary>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded, or the CUDA device is not available.</exception>
    public static Device Device(DeviceType deviceType, int deviceIndex)
    {
        EnsureLoaded();
        if (deviceType == DeviceType.CPU)
            return CPU;
        if (deviceType != DeviceType.CUDA)
            throw new ArgumentOutOfRangeException(nameof(deviceType), deviceType, "The TorchSharp engine runs on DeviceType.CPU or DeviceType.CUDA.");
        bool available;
        try
        {
            InitializeDeviceType(DeviceType.CUDA);
            available = cuda.is_available();
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException)
        {
            available = false;
        }

        if (!available)
        {
            throw new LibTorchUnavailableException(
                "CUDA was asked for, but the loaded libtorch has no CUDA support or no CUDA device is visible. Reference TorchSharp-cuda-linux " +
                "(Linux) or TorchSharp-cuda-windows (Windows) instead of TorchSharp-cpu, install an NVIDIA driver that supports its CUDA version, " +
                "or choose DeviceType.CPU.");
        }

        int count = cuda.device_count();
        if (deviceIndex < 0 || deviceIndex >= count)
            throw new ArgumentOutOfRangeException(nameof(deviceIndex), deviceIndex, $"The CUDA device index must be in [0, {count - 1}]; {count} device(s) are visible.");
        return new Device(DeviceType.CUDA, deviceIndex);
    }

    /// <summary>Loads the CPU runtime, or throws <see cref="LibTorchUnavailableException"/> with the reason.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (s_cpuLoaded)
                return;
            if (ProbeLoader() is string tooOld)
                throw new LibTorchUnavailableException(Explain(tooOld));
            try
            {
                InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception exception) when (exception is NotSupportedException or TypeInitializationException or DllNotFoundException)
            {
                throw new LibTorchUnavailableException(Diagnose(), exception);
            }

            s_cpuLoaded = true;
        }
    }

    /// <summary>
    /// Loads TorchSharp's native library as the application references it and returns the loader's message when the C
    /// or C++ runtime is too old for it, else <see langword="null"/>. Nothing can load the library then, so TorchSharp's
    /// own fallback, which prints its search to the console and copies libtorch's half gigabyte of libraries next to the
    /// application before failing the same way, is not started.
    /// </summary>
    private static string? ProbeLoader()
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null));
            return null;
        }
        catch (DllNotFoundException exception)
        {
            return RuntimeTooOld(exception.Message) ? exception.Message : null;
        }
    }

    private static bool RuntimeTooOld(string loaderMessage) =>
        loaderMessage.Contains("GLIBCXX_", StringComparison.Ordinal) || loaderMessage.Contains("GLIBC_", StringComparison.Ordinal);

    /// <summary>
    /// TorchSharp's own message blames a missing package even when the package is there and the library cannot be
    /// loaded for another reason; loading the library directly gives the dynamic loader's real reason.
    /// </summary>
    private static string Diagnose()
    {
        string loaderMessage;
        try
        {
            NativeLibrary.Free(NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null));
            loaderMessage = "libLibTorchSharp loads on its own, so one of libtorch's libraries is missing or does not match TorchSharp's version.";
        }
        catch (DllNotFoundException exception)
        {
            loaderMessage = exception.Message;
        }

        return Explain(loaderMessage);
    }

    /// <summary>Turns the dynamic loader's message into what the user can do about it.</summary>
    /// <param name="loaderMessage">The message of the loader's <see cref="DllNotFoundException"/>.</param>
    /// <returns>The explanation, ending with the loader's own words.</returns>
    internal static string Explain(string loaderMessage)
    {
        if (RuntimeTooOld(loaderMessage))
        {
            return "libtorch could not be loaded: TorchSharp's native library needs a newer C and C++ runtime than this system has " +
                "(the GCC 13 runtime, GLIBCXX_3.4.32: Ubuntu 24.04, Debian 13, current Fedora, Windows and macOS have it; Debian 12 stops at " +
                "GLIBCXX_3.4.30). Run on such a system, in a container of one, or in a Debian 13 root (this repository's tests/torchsharp/in-debian13-root.sh builds one); " +
                "the managed engine (the default) needs none of this. The loader said: " + loaderMessage;
        }

        if (loaderMessage.Contains("cannot open shared object file", StringComparison.Ordinal) && loaderMessage.Contains("LibTorchSharp", StringComparison.Ordinal))
        {
            return "libtorch could not be loaded: the application references the TorchSharp binding but no native bundle. Add a package " +
                "reference to TorchSharp-cpu, or to TorchSharp-cuda-linux / TorchSharp-cuda-windows for CUDA. The loader said: " + loaderMessage;
        }

        return "libtorch could not be loaded. Check that the application references exactly one of TorchSharp-cpu, TorchSharp-cuda-linux " +
            "or TorchSharp-cuda-windows, of the same version as TorchSharp. The loader said: " + loaderMessage;
    }
}
