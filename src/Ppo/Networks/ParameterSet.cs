using Ppo.Tensors;

namespace Ppo.Networks;

/// <summary>
/// The parameters of a network laid out in one flat value buffer and one flat gradient buffer, in the order given.
/// </summary>
public sealed class ParameterSet
{
    private readonly Parameter[] _parameters;

    /// <summary>Allocates the flat buffers on <paramref name="device"/> and binds each parameter to its slice.</summary>
    /// <param name="parameters">The parameters, in the order they are laid out; none may belong to another set.</param>
    /// <param name="device">The device of the buffers.</param>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    /// <exception cref="InvalidOperationException">A parameter already belongs to a set.</exception>
    public ParameterSet(IEnumerable<Parameter> parameters, Device device)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(device);
        _parameters = [.. parameters];
        if (_parameters.Length == 0)
            throw new ArgumentException("A parameter set needs at least one parameter.", nameof(parameters));

        int total = 0;
        foreach (Parameter parameter in _parameters)
            total += parameter.Length;

        Values = device.Zeros(total);
        Gradients = device.Zeros(total);
        int offset = 0;
        foreach (Parameter parameter in _parameters)
        {
            parameter.Bind(Values, Gradients, offset);
            offset += parameter.Length;
        }
    }

    /// <summary>Gets the parameters in layout order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Gets every parameter value in one flat tensor.</summary>
    public Tensor Values { get; }

    /// <summary>Gets every gradient in one flat tensor, laid out like <see cref="Values"/>.</summary>
    public Tensor Gradients { get; }

    /// <summary>Gets the total number of scalar parameters.</summary>
    public int Count => Values.Length;

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients() => Gradients.Fill(0f);
}
