using System.Globalization;

namespace Ppo.Samples;

/// <summary>
/// Numbers the runs of one environment and seed as Stable-Baselines3 numbers its TensorBoard runs (<c>PPO_1</c>,
/// <c>PPO_2</c>): <c>cartpole-seed1_1</c>, <c>cartpole-seed1_2</c>, … so that a run never takes the checkpoint or the
/// TensorBoard folder of an earlier one.
/// </summary>
internal static class RunNames
{
    /// <summary>The extension of a checkpoint file.</summary>
    public const string CheckpointExtension = ".ppo";

    /// <summary><paramref name="stem"/> and <paramref name="number"/>: <c>cartpole-seed1_3</c>.</summary>
    public static string Numbered(string stem, int number) => string.Create(CultureInfo.InvariantCulture, $"{stem}_{number}");

    /// <summary>
    /// The number after the highest one that a checkpoint <c>stem_N.ppo</c> in <paramref name="checkpointFolder"/> or a
    /// folder <c>stem_N</c> in <paramref name="logFolder"/> already has; 1 when there is none.
    /// </summary>
    public static int Next(string stem, string? checkpointFolder, string? logFolder)
    {
        int highest = 0;
        if (checkpointFolder is not null && Directory.Exists(checkpointFolder))
        {
            foreach (string file in Directory.EnumerateFiles(checkpointFolder, $"{stem}_*{CheckpointExtension}"))
                highest = Math.Max(highest, NumberOf(stem, Path.GetFileNameWithoutExtension(file)));
        }

        if (logFolder is not null && Directory.Exists(logFolder))
        {
            foreach (string folder in Directory.EnumerateDirectories(logFolder, $"{stem}_*"))
                highest = Math.Max(highest, NumberOf(stem, Path.GetFileName(folder)));
        }

        return highest + 1;
    }

    /// <summary>
    /// The checkpoint path of run <paramref name="number"/> in <paramref name="folder"/>, or of the next number whose
    /// file does not exist yet (another run of the same seed may have finished first).
    /// </summary>
    public static string FreeCheckpoint(string folder, string stem, int number)
    {
        string path = Path.Combine(folder, Numbered(stem, number) + CheckpointExtension);
        while (File.Exists(path) || Directory.Exists(path))
            path = Path.Combine(folder, Numbered(stem, ++number) + CheckpointExtension);
        return path;
    }

    /// <summary>The run number in <paramref name="name"/> (<c>stem_N</c>), or 0 when it has none.</summary>
    private static int NumberOf(string stem, string name) =>
        name.Length > stem.Length + 1 && name.StartsWith(stem + "_", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(stem.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            ? number
            : 0;
}
