using Ppo.Tensors;

// Calls each form of Gemm on shapes that reach every micro-kernel and dot-product tile (whole tiles, every edge row
// count, the wide tile of few rows, narrow outputs, long and short depths), so that a run under DOTNET_JitDisasm shows
// the machine code of each. benchmarks/jit/check-spills.sh reads that code; this program only has to reach it.
int[] rows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 24, 64, 300];
int[] columns = [1, 2, 3, 4, 8, 15, 16, 17, 33, 64, 100, 256, 600];
int[] depths = [1, 7, 16, 64, 300, 600];
var random = new Random(1);
float[] a = new float[600 * 600], b = new float[600 * 600], c = new float[600 * 600];
for (int i = 0; i < a.Length; i++)
{
    a[i] = (float)random.NextDouble();
    b[i] = (float)random.NextDouble();
}

double checksum = 0;
foreach (int m in rows)
{
    foreach (int n in columns)
    {
        foreach (int k in depths)
        {
            Gemm.MultiplyTransposedB(a, b, c, m, n, k, accumulate: false);
            Gemm.Multiply(a, b, c, m, n, k, accumulate: true);
            Gemm.MultiplyTransposedA(a, b, c, m, n, k, accumulate: true);
            checksum += c[0];
        }
    }
}

Console.WriteLine($"Reached every Gemm path (checksum {checksum:G6}).");
