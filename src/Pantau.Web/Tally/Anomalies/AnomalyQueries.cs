using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Core.Tally.Anomalies;
using Pantau.Data;
using Pantau.Data.Tally.Anomalies;

namespace Pantau.Web.Tally.Anomalies;

public sealed record AnomalyDto(long Id, string Contest, string Subject, string Code, string TitleId, string TitleEn, string Region, string KabKota,
    string? Kecamatan, string Severity, string Status, string ReasonId, string ReasonEn, double Score, int VersionNo, long LogSeq,
    DateTimeOffset FirstDetectedAt, DateTimeOffset LastDetectedAt, DateTimeOffset UpdatedAt, string? StatusBy, string? StatusNote, string? HistoryUrl)
{
    public bool IsTps => Subject.Length == 13 && !Subject.Contains('.');
}

public sealed record AnomalyEventDto(DateTimeOffset At, string Actor, string? From, string To, string? Note);
public sealed record AnomalyDetailDto(AnomalyDto Anomaly, IReadOnlyList<AnomalyEventDto> History);
public sealed record AnomalyPage(int Total, int Page, int PageSize, IReadOnlyList<AnomalyDto> Items);
public sealed record MarkerCount(string Code, int Count, int High);
public sealed record MarkersDto(string Contest, string Region, int Total, MarkerCount Self, IReadOnlyList<MarkerCount> Children);
public sealed record AnomalyActionRequest(string? Note, string? Reason);

/// <summary>Filters of the anomaly queue (all optional; <see cref="Region"/> defaults to the actor's scope).</summary>
public sealed record AnomalyFilter(string? Contest = null, string? Region = null, string? Code = null, string? Status = null, string? Severity = null,
    int Page = 1, int PageSize = 50);

/// <summary>The anomaly queue: filtering, paging, scope, status changes with history, markers.</summary>
public static class AnomalyQueries
{
    /// <summary>Roles that see and work the anomaly queue: Bawaslu, Panwascam, Desk, KPU and Admin.</summary>
    public static readonly Role[] Roles = [Role.Admin, Role.Bawaslu, Role.Panwascam, Role.DeskProvinsi, Role.DeskKabKota, Role.KpuOperator];

    public static readonly AnomalyStatus[] Active = [AnomalyStatus.Open, AnomalyStatus.Acknowledged, AnomalyStatus.Escalated];

    public static string SeverityName(int s) => s switch { 3 => "high", 2 => "medium", _ => "low" };

    public static AnomalyDto ToDto(TallyAnomaly a)
    {
        var (tid, ten) = AnomalyCodes.Describe(a.Code);
        var isTps = a.SubjectCode.Length == 13 && !a.SubjectCode.Contains('.');
        return new AnomalyDto(a.Id, a.ContestCode, a.SubjectCode, a.Code, tid, ten, a.RegionCode, a.KabKotaCode, a.KecamatanCode, SeverityName(a.Severity),
            a.Status.ToString().ToLowerInvariant(), a.ReasonId, a.ReasonEn, a.Score, a.VersionNo, a.LogSeq, a.FirstDetectedAt, a.LastDetectedAt, a.UpdatedAt,
            a.StatusBy, a.StatusNote, isTps ? $"/api/tally/tps/{a.SubjectCode}/{a.ContestCode}/history" : null);
    }

    /// <summary>Parses a status filter: names (comma-separated) or <c>active</c> (open, acknowledged, escalated). Null: no filter; throws on unknown names.</summary>
    public static AnomalyStatus[]? ParseStatus(string? status)
    {
        if (string.IsNullOrWhiteSpace(status) || status == "all") return null;
        var list = new List<AnomalyStatus>();
        foreach (var p in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (p.Equals("active", StringComparison.OrdinalIgnoreCase)) list.AddRange(Active);
            else if (Enum.TryParse<AnomalyStatus>(p, true, out var s) && Enum.IsDefined(s) && !int.TryParse(p, out _)) list.Add(s);
            else throw new FormatException(p);
        }
        return [.. list.Distinct()];
    }

    public static int[]? ParseSeverity(string? severity)
    {
        if (string.IsNullOrWhiteSpace(severity)) return null;
        return severity.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => p.ToLowerInvariant() switch
        {
            "low" or "1" => 1, "medium" or "2" => 2, "high" or "3" => 3, _ => throw new FormatException(p),
        }).Distinct().ToArray();
    }

    /// <summary>Validation errors of a filter (empty when valid).</summary>
    public static Dictionary<string, string[]> Validate(AnomalyFilter f)
    {
        var errors = new Dictionary<string, string[]>();
        try { ParseStatus(f.Status); } catch (FormatException) { errors["status"] = ["status tidak dikenal (open, acknowledged, escalated, dismissed, resolved, active) / unknown status"]; }
        try { ParseSeverity(f.Severity); } catch (FormatException) { errors["severity"] = ["tingkat tidak dikenal (low, medium, high) / unknown severity"]; }
        if (f.Region is { Length: > 0 } r && !RegionCode.IsValid(r)) errors["region"] = ["kode wilayah tidak sah / invalid region code"];
        if (f.Code is { Length: > 0 } c && !AnomalyCodes.All.Contains(c.ToUpperInvariant())) errors["code"] = ["kode anomali tidak dikenal / unknown anomaly code"];
        return errors;
    }

    /// <summary>The effective region: the requested one, or the actor's scope. Null when the actor does not cover the requested region.</summary>
    public static string? EffectiveRegion(Actor actor, string? region)
    {
        if (string.IsNullOrEmpty(region)) return actor.ScopeCode == "-" ? null : actor.ScopeCode;
        return actor.Covers(region) ? region : null;
    }

    public static IQueryable<TallyAnomaly> Query(PantauDbContext db, string region, AnomalyFilter f)
    {
        var q = db.TallyAnomalies.AsNoTracking();
        if (region.Length > 0)
        {
            var prefix = region + ".";
            q = q.Where(a => a.RegionCode == region || a.RegionCode.StartsWith(prefix));
        }
        if (!string.IsNullOrEmpty(f.Contest)) { var c = f.Contest.ToUpperInvariant(); q = q.Where(a => a.ContestCode == c); }
        if (!string.IsNullOrEmpty(f.Code)) { var c = f.Code.ToUpperInvariant(); q = q.Where(a => a.Code == c); }
        if (ParseStatus(f.Status) is { } st) q = q.Where(a => st.Contains(a.Status));
        if (ParseSeverity(f.Severity) is { } sv) q = q.Where(a => sv.Contains(a.Severity));
        return q;
    }

    public static async Task<AnomalyPage> PageAsync(PantauDbContext db, string region, AnomalyFilter f, CancellationToken ct)
    {
        var q = Query(db, region, f);
        var total = await q.CountAsync(ct);
        var size = Math.Clamp(f.PageSize, 1, 500);
        var page = Math.Max(1, f.Page);
        var rows = await q.OrderByDescending(a => a.Severity).ThenByDescending(a => a.LastDetectedAt).ThenBy(a => a.Id)
            .Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new AnomalyPage(total, page, size, rows.Select(ToDto).ToList());
    }

    public static async Task<AnomalyDetailDto?> DetailAsync(PantauDbContext db, long id, CancellationToken ct)
    {
        var a = await db.TallyAnomalies.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return null;
        var events = await db.TallyAnomalyEvents.AsNoTracking().Where(e => e.AnomalyId == id).OrderBy(e => e.Id).ToListAsync(ct);
        return new AnomalyDetailDto(ToDto(a), events.Select(e => new AnomalyEventDto(e.At, e.Actor, e.FromStatus?.ToString().ToLowerInvariant(),
            e.ToStatus.ToString().ToLowerInvariant(), e.Note)).ToList());
    }

    public enum ActionOutcome { Ok, NotFound, Forbidden, NeedsReason, InvalidTransition, Concurrency, UnknownAction }

    public static readonly string[] Actions = ["acknowledge", "escalate", "dismiss", "reopen"];

    /// <summary>Applies a reviewer action and records it in the history (the change itself is audited by SaveChanges).</summary>
    public static async Task<(ActionOutcome Outcome, TallyAnomaly? Anomaly)> ChangeAsync(PantauDbContext db, Actor actor, long id, string action, string? note,
        DateTimeOffset now, CancellationToken ct)
    {
        var a = await db.TallyAnomalies.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return (ActionOutcome.NotFound, null);
        if (!actor.Covers(a.RegionCode)) return (ActionOutcome.Forbidden, a);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > 1000 }) note = note[..1000];
        AnomalyStatus to;
        switch (action)
        {
            case "acknowledge":
                if (a.Status != AnomalyStatus.Open) return (ActionOutcome.InvalidTransition, a);
                to = AnomalyStatus.Acknowledged; break;
            case "escalate":
                if (a.Status is not (AnomalyStatus.Open or AnomalyStatus.Acknowledged)) return (ActionOutcome.InvalidTransition, a);
                to = AnomalyStatus.Escalated; break;
            case "dismiss":
                if (note is null) return (ActionOutcome.NeedsReason, a);
                if (a.Status is not (AnomalyStatus.Open or AnomalyStatus.Acknowledged or AnomalyStatus.Escalated)) return (ActionOutcome.InvalidTransition, a);
                to = AnomalyStatus.Dismissed; break;
            case "reopen":
                if (a.Status is not (AnomalyStatus.Dismissed or AnomalyStatus.Resolved)) return (ActionOutcome.InvalidTransition, a);
                to = AnomalyStatus.Open; break;
            default: return (ActionOutcome.UnknownAction, a);
        }
        db.TallyAnomalyEvents.Add(new TallyAnomalyEvent { Anomaly = a, At = now, Actor = actor.UserName, FromStatus = a.Status, ToStatus = to, Note = note });
        a.Status = to;
        a.StatusBy = actor.UserName;
        a.StatusNote = note;
        a.UpdatedAt = now;
        a.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return (ActionOutcome.Concurrency, a); }
        return (ActionOutcome.Ok, a);
    }

    /// <summary>Counts of active anomalies per child region of <paramref name="region"/> (public: no names, reasons or people).</summary>
    public static async Task<MarkersDto> MarkersAsync(PantauDbContext db, string contest, string region, CancellationToken ct)
    {
        var prefix = region + ".";
        var rows = await db.TallyAnomalies.AsNoTracking()
            .Where(a => a.ContestCode == contest && Active.Contains(a.Status) && (a.RegionCode == region || a.RegionCode.StartsWith(prefix)))
            .Select(a => new { a.RegionCode, a.SubjectCode, a.Severity }).ToListAsync(ct);
        var level = (int)RegionCode.LevelOf(region);
        var self = (Count: 0, High: 0);
        var children = new SortedDictionary<string, (int Count, int High)>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var isTps = r.SubjectCode.Length == 13 && !r.SubjectCode.Contains('.');
            string? child = r.RegionCode == region ? (isTps ? r.SubjectCode : null) : RegionCode.Lineage(r.RegionCode)[level];
            var high = r.Severity >= (int)AnomalySeverity.High ? 1 : 0;
            if (child is null) self = (self.Count + 1, self.High + high);
            else { var c = children.GetValueOrDefault(child); children[child] = (c.Count + 1, c.High + high); }
        }
        return new MarkersDto(contest, region, rows.Count, new MarkerCount(region, self.Count, self.High),
            children.Select(c => new MarkerCount(c.Key, c.Value.Count, c.Value.High)).ToList());
    }
}
