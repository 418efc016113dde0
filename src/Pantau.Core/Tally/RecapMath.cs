using System.Globalization;
using System.Text;
using Pantau.Core.Regions;

namespace Pantau.Core.Tally;

/// <summary>Recapitulation arithmetic: which counters a TPS sheet feeds, and full recomputation.</summary>
public static class RecapMath
{
    /// <summary>The recap keys a TPS contributes to: province, kab/kota, kecamatan, desa (dotted codes) and the TPS code itself.</summary>
    public static string[] Levels(string tpsCode)
    {
        if (!RegionCode.TryParseTpsCode(tpsCode, out var desa, out _)) throw new FormatException($"'{tpsCode}' is not a TPS code.");
        return [desa[..2], desa[..5], desa[..8], desa, tpsCode];
    }

    /// <summary>Parent key of a recap key (a TPS's parent is its desa).</summary>
    public static string? ParentOf(string key) =>
        key.Length == 13 && !key.Contains('.') ? RegionCode.FromNumeric(key[..10]) : RegionCode.ParentOf(key);

    /// <summary>Recomputes every level from the counted sheets.</summary>
    public static Dictionary<string, RecapTotals> Aggregate(IEnumerable<CHasilSheet> counted)
    {
        var result = new Dictionary<string, RecapTotals>(StringComparer.Ordinal);
        foreach (var s in counted)
            foreach (var key in Levels(s.Tps))
            {
                if (!result.TryGetValue(key, out var t)) result[key] = t = new RecapTotals();
                t.Add(s);
            }
        return result;
    }
}
