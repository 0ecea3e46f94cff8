using Ppo.Environments;

namespace Ppo.Tests.Environments;

public sealed class BoxSpaceTests
{
    [Fact]
    public void Constructor_ImageShape_HoldsChannelsTimesHeightTimesWidthFlatFloats()
    {
        var space = new BoxSpace(0f, 1f, [4, 10, 10]);

        Assert.Equal(3, space.Rank);
        Assert.Equal([4, 10, 10], space.Shape.ToArray());
        Assert.Equal(400, space.Size);
        Assert.Equal(400, space.FlatSize);
        Assert.Contains("(4, 10, 10)", space.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Vector_HasShapeOfItsSize()
    {
        var space = new BoxSpace(-1f, 1f, 3);

        Assert.Equal(1, space.Rank);
        Assert.Equal([3], space.Shape.ToArray());
    }

    [Fact]
    public void Constructor_ShapeWithAZeroDimension_NamesTheDimension()
    {
        var exception = Assert.Throws<ArgumentException>(() => new BoxSpace(0f, 1f, [4, 0, 10]));

        Assert.Contains("Dimension 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HasSameBounds_SameElementsOtherShape_IsFalse()
    {
        Assert.False(new BoxSpace(0f, 1f, [2, 2]).HasSameBounds(new BoxSpace(0f, 1f, 4)));
        Assert.True(new BoxSpace(0f, 1f, [2, 2]).HasSameBounds(new BoxSpace(0f, 1f, [2, 2])));
    }
}
