using Ppo.Environments;

namespace Ppo.Tests.Environments;

/// <summary>Checks the mask layout and checks of <see cref="ActionMasks"/>.</summary>
public sealed class ActionMasksTests
{
    [Fact]
    public void Length_DiscreteAndMultiDiscrete_OneFlagPerCategory()
    {
        Assert.Equal(7, ActionMasks.Length(new DiscreteSpace(7)));
        Assert.Equal(9, ActionMasks.Length(new MultiDiscreteSpace([3, 2, 4])));
        Assert.True(ActionMasks.Supports(new DiscreteSpace(2)));
        Assert.True(ActionMasks.Supports(new MultiDiscreteSpace([2])));
    }

    [Fact]
    public void Length_BoxOrMultiBinary_IsRejected()
    {
        Assert.False(ActionMasks.Supports(new BoxSpace(-1f, 1f, 2)));
        Assert.False(ActionMasks.Supports(new MultiBinarySpace(2)));
        ArgumentException error = Assert.Throws<ArgumentException>(() => ActionMasks.Length(new BoxSpace(-1f, 1f, 2)));
        Assert.Contains("Discrete or MultiDiscrete", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ActionMasks.Length(new MultiBinarySpace(2)));
    }

    [Fact]
    public void FindEmptyComponent_Masks_ReportsFirstComponentWithoutValidCategory()
    {
        var space = new MultiDiscreteSpace([2, 3]);

        Assert.Equal(-1, ActionMasks.FindEmptyComponent([false, true, false, false, true], space));
        Assert.Equal(1, ActionMasks.FindEmptyComponent([true, true, false, false, false], space));
        Assert.Equal(0, ActionMasks.FindEmptyComponent([false, false, false, false, false], space));
        Assert.Equal(0, ActionMasks.FindEmptyComponent([false, false], new DiscreteSpace(2)));
        Assert.Equal(-1, ActionMasks.FindEmptyComponent([false, true], new DiscreteSpace(2)));
        Assert.Throws<ArgumentException>(() => ActionMasks.FindEmptyComponent([true], space));
    }

    [Fact]
    public void Allows_Actions_TrueOnlyWhenEveryComponentIsValid()
    {
        var space = new MultiDiscreteSpace([2, 3]);
        bool[] mask = [false, true, true, false, true];

        Assert.True(ActionMasks.Allows([1, 0], mask, space));
        Assert.True(ActionMasks.Allows([1, 2], mask, space));
        Assert.False(ActionMasks.Allows([0, 0], mask, space));
        Assert.False(ActionMasks.Allows([1, 1], mask, space));
        Assert.False(ActionMasks.Allows([1, 3], mask, space));
        Assert.True(ActionMasks.Allows([2], [false, false, true], new DiscreteSpace(3)));
        Assert.False(ActionMasks.Allows([0], [false, false, true], new DiscreteSpace(3)));
    }
}
