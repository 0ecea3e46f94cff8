using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace Ppo.Benchmarks;

/// <summary>
/// The calibration kernel for the machine's fused multiply-add peak on one core: <see cref="Chains"/> independent chains
/// of <see cref="Steps"/> fused multiply-adds on the widest accelerated vector, held in registers. The report divides
/// the floating-point operations by the median time and compares the GEMM and the minibatch update with it.
/// </summary>
/// <remarks>
/// Ten chains hide the FMA latency (4 cycles on recent x64 cores, two FMA pipes: at least 8 chains in flight) and, with
/// the two operands, fit AVX2's 16 registers. Each call does <c>2 · Chains · Steps · lanes</c> operations, with 16
/// lanes on AVX-512, 8 on AVX2 and 4 on 128-bit vectors.
/// </remarks>
[MemoryDiagnoser]
public class FmaPeakBenchmarks
{
    /// <summary>Independent chains.</summary>
    public const int Chains = 10;

    /// <summary>Fused multiply-adds per chain and call.</summary>
    public const int Steps = 100_000;

    /// <summary>Gets the lanes of the vectors <see cref="WidestVector"/> computes on: 16, 8 or 4.</summary>
    public static int Lanes =>
        Vector512.IsHardwareAccelerated ? Vector512<float>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<float>.Count
        : Vector128<float>.Count;

    /// <summary>Runs the chains on the widest accelerated vector; returns a lane of their sum, so none is optimized away.</summary>
    [Benchmark]
    public float WidestVector() =>
        Vector512.IsHardwareAccelerated ? Chains512()
        : Vector256.IsHardwareAccelerated ? Chains256()
        : Chains128();

    private static float Chains512()
    {
        Vector512<float> x = Vector512.Create(0.999999f), y = Vector512.Create(1e-7f);
        Vector512<float> s0 = Vector512.Create(0f), s1 = Vector512.Create(1f), s2 = Vector512.Create(2f), s3 = Vector512.Create(3f), s4 = Vector512.Create(4f);
        Vector512<float> s5 = Vector512.Create(5f), s6 = Vector512.Create(6f), s7 = Vector512.Create(7f), s8 = Vector512.Create(8f), s9 = Vector512.Create(9f);
        for (int step = 0; step < Steps; step++)
        {
            s0 = Vector512.FusedMultiplyAdd(s0, x, y); s1 = Vector512.FusedMultiplyAdd(s1, x, y);
            s2 = Vector512.FusedMultiplyAdd(s2, x, y); s3 = Vector512.FusedMultiplyAdd(s3, x, y);
            s4 = Vector512.FusedMultiplyAdd(s4, x, y); s5 = Vector512.FusedMultiplyAdd(s5, x, y);
            s6 = Vector512.FusedMultiplyAdd(s6, x, y); s7 = Vector512.FusedMultiplyAdd(s7, x, y);
            s8 = Vector512.FusedMultiplyAdd(s8, x, y); s9 = Vector512.FusedMultiplyAdd(s9, x, y);
        }

        return (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9).ToScalar();
    }

    private static float Chains256()
    {
        Vector256<float> x = Vector256.Create(0.999999f), y = Vector256.Create(1e-7f);
        Vector256<float> s0 = Vector256.Create(0f), s1 = Vector256.Create(1f), s2 = Vector256.Create(2f), s3 = Vector256.Create(3f), s4 = Vector256.Create(4f);
        Vector256<float> s5 = Vector256.Create(5f), s6 = Vector256.Create(6f), s7 = Vector256.Create(7f), s8 = Vector256.Create(8f), s9 = Vector256.Create(9f);
        for (int step = 0; step < Steps; step++)
        {
            s0 = Vector256.FusedMultiplyAdd(s0, x, y); s1 = Vector256.FusedMultiplyAdd(s1, x, y);
            s2 = Vector256.FusedMultiplyAdd(s2, x, y); s3 = Vector256.FusedMultiplyAdd(s3, x, y);
            s4 = Vector256.FusedMultiplyAdd(s4, x, y); s5 = Vector256.FusedMultiplyAdd(s5, x, y);
            s6 = Vector256.FusedMultiplyAdd(s6, x, y); s7 = Vector256.FusedMultiplyAdd(s7, x, y);
            s8 = Vector256.FusedMultiplyAdd(s8, x, y); s9 = Vector256.FusedMultiplyAdd(s9, x, y);
        }

        return (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9).ToScalar();
    }

    private static float Chains128()
    {
        Vector128<float> x = Vector128.Create(0.999999f), y = Vector128.Create(1e-7f);
        Vector128<float> s0 = Vector128.Create(0f), s1 = Vector128.Create(1f), s2 = Vector128.Create(2f), s3 = Vector128.Create(3f), s4 = Vector128.Create(4f);
        Vector128<float> s5 = Vector128.Create(5f), s6 = Vector128.Create(6f), s7 = Vector128.Create(7f), s8 = Vector128.Create(8f), s9 = Vector128.Create(9f);
        for (int step = 0; step < Steps; step++)
        {
            s0 = Vector128.FusedMultiplyAdd(s0, x, y); s1 = Vector128.FusedMultiplyAdd(s1, x, y);
            s2 = Vector128.FusedMultiplyAdd(s2, x, y); s3 = Vector128.FusedMultiplyAdd(s3, x, y);
            s4 = Vector128.FusedMultiplyAdd(s4, x, y); s5 = Vector128.FusedMultiplyAdd(s5, x, y);
            s6 = Vector128.FusedMultiplyAdd(s6, x, y); s7 = Vector128.FusedMultiplyAdd(s7, x, y);
            s8 = Vector128.FusedMultiplyAdd(s8, x, y); s9 = Vector128.FusedMultiplyAdd(s9, x, y);
        }

        return (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9).ToScalar();
    }
}
