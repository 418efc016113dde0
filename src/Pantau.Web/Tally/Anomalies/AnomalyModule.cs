using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tally.Anomalies;

/// <summary>
/// Anomaly detection beyond the C.Hasil arithmetic: a scanner (off the intake path) and the review queue worked by Bawaslu,
/// Panwascam, the Desk and KPU, with public markers for the results pages. See docs/tally-anomalies.md.
/// </summary>
public sealed class AnomalyModule : IPantauModule
{
    public const int MaxExportRows = 200_000;

    public IEnumerable<NavItem> Nav => [new(14, "Anomali", "Anomalies", "/anomali", NavGroups.Results)];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<AnomalyScanner>();
        services.AddSingleton<IScheduledJob, AnomalyScanJob>();
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/tally/anomalies").WithTags("Tally anomalies");
        g.MapGet("", List).RequireRoles(AnomalyQueries.Roles);
        g.MapGet("/export.csv", ExportCsv).RequireRoles(AnomalyQueries.Roles);
        g.MapGet("/{id:long}", Detail).RequireRoles(AnomalyQueries.Roles);
        g.MapPost("/{id:long}/{action}", Act).RequireRoles(AnomalyQueries.Roles);
        g.MapPost("/scan", Scan).RequireRoles(Role.Admin);
        g.MapGet("/markers/{contest}/{region}", Markers).RequireRateLimiting(RateLimits.PublicApi);
    }

    private static IResult OutOfScope(string region) =>
        TypedResults.Problem($"Wilayah {region} di luar wilayah tugas Anda / region {region} is outside your scope.", statusCode: 403, title: "Out of scope");

    private static AnomalyFilter Filter(string? contest, string? region, string? code, string? status, string? severity, int? page, int? pageSize) =>
        new(contest, region, code, status, severity, page ?? 1, pageSize ?? 50);

    internal static async Task<IResult> List(HttpContext http, PantauDbContext db, string? contest, string? region, string? code, string? status,
        string? severity, int? page, int? pageSize, CancellationToken ct)
    {
        var f = Filter(contest, region, code, status, severity, page, pageSize);
        var errors = AnomalyQueries.Validate(f);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var effective = AnomalyQueries.EffectiveRegion(http.GetActor(), region);
        if (effective is null) return OutOfScope(region ?? "");
        return TypedResults.Ok(await AnomalyQueries.PageAsync(db, effective, f, ct));
    }

    internal static async Task<IResult> ExportCsv(HttpContext http, PantauDbContext db, string? contest, string? region, string? code, string? status,
        string? severity, CancellationToken ct)
    {
        var f = Filter(contest, region, code, status, severity, 1, MaxExportRows);
        var errors = AnomalyQueries.Validate(f);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var effective = AnomalyQueries.EffectiveRegion(http.GetActor(), region);
        if (effective is null) return OutOfScope(region ?? "");
        var rows = (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            AnomalyQueries.Query(db, effective, f).OrderBy(a => a.Id).Take(MaxExportRows), ct)).Select(AnomalyQueries.ToDto).ToList();
        return Export.Csv(rows,
        [
            ("id", a => a.Id), ("contest", a => a.Contest), ("subject", a => a.Subject), ("code", a => a.Code), ("severity", a => a.Severity),
            ("status", a => a.Status), ("region", a => a.Region), ("kabkota", a => a.KabKota), ("kecamatan", a => a.Kecamatan),
            ("versionNo", a => a.VersionNo), ("score", a => a.Score), ("reason_id", a => a.ReasonId), ("reason_en", a => a.ReasonEn),
            ("firstDetectedAt", a => a.FirstDetectedAt), ("lastDetectedAt", a => a.LastDetectedAt), ("updatedAt", a => a.UpdatedAt),
            ("statusBy", a => a.StatusBy), ("statusNote", a => a.StatusNote),
        ], $"anomali-{(string.IsNullOrEmpty(effective) ? "semua" : effective)}.csv");
    }

    internal static async Task<IResult> Detail(HttpContext http, PantauDbContext db, long id, CancellationToken ct)
    {
        var d = await AnomalyQueries.DetailAsync(db, id, ct);
        if (d is null) return TypedResults.Problem("Anomali tidak ditemukan / anomaly not found.", statusCode: 404, title: "Not found");
        if (!http.GetActor().Covers(d.Anomaly.Region)) return OutOfScope(d.Anomaly.Region);
        return TypedResults.Ok(d);
    }

    internal static async Task<IResult> Act(HttpContext http, PantauDbContext db, TimeProvider clock, long id, string action, CancellationToken ct)
    {
        action = action.ToLowerInvariant();
        if (!AnomalyQueries.Actions.Contains(action))
            return TypedResults.Problem("Tindakan: acknowledge, escalate, dismiss, reopen / actions: acknowledge, escalate, dismiss, reopen.", statusCode: 404, title: "Unknown action");
        AnomalyActionRequest? body = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await JsonSerializer.DeserializeAsync<AnomalyActionRequest>(http.Request.Body, JsonSerializerOptions.Web, ct); }
            catch (JsonException) { return TypedResults.Problem("Isi permintaan bukan JSON yang sah / the body is not valid JSON.", statusCode: 400, title: "Invalid JSON"); }
        }
        var note = body?.Reason ?? body?.Note;
        var (outcome, a) = await AnomalyQueries.ChangeAsync(db, http.GetActor(), id, action, note, clock.GetUtcNow(), ct);
        return outcome switch
        {
            AnomalyQueries.ActionOutcome.Ok => TypedResults.Ok(AnomalyQueries.ToDto(a!)),
            AnomalyQueries.ActionOutcome.NotFound => TypedResults.Problem("Anomali tidak ditemukan / anomaly not found.", statusCode: 404, title: "Not found"),
            AnomalyQueries.ActionOutcome.Forbidden => OutOfScope(a!.RegionCode),
            AnomalyQueries.ActionOutcome.NeedsReason => TypedResults.ValidationProblem(new Dictionary<string, string[]>
                { ["reason"] = ["alasan wajib diisi untuk menutup anomali / a reason is required to dismiss an anomaly"] }),
            AnomalyQueries.ActionOutcome.Concurrency => TypedResults.Problem("Anomali diubah orang lain, muat ulang / changed by someone else, reload.", statusCode: 409, title: "Conflict"),
            _ => TypedResults.Problem($"Tidak bisa '{action}' dari status '{a!.Status.ToString().ToLowerInvariant()}' / cannot {action} from status {a.Status.ToString().ToLowerInvariant()}.",
                statusCode: 409, title: "Invalid transition"),
        };
    }

    /// <summary>A scan recomputes the anomalies of every region, so only an admin whose scope is the whole country may start one.</summary>
    internal static async Task<IResult> Scan(HttpContext http, AnomalyScanner scanner, CancellationToken ct)
    {
        if (http.GetActor().ScopeCode.Length > 0)
            return TypedResults.Problem("Pemindaian mencakup semua wilayah; hanya admin nasional yang dapat menjalankannya / a scan covers every region; only a national admin may run it.",
                statusCode: 403, title: "Out of scope");
        return TypedResults.Ok(await scanner.ScanAsync(ct));
    }

    internal static async Task<IResult> Markers(HttpContext http, PantauDbContext db, TallyReference reference, string contest, string region, CancellationToken ct)
    {
        var contests = await reference.ContestsAsync(ct);
        if (!contests.TryGetValue(contest, out var c) || !RegionCode.IsValid(region) ||
            !(RegionCode.IsWithin(region, c.RegionCode) || RegionCode.IsWithin(c.RegionCode, region)))
            return TypedResults.Problem($"Pemilihan '{contest}' atau wilayah '{region}' tidak ditemukan / contest or region not found.", statusCode: 404, title: "Not found");
        http.Response.Headers.CacheControl = "public, max-age=30";
        return TypedResults.Ok(await AnomalyQueries.MarkersAsync(db, c.Code, region, ct));
    }
}
