using Ppo.Tensors;

namespace Ppo.Networks;

/// <summary>Argument checks shared by the layers' forward and backward passes.</summary>
internal static class LayerChecks
{
    public static void Forward(ILayer layer, Tensor input, Tensor output, int rowCount, int maxRowCount)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        CheckRows(rowCount, maxRowCount);
        CheckSize(input, rowCount * layer.InputSize, nameof(input), layer.InputSize, rowCount);
        CheckSize(output, rowCount * layer.OutputSize, nameof(output), layer.OutputSize, rowCount);
    }

    public static void Backward(ILayer layer, Tensor outputGradient, Tensor? inputGradient, int rowCount, int maxRowCount)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        CheckRows(rowCount, maxRowCount);
        CheckSize(outputGradient, rowCount * layer.OutputSize, nameof(outputGradient), layer.OutputSize, rowCount);
        if (inputGradient is not null)
            CheckSize(inputGradient, rowCount * layer.InputSize, nameof(inputGradient), layer.InputSize, rowCount);
    }

    private static void CheckRows(int rowCount, int maxRowCount)
    {
        if (rowCount < 1 || rowCount > maxRowCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"The row count must be in [1, {maxRowCount}] (call Resize for larger batches).");
    }

    private static void CheckSize(Tensor tensor, int needed, string name, int width, int rowCount)
    {
        if (tensor.Length < needed || tensor.RowLength != width)
            throw new ArgumentException($"{name} must have rows of {width} and at least {rowCount} of them (was {tensor}).", name);
    }
}
