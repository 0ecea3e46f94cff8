using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>Copies between host spans and torch tensors: one copy per column in each direction.</summary>
internal static class HostTensors
{
    /// <summary>Copies <paramref name="source"/> into the leading rows of a preallocated CPU tensor and returns them on <paramref name="device"/>.</summary>
    /// <typeparam name="T">The element type: <see langword="float"/> for a float32 tensor, <see langword="bool"/> (one byte) for a boolean one.</typeparam>
    /// <param name="staging">A contiguous CPU tensor of <c>[capacity, columns]</c> (or <c>[capacity]</c>) with elements of <typeparamref name="T"/>'s size.</param>
    /// <param name="source">The rows, back to back.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="device">Where the result lives; the CPU returns a view of <paramref name="staging"/>.</param>
    /// <returns>The rows as a tensor of <c>[rows, columns]</c> (or <c>[rows]</c>).</returns>
    public static Tensor Upload<T>(Tensor staging, ReadOnlySpan<T> source, int rows, Device device)
        where T : unmanaged
    {
        MemoryMarshal.AsBytes(source).CopyTo(staging.bytes);
        Tensor view = staging.narrow(0, 0, rows);
        return device.type == global::TorchSharp.DeviceType.CPU ? view : view.to(device);
    }

    /// <summary>Copies a float32 tensor (any device) into <paramref name="destination"/>, which must hold exactly its elements.</summary>
    /// <param name="source">The tensor.</param>
    /// <param name="destination">Receives the elements in row-major order.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Download(Tensor source, Span<float> destination)
    {
        if (source.numel() != destination.Length)
            throw new ArgumentException($"The tensor has {source.numel()} elements; the destination holds {destination.Length}.", nameof(destination));
        Tensor host = source.device.type == global::TorchSharp.DeviceType.CPU ? source.contiguous() : source.cpu().contiguous();
        MemoryMarshal.Cast<byte, float>(host.bytes).CopyTo(destination);
    }
}
