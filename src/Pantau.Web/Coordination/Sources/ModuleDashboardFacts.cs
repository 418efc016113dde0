using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Web.Incidents;
using Inc = Pantau.Web.Incidents;
using Pantau.Web.Readiness;

namespace Pantau.Web.Coordination.Sources;

/// <summary>
/// Readiness score and late tasks from the Readiness module (one computation gives the region and its children). The numbers equal
/// <c>/api/readiness/summary?region=</c> (score, late) and <c>/api/readiness/late?region=</c> (total); the links open <c>/kesiapan/{region}</c>
/// and its late-task list (<c>#terlambat</c>).
/// </summary>
public sealed class ReadinessDashboardFacts(ReadinessService readiness, TimeProvider time) : IReadinessFacts
{
    public async Task<ReadinessSummary?> GetAsync(string regionCode, CancellationToken ct)
    {
        var d = await readiness.DashboardAsync(regionCode, Core.Readiness.Schedule.Today(time.GetUtcNow()), 0, ct, lateLimit: 0);
        if (d is null) return null;
        return new ReadinessSummary(d.Summary.Score, (int)d.Summary.Late, $"/kesiapan/{regionCode}", $"/kesiapan/{regionCode}#terlambat",
            d.Children.Select(c => new ChildReadiness(c.Code, c.Score, (int)c.Late)).ToList());
    }
}

/// <summary>
/// Open incidents by severity and the kerawanan bands from the Incidents module's <see cref="IIncidentSummary"/>; open incidents per child
/// region with the same "open" rule. Each number links to <c>/insiden</c> or <c>/kerawanan</c> filtered to exactly what it counts.
/// </summary>
public sealed class IncidentDashboardFacts(IIncidentSummary incidents, PantauDbContext db) : IIncidentFacts, IKerawananFacts
{
    private Inc.IncidentSummary? _cached;
    private string? _cachedFor;
    private string? _cachedElection;

    /// <summary>
    /// One summary per request: the incident counts do not depend on the election, the kerawanan part does (its IKP edition); a
    /// request for the election's kerawanan (<paramref name="exact"/>) recomputes when the cached one was for another election.
    /// </summary>
    private async Task<Inc.IncidentSummary> Get(string regionCode, CancellationToken ct, string? election = null, bool exact = false)
    {
        if (_cached is null || _cachedFor != regionCode
            || (exact && !string.Equals(_cached.Kerawanan?.Election ?? _cachedElection, election, StringComparison.OrdinalIgnoreCase) && _cachedElection != election))
        {
            _cached = await incidents.ForElectionAsync(regionCode, election, ct);
            _cachedFor = regionCode;
            _cachedElection = election;
        }
        return _cached;
    }

    public static string ListHref(string regionCode, Severity? severity = null) =>
        $"/insiden?region={regionCode}&open=true" + (severity is { } s ? $"&severity={s}" : "");

    async Task<Coordination.IncidentSummary?> IIncidentFacts.GetAsync(string regionCode, CancellationToken ct)
    {
        var s = await Get(regionCode, ct);
        return new Coordination.IncidentSummary(s.Open,
            s.OpenBySeverity.OrderByDescending(x => x.Key).Select(x =>
            {
                var (id, en) = IncidentLabels.Of(x.Key);
                return new SeverityCount(x.Key.ToString(), "insiden " + id.ToLowerInvariant(), x.Value, ListHref(regionCode, x.Key), en.ToLowerInvariant() + " incidents");
            }).ToList(),
            ListHref(regionCode), await OpenByChildAsync(regionCode, ct));
    }

    /// <summary>Open incidents per child region (kab/kota, kecamatan or desa); reports filed at the region itself belong to no child.</summary>
    private async Task<Dictionary<string, int>?> OpenByChildAsync(string regionCode, CancellationToken ct)
    {
        if (!RegionCode.TryGetLevel(regionCode, out var level) || level >= RegionLevel.Desa) return null;
        var childLevel = level + 1;
        var codes = await IncidentService.InScope(db.Incidents.AsNoTracking(), regionCode)
            .Where(i => i.Status == IncidentStatus.New || i.Status == IncidentStatus.Verified || i.Status == IncidentStatus.Referred || i.Status == IncidentStatus.ActionTaken)
            .Select(i => i.RegionCode).ToListAsync(ct);
        return codes.Where(c => RegionCode.TryGetLevel(c, out var l) && l >= childLevel)
            .GroupBy(c => RegionCode.AncestorAt(c, childLevel)).ToDictionary(g => g.Key, g => g.Count());
    }

    Task<Coordination.KerawananSummary?> IKerawananFacts.GetAsync(string regionCode, CancellationToken ct) => KerawananAsync(regionCode, null, ct);

    Task<Coordination.KerawananSummary?> IKerawananFacts.GetAsync(string regionCode, string? electionCode, CancellationToken ct) => KerawananAsync(regionCode, electionCode, ct);

    private async Task<Coordination.KerawananSummary?> KerawananAsync(string regionCode, string? electionCode, CancellationToken ct)
    {
        var s = await Get(regionCode, ct, electionCode, exact: true);
        if (s.Kerawanan is not { } k) return null;
        // The dashboard map draws the child regions; below kab/kota kerawanan is scored per TPS, so the action map is shown there.
        var values = RegionCode.LevelOf(regionCode) switch
        {
            RegionLevel.Provinsi => $"/api/kerawanan/map?parent={regionCode}&level=kabkota",
            RegionLevel.KabKota => $"/api/kerawanan/map?parent={regionCode}&level=kecamatan",
            _ => $"/api/coordination/map?region={regionCode}",
        };
        var chosen = electionCode is null ? "" : "&election=" + Uri.EscapeDataString(electionCode);
        values += chosen;
        var list = $"/kerawanan?parent={regionCode}{chosen}";
        return new Coordination.KerawananSummary(k.High, k.Medium, k.Low, values, list,
            list + "&band=High", list + "&band=Medium", list + "&band=Low",
            k.Parts, k.ChildBands.Describe(k.ChildLevel, true), k.ChildBands.Describe(k.ChildLevel, false), k.SyntheticChildren,
            k.Children.Count == 0 ? null : k.Children.Select(c => new ChildKerawanan(c.Code, c.Score.Rounded, c.Score.Band, c.TpsRawan, c.TpsCount, c.Score.IsSynthetic)).ToList());
    }

    /// <summary>Severe (High, Critical) reports of the region in the period, not rejected or merged: the same scope rule as the incident list.</summary>
    async Task<NotableIncidents?> IIncidentFacts.NotableAsync(string regionCode, DateTimeOffset from, DateTimeOffset to, int take, CancellationToken ct)
    {
        var q = IncidentService.InScope(db.Incidents.AsNoTracking(), regionCode)
            .Where(i => (i.Severity == Severity.High || i.Severity == Severity.Critical) && i.Status != IncidentStatus.Rejected && i.Status != IncidentStatus.Merged
                && i.ReportedAt >= from && i.ReportedAt <= to);
        var total = await q.CountAsync(ct);
        // Only what the report prints: no reporter, contact, ASN name or map point is read.
        var rows = await q.OrderByDescending(i => i.Severity).ThenByDescending(i => i.ReportedAt).Take(take)
            .Select(i => new { i.TrackingCode, i.Title, i.Severity, i.Category, i.Status, i.RegionCode, i.ReportedAt }).ToListAsync(ct);
        var codes = rows.Select(r => r.RegionCode).Distinct().ToList();
        var names = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        return new NotableIncidents(total, rows.Select(i =>
        {
            var (sid, sen) = IncidentLabels.Of(i.Severity);
            var (cid, cen) = IncidentLabels.Of(i.Category);
            var (tid, ten) = IncidentLabels.Of(i.Status);
            return new NotableIncident(i.TrackingCode, i.Title, i.Severity.ToString(), sid, sen, cid, cen, tid, ten, i.RegionCode,
                Core.Coordination.AgencyDirectory.Title(names.GetValueOrDefault(i.RegionCode, i.RegionCode)), i.ReportedAt);
        }).ToList());
    }
}

/// <summary>Tahapan dates from the Readiness module's schedule (editable there), replacing the built-in PKPU 2/2024 table.</summary>
public sealed class ReadinessTahapanCalendar(IServiceScopeFactory scopes) : ITahapanCalendar
{
    public async Task<DateOnly?> StartOfAsync(string code, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var stages = await scope.ServiceProvider.GetRequiredService<ReadinessService>().StagesAsync(ct);
        return stages.FirstOrDefault(s => s.Code == code)?.Start ?? (Core.Coordination.PilkadaSchedule.Tahapan.TryGetValue(code, out var t) ? t.Start : null);
    }
}
