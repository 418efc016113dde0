using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Core.Regions;
using Pantau.Data;

namespace Pantau.Web.Coordination;

// Sources of the Desk dashboard. Each other module (Readiness, Incidents, Tally, kerawanan) registers an implementation; when a module is
// absent nothing is registered and the dashboard shows "belum tersedia" for that block. Hrefs point at the module's own list pages.

public sealed record ReadinessSummary(double Score, int LateTasks, string Href, string LateHref, IReadOnlyList<ChildReadiness>? Children = null);
public sealed record ChildReadiness(string Code, double Score, int LateTasks);
public interface IReadinessFacts { Task<ReadinessSummary?> GetAsync(string regionCode, CancellationToken ct); }

/// <summary>Open incidents of one severity (<see cref="Severity"/> is the enum name: Low, Medium, High, Critical) and the list filtered to them.</summary>
public sealed record SeverityCount(string Severity, string Label, int Count, string Href, string? LabelEn = null);
public sealed record IncidentSummary(int OpenTotal, IReadOnlyList<SeverityCount> OpenBySeverity, string Href, IReadOnlyDictionary<string, int>? OpenByChild = null);
public interface IIncidentFacts
{
    Task<IncidentSummary?> GetAsync(string regionCode, CancellationToken ct);

    /// <summary>
    /// The most serious incidents of the region reported in [<paramref name="from"/>, <paramref name="to"/>]: severity High or Critical, not rejected
    /// or merged, most severe first then newest, at most <paramref name="take"/>; <see cref="NotableIncidents.Total"/> counts them all. No reporter data.
    /// </summary>
    Task<NotableIncidents?> NotableAsync(string regionCode, DateTimeOffset from, DateTimeOffset to, int take, CancellationToken ct) => Task.FromResult<NotableIncidents?>(null);
}

/// <summary>One notable incident as the situation report prints it: what, where, when, how serious, its status. Never the reporter.</summary>
public sealed record NotableIncident(string TrackingCode, string Title, string Severity, string SeverityId, string SeverityEn, string CategoryId, string CategoryEn,
    string StatusId, string StatusEn, string RegionCode, string RegionName, DateTimeOffset ReportedAt);
public sealed record NotableIncidents(int Total, IReadOnlyList<NotableIncident> Items);

/// <summary>
/// Vote count: TPS in / expected of the most local contest covering the region; <see cref="Anomalies"/> = active anomalies (all contests) of the
/// Anomaly module in the region; <see cref="NeedsReview"/> = TPS whose sheet is flagged or in conflict (the adjudication queue, all contests).
/// </summary>
public sealed record TallySummary(int TpsReported, int TpsExpected, int Anomalies, string Href, string AnomaliesHref, string? ContestCode = null, string? ContestName = null,
    int NeedsReview = 0, string? ReviewHref = null, IReadOnlyList<ChildTally>? Children = null);
public sealed record ChildTally(string Code, long TpsReported, long TpsExpected);
public interface ITallyFacts
{
    Task<TallySummary?> GetAsync(string regionCode, CancellationToken ct);

    /// <summary>
    /// Vote-count progress of every contest of the election (<paramref name="electionCode"/>, all when null) that counts in the region: contests
    /// covering it, counted over the region, and contests inside it, counted over their own region. Equals <c>/api/tally/recap/{contest}/{region}</c>.
    /// </summary>
    Task<IReadOnlyList<ContestProgress>> ProgressAsync(string regionCode, string? electionCode, CancellationToken ct) => Task.FromResult<IReadOnlyList<ContestProgress>>([]);
}

/// <summary>TPS with a counted sheet over all TPS of <see cref="RegionCode"/> in one contest.</summary>
public sealed record ContestProgress(string ContestCode, string ContestName, string RegionCode, string RegionName, long TpsReported, long TpsExpected, string Href)
{
    public double Progress => TpsExpected > 0 ? Math.Round((double)TpsReported / TpsExpected, 4) : 0;
}

/// <summary>
/// Kerawanan (vulnerability) bands of the child regions (TPS below kab/kota), map values in the map.js format and the lists behind them.
/// <see cref="Self"/>: the region's own score with its parts and Bawaslu's band; <see cref="ChildBandsId"/>/<see cref="ChildBandsEn"/>: the
/// thresholds the children are counted with (their level's); <see cref="SyntheticCount"/> of the counted children rest on a synthetic baseline.
/// </summary>
public sealed record KerawananSummary(int HighCount, int MediumCount, int LowCount, string MapValuesHref, string Href, string? HighHref = null, string? MediumHref = null, string? LowHref = null,
    Pantau.Core.Incidents.ScoreParts? Self = null, string? ChildBandsId = null, string? ChildBandsEn = null, int SyntheticCount = 0,
    IReadOnlyList<ChildKerawanan>? Children = null)
{
    public int Total => HighCount + MediumCount + LowCount;
}
/// <summary>A child region's kerawanan (kab/kota or kecamatan; none for TPS): score, band at its level, TPS rawan of its TPS, synthetic baseline.</summary>
public sealed record ChildKerawanan(string Code, double Score, Pantau.Core.Incidents.KerawananBand Band, int TpsRawan, int TpsCount, bool IsSynthetic);
public interface IKerawananFacts
{
    Task<KerawananSummary?> GetAsync(string regionCode, CancellationToken ct);

    /// <summary>The bands under the IKP edition of the election the dashboard shows (<paramref name="electionCode"/>; null: the current one).</summary>
    Task<KerawananSummary?> GetAsync(string regionCode, string? electionCode, CancellationToken ct) => GetAsync(regionCode, ct);
}

public sealed record CoordinationFacts(int OpenActions, int InProgressActions, int OverdueActions, int EscalatedActions, int DoneActions,
    int MeetingsLast7Days, int Agreements, string OpenHref, string OverdueHref, string DoneHref, string MeetingsHref, string AgreementsHref);

/// <summary>One child region on the dashboard: its actions and, when the sources are present, readiness, open incidents and TPS reported.</summary>
public sealed record ChildRow(string Code, string Name, int OpenActions, int OverdueActions, string Href, string OverdueHref,
    double? ReadinessScore = null, int? ReadinessLate = null, int? OpenIncidents = null, long? TpsReported = null, long? TpsExpected = null)
{
    public double? TallyProgress => TpsExpected is > 0 ? Math.Round((double)TpsReported.GetValueOrDefault() / TpsExpected.Value, 4) : null;
}

public sealed record DashboardDto(string RegionCode, string RegionName, RegionLevel Level, DateTimeOffset Now, int DaysToVoting,
    CoordinationFacts Coordination, ReadinessSummary? Readiness, IncidentSummary? Incidents, TallySummary? Tally, KerawananSummary? Kerawanan,
    IReadOnlyList<ChildRow> Children, string ChildGeoLevel)
{
    /// <summary>The election the dashboard counts down to (<c>?election=CODE</c>, else the current one for the region).</summary>
    public string? ElectionCode { get; init; }
    public string? ElectionName { get; init; }
    public DateOnly? VotingDate { get; init; }

    /// <summary>The voting day in Indonesian, "27 Nov 2024".</summary>
    public string VotingDayText => (VotingDate ?? PilkadaSchedule.VotingDay).ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("id-ID"));
}

public sealed class DashboardService(PantauDbContext db, CoordinationService coord, IServiceProvider services)
{
    public static string ActionsHref(string region, string? extra = null) => $"/koordinasi/tindak-lanjut?region={region}{extra}";

    public async Task<DashboardDto?> BuildAsync(string region, CancellationToken ct, string? election = null)
    {
        var catalog = services.GetRequiredService<Elections.ElectionCatalog>();
        var chosen = await catalog.ResolveAsync(election, ct, region);
        if (chosen is null && !string.IsNullOrWhiteSpace(election)) return null;
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
        var readiness = await First<IReadinessFacts, ReadinessSummary>((s, c) => s.GetAsync(region, c), ct);
        var incidents = await First<IIncidentFacts, IncidentSummary>((s, c) => s.GetAsync(region, c), ct);
        var tally = await First<ITallyFacts, TallySummary>((s, c) => s.GetAsync(region, c), ct);
        var kerawanan = await First<IKerawananFacts, KerawananSummary>((s, c) => s.GetAsync(region, chosen?.Code, c), ct);
        var readyByChild = readiness?.Children?.ToDictionary(x => x.Code);
        var tallyByChild = tally?.Children?.ToDictionary(x => x.Code);
        var rows = children.Select(c =>
        {
            var mine = open.Where(a => RegionCode.IsWithin(a.RegionCode, c.Code)).ToList();
            var rd = readyByChild?.GetValueOrDefault(c.Code);
            var tl = tallyByChild?.GetValueOrDefault(c.Code);
            return new ChildRow(c.Code, AgencyDirectory.Title(c.Name), mine.Count, mine.Count(a => a.DueAt < now), $"/koordinasi?region={c.Code}", ActionsHref(c.Code, "&overdue=true"),
                rd?.Score, rd?.LateTasks, incidents?.OpenByChild is { } ob ? (int?)ob.GetValueOrDefault(c.Code) : null, tl?.TpsReported, tl?.TpsExpected);
        }).ToList();

        var daysToVoting = chosen is null ? PilkadaSchedule.DaysToVoting(now)
            : chosen.VotingDate.DayNumber - DateOnly.FromDateTime(now.ToOffset(PilkadaSchedule.Wib).DateTime).DayNumber;
        return new DashboardDto(r.Code, AgencyDirectory.Title(r.Name), r.Level, now, daysToVoting, facts,
            readiness, incidents, tally, kerawanan,
            rows, r.Level switch { RegionLevel.Provinsi => "kabkota", RegionLevel.KabKota => "kecamatan", _ => "desa" })
        { ElectionCode = chosen?.Code, ElectionName = chosen?.Name, VotingDate = chosen?.VotingDate };
    }

    /// <summary>The first answer of the registered <typeparamref name="TSource"/>s; a failing source is logged and skipped.</summary>
    public async Task<TOut?> First<TSource, TOut>(Func<TSource, CancellationToken, Task<TOut?>> get, CancellationToken ct) where TOut : class
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
