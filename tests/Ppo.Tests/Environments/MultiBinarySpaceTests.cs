using Ppo.Environments;

namespace Ppo.Tests.Environments;

/// <summary>Checks <see cref="MultiBinarySpace"/> against Gymnasium's <c>MultiBinary</c>.</summary>
public sealed class MultiBinarySpaceTests
{
    [Theory]
    [InlineData(new float[] { 0, 1, 1 }, true)]
    [InlineData(new float[] { 0, 0, 0 }, true)]
    [InlineData(new float[] { 0, 2, 1 }, false)]
    [InlineData(new float[] { 0, 0.5f, 1 }, false)]
    [InlineData(new float[] { 0, 1 }, false)]
    public void Contains_Value_TrueOnlyForZerosAndOnes(float[] value, bool expected) =>
        Assert.Equal(expected, new MultiBinarySpace(3).Contains(value));

    [Fact]
    public void Constructor_Size_ExposesSizeAndName()
    {
        var space = new MultiBinarySpace(5);

        Assert.Equal(5, space.Size);
        Assert.Equal(5, space.FlatSize);
        Assert.Equal("MultiBinary(5)", space.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiBinarySpace(0));
    }
}
