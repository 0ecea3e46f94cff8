namespace Ppo.Training;

/// <summary>The returns and lengths of the most recent finished episodes, in a fixed-size window (Stable-Baselines3 keeps 100).</summary>
public sealed class EpisodeStatistics
{
    private readonly double[] _returns;
    private readonly int[] _lengths;
    private int _next;

    /// <summary>Creates an empty window.</summary>
    /// <param name="capacity">The number of most recent episodes kept; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public EpisodeStatistics(int capacity = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _returns = new double[capacity];
        _lengths = new int[capacity];
    }

    /// <summary>Gets the number of episodes in the window.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the number of episodes recorded since creation.</summary>
    public long TotalEpisodes { get; private set; }

    /// <summary>Gets the mean return of the episodes in the window, or NaN when it is empty.</summary>
    public double MeanReturn => Count == 0 ? double.NaN : Sum(_returns.AsSpan(0, Count)) / Count;

    /// <summary>Gets the mean length of the episodes in the window, or NaN when it is empty.</summary>
    public double MeanLength
    {
        get
        {
            if (Count == 0)
                return double.NaN;
            long total = 0;
            for (int i = 0; i < Count; i++)
                total += _lengths[i];
            return (double)total / Count;
        }
    }

    /// <summary>Records a finished episode, replacing the oldest when the window is full.</summary>
    /// <param name="episodeReturn">The undiscounted return.</param>
    /// <param name="length">The number of steps.</param>
    public void Add(double episodeReturn, int length)
    {
        _returns[_next] = episodeReturn;
        _lengths[_next] = length;
        _next = (_next + 1) % _returns.Length;
        Count = Math.Min(Count + 1, _returns.Length);
        TotalEpisodes++;
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write(_returns.Length);
        writer.Write(Count);
        writer.Write(_next);
        writer.Write(TotalEpisodes);
        for (int i = 0; i < Count; i++)
        {
            writer.Write(_returns[i]);
            writer.Write(_lengths[i]);
        }
    }

    internal void Read(BinaryReader reader)
    {
        int capacity = reader.ReadInt32(), count = reader.ReadInt32(), next = reader.ReadInt32();
        long total = reader.ReadInt64();
        if (capacity != _returns.Length || count < 0 || count > capacity || next < 0 || next >= capacity || total < count)
            throw new InvalidDataException($"The episode statistics (capacity {capacity}, count {count}, next {next}, total {total}) do not fit a window of {_returns.Length}.");
        for (int i = 0; i < count; i++)
        {
            _returns[i] = reader.ReadDouble();
            _lengths[i] = reader.ReadInt32();
        }

        (Count, _next, TotalEpisodes) = (count, next, total);
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double value in values)
            sum += value;
        return sum;
    }
}
