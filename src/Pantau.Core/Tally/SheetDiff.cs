using System.Globalization;
using System.Text;
using Pantau.Core.Regions;

namespace Pantau.Core.Tally;

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
