namespace Ppo.Tensors;

/// <summary>The kinds of compute device a <see cref="Tensor"/> can live on.</summary>
public enum DeviceType
{
    /// <summary>Host memory, computed by the managed SIMD kernels.</summary>
    Cpu = 0,
}
