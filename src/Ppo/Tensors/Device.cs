namespace Ppo.Tensors;

/// <summary>
/// A compute device: where the managed engine's tensors live. Today that is the host CPU, computed by the managed
/// SIMD kernels; another engine (TorchSharp, for example) brings its own devices behind the learner contract.
/// </summary>
public sealed class Device
{
    private Device(DeviceType type)
    {
        Type = type;
    }

    /// <summary>Gets the host CPU, computed by managed SIMD kernels.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    /// <summary>Gets the kind of device.</summary>
    public DeviceType Type { get; }

    /// <summary>Allocates a zero-filled tensor of the given shape on this device.</summary>
    /// <param name="shape">The size of each dimension; each at least 1.</param>
    /// <returns>The new tensor.</returns>
    /// <exception cref="ArgumentException">The shape is empty or has a dimension below 1.</exception>
    public Tensor Zeros(params int[] shape) => Tensor.Allocate(this, shape);

    /// <inheritdoc/>
    public override string ToString() => Type.ToString();
}
