using System.Globalization;
using System.Text;
using Pantau.Core.Regions;

namespace Pantau.Core.Tally;

/// <summary>Totals of counted sheets in one region (or one TPS) for one contest: the D.Hasil figures.</summary>
public sealed class RecapTotals : IEquatable<RecapTotals>
{
    public long TpsIn { get; set; }
    public long SuaraSah { get; set; }
    public long SuaraTidakSah { get; set; }
    /// <summary>Pengguna hak pilih (DPT + DPPh + DPTb users).</summary>
    public long Users { get; set; }
    /// <summary>Registered voters on the sheets (DPT + DPPh + DPTb).</summary>
    public long Registered { get; set; }
    public long Disabled { get; set; }
    public long BallotsReceived { get; set; }
    public long BallotsUsed { get; set; }
    public long BallotsDamaged { get; set; }
    public long BallotsUnused { get; set; }
    public SortedDictionary<int, long> Votes { get; } = [];

    /// <summary>Adds (<paramref name="sign"/> = 1) or removes (-1) the contribution of one sheet.</summary>
    /// <remarks>Checked: a total past Int64 throws <see cref="OverflowException"/> instead of wrapping (the intake's grammar keeps
    /// every count far below that, <see cref="TallyGrammar"/>).</remarks>
    public void Add(CHasilSheet s, int sign = 1)
    {
        checked
        {
        TpsIn += sign;
        SuaraSah += sign * s.SuaraSah;
        SuaraTidakSah += sign * s.SuaraTidakSah;
        Users += sign * s.UsersTotal;
        Registered += sign * s.RegisteredTotal;
        Disabled += sign * s.Disabled;
        BallotsReceived += sign * s.BallotsReceived;
        BallotsUsed += sign * s.BallotsUsed;
        BallotsDamaged += sign * s.BallotsDamaged;
        BallotsUnused += sign * s.BallotsUnused;
        foreach (var (n, v) in s.Votes) Votes[n] = Votes.GetValueOrDefault(n) + sign * v;
        }
    }

    public void Add(RecapTotals o, int sign = 1)
    {
        checked
        {
        TpsIn += sign * o.TpsIn;
        SuaraSah += sign * o.SuaraSah;
        SuaraTidakSah += sign * o.SuaraTidakSah;
        Users += sign * o.Users;
        Registered += sign * o.Registered;
        Disabled += sign * o.Disabled;
        BallotsReceived += sign * o.BallotsReceived;
        BallotsUsed += sign * o.BallotsUsed;
        BallotsDamaged += sign * o.BallotsDamaged;
        BallotsUnused += sign * o.BallotsUnused;
        foreach (var (n, v) in o.Votes) Votes[n] = Votes.GetValueOrDefault(n) + sign * v;
        }
    }

    public bool IsZero => TpsIn == 0 && SuaraSah == 0 && SuaraTidakSah == 0 && Users == 0 && Registered == 0 && Disabled == 0 &&
                          BallotsReceived == 0 && BallotsUsed == 0 && BallotsDamaged == 0 && BallotsUnused == 0 && Votes.Values.All(v => v == 0);

    /// <summary>Votes as <c>n=v,n=v</c> (zero entries dropped), the storage form of the recap counters.</summary>
    public string VotesText()
    {
        var sb = new StringBuilder();
        foreach (var (n, v) in Votes)
        {
            if (v == 0) continue;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append('=').Append(v.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public static void ParseVotes(string text, IDictionary<int, long> into)
    {
        if (string.IsNullOrEmpty(text)) return;
        foreach (var pair in text.Split(','))
        {
            var eq = pair.IndexOf('=');
            var n = int.Parse(pair[..eq], CultureInfo.InvariantCulture);
            into[n] = into.TryGetValue(n, out var x) ? x + long.Parse(pair[(eq + 1)..], CultureInfo.InvariantCulture) : long.Parse(pair[(eq + 1)..], CultureInfo.InvariantCulture);
        }
    }

    public bool Equals(RecapTotals? o) => o is not null && TpsIn == o.TpsIn && SuaraSah == o.SuaraSah && SuaraTidakSah == o.SuaraTidakSah &&
        Users == o.Users && Registered == o.Registered && Disabled == o.Disabled && BallotsReceived == o.BallotsReceived &&
        BallotsUsed == o.BallotsUsed && BallotsDamaged == o.BallotsDamaged && BallotsUnused == o.BallotsUnused && VotesText() == o.VotesText();

    public override bool Equals(object? obj) => Equals(obj as RecapTotals);
    public override int GetHashCode() => HashCode.Combine(TpsIn, SuaraSah, Users, VotesText());

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"tpsIn={TpsIn} sah={SuaraSah} tidakSah={SuaraTidakSah} users={Users} registered={Registered} disabled={Disabled} received={BallotsReceived} used={BallotsUsed} damaged={BallotsDamaged} unused={BallotsUnused} votes=[{VotesText()}]");
}

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

/// <summary>One differing field between two sheets.</summary>
public sealed record FieldDiff(string Field, string LabelId, string LabelEn, long? Left, long? Right);

public static class SheetDiff
{
    /// <summary>Field-level differences (votes as <c>p1</c>, <c>p2</c> ..., then the numeric fields). A field absent from either sheet
    /// (a partial sheet from another source, a version-1 sheet without the written totals) is not compared: absent is not zero.</summary>
    public static IReadOnlyList<FieldDiff> Compare(CHasilSheet a, CHasilSheet b)
    {
        var diffs = new List<FieldDiff>();
        var votesComparable = !((a.IsPartial && a.Votes.Count == 0) || (b.IsPartial && b.Votes.Count == 0));
        foreach (var n in votesComparable ? a.Votes.Keys.Union(b.Votes.Keys).Order() : Enumerable.Empty<int>())
        {
            long? l = a.Votes.TryGetValue(n, out var x) ? x : null, r = b.Votes.TryGetValue(n, out var y) ? y : null;
            if (l != r)
            {
                var f = SheetFields.VoteField(n);
                var (id, en) = SheetFields.Label(f);
                diffs.Add(new FieldDiff(f, id, en, l, r));
            }
        }
        foreach (var f in SheetFields.Numeric)
            if (f.Value(a) is { } l && f.Value(b) is { } r && l != r) diffs.Add(new FieldDiff(f.Name, f.LabelId, f.LabelEn, l, r));
        return diffs;
    }
}

/// <summary>Cheap anomaly markers computed at intake (they do not exclude a sheet from totals; they feed the review queue).</summary>
public static class AnomalyRules
{
    public const string TurnoutGt100 = "TURNOUT_GT_100";
    public const string PaslonNear100 = "PASLON_NEAR_100";
    public const string InvalidShareHigh = "INVALID_SHARE_HIGH";
    public const string PhotoDuplicate = "PHOTO_DUPLICATE";
    public const string LargeChange = "LARGE_CHANGE";

    /// <param name="expectedDpt">The DPT of the TPS in the master data, when known.</param>
    public static IReadOnlyList<string> Check(CHasilSheet s, long? expectedDpt, CHasilSheet? previous)
    {
        var list = new List<string>();
        var registered = expectedDpt is { } e ? Math.Max(e, s.Dpt) + s.Dpph + s.Dptb : s.RegisteredTotal;
        if (registered > 0 && s.UsersTotal > registered) list.Add(TurnoutGt100);
        if (s.SuaraSah >= 200 && s.Votes.Count > 1 && s.Votes.Values.Max() * 100 >= s.SuaraSah * 99) list.Add(PaslonNear100);
        if (s.BallotsUsed >= 100 && s.SuaraTidakSah * 100 > s.BallotsUsed * 25) list.Add(InvalidShareHigh);
        if (previous is not null && previous.SuaraSah > 0)
        {
            var moved = SheetDiff.Compare(previous, s).Where(d => d.Field.StartsWith('p')).Sum(d => Math.Abs((d.Right ?? 0) - (d.Left ?? 0)));
            if (moved * 10 > previous.SuaraSah) list.Add(LargeChange);
        }
        return list;
    }
}
