using System.Globalization;
using System.Text;
using Pantau.Core.Regions;
using Pantau.Core.Tally.Anomalies;

namespace Pantau.Core.Tally;

/// <summary>
/// Cheap anomaly markers computed at intake (they do not exclude a sheet from totals; they feed the review queue). Their codes are those
/// of <see cref="AnomalyCodes"/>, the one set the scanner uses too.
/// </summary>
public static class AnomalyRules
{

    /// <param name="expectedDpt">The DPT of the TPS in the master data, when known.</param>
    public static IReadOnlyList<string> Check(CHasilSheet s, long? expectedDpt, CHasilSheet? previous)
    {
        var list = new List<string>();
        var registered = expectedDpt is { } e ? Math.Max(e, s.Dpt) + s.Dpph + s.Dptb : s.RegisteredTotal;
        if (registered > 0 && s.UsersTotal > registered) list.Add(AnomalyCodes.TurnoutOver100);
        if (s.SuaraSah >= 200 && s.Votes.Count > 1 && s.Votes.Values.Max() * 100 >= s.SuaraSah * 99) list.Add(AnomalyCodes.PaslonNear100);
        if (s.BallotsUsed >= 100 && s.SuaraTidakSah * 100 > s.BallotsUsed * 25) list.Add(AnomalyCodes.InvalidShareHigh);
        if (previous is not null && previous.SuaraSah > 0)
        {
            var moved = SheetDiff.Compare(previous, s).Where(d => d.Field.StartsWith('p')).Sum(d => Math.Abs((d.Right ?? 0) - (d.Left ?? 0)));
            if (moved * 10 > previous.SuaraSah) list.Add(AnomalyCodes.LargeChange);
        }
        return list;
    }
}
