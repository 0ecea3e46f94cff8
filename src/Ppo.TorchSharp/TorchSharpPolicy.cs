using Ppo.Environments;
using Ppo.Policies;
using Ppo.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>A <see cref="TorchActorCritic"/> as inference sees it (<see cref="IPolicy"/>): evaluation, saved policies and KL references use it.</summary>
/// <remarks>Every call runs under <c>no_grad</c> in its own dispose scope. Sampling draws one seed from the caller's generator for a torch generator, so results depend only on that generator.</remarks>
public sealed class TorchSharpPolicy : IMaskablePolicy, IDisposable
{
    private readonly Generator _generator;

    /// <summary>Wraps <paramref name="network"/>, which computes on <paramref name="device"/>.</summary>
    /// <param name="network">The actor-critic.</param>
    /// <param name="device">The device its parameters live on.</param>
    public TorchSharpPolicy(TorchActorCritic network, Device device)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(device);
        Network = network;
        Device = device;
        _generator = new Generator(0, device);
    }

    /// <summary>Gets the actor-critic.</summary>
    public TorchActorCritic Network { get; }

    /// <summary>Gets the device the network computes on.</summary>
    public Device Device { get; }

    /// <inheritdoc/>
    public int ObservationSize => Network.ObservationSize;

    /// <inheritdoc/>
    public Space ActionSpace => Network.ActionSpace;

    /// <inheritdoc/>
    public int ActionSize => Network.ActionSize;

    /// <inheritdoc/>
    /// <remarks>0 for action spaces that cannot be masked.</remarks>
    public int ActionMaskLength => Network.Distribution.ActionMaskLength;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic = true, SeededRandom? random = null) =>
        Predict(observations, [], actions, deterministic, random);

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<float> observations, ReadOnlySpan<bool> actionMasks, Span<float> actions, bool deterministic = true, SeededRandom? random = null)
    {
        int rows = Rows(observations);
        if (actions.Length != rows * ActionSize)
            throw new ArgumentException($"actions must hold {rows} actions of {ActionSize} floats (was {actions.Length}).", nameof(actions));
        for (int i = 0; i < observations.Length; i++)
        {
            if (!float.IsFinite(observations[i]))
                throw new ArgumentException($"Observation {i / ObservationSize}, element {i % ObservationSize} is {observations[i]}; observations must be finite.", nameof(observations));
        }

        if (!deterministic && random is null)
            throw new ArgumentException("Sampling (deterministic: false) needs a random generator.", nameof(random));
        if (!actionMasks.IsEmpty)
            Network.CheckActionMasks(actionMasks, rows);

        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGradient = no_grad();
        Tensor input = tensor(observations.ToArray(), [rows, ObservationSize], device: Device);
        (Tensor headOutput, _) = Network.Forward(input);
        if (!actionMasks.IsEmpty)
            headOutput = Network.Distribution.ApplyMask(headOutput, tensor(actionMasks.ToArray(), [rows, ActionMaskLength], device: Device));
        Tensor chosen;
        if (deterministic)
        {
            chosen = Network.Distribution.Mode(headOutput);
        }
        else
        {
            _generator.manual_seed((long)random!.NextUInt64());
            chosen = Network.Distribution.Sample(headOutput, _generator);
        }

        HostTensors.Download(chosen, actions);
        if (ActionSpace is BoxSpace box)
        {
            for (int start = 0; start < actions.Length; start += ActionSize)
                box.Clip(actions.Slice(start, ActionSize), actions.Slice(start, ActionSize));
        }
    }

    /// <inheritdoc/>
    public void LogProbabilities(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, Span<float> logProbabilities)
    {
        int rows = Rows(observations);
        if (actions.Length != rows * ActionSize || logProbabilities.Length != rows)
            throw new ArgumentException($"For {rows} observations, actions must hold {rows * ActionSize} floats (was {actions.Length}) and logProbabilities {rows} (was {logProbabilities.Length}).", nameof(actions));
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGradient = no_grad();
        Tensor input = tensor(observations.ToArray(), [rows, ObservationSize], device: Device);
        Tensor taken = tensor(actions.ToArray(), [rows, ActionSize], device: Device);
        (Tensor headOutput, _) = Network.Forward(input);
        HostTensors.Download(Network.Distribution.LogProbabilities(headOutput, taken), logProbabilities);
    }

    /// <summary>Releases the generator and the network's native tensors.</summary>
    public void Dispose()
    {
        _generator.Dispose();
        Network.Dispose();
    }

    private int Rows(ReadOnlySpan<float> observations)
    {
        if (observations.Length == 0 || observations.Length % ObservationSize != 0)
            throw new ArgumentException($"observations must hold a whole, non-zero number of observations of {ObservationSize} floats (was {observations.Length}).", nameof(observations));
        return observations.Length / ObservationSize;
    }
}
