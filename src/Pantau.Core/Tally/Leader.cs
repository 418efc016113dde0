namespace Pantau.Core.Tally;

/// <summary>Who leads a region's count: the column with the most valid votes, its share of the valid votes, and whether it is a tie.</summary>
public sealed record Leader(int Number, long Votes, double Share, bool Tie);

public static class Leaders
{
    /// <summary>
    /// The leading column of <paramref name="votes"/> (ballot number → votes; 0 is kolom kosong), or null when nothing was counted yet
    /// (no votes at all: a region without a reported TPS has no leader, not a leader with 0%). A tie names the lowest ballot number
    /// among the tied columns and says so.
    /// </summary>
    public static Leader? Of(IEnumerable<KeyValuePair<int, long>> votes)
    {
        long total = 0, best = -1;
        int number = 0, atBest = 0;
        foreach (var (n, v) in votes.OrderBy(p => p.Key == 0 ? int.MaxValue : p.Key))
        {
            if (v < 0) continue;
            total += v;
            if (v > best) { best = v; number = n; atBest = 1; }
            else if (v == best) atBest++;
        }
        return total == 0 ? null : new Leader(number, best, (double)best / total, atBest > 1);
    }
}
