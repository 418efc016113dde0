namespace Pantau.Core.Elections;

/// <summary>Deterministic largest-remainder apportionment, used to synthesize data the sources lack.</summary>
public static class Apportion
{
    /// <summary>Splits <paramref name="total"/> over <paramref name="weights"/> so the parts sum exactly to it.</summary>
    public static long[] ByWeights(long total, IReadOnlyList<double> weights, long minimumEach = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        var n = weights.Count;
        if (n == 0) return [];
        var reserved = minimumEach * n;
        if (reserved > total) throw new ArgumentException("Total is smaller than the minimum for every part.");
        var rest = total - reserved;
        var sum = weights.Sum();
        if (sum <= 0) throw new ArgumentException("Weights must have a positive sum.");
        var parts = new long[n];
        var remainders = new (double Rem, int Index)[n];
        long assigned = 0;
        for (var i = 0; i < n; i++)
        {
            var exact = rest * (weights[i] / sum);
            var floor = (long)Math.Floor(exact);
            parts[i] = floor + minimumEach;
            assigned += floor;
            remainders[i] = (exact - floor, i);
        }
        var left = rest - assigned;
        foreach (var (_, index) in remainders.OrderByDescending(r => r.Rem).ThenBy(r => r.Index))
        {
            if (left <= 0) break;
            parts[index]++;
            left--;
        }
        return parts;
    }

    /// <summary>A stable pseudo-random number in [0, 1) derived from a string key (FNV-1a), independent of runtime hashing.</summary>
    public static double StableUnit(string key)
    {
        unchecked
        {
            ulong h = 14695981039346656037;
            foreach (var c in key) { h ^= c; h *= 1099511628211; }
            h ^= h >> 33; h *= 0xff51afd7ed558ccd; h ^= h >> 33;
            return (h >> 11) * (1.0 / (1UL << 53));
        }
    }
}
