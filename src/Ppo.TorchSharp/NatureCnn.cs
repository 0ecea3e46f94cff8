using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>
/// The convolutional feature extractor of the DQN Nature paper (Mnih et al. 2015), Stable-Baselines3's <c>NatureCNN</c>:
/// three convolutions with ReLU, then a linear layer with ReLU to <c>featuresDimension</c> features. It takes flat
/// observations <c>[B, C·H·W]</c> and reshapes them to <c>[B, C, H, W]</c>.
/// </summary>
/// <remarks>
/// The paper's kernels (8×8 stride 4, 4×4 stride 2, 3×3 stride 1, with 32, 64 and 64 channels) need images of at least
/// 36×36. Smaller images, such as MinAtar's 10×10, keep the three layers and their channels but use 3×3 kernels with
/// stride 1, each clamped to the size left, so that a 10×10 image leaves 4×4 cells (1,024 features) for the linear layer.
/// Inputs are used as they are: scale 8-bit pixels to [0, 1] in the environment or a wrapper.
/// </remarks>
public sealed class NatureCnn : nn.Module<Tensor, Tensor>
{
    /// <summary>The smallest side on which the paper's kernels fit: (36 − 8) / 4 + 1 = 8, (8 − 4) / 2 + 1 = 3, 3 − 3 + 1 = 1.</summary>
    public const int SmallestNatureImage = 36;

    private readonly nn.Module<Tensor, Tensor> _layers;

    /// <summary>Creates the extractor for images of <c>[channels, height, width]</c>.</summary>
    /// <param name="channels">The number of input channels; at least 1.</param>
    /// <param name="height">The image height; at least 1.</param>
    /// <param name="width">The image width; at least 1.</param>
    /// <param name="featuresDimension">The number of output features; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public NatureCnn(int channels, int height, int width, int featuresDimension = 512)
        : base(nameof(NatureCnn))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featuresDimension);
        Channels = channels;
        Height = height;
        Width = width;
        FeaturesDimension = featuresDimension;

        bool nature = Math.Min(height, width) >= SmallestNatureImage;
        (int OutChannels, int Kernel, int Stride)[] convolutions = nature
            ? [(32, 8, 4), (64, 4, 2), (64, 3, 1)]
            : [(32, 3, 1), (64, 3, 1), (64, 3, 1)];
        var modules = new List<nn.Module<Tensor, Tensor>>();
        int inChannels = channels, h = height, w = width;
        var kernels = new List<int>();
        foreach ((int outChannels, int kernel, int stride) in convolutions)
        {
            int k = Math.Min(kernel, Math.Min(h, w));
            modules.Add(nn.Conv2d(inChannels, outChannels, k, stride));
            modules.Add(nn.ReLU());
            kernels.Add(k);
            h = ((h - k) / stride) + 1;
            w = ((w - k) / stride) + 1;
            inChannels = outChannels;
        }

        modules.Add(nn.Flatten());
        modules.Add(nn.Linear(inChannels * h * w, featuresDimension));
        modules.Add(nn.ReLU());
        _layers = nn.Sequential(modules);
        KernelSizes = kernels;
        register_module("cnn", _layers);
    }

    /// <summary>Gets the number of input channels.</summary>
    public int Channels { get; }

    /// <summary>Gets the image height.</summary>
    public int Height { get; }

    /// <summary>Gets the image width.</summary>
    public int Width { get; }

    /// <summary>Gets the number of output features.</summary>
    public int FeaturesDimension { get; }

    /// <summary>Gets the kernel size of each of the three convolutions, as chosen for the image size.</summary>
    public IReadOnlyList<int> KernelSizes { get; }

    /// <summary>Reshapes flat observations to images and extracts their features.</summary>
    /// <param name="input">The observations, <c>[B, C·H·W]</c> (or already <c>[B, C, H, W]</c>).</param>
    /// <returns>The features, <c>[B, FeaturesDimension]</c>.</returns>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _layers.call(input.reshape(-1, Channels, Height, Width));
    }
}
