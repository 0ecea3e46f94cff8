using Onnx;

namespace Ppo.Onnx;

/// <summary>Adds initializers, nodes, inputs and outputs to an ONNX <see cref="GraphProto"/>; the caller keeps the names unique.</summary>
internal sealed class GraphBuilder(string name)
{
    /// <summary>The symbolic name of the leading (batch) dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>Gets the graph built so far.</summary>
    public GraphProto Graph { get; } = new() { Name = name };

    /// <summary>Adds a float constant.</summary>
    public string Constant(string tensorName, float[] values, params long[] dimensions)
    {
        Initializer(tensorName, TensorProto.Types.DataType.Float, dimensions).FloatData.AddRange(values);
        return tensorName;
    }

    /// <summary>Adds a 64-bit integer constant.</summary>
    public string Constant(string tensorName, long[] values, params long[] dimensions)
    {
        Initializer(tensorName, TensorProto.Types.DataType.Int64, dimensions).Int64Data.AddRange(values);
        return tensorName;
    }

    /// <summary>Adds a node of the default ONNX domain with one output, named like the output.</summary>
    public string Node(string operatorType, string output, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = operatorType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Declares a float graph input of shape <c>[batch, width]</c>.</summary>
    public void Input(string tensorName, int width) => Graph.Input.Add(FloatValue(tensorName, width));

    /// <summary>Declares a float graph output of shape <c>[batch, width]</c>, or <c>[batch]</c> when <paramref name="width"/> is null.</summary>
    public void Output(string tensorName, int? width, string documentation) =>
        Graph.Output.Add(FloatValue(tensorName, width, documentation));

    /// <summary>Creates an integer attribute.</summary>
    public static AttributeProto IntAttribute(string attributeName, long value) =>
        new() { Name = attributeName, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private TensorProto Initializer(string tensorName, TensorProto.Types.DataType type, long[] dimensions)
    {
        var tensor = new TensorProto { Name = tensorName, DataType = (int)type };
        tensor.Dims.AddRange(dimensions);
        Graph.Initializer.Add(tensor);
        return tensor;
    }

    private static ValueInfoProto FloatValue(string tensorName, int? width, string documentation = "")
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        if (width is int size)
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = tensorName, Type = new TypeProto { TensorType = tensorType }, DocString = documentation };
    }
}
