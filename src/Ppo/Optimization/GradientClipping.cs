using System.Numerics.Tensors;

namespace Ppo.Optimization;

/// <summary>Global gradient-norm clipping, as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
/// <remarks>
/// <c>norm = ‖g‖₂</c> over every parameter; when <c>maxNorm / (norm + 1e-6) &lt; 1</c> the gradients are scaled by that
/// factor. The norm is reduced in a fixed order, so equal gradients give an equal result.
/// </remarks>
public static class GradientClipping
{
    /// <summary>Scales <paramref name="gradients"/> so that their global L2 norm is at most about <paramref name="maxNorm"/>.</summary>
    /// <param name="gradients">The flat gradient buffer, scaled in place.</param>
    /// <param name="maxNorm">The largest norm allowed; finite and &gt; 0.</param>
    /// <returns>The norm before clipping.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not a finite positive number.</exception>
    public static float ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!float.IsFinite(maxNorm) || maxNorm <= 0f)
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be finite and > 0.");
        float norm = TensorPrimitives.Norm(gradients);
        float scale = Scale(norm, maxNorm);
        if (scale < 1f)
            TensorPrimitives.Multiply(gradients, scale, gradients);
        return norm;
    }

    /// <summary>The factor by which gradients of global norm <paramref name="norm"/> are scaled: <c>maxNorm / (norm + 1e-6)</c>, at most 1.</summary>
    internal static float Scale(float norm, float maxNorm)
    {
        float scale = maxNorm / (norm + 1e-6f);
        return scale < 1f ? scale : 1f;
    }
}
