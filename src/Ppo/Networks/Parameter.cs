using Ppo.Tensors;

namespace Ppo.Networks;

/// <summary>
/// A named, trainable tensor of a layer with its gradient. Its value and gradient are views into the flat buffers of a
/// <see cref="ParameterSet"/>, so the optimizer and gradient clipping work on one buffer per network.
/// </summary>
public sealed class Parameter
{
    private readonly int[] _shape;
    private Tensor? _value;
    private Tensor? _gradient;

    /// <summary>Creates an unbound parameter of the given shape.</summary>
    /// <param name="name">A name that identifies the parameter within its layer, such as <c>weight</c>.</param>
    /// <param name="shape">The shape; each dimension at least 1.</param>
    /// <exception cref="ArgumentException">The shape is empty or has a dimension below 1.</exception>
    public Parameter(string name, params int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || Array.Exists(shape, size => size < 1))
            throw new ArgumentException($"Every dimension must be at least 1 (shape was [{string.Join(", ", shape)}]).", nameof(shape));
        Name = name;
        _shape = (int[])shape.Clone();
        Length = 1;
        foreach (int size in shape)
            Length *= size;
    }

    /// <summary>Gets the name of the parameter within its layer.</summary>
    public string Name { get; }

    /// <summary>Gets the shape.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Gets the number of elements.</summary>
    public int Length { get; }

    /// <summary>Gets the value.</summary>
    /// <exception cref="InvalidOperationException">The parameter has not been placed in a <see cref="ParameterSet"/> yet.</exception>
    public Tensor Value => _value ?? throw Unbound();

    /// <summary>Gets the gradient, which backward passes accumulate into.</summary>
    /// <exception cref="InvalidOperationException">The parameter has not been placed in a <see cref="ParameterSet"/> yet.</exception>
    public Tensor Gradient => _gradient ?? throw Unbound();

    /// <summary>Gets a value indicating whether the parameter has storage.</summary>
    public bool IsBound => _value is not null;

    internal void Bind(Tensor values, Tensor gradients, int offset)
    {
        if (_value is not null)
            throw new InvalidOperationException($"Parameter '{Name}' already belongs to a parameter set.");
        _value = values.View(offset, _shape);
        _gradient = gradients.View(offset, _shape);
    }

    private InvalidOperationException Unbound() =>
        new($"Parameter '{Name}' has no storage yet: create the network's ParameterSet first.");
}
