using TorchSharp;

namespace Ppo.TorchSharp;

/// <summary>Where and how the TorchSharp engine computes.</summary>
public sealed record TorchSharpOptions
{
    /// <summary>Gets the device kind: <see cref="DeviceType.CPU"/> or <see cref="DeviceType.CUDA"/>.</summary>
    /// <value>The default value is <see cref="DeviceType.CPU"/>.</value>
    public DeviceType Device { get; init; } = DeviceType.CPU;

    /// <summary>Gets the index of the CUDA device; ignored on the CPU.</summary>
    /// <value>The default value is 0.</value>
    public int DeviceIndex { get; init; }

    /// <summary>
    /// Gets the number of threads libtorch uses for its CPU operators (<c>torch.set_num_threads</c>, a process-wide
    /// setting), or <see langword="null"/> to leave libtorch's choice.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Threads { get; init; }

    /// <summary>Returns this instance, or throws one exception listing every invalid field.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">One or more fields are out of range.</exception>
    public TorchSharpOptions Validate()
    {
        List<string>? errors = null;
        void Check(bool ok, string message)
        {
            if (!ok)
                (errors ??= []).Add(message);
        }

        Check(Device is DeviceType.CPU or DeviceType.CUDA, $"{nameof(Device)} must be {nameof(DeviceType.CPU)} or {nameof(DeviceType.CUDA)} (was {Device}).");
        Check(DeviceIndex >= 0, $"{nameof(DeviceIndex)} must be >= 0 (was {DeviceIndex}).");
        Check(Threads is null or >= 1 and <= 1024, $"{nameof(Threads)} must be null or in [1, 1024] (was {Threads}).");
        return errors is null ? this : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
