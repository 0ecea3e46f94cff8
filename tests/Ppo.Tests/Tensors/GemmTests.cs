using System.Runtime.Intrinsics;
using Ppo.Tensors;
using static Ppo.Tests.Tensors.GemmReference;

namespace Ppo.Tests.Tensors;

public class GemmTests
{
    /// <summary>Sizes that leave every remainder of the register tiles (6 and 12 rows), the vector widths and the dot-product tails.</summary>
    private static readonly int[] TailSizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 23, 24, 25, 31, 32, 33, 63, 64, 65];

    /// <summary>Every form, every vector width the hardware accelerates (in bits; 0 is scalar) and every tail size as <c>m</c>.</summary>
    public static TheoryData<Form, int, int> FormsWidthsAndRows()
    {
        var data = new TheoryData<Form, int, int>();
        foreach (Form form in Forms)
        {
            foreach (int widthBits in SupportedWidthBits())
            {
                foreach (int m in TailSizes)
                    data.Add(form, widthBits, m);
            }
        }

        return data;
    }

    /// <summary>
    /// Every form with the sizes PPO's layers use, and sizes that cross the cache blocks over <c>k</c>, <c>n</c> and <c>m</c>,
    /// pack rows that lie far apart, or merge transposed tiles over several blocks of <c>k</c>.
    /// </summary>
    public static TheoryData<Form, int, int, int> FormsAndLayerSizes()
    {
        (int M, int N, int K)[] sizes =
        [
            (64, 64, 8), (64, 64, 64), (64, 4, 64), (64, 1, 64), (64, 2, 64), (256, 64, 4), (256, 64, 64),
            (256, 256, 256), (2048, 256, 256), (2048, 64, 64), (4096, 4, 8), (64, 512, 512), (8, 64, 64),
            (257, 33, 300), (9, 513, 17), (300, 520, 513), (3, 70, 600), (600, 5, 40),
            (1003, 150, 300), (520, 200, 70), (100, 6, 2100), (3, 40, 1500),
        ];
        var data = new TheoryData<Form, int, int, int>();
        foreach (Form form in Forms)
        {
            foreach ((int m, int n, int k) in sizes)
                data.Add(form, m, n, k);
        }

        return data;
    }

    /// <summary>Every form.</summary>
    public static TheoryData<Form> AllForms()
    {
        var data = new TheoryData<Form>();
        foreach (Form form in Forms)
            data.Add(form);
        return data;
    }

    [Theory]
    [MemberData(nameof(FormsWidthsAndRows))]
    public void Multiply_TailSizes_MatchDoubleReference(Form form, int widthBits, int m)
    {
        VectorWidth width = widthBits switch
        {
            512 => VectorWidth.Vector512,
            256 => VectorWidth.Vector256,
            128 => VectorWidth.Vector128,
            _ => VectorWidth.Scalar,
        };
        var random = new Random(1000 * m + widthBits + (int)form);
        foreach (int n in TailSizes)
        {
            foreach (int k in TailSizes)
            {
                foreach (bool accumulate in (bool[])[false, true])
                {
                    float[] a = Uniform(random, m * k), b = Uniform(random, n * k);
                    float[] initial = accumulate ? Uniform(random, m * n) : Filled(m * n, float.NaN);
                    float[] c = (float[])initial.Clone();

                    Invoke(form, a, b, c, m, n, k, accumulate, width);

                    AssertMatches(form, a, b, initial, c, m, n, k, accumulate);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(FormsAndLayerSizes))]
    public void Multiply_LayerSizes_MatchDoubleReference(Form form, int m, int n, int k)
    {
        var random = new Random(m * 7919 + n * 31 + k);
        float[] a = Uniform(random, m * k), b = Uniform(random, n * k);
        foreach (bool accumulate in (bool[])[false, true])
        {
            float[] initial = accumulate ? Uniform(random, m * n) : Filled(m * n, float.NaN);
            float[] c = (float[])initial.Clone();

            Invoke(form, a, b, c, m, n, k, accumulate);

            AssertMatches(form, a, b, initial, c, m, n, k, accumulate);
        }
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void Multiply_ZeroDepthOverwriting_WritesZeros(Form form)
    {
        float[] c = Filled(12, float.NaN);

        Invoke(form, [], [], c, 3, 4, 0, accumulate: false);

        Assert.Equal(new float[12], c);
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void Multiply_ZeroDepthAccumulating_LeavesOutputUnchanged(Form form)
    {
        float[] c = Uniform(new Random(5), 12);
        c[7] = float.NaN;
        float[] expected = (float[])c.Clone();

        Invoke(form, [], [], c, 3, 4, 0, accumulate: true);

        Assert.Equal(expected, c);
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void Multiply_EmptyOutput_LeavesSpansUnchanged(Form form)
    {
        float[] c = [1f, 2f];

        Invoke(form, new float[6], new float[6], c, 0, 2, 3, accumulate: false);
        Invoke(form, new float[6], new float[6], c, 2, 0, 3, accumulate: false);

        Assert.Equal([1f, 2f], c);
    }

    [Theory]
    [MemberData(nameof(FormsAndLayerSizes))]
    public void Multiply_RepeatedCalls_AreBitIdentical(Form form, int m, int n, int k)
    {
        var random = new Random(17);
        float[] a = Uniform(random, m * k), b = Uniform(random, n * k), initial = Uniform(random, m * n);
        foreach (bool accumulate in (bool[])[false, true])
        {
            float[] first = (float[])initial.Clone(), second = (float[])initial.Clone();

            Invoke(form, a, b, first, m, n, k, accumulate);
            Invoke(form, Uniform(random, 40 * 24), Uniform(random, 24 * 56), new float[40 * 56], 40, 56, 24, accumulate);
            Invoke(form, a, b, second, m, n, k, accumulate);

            Assert.Equal(first, second);
        }
    }

    [Theory]
    [InlineData(Form.TransposedB, 64, 1, 64)]
    [InlineData(Form.Plain, 64, 4, 64)]
    [InlineData(Form.TransposedA, 64, 4, 64)]
    [InlineData(Form.TransposedB, 70, 40, 33)]
    [InlineData(Form.Plain, 70, 40, 33)]
    [InlineData(Form.TransposedA, 70, 40, 33)]
    [InlineData(Form.TransposedA, 3, 40, 33)]
    public void Multiply_LongerSpans_TouchOnlyTheLeadingElements(Form form, int m, int n, int k)
    {
        const int Extra = 37;
        var random = new Random(3);
        float[] a = [.. Uniform(random, m * k), .. Filled(Extra, float.NaN)];
        float[] b = [.. Uniform(random, n * k), .. Filled(Extra, float.NaN)];
        foreach (bool accumulate in (bool[])[false, true])
        {
            float[] initial = [.. Uniform(random, m * n), .. Filled(Extra, 12345f)];
            float[] c = (float[])initial.Clone();

            Invoke(form, a, b, c, m, n, k, accumulate);

            AssertMatches(form, a, b, initial, c, m, n, k, accumulate);
            Assert.Equal(initial[(m * n)..], c[(m * n)..]);
        }
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void Multiply_NegativeSize_ThrowsNamingTheSize(Form form)
    {
        float[] buffer = new float[16];

        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => Invoke(form, buffer, buffer, new float[16], -1, 2, 2, false)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => Invoke(form, buffer, buffer, new float[16], 2, -1, 2, false)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => Invoke(form, buffer, buffer, new float[16], 2, 2, -1, false)).ParamName);
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void Multiply_ShortSpan_ThrowsNamingTheSpan(Form form)
    {
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Invoke(form, new float[11], new float[20], new float[15], 3, 5, 4, false)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Invoke(form, new float[12], new float[19], new float[15], 3, 5, 4, false)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Invoke(form, new float[12], new float[20], new float[14], 3, 5, 4, false)).ParamName);
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void Multiply_OutputOverlapsInput_ThrowsNamingTheOutput(Form form)
    {
        float[] buffer = new float[64];

        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Invoke(form, buffer.AsSpan(0, 12), new float[20], buffer.AsSpan(10, 15), 3, 5, 4, false)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Invoke(form, new float[12], buffer.AsSpan(30, 20), buffer.AsSpan(20, 15), 3, 5, 4, false)).ParamName);
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void Multiply_AdjacentButDisjointSpans_Succeeds(Form form)
    {
        float[] buffer = Uniform(new Random(8), 12 + 20 + 15);
        float[] a = buffer[..12], b = buffer[12..32];
        float[] initial = buffer[32..];

        Invoke(form, buffer.AsSpan(0, 12), buffer.AsSpan(12, 20), buffer.AsSpan(32, 15), 3, 5, 4, accumulate: true);

        AssertMatches(form, a, b, initial, buffer[32..], 3, 5, 4, accumulate: true);
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void Multiply_AfterWarmUp_AllocatesNothing(Form form)
    {
        (int M, int N, int K)[] sizes = [(64, 64, 8), (64, 4, 64), (64, 1, 64), (4, 64, 64), (256, 256, 256), (2048, 256, 256), (37, 21, 300)];
        var random = new Random(11);
        float[] a = Uniform(random, 2048 * 256), b = Uniform(random, 256 * 300), c = new float[2048 * 256];
        foreach ((int m, int n, int k) in sizes)
            Invoke(form, a, b, c, m, n, k, accumulate: true);

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach ((int m, int n, int k) in sizes)
        {
            Invoke(form, a, b, c, m, n, k, accumulate: false);
            Invoke(form, a, b, c, m, n, k, accumulate: true);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Fold_AnyChunk_MatchesPortableFold(int chunk)
    {
        var random = new Random(chunk);
        for (int trial = 0; trial < 20; trial++)
        {
            Vector512<float> x = Vector512.Create(Uniform(random, 16)), y = Vector512.Create(Uniform(random, 16));

            Assert.Equal(Vector512Operations.FoldPortably(x, y, chunk), Vector512Operations.Fold(x, y, chunk));
            if (chunk <= 4)
                Assert.Equal(Vector256Operations.FoldPortably(x.GetLower(), y.GetLower(), chunk), Vector256Operations.Fold(x.GetLower(), y.GetLower(), chunk));
            if (chunk <= 2)
                Assert.Equal(Vector128Operations.FoldPortably(x.GetLower().GetLower(), y.GetLower().GetLower(), chunk), Vector128Operations.Fold(x.GetLower().GetLower(), y.GetLower().GetLower(), chunk));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void FoldPortably_AnyChunk_SumsHalvesOfEachGroup(int chunk)
    {
        float[] x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        float[] y = [.. x.Select(value => value + 100)];
        float[] expected = new float[16];
        if (chunk == 1)
        {
            for (int group = 0; group < 16; group += 4)
            {
                expected[group] = x[group] + x[group + 1];
                expected[group + 1] = x[group + 2] + x[group + 3];
                expected[group + 2] = y[group] + y[group + 1];
                expected[group + 3] = y[group + 2] + y[group + 3];
            }
        }
        else
        {
            for (int group = 0; group < 16; group += 2 * chunk)
            {
                for (int lane = 0; lane < chunk; lane++)
                {
                    expected[group + lane] = x[group + lane] + x[group + chunk + lane];
                    expected[group + chunk + lane] = y[group + lane] + y[group + chunk + lane];
                }
            }
        }

        Assert.Equal(Vector512.Create(expected), Vector512Operations.FoldPortably(Vector512.Create(x), Vector512.Create(y), chunk));
    }

    private static IEnumerable<int> SupportedWidthBits()
    {
        yield return 0;
        if (Vector128.IsHardwareAccelerated)
            yield return 128;
        if (Vector256.IsHardwareAccelerated)
            yield return 256;
        if (Vector512.IsHardwareAccelerated)
            yield return 512;
    }
}
