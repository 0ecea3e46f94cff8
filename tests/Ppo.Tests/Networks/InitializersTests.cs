using Ppo.Networks;
using Ppo.Randomness;
using Ppo.Tensors;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Networks;

/// <summary>Checks <see cref="Initializers.Orthogonal"/> against the definition of <c>torch.nn.init.orthogonal_</c>.</summary>
public sealed class InitializersTests
{
    [Theory]
    [InlineData(3, 7, 1.0)]
    [InlineData(7, 3, 1.0)]
    [InlineData(5, 5, 1.0)]
    [InlineData(4, 64, 0.01)]
    [InlineData(64, 4, 1.4142135623730951)]
    [InlineData(1, 9, 1.0)]
    [InlineData(9, 1, 2.5)]
    public void Orthogonal_AnyShape_ShorterSideOrthonormalTimesGain(int rows, int columns, double gain)
    {
        float[] matrix = new float[rows * columns];

        Initializers.Orthogonal(matrix, rows, columns, gain, new SeededRandom(3));

        // Wide (rows ≤ columns): W·Wᵀ = gain²·I over rows. Tall: Wᵀ·W = gain²·I over columns.
        bool wide = rows <= columns;
        int count = wide ? rows : columns, length = wide ? columns : rows;
        double[] gram = new double[count * count], identity = new double[count * count];
        for (int i = 0; i < count; i++)
        {
            identity[i * count + i] = gain * gain;
            for (int j = 0; j < count; j++)
            {
                double dot = 0;
                for (int k = 0; k < length; k++)
                    dot += wide ? (double)matrix[i * columns + k] * matrix[j * columns + k] : (double)matrix[k * columns + i] * matrix[k * columns + j];
                gram[i * count + j] = dot;
            }
        }

        Tolerance.AssertClose(identity, gram, 1e-6, "Gram matrix");
    }

    [Theory]
    [InlineData(6, 4)]
    [InlineData(4, 6)]
    public void Orthogonal_Always_EqualsGramSchmidtOfTheGaussianDraws(int rows, int columns)
    {
        // QR with a positive diagonal of R is unique and equals Gram–Schmidt on the columns of the tall Gaussian matrix,
        // drawn row-major (transposed back for a wide matrix): the construction of torch.nn.init.orthogonal_.
        float[] matrix = new float[rows * columns];
        Initializers.Orthogonal(matrix, rows, columns, 1.0, new SeededRandom(21));

        bool wide = rows < columns;
        int m = wide ? columns : rows, n = wide ? rows : columns;
        var random = new SeededRandom(21);
        double[] a = new double[m * n];
        for (int i = 0; i < a.Length; i++)
            a[i] = random.NextGaussian();
        for (int j = 0; j < n; j++)
        {
            for (int previous = 0; previous < j; previous++)
            {
                double dot = 0;
                for (int i = 0; i < m; i++)
                    dot += a[i * n + j] * a[i * n + previous];
                for (int i = 0; i < m; i++)
                    a[i * n + j] -= dot * a[i * n + previous];
            }

            double norm = 0;
            for (int i = 0; i < m; i++)
                norm += a[i * n + j] * a[i * n + j];
            for (int i = 0; i < m; i++)
                a[i * n + j] /= Math.Sqrt(norm);
        }

        double[] expected = new double[rows * columns];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (wide)
                    expected[j * columns + i] = a[i * n + j];
                else
                    expected[i * columns + j] = a[i * n + j];
            }
        }

        Tolerance.AssertClose(expected, Array.ConvertAll(matrix, value => (double)value), 1e-6, "orthogonal matrix");
    }

    [Fact]
    public void Orthogonal_SameSeed_SameMatrix()
    {
        float[] first = new float[24], second = new float[24], other = new float[24];

        Initializers.Orthogonal(first, 4, 6, 1.0, new SeededRandom(5));
        Initializers.Orthogonal(second, 4, 6, 1.0, new SeededRandom(5));
        Initializers.Orthogonal(other, 4, 6, 1.0, new SeededRandom(6));

        Tolerance.AssertBitwiseEqual(first, second, "matrix");
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Orthogonal_BadArguments_Throws()
    {
        Assert.Throws<ArgumentException>(() => Initializers.Orthogonal(new float[11], 3, 4, 1.0, new SeededRandom(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.Orthogonal([], 0, 4, 1.0, new SeededRandom(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.Orthogonal([], 4, 0, 1.0, new SeededRandom(1)));
        Assert.Throws<ArgumentNullException>(() => Initializers.Orthogonal(new float[12], 3, 4, 1.0, null!));
    }

    [Fact]
    public void InitializeOrthogonal_Linear_ZeroesBiasAndScalesRows()
    {
        var linear = new Linear(6, 3);
        _ = new ParameterSet(linear.Parameters, Device.Cpu);
        linear.Bias.Value.Fill(5f);

        linear.InitializeOrthogonal(0.5, new SeededRandom(2));

        Assert.All(linear.Bias.Value.ToArray(), b => Assert.Equal(0f, b));
        float[] weight = linear.Weight.Value.ToArray();
        for (int r = 0; r < 3; r++)
            Tolerance.AssertClose(0.25, weight.Skip(r * 6).Take(6).Sum(w => (double)w * w), 1e-6, $"squared norm of row {r}");
    }

    [Fact]
    public void InitializeOrthogonal_Mlp_UsesOutputGainForTheLastLayerOnly()
    {
        var mlp = new Mlp(8, [4], 2, ActivationFunction.Tanh, Device.Cpu);
        _ = new ParameterSet(mlp.Parameters, Device.Cpu);

        mlp.InitializeOrthogonal(2.0, 0.01, new SeededRandom(4));

        float[] hidden = mlp.LinearLayers[0].Weight.Value.ToArray();
        float[] output = mlp.LinearLayers[1].Weight.Value.ToArray();
        Tolerance.AssertClose(4.0, hidden.Take(8).Sum(w => (double)w * w), 1e-6, "hidden row");
        Tolerance.AssertClose(1e-4, output.Take(4).Sum(w => (double)w * w), 1e-6, "output row");
    }
}
