namespace Ppo.Tensors;

/// <summary>
/// A compute device: where tensors live and which kernels compute on them. Every operation of the networks, losses,
/// optimizer and advantage estimation is reached through the device of its tensors, so another backend can be added
/// as one more device without changing the algorithm.
/// </summary>
public sealed class Device
{
    private Device(DeviceType type, DeviceKernels kernels)
    {
        Type = type;
        Kernels = kernels;
    }

    /// <summary>Gets the host CPU, computed by managed SIMD kernels.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu, new CpuKernels());

    /// <summary>Gets the kind of device.</summary>
    public DeviceType Type { get; }

    /// <summary>Gets the kernels that compute on this device.</summary>
    internal DeviceKernels Kernels { get; }

    /// <summary>Allocates a zero-filled tensor of the given shape on this device.</summary>
    /// <param name="shape">The size of each dimension; each at least 1.</param>
    /// <returns>The new tensor.</returns>
    /// <exception cref="ArgumentException">The shape is empty or has a dimension below 1.</exception>
    public Tensor Zeros(params int[] shape) => Tensor.Allocate(this, shape);

    /// <inheritdoc/>
    public override string ToString() => Type.ToString();
}
