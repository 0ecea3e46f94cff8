using Ppo.Tensors;

namespace Ppo.Tests.Tensors;

/// <summary>Checks <see cref="Tensor"/>: shapes, row access, views over shared storage and argument checks.</summary>
public sealed class TensorTests
{
    [Fact]
    public void Zeros_Shape_SetsDimensionsAndZeroFills()
    {
        Tensor tensor = Tensor.Zeros(3, 4, 2);

        Assert.Equal([3, 4, 2], tensor.Shape.ToArray());
        Assert.Equal(3, tensor.Rank);
        Assert.Equal(24, tensor.Length);
        Assert.Equal(3, tensor.RowCount);
        Assert.Equal(8, tensor.RowLength);
        Assert.Same(Device.Cpu, tensor.Device);
        Assert.All(tensor.ToArray(), value => Assert.Equal(0f, value));
    }

    [Fact]
    public void Zeros_ShapeArrayChangedAfterwards_TensorKeepsItsShape()
    {
        int[] shape = [2, 3];
        Tensor tensor = Tensor.Zeros(shape);

        shape[0] = 5;

        Assert.Equal([2, 3], tensor.Shape.ToArray());
    }

    [Fact]
    public void Zeros_BadShape_Throws()
    {
        Assert.Throws<ArgumentException>(() => Tensor.Zeros());
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 0));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(-1));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(65536, 65536));
        Assert.Throws<ArgumentException>(() => Device.Cpu.Zeros(2, 0, 2));
    }

    [Fact]
    public void FromValues_LengthDiffersFromShape_Throws()
    {
        Assert.Throws<ArgumentException>(() => Tensor.FromValues([1f, 2f, 3f], 2, 2));
    }

    [Fact]
    public void FromValues_Values_CopiesThem()
    {
        float[] values = [1f, 2f, 3f, 4f, 5f, 6f];
        Tensor tensor = Tensor.FromValues(values, 3, 2);

        values[0] = 100f;

        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], tensor.ToArray());
        Assert.Equal([3f, 4f], tensor.Row(1).ToArray());
        Assert.Equal([1f, 2f, 3f, 4f], tensor.Rows(2).ToArray());
        Assert.Equal(0, tensor.Rows(0).Length);
    }

    [Fact]
    public void RowAccess_OutsideTensor_Throws()
    {
        Tensor tensor = Tensor.Zeros(3, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => tensor.Row(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => tensor.Row(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tensor.Rows(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => tensor.Rows(-1));
    }

    [Fact]
    public void View_WritesEitherWay_ShareStorage()
    {
        Tensor parent = Tensor.FromValues([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], 10);
        Tensor view = parent.View(2, 2, 3);

        view.Row(1)[0] = -1f;
        parent.AsSpan()[3] = -2f;

        Assert.Equal([2, 3], view.Shape.ToArray());
        Assert.Equal(-1f, parent.AsSpan()[5]);
        Assert.Equal([2f, -2f, 4f, -1f, 6f, 7f], view.ToArray());
        Assert.Same(parent.Device, view.Device);
    }

    [Fact]
    public void View_OfView_OffsetsCompose()
    {
        Tensor parent = Tensor.FromValues([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], 10);
        Tensor view = parent.View(3, 6);

        Tensor inner = view.View(2, 2);
        inner.Fill(42f);

        Assert.Equal([42f, 42f], parent.AsSpan().Slice(5, 2).ToArray());
        Assert.Equal(4f, parent.AsSpan()[4]);
        Assert.Equal(7f, parent.AsSpan()[7]);
    }

    [Fact]
    public void View_DoesNotFit_Throws()
    {
        Tensor tensor = Tensor.Zeros(10);

        Assert.Throws<ArgumentException>(() => tensor.View(-1, 2));
        Assert.Throws<ArgumentException>(() => tensor.View(9, 2));
        Assert.Throws<ArgumentException>(() => tensor.View(0, 11));
        Assert.Throws<ArgumentException>(() => tensor.View(0, 0));
        Assert.Throws<ArgumentException>(() => tensor.View(0));
        Assert.Equal(10, tensor.View(0, 2, 5).Length);
    }

    [Fact]
    public void CopyFromAndCopyTo_WrongLength_Throw()
    {
        Tensor tensor = Tensor.Zeros(2, 2);

        Assert.Throws<ArgumentException>(() => tensor.CopyFrom(new float[3]));
        Assert.Throws<ArgumentException>(() => tensor.CopyTo(new float[5]));
    }

    [Fact]
    public void CopyFromAndCopyTo_RightLength_RoundTrip()
    {
        Tensor tensor = Tensor.Zeros(2, 2);
        float[] destination = new float[4];

        tensor.CopyFrom([1f, 2f, 3f, 4f]);
        tensor.CopyTo(destination);

        Assert.Equal([1f, 2f, 3f, 4f], destination);
    }
}
