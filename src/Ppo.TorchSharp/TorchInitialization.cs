using Ppo.Randomness;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>
/// Stable-Baselines3's weight initialization for the linear and convolutional layers of a module, drawn by Ppo's own
/// seeded generator so that it depends on the seed alone (not on libtorch's global generator) and, for the same layers
/// in the same order, equals the managed engine's initialization bit for bit.
/// </summary>
internal static class TorchInitialization
{
    /// <summary>
    /// Sets every weight, in module order, to an orthogonal matrix (a convolution's flattened to
    /// <c>[out, in·k·k]</c>, as <c>nn.init.orthogonal_</c> does) times its gain, and every bias to 0.
    /// </summary>
    /// <param name="network">The module whose layers to initialize.</param>
    /// <param name="hiddenGain">The gain of every layer but the last.</param>
    /// <param name="outputGain">The gain of the last layer.</param>
    /// <param name="random">The generator, advanced layer by layer.</param>
    public static void Orthogonal(nn.Module network, double hiddenGain, double outputGain, SeededRandom random)
    {
        List<(Tensor Weight, Tensor? Bias)> layers = Layers(network);
        for (int i = 0; i < layers.Count; i++)
        {
            (Tensor weight, Tensor? bias) = layers[i];
            int rows = (int)weight.shape[0];
            int columns = (int)(weight.numel() / rows);
            float[] values = new float[rows * columns];
            Networks.Initializers.Orthogonal(values, rows, columns, i == layers.Count - 1 ? outputGain : hiddenGain, random);
            Assign(weight, values);
            if (bias is not null)
                Assign(bias, new float[bias.numel()]);
        }
    }

    /// <summary>Sets every weight and then its bias, layer by layer, uniform in ±1/√fan-in (PyTorch's default bound).</summary>
    /// <param name="network">The module whose layers to initialize.</param>
    /// <param name="random">The generator, advanced layer by layer.</param>
    public static void Uniform(nn.Module network, SeededRandom random)
    {
        foreach ((Tensor weight, Tensor? bias) in Layers(network))
        {
            float bound = 1f / MathF.Sqrt(weight.numel() / weight.shape[0]);
            Assign(weight, Draw((int)weight.numel(), bound, random));
            if (bias is not null)
                Assign(bias, Draw((int)bias.numel(), bound, random));
        }
    }

    /// <summary>Copies <paramref name="values"/> (row-major) into a parameter without recording it for autograd.</summary>
    /// <param name="parameter">The destination, of <c>values.Length</c> elements.</param>
    /// <param name="values">The values.</param>
    public static void Assign(Tensor parameter, float[] values)
    {
        using IDisposable noGradient = no_grad();
        using Tensor source = tensor(values, parameter.shape, dtype: parameter.dtype, device: parameter.device);
        parameter.copy_(source);
    }

    private static float[] Draw(int count, float bound, SeededRandom random)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = random.NextUniform(-bound, bound);
        return values;
    }

    private static List<(Tensor Weight, Tensor? Bias)> Layers(nn.Module network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = new List<(Tensor, Tensor?)>();
        foreach (nn.Module module in network.modules())
        {
            switch (module)
            {
                case Linear linear:
                    layers.Add((linear.weight!, linear.bias));
                    break;
                case Conv2d convolution:
                    layers.Add((convolution.weight!, convolution.bias));
                    break;
            }
        }

        return layers;
    }
}
