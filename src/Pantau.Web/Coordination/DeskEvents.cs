using Pantau.Core.Regions;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Coordination;

/// <summary>
/// Live events for the Desk dashboards: a change at a region is published to <c>desk:{code}</c> for the region and each of its ancestors
/// down to kecamatan (the levels that have a dashboard), so the dashboard of the province, the kab/kota and the kecamatan all refresh.
/// Event types: <c>action</c> (created or status changed), <c>meeting</c>, <c>agreement</c>, <c>actions-overdue</c> (escalation job).
/// Payloads are non-private hints (ids, region codes); browsers re-read through the normal, authorized pages.
/// </summary>
public static class DeskEvents
{
    public const string Prefix = "desk:";

    public static IEnumerable<string> Topics(string regionCode) =>
        RegionCode.Lineage(regionCode).Where(c => RegionCode.TryGetLevel(c, out var l) && l <= RegionLevel.Kecamatan).Select(c => Prefix + c);

    public static async Task PublishAsync(ILiveUpdates? live, IEnumerable<string> regionCodes, string type, object payload, CancellationToken ct = default)
    {
        if (live is null) return;
        foreach (var topic in regionCodes.SelectMany(Topics).Distinct())
            await live.PublishAsync(topic, type, payload, ct);
    }
}
