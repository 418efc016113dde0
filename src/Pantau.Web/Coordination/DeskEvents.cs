using Pantau.Core.Regions;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Coordination;

/// <summary>
/// Live events for the Desk dashboards: a change at a region is published once, to <c>desk:{code}</c> for the region or, below
/// kecamatan, its kecamatan (the deepest level with a dashboard). The hub delivers a region's topic to the subscribers of every
/// ancestor too (<see cref="LiveHub.Matches"/>), so the dashboards of the kecamatan, the kab/kota and the province all refresh, once.
/// Event types: <c>action</c> (created or status changed), <c>meeting</c>, <c>agreement</c>, <c>actions-overdue</c> (escalation job).
/// Payloads are non-private hints (ids, region codes); browsers re-read through the normal, authorized pages.
/// </summary>
public static class DeskEvents
{
    public const string Prefix = "desk:";

    /// <summary>The topics one change at <paramref name="regionCodes"/> is published to: the dashboard level of each code, leaving out a
    /// code whose subscribers another code's event reaches already (an ancestor of another code in the set).</summary>
    public static IReadOnlyList<string> Topics(IEnumerable<string> regionCodes)
    {
        var codes = regionCodes.Where(c => RegionCode.TryGetLevel(c, out _))
            .Select(c => RegionCode.LevelOf(c) <= RegionLevel.Kecamatan ? c : RegionCode.AncestorAt(c, RegionLevel.Kecamatan))
            .Distinct().ToList();
        return codes.Where(c => !codes.Any(o => o != c && RegionCode.IsWithin(o, c))).Select(c => Prefix + c).ToList();
    }

    public static async Task PublishAsync(ILiveUpdates? live, IEnumerable<string> regionCodes, string type, object payload, CancellationToken ct = default)
    {
        if (live is null) return;
        foreach (var topic in Topics(regionCodes))
            await live.PublishAsync(topic, type, payload, ct);
    }
}
