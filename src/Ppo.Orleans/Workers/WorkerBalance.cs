namespace Ppo.Orleans.Workers;

/// <summary>Chooses the fewest moves after which every live silo hosts as many workers as any other, give or take one.</summary>
internal static class WorkerBalance
{
    /// <summary>Returns the moves, one worker at a time from the fullest silo to the emptiest, until the counts are within one.</summary>
    /// <param name="placements">The silo of each worker, in worker order; a worker on a silo not in <paramref name="silos"/> is left alone (its next call recovers it).</param>
    /// <param name="silos">The live silos, in address order.</param>
    /// <returns>Each move's worker and the index in <paramref name="silos"/> of its new silo; empty when the workers are balanced.</returns>
    public static List<(int Worker, int Silo)> Moves(IReadOnlyList<string> placements, IReadOnlyList<string> silos)
    {
        var moves = new List<(int Worker, int Silo)>();
        var hosted = new List<int>[silos.Count];
        for (int s = 0; s < hosted.Length; s++)
            hosted[s] = [];
        for (int worker = 0; worker < placements.Count; worker++)
        {
            for (int s = 0; s < silos.Count; s++)
            {
                if (string.Equals(placements[worker], silos[s], StringComparison.Ordinal))
                    hosted[s].Add(worker);
            }
        }

        while (hosted.Length > 1)
        {
            int fullest = 0, emptiest = 0;
            for (int s = 1; s < hosted.Length; s++)
            {
                if (hosted[s].Count > hosted[fullest].Count)
                    fullest = s;
                if (hosted[s].Count < hosted[emptiest].Count)
                    emptiest = s;
            }

            if (hosted[fullest].Count - hosted[emptiest].Count <= 1)
                break;
            int moving = hosted[fullest][^1];
            hosted[fullest].RemoveAt(hosted[fullest].Count - 1);
            hosted[emptiest].Add(moving);
            moves.Add((moving, emptiest));
        }

        return moves;
    }
}
