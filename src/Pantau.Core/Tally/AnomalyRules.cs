using System.Globalization;
using System.Text;
using Pantau.Core.Regions;

namespace Pantau.Core.Tally;

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
