using Ppo.Environments;

namespace Ppo.Tests.Environments;

/// <summary>Checks <see cref="MultiDiscreteSpace"/> against Gymnasium's <c>MultiDiscrete</c>.</summary>
public sealed class MultiDiscreteSpaceTests
{
    [Fact]
    public void Constructor_CategoryCounts_ExposesLayout()
    {
        var space = new MultiDiscreteSpace([3, 2, 4]);

        Assert.Equal([3, 2, 4], space.CategoryCounts.ToArray());
        Assert.Equal(3, space.ComponentCount);
        Assert.Equal(3, space.FlatSize);
        Assert.Equal(9, space.TotalCategoryCount);
        Assert.Equal("MultiDiscrete([3, 2, 4])", space.ToString());
    }

    [Theory]
    [InlineData(new float[] { 0, 0, 0 }, true)]
    [InlineData(new float[] { 2, 1, 3 }, true)]
    [InlineData(new float[] { 3, 1, 3 }, false)]
    [InlineData(new float[] { 2, 2, 3 }, false)]
    [InlineData(new float[] { -1, 0, 0 }, false)]
    [InlineData(new float[] { 0.5f, 0, 0 }, false)]
    [InlineData(new float[] { float.NaN, 0, 0 }, false)]
    [InlineData(new float[] { 0, 0 }, false)]
    public void Contains_Value_TrueOnlyForIntegersInEveryComponentsRange(float[] value, bool expected) =>
        Assert.Equal(expected, new MultiDiscreteSpace([3, 2, 4]).Contains(value));

    [Fact]
    public void Constructor_EmptyOrNonPositiveCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MultiDiscreteSpace([]));
        ArgumentException error = Assert.Throws<ArgumentException>(() => new MultiDiscreteSpace([3, 0]));
        Assert.Contains("Component 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HasSameCategoryCounts_EqualAndDifferentSpaces_ComparesComponents()
    {
        var space = new MultiDiscreteSpace([3, 2]);

        Assert.True(space.HasSameCategoryCounts(new MultiDiscreteSpace([3, 2])));
        Assert.False(space.HasSameCategoryCounts(new MultiDiscreteSpace([2, 3])));
    }
}
