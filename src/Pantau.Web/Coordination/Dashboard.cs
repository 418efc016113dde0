using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Core.Regions;
using Pantau.Data;

namespace Pantau.Web.Coordination;

// Sources of the Desk dashboard. Each other module (Readiness, Incidents, Tally, kerawanan) registers an implementation; when a module is
// absent nothing is registered and the dashboard shows "belum tersedia" for that block. Hrefs point at the module's own list pages.

public sealed record ReadinessSummary(double Score, int LateTasks, string Href, string LateHref);
public interface IReadinessFacts { Task<ReadinessSummary?> GetAsync(string regionCode, CancellationToken ct); }

public sealed record SeverityCount(string Severity, string Label, int Count, string Href);
public sealed record IncidentSummary(int OpenTotal, IReadOnlyList<SeverityCount> OpenBySeverity, string Href);
public interface IIncidentFacts { Task<IncidentSummary?> GetAsync(string regionCode, CancellationToken ct); }

public sealed record TallySummary(int TpsReported, int TpsExpected, int Anomalies, string Href, string AnomaliesHref);
public interface ITallyFacts { Task<TallySummary?> GetAsync(string regionCode, CancellationToken ct); }

/// <summary>Kerawanan (vulnerability) map values in the map.js format and the list behind it.</summary>
public sealed record KerawananSummary(int HighCount, int MediumCount, int LowCount, string MapValuesHref, string Href);
public interface IKerawananFacts { Task<KerawananSummary?> GetAsync(string regionCode, CancellationToken ct); }

public sealed record CoordinationFacts(int OpenActions, int InProgressActions, int OverdueActions, int EscalatedActions, int DoneActions,
    int MeetingsLast7Days, int Agreements, string OpenHref, string OverdueHref, string DoneHref, string MeetingsHref, string AgreementsHref);

public sealed record ChildRow(string Code, string Name, int OpenActions, int OverdueActions, string Href, string OverdueHref);

public sealed record DashboardDto(string RegionCode, string RegionName, RegionLevel Level, DateTimeOffset Now, int DaysToVoting,
    CoordinationFacts Coordination, ReadinessSummary? Readiness, IncidentSummary? Incidents, TallySummary? Tally, KerawananSummary? Kerawanan,
    IReadOnlyList<ChildRow> Children, string ChildGeoLevel);

public sealed class DashboardService(PantauDbContext db, CoordinationService coord, IServiceProvider services)
{
    public static string ActionsHref(string region, string? extra = null) => $"/koordinasi/tindak-lanjut?region={region}{extra}";

    public async Task<DashboardDto?> BuildAsync(string region, CancellationToken ct)
    {
        var r = await db.Regions.AsNoTracking().Where(x => x.Code == region).Select(x => new { x.Code, x.Name, x.Level }).FirstOrDefaultAsync(ct);
        if (r is null || r.Level > RegionLevel.Kecamatan) return null;
        var now = coord.Now;
        var actions = coord.ActionsIn(region);
        var byStatus = await actions.GroupBy(a => a.Status).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct);
        int S(ActionStatus s) => byStatus.FirstOrDefault(x => x.Key == s)?.N ?? 0;
        var overdue = await CoordinationService.Overdue(actions, now).CountAsync(ct);
        var escalated = await CoordinationService.Overdue(actions, now).CountAsync(a => a.EscalatedAt != null, ct);
        var weekAgo = now.AddDays(-7);
        var meetings = await db.Meetings.AsNoTracking().Where(CoordinationService.Within<Data.Coordination.Meeting>(region, m => m.RegionCode))
            .CountAsync(m => m.HeldAt >= weekAgo && m.HeldAt <= now, ct);
        var agreements = await db.Agreements.AsNoTracking().Where(CoordinationService.Within<Data.Coordination.Agreement>(region, m => m.RegionCode)).CountAsync(ct);
        var facts = new CoordinationFacts(S(ActionStatus.Open), S(ActionStatus.InProgress), overdue, escalated, S(ActionStatus.Done), meetings, agreements,
            ActionsHref(region, "&open=true"), ActionsHref(region, "&overdue=true"), ActionsHref(region, "&status=Done"),
            $"/koordinasi/rakor?region={region}", $"/koordinasi/kesepakatan?region={region}");

        var children = await db.Regions.AsNoTracking().Where(x => x.ParentCode == region).OrderBy(x => x.Code).Select(x => new { x.Code, x.Name }).ToListAsync(ct);
        var open = await actions.Where(a => a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress).Select(a => new { a.RegionCode, a.DueAt }).ToListAsync(ct);
        var rows = children.Select(c =>
        {
            var mine = open.Where(a => RegionCode.IsWithin(a.RegionCode, c.Code)).ToList();
            return new ChildRow(c.Code, AgencyDirectory.Title(c.Name), mine.Count, mine.Count(a => a.DueAt < now), $"/koordinasi?region={c.Code}", ActionsHref(c.Code, "&overdue=true"));
        }).ToList();

        return new DashboardDto(r.Code, AgencyDirectory.Title(r.Name), r.Level, now, PilkadaSchedule.DaysToVoting(now), facts,
            await First<IReadinessFacts, ReadinessSummary>((s, c) => s.GetAsync(region, c), ct),
            await First<IIncidentFacts, IncidentSummary>((s, c) => s.GetAsync(region, c), ct),
            await First<ITallyFacts, TallySummary>((s, c) => s.GetAsync(region, c), ct),
            await First<IKerawananFacts, KerawananSummary>((s, c) => s.GetAsync(region, c), ct),
            rows, r.Level switch { RegionLevel.Provinsi => "kabkota", RegionLevel.KabKota => "kecamatan", _ => "desa" });
    }

    private async Task<TOut?> First<TSource, TOut>(Func<TSource, CancellationToken, Task<TOut?>> get, CancellationToken ct) where TOut : class
    {
        foreach (var s in services.GetServices<TSource>())
        {
            try { if (await get(s, ct) is { } v) return v; }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                services.GetService<ILoggerFactory>()?.CreateLogger<DashboardService>().LogWarning(ex, "Dashboard source {Source} failed", typeof(TSource).Name);
            }
        }
        return null;
    }
}
