namespace Ppo.TorchSharp.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Explain_OldCxxRuntime_NamesTheRuntimeTheSystemsAndTheWayOut()
    {
        const string Loader = "Unable to load shared library '/app/runtimes/linux-x64/native/libLibTorchSharp.so' or one of its dependencies.\n" +
            "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/runtimes/linux-x64/native/libLibTorchSharp.so)";

        string message = TorchRuntime.Explain(Loader);

        Assert.Contains("GLIBCXX_3.4.32", message, StringComparison.Ordinal);
        Assert.Contains("Debian 13", message, StringComparison.Ordinal);
        Assert.Contains("Ubuntu 24.04", message, StringComparison.Ordinal);
        Assert.Contains("managed engine", message, StringComparison.Ordinal);
        Assert.EndsWith(Loader, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_NoNativeBundle_SaysWhichPackageToReference()
    {
        string message = TorchRuntime.Explain("Unable to load shared library 'LibTorchSharp' or one of its dependencies: libLibTorchSharp.so: cannot open shared object file: No such file or directory");

        Assert.Contains("TorchSharp-cpu", message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cuda-linux", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_CudaWithTheCpuBundle_SaysWhichPackageToReference()
    {
        var exception = Assert.Throws<LibTorchUnavailableException>(() => TorchRuntime.Device(global::TorchSharp.DeviceType.CUDA, 0));

        Assert.Contains("TorchSharp-cuda-linux", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadFields_ListsEveryOne()
    {
        var options = new TorchSharpOptions { Device = global::TorchSharp.DeviceType.MPS, DeviceIndex = -1, Threads = 0 };

        var exception = Assert.Throws<ArgumentException>(() => options.Validate());

        Assert.Contains(nameof(TorchSharpOptions.Device), exception.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TorchSharpOptions.DeviceIndex), exception.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TorchSharpOptions.Threads), exception.Message, StringComparison.Ordinal);
    }
}
