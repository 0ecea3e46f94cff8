using Ppo.Tensors;
using Ppo.Tests.TestSupport;

namespace Ppo.Tests.Tensors;

/// <summary>Checks the row-wise helpers of <see cref="MatrixRows"/> and their argument checks.</summary>
public sealed class MatrixRowsTests
{
    [Fact]
    public void Broadcast_Row_FillsLeadingRowsOnly()
    {
        float[] matrix = new float[8];
        Array.Fill(matrix, -1f);

        MatrixRows.Broadcast([1f, 2f], matrix, 3);

        Assert.Equal([1f, 2f, 1f, 2f, 1f, 2f, -1f, -1f], matrix);
    }

    public static TheoryData<int> Widths => [.. Enumerable.Range(1, 70)];

    [Theory, MemberData(nameof(Widths))]
    public void Broadcast_AnyWidth_CopiesTheRowIntoEachLeadingRow(int width)
    {
        var random = new Random(100 + width);
        float[] row = TestData.Uniform(random, width);
        float[] matrix = new float[(5 * width) + 3];
        Array.Fill(matrix, -7f);

        MatrixRows.Broadcast(row, matrix, 5);

        for (int r = 0; r < 5; r++)
            Assert.Equal(row, matrix.AsSpan(r * width, width).ToArray());
        Assert.All(matrix[(5 * width)..], value => Assert.Equal(-7f, value));
    }

    [Theory, MemberData(nameof(Widths))]
    public void SumInto_AnyWidth_MatchesAddingRowsOneByOneBitForBit(int width)
    {
        var random = new Random(200 + width);
        const int Rows = 37;
        float[] matrix = TestData.Uniform(random, Rows * width, -1e3f, 1e3f);
        float[] destination = TestData.Uniform(random, width);
        float[] expected = (float[])destination.Clone();
        for (int r = 0; r < Rows; r++)
        {
            for (int j = 0; j < width; j++)
                expected[j] += matrix[(r * width) + j];
        }

        MatrixRows.SumInto(matrix, Rows, destination);

        Tolerance.AssertBitwiseEqual(expected, destination, "column sums");
    }

    [Fact]
    public void Broadcast_BadArguments_Throws()
    {
        Assert.Throws<ArgumentException>(() => MatrixRows.Broadcast([1f, 2f], new float[5], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => MatrixRows.Broadcast([1f, 2f], new float[6], -1));
    }

    [Fact]
    public void SumInto_Rows_AddsToDestination()
    {
        float[] matrix = [1f, 2f, 10f, 20f, 100f, 200f, 1000f, 2000f];
        float[] destination = [0.5f, -0.5f];

        MatrixRows.SumInto(matrix, 3, destination);

        Assert.Equal([111.5f, 221.5f], destination);
    }

    [Fact]
    public void SumInto_Rows_AddsInRowOrder()
    {
        // In float32 1e8 + 1 rounds to 1e8, so adding rows 0, 1, 2 in order gives 0; any order that cancels
        // 1e8 against −1e8 before adding 1 would give 1.
        float[] matrix = [1e8f, 1f, -1e8f];
        float[] destination = [0f];

        MatrixRows.SumInto(matrix, 3, destination);

        Assert.Equal(0f, destination[0]);
    }

    [Fact]
    public void SumInto_BadArguments_Throws()
    {
        Assert.Throws<ArgumentException>(() => MatrixRows.SumInto(new float[5], 3, new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MatrixRows.SumInto(new float[6], -1, new float[2]));
    }

    [Fact]
    public void Gather_Indices_CopiesRowsInOrder()
    {
        float[] source = [0f, 1f, 10f, 11f, 20f, 21f];
        float[] destination = new float[8];

        MatrixRows.Gather(source, 2, [2, 0, 2, 1], destination);

        Assert.Equal([20f, 21f, 0f, 1f, 20f, 21f, 10f, 11f], destination);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Gather_IndexOutsideSource_Throws(int index)
    {
        float[] source = new float[6];

        ArgumentOutOfRangeException exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => MatrixRows.Gather(source, 2, [0, index], new float[4]));

        Assert.Equal("indices", exception.ParamName);
    }

    [Fact]
    public void Gather_BadArguments_Throws()
    {
        Assert.Throws<ArgumentException>(() => MatrixRows.Gather(new float[6], 2, [0, 1], new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MatrixRows.Gather(new float[6], 0, [0], new float[3]));
    }
}
