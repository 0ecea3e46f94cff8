using System.Runtime.InteropServices;

namespace Ppo.Benchmarks;

/// <summary>
/// Debian's OpenBLAS (<c>libopenblas.so.0</c>, package <c>libopenblas0-pthread</c>), the baseline of the GEMM
/// benchmarks. Only the benchmarks use it; the library has no native dependency.
/// </summary>
internal static unsafe partial class OpenBlas
{
    public const string LibraryName = "libopenblas.so.0";
    public const string InstallHint = "apt-get install libopenblas0-pthread";

    public const int RowMajor = 101;
    public const int NoTranspose = 111;
    public const int Transpose = 112;

    /// <summary>Gets a value indicating whether the library loads and exports <c>cblas_sgemm</c>.</summary>
    public static bool IsAvailable { get; } = Probe();

    /// <summary><c>C = alpha·op(A)·op(B) + beta·C</c> (CBLAS <c>sgemm</c>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "cblas_sgemm")]
    public static partial void Sgemm(
        int order, int transposeA, int transposeB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    /// <summary>Sets the number of threads OpenBLAS computes with.</summary>
    [LibraryImport(LibraryName, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetThreadCount(int count);

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out IntPtr handle))
            return false;
        return NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _) && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out _);
    }
}
