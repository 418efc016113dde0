using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Coordination;

/// <summary>
/// Coordination (pillar 1): agency directory, rakor with agenda/participants/minutes/decisions, follow-up actions with overdue escalation,
/// kesepakatan bersama, the Desk dashboard and the daily laporan situasi (PDF + Excel). API under <c>/api/coordination</c>.
/// </summary>
public sealed class CoordinationModule : IPantauModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<CoordinationService>();
        services.AddScoped<DashboardService>();
        services.AddScoped<SituationReportService>();
        services.AddScoped<AgencySeeder>();
        services.AddSingleton<ITahapanCalendar, BuiltInTahapanCalendar>();
        services.AddSingleton<IPdfRenderer, ChromiumPdfRenderer>();
        services.AddSingleton<IScheduledJob, OverdueActionsJob>();
        services.AddSingleton<IScheduledJob, DailySituationReportJob>();
        services.AddHostedService<AgencySeedOnStart>();
        // Dashboard sources from modules that have landed (each module's own summary service, adapted here).
        services.AddScoped<ITallyFacts, Sources.TallyDashboardFacts>();
        services.AddScoped<IReadinessFacts, Sources.ReadinessDashboardFacts>();
        services.AddScoped<Sources.IncidentDashboardFacts>();
        services.AddScoped<IIncidentFacts>(sp => sp.GetRequiredService<Sources.IncidentDashboardFacts>());
        services.AddScoped<IKerawananFacts>(sp => sp.GetRequiredService<Sources.IncidentDashboardFacts>());
        services.AddSingleton<ITahapanCalendar, Sources.ReadinessTahapanCalendar>(); // registered after the built-in one, so it wins
    }

    public IEnumerable<NavItem> Nav =>
    [
        new(70, "Dasbor Desk", "Desk dashboard", "/koordinasi", NavGroups.Coordination),
        new(71, "Rakor", "Meetings", "/koordinasi/rakor", NavGroups.Coordination),
        new(72, "Tindak lanjut", "Actions", "/koordinasi/tindak-lanjut", NavGroups.Coordination),
        new(73, "Laporan situasi", "Situation reports", "/koordinasi/laporan", NavGroups.Coordination),
        new(74, "Instansi", "Agencies", "/koordinasi/instansi", NavGroups.Coordination),
        new(75, "Kesepakatan", "Agreements", "/koordinasi/kesepakatan", NavGroups.Coordination),
    ];

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/coordination").WithTags("Coordination");
        var read = RoleGroups.SignedIn;
        var desk = RoleGroups.Desk;

        g.MapGet("/agencies", Agencies).RequireRoles(read);
        g.MapPost("/agencies", (HttpContext h, CoordinationService s, AgencyInput i, CancellationToken ct) => Send(s.SaveAgencyAsync(h.GetActor(), null, i, ct), 201)).RequireRoles(desk).Produces<AgencyDto>(201).ProducesValidationProblem().ProducesProblem(404);
        g.MapPut("/agencies/{id:int}", (HttpContext h, CoordinationService s, int id, AgencyInput i, CancellationToken ct) => Send(s.SaveAgencyAsync(h.GetActor(), id, i, ct))).RequireRoles(desk);
        g.MapPost("/agencies/generate", Generate).RequireRoles(desk);

        g.MapGet("/meetings", Meetings).RequireRoles(read);
        g.MapGet("/meetings/{id:int}", Meeting).RequireRoles(read);
        g.MapPost("/meetings", (HttpContext h, CoordinationService s, MeetingInput i, CancellationToken ct) => Send(s.CreateMeetingAsync(h.GetActor(), i, ct), 201)).RequireRoles(desk).Produces<MeetingDto>(201).ProducesValidationProblem().ProducesProblem(404);
        g.MapPut("/meetings/{id:int}/minutes", (HttpContext h, CoordinationService s, int id, MinutesInput i, CancellationToken ct) => Send(s.UpdateMinutesAsync(h.GetActor(), id, i, ct))).RequireRoles(desk);
        g.MapPost("/meetings/{id:int}/decisions", (HttpContext h, CoordinationService s, int id, DecisionInput i, CancellationToken ct) => Send(s.AddDecisionAsync(h.GetActor(), id, i, ct), 201)).RequireRoles(desk).Produces<MeetingDto>(201).ProducesValidationProblem().ProducesProblem(404);
        g.MapPost("/decisions/{id:int}/actions", (HttpContext h, CoordinationService s, int id, ActionInput i, CancellationToken ct) => Send(s.AddActionToDecisionAsync(h.GetActor(), id, i, ct), 201)).RequireRoles(desk).Produces<ActionDto>(201).ProducesValidationProblem().ProducesProblem(404);

        g.MapGet("/actions", Actions).RequireRoles(read);
        g.MapGet("/actions/mine", Mine).RequireRoles(read);
        g.MapGet("/actions/{id:int}", Action).RequireRoles(read);
        g.MapPost("/actions/{id:int}/status", (HttpContext h, CoordinationService s, int id, StatusInput i, CancellationToken ct) => Send(s.UpdateStatusAsync(h.GetActor(), id, i, ct))).RequireRoles(read);

        g.MapGet("/agreements", Agreements).RequireRoles(read);
        g.MapGet("/agreements/{id:int}", Agreement).RequireRoles(read);
        g.MapPost("/agreements", (HttpContext h, CoordinationService s, AgreementInput i, CancellationToken ct) => Send(s.CreateAgreementAsync(h.GetActor(), i, ct), 201)).RequireRoles(desk).Produces<AgreementDto>(201).ProducesValidationProblem().ProducesProblem(404);
        g.MapPost("/agreements/{id:int}/actions", (HttpContext h, CoordinationService s, int id, ActionInput i, CancellationToken ct) => Send(s.AddActionToAgreementAsync(h.GetActor(), id, i, ct), 201)).RequireRoles(desk).Produces<ActionDto>(201).ProducesValidationProblem().ProducesProblem(404);
        g.MapPost("/agreements/{id:int}/document", UploadDocument).RequireRoles(desk).DisableAntiforgery();
        g.MapGet("/agreements/{id:int}/document", Document).RequireRoles(read);

        g.MapGet("/dashboard", Dashboard).RequireRoles(read);
        g.MapGet("/map", Map).RequireRoles(read);

        g.MapGet("/reports", Reports).RequireRoles(read);
        g.MapPost("/reports", GenerateReport).RequireRoles(desk).Produces(201).ProducesProblem(404);
        g.MapGet("/reports/{id:int}/{kind}", ReportFile).RequireRoles(read);
    }

    private static async Task<IResult> Send<T>(Task<Outcome<T>> work, int okStatus = 200)
    {
        var o = await work;
        if (o.Errors is not null) return TypedResults.ValidationProblem(o.Errors, detail: "Periksa isian / check the input.", title: "Isian tidak sah / invalid input");
        if (!o.Ok) return TypedResults.Problem(o.Message, statusCode: o.Status, title: o.Status switch { 403 => "Forbidden", 404 => "Not found", 409 => "Conflict", _ => "Error" });
        return okStatus == 201 ? TypedResults.Json(o.Value, statusCode: 201) : TypedResults.Ok(o.Value);
    }

    /// <summary>The region a read is about: the given one or the actor's own scope; 400 when malformed, 403 when outside the scope.</summary>
    internal static IResult? ReadRegion(HttpContext http, IConfiguration config, string? region, out string code)
    {
        var actor = http.GetActor();
        code = string.IsNullOrWhiteSpace(region) ? (actor.ScopeCode.Length > 0 ? actor.ScopeCode : Startup.Provinces(config)[0]) : region.Trim();
        if (!RegionCode.IsValid(code)) return TypedResults.Problem($"'{code}' bukan kode wilayah yang sah / is not a valid region code.", statusCode: 400, title: "Invalid region code");
        if (!actor.Covers(code)) return TypedResults.Problem($"Wilayah {code} di luar cakupan Anda / region {code} is outside your scope.", statusCode: 403, title: "Forbidden");
        return null;
    }

    private static async Task<IResult> Agencies(HttpContext http, IConfiguration config, CoordinationService s, string? region, string? q, bool? withParents, CancellationToken ct)
    {
        // The directory itself is not private: any signed-in user may look up agencies in any region.
        var code = string.IsNullOrWhiteSpace(region) ? "" : region.Trim();
        if (code.Length > 0 && !RegionCode.IsValid(code)) return TypedResults.Problem($"'{code}' bukan kode wilayah yang sah / is not a valid region code.", statusCode: 400, title: "Invalid region code");
        return TypedResults.Ok(await s.AgenciesAsync(code, q, withParents == true, ct));
    }

    private static async Task<IResult> Generate(HttpContext http, AgencySeeder seeder, string? region, CancellationToken ct)
    {
        if (!RegionCode.TryGetLevel(region, out var level) || level > RegionLevel.Kecamatan)
            return TypedResults.Problem("Pilih wilayah provinsi, kab/kota atau kecamatan / choose a province, kab/kota or kecamatan.", statusCode: 400, title: "Invalid region code");
        if (!http.GetActor().Covers(region!)) return TypedResults.Problem($"Wilayah {region} di luar cakupan Anda / outside your scope.", statusCode: 403, title: "Forbidden");
        return TypedResults.Ok(new { region, generated = await seeder.EnsureAsync(region!, ct) });
    }

    private static async Task<IResult> Meetings(HttpContext http, IConfiguration config, CoordinationService s, string? region, CancellationToken ct) =>
        ReadRegion(http, config, region, out var code) ?? TypedResults.Ok(await s.ListMeetingsAsync(code, ct));

    private static async Task<IResult> Meeting(HttpContext http, CoordinationService s, PantauDbContext db, int id, CancellationToken ct)
    {
        var m = await s.GetMeetingAsync(id, ct);
        if (m is null) return TypedResults.Problem("Rakor tidak ditemukan / meeting not found.", statusCode: 404, title: "Not found");
        var actor = http.GetActor();
        if (!actor.Covers(m.RegionCode))
        {
            var mine = await s.AgenciesOfAsync(actor, ct);
            if (!m.Participants.Any(p => mine.Contains(p.AgencyId)) && !m.Decisions.SelectMany(d => d.Actions).Any(a => mine.Contains(a.OwnerAgencyId)))
                return TypedResults.Problem("Rakor di luar cakupan Anda / meeting outside your scope.", statusCode: 403, title: "Forbidden");
        }
        return TypedResults.Ok(m);
    }

    private static async Task<IResult> Actions(HttpContext http, IConfiguration config, CoordinationService s, string? region, string? status, bool? overdue, bool? open,
        int? agencyId, int? meetingId, int? agreementId, CancellationToken ct)
    {
        if (ReadRegion(http, config, region, out var code) is { } bad) return bad;
        ActionStatus? st = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<ActionStatus>(status, true, out var parsed) || !Enum.IsDefined(parsed))
                return TypedResults.Problem($"Status '{status}' tidak dikenal; gunakan Open, InProgress, Done, Cancelled / unknown status.", statusCode: 400, title: "Invalid status");
            st = parsed;
        }
        var list = await s.ListActionsAsync(code, st, overdue == true, agencyId, meetingId, agreementId, ct);
        if (open == true) list = list.Where(a => !ActionRules.IsClosed(a.Status)).ToList();
        return TypedResults.Ok(list);
    }

    private static async Task<IResult> Mine(HttpContext http, CoordinationService s, CancellationToken ct)
    {
        var ids = await s.AgenciesOfAsync(http.GetActor(), ct);
        var list = new List<ActionDto>();
        foreach (var id in ids) list.AddRange(await s.ListActionsAsync("", null, false, id, null, null, ct));
        return TypedResults.Ok(list.OrderBy(a => ActionRules.IsClosed(a.Status)).ThenBy(a => a.DueAt).ToList());
    }

    private static async Task<IResult> Action(HttpContext http, CoordinationService s, int id, CancellationToken ct)
    {
        var a = await s.GetActionAsync(id, ct);
        if (a is null) return TypedResults.Problem("Tindak lanjut tidak ditemukan / action not found.", statusCode: 404, title: "Not found");
        var actor = http.GetActor();
        if (!actor.Covers(a.RegionCode) && !(await s.AgenciesOfAsync(actor, ct)).Contains(a.OwnerAgencyId))
            return TypedResults.Problem("Di luar cakupan Anda / outside your scope.", statusCode: 403, title: "Forbidden");
        return TypedResults.Ok(a);
    }

    private static async Task<IResult> Agreements(HttpContext http, IConfiguration config, CoordinationService s, string? region, CancellationToken ct) =>
        ReadRegion(http, config, region, out var code) ?? TypedResults.Ok(await s.ListAgreementsAsync(code, ct));

    private static async Task<IResult> Agreement(HttpContext http, CoordinationService s, int id, CancellationToken ct)
    {
        var g = await s.GetAgreementAsync(id, ct);
        if (g is null) return TypedResults.Problem("Kesepakatan tidak ditemukan / agreement not found.", statusCode: 404, title: "Not found");
        var actor = http.GetActor();
        if (!actor.Covers(g.RegionCode) && !g.Parties.Select(p => p.Id).Intersect(await s.AgenciesOfAsync(actor, ct)).Any())
            return TypedResults.Problem("Di luar cakupan Anda / outside your scope.", statusCode: 403, title: "Forbidden");
        return TypedResults.Ok(g);
    }

    private static async Task<IResult> UploadDocument(HttpContext http, CoordinationService s, IFileStore files, PantauDbContext db, int id, IFormFile? file, CancellationToken ct)
    {
        var g = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (g is null) return TypedResults.Problem("Kesepakatan tidak ditemukan / agreement not found.", statusCode: 404, title: "Not found");
        if (!http.GetActor().Covers(g.RegionCode)) return TypedResults.Problem("Di luar wilayah Anda / outside your region.", statusCode: 403, title: "Forbidden");
        if (file is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Pilih berkas PDF / choose a PDF file."] });
        var saved = await files.SaveAsync(file, FileKinds.Pdf, ct);
        if (!saved.Ok) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [saved.Error!] });
        return await Send(s.AttachDocumentAsync(http.GetActor(), id, saved.File!.Id, ct));
    }

    private static async Task<IResult> Document(HttpContext http, CoordinationService s, IFileStore files, int id, CancellationToken ct)
    {
        var g = await s.GetAgreementAsync(id, ct);
        if (g is null || g.DocumentFileId is not { } fid) return TypedResults.Problem("Dokumen tidak ditemukan / document not found.", statusCode: 404, title: "Not found");
        var actor = http.GetActor();
        if (!actor.Covers(g.RegionCode) && !g.Parties.Select(p => p.Id).Intersect(await s.AgenciesOfAsync(actor, ct)).Any())
            return TypedResults.Problem("Di luar cakupan Anda / outside your scope.", statusCode: 403, title: "Forbidden");
        var f = await files.GetAsync(fid, ct);
        return f is null ? TypedResults.Problem("Dokumen tidak ditemukan / document not found.", statusCode: 404, title: "Not found") : FileStore.Download(f, http);
    }

    private static async Task<IResult> Dashboard(HttpContext http, IConfiguration config, DashboardService dash, string? region, CancellationToken ct)
    {
        if (ReadRegion(http, config, region, out var code) is { } bad) return bad;
        var d = await dash.BuildAsync(code, ct);
        return d is null ? TypedResults.Problem($"Wilayah {code} tidak ditemukan atau di bawah kecamatan / region not found or below kecamatan.", statusCode: 404, title: "Not found") : TypedResults.Ok(d);
    }

    /// <summary>Map values (map.js format): each child region banded by its follow-up actions.</summary>
    private static async Task<IResult> Map(HttpContext http, IConfiguration config, DashboardService dash, string? region, CancellationToken ct)
    {
        if (ReadRegion(http, config, region, out var code) is { } bad) return bad;
        var d = await dash.BuildAsync(code, ct);
        if (d is null) return TypedResults.Problem("Wilayah tidak ditemukan / region not found.", statusCode: 404, title: "Not found");
        var items = d.Children.ToDictionary(c => c.Code, c => new
        {
            value = c.OverdueActions,
            label = $"{c.OpenActions} terbuka, {c.OverdueActions} terlambat",
            band = c.OverdueActions > 0 ? "bad" : c.OpenActions > 0 ? "warn" : "ok",
        });
        return TypedResults.Ok(new
        {
            items,
            legend = new[] { new { band = "bad", label = "Ada yang terlambat" }, new { band = "warn", label = "Ada yang terbuka" }, new { band = "ok", label = "Tidak ada" } },
        });
    }

    private static async Task<IResult> Reports(HttpContext http, IConfiguration config, PantauDbContext db, string? region, CancellationToken ct)
    {
        if (ReadRegion(http, config, region, out var code) is { } bad) return bad;
        var list = await db.SituationReports.AsNoTracking().Where(CoordinationService.Within<Data.Coordination.SituationReport>(code, r => r.RegionCode))
            .OrderByDescending(r => r.GeneratedAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(list.Select(ToDto).ToList());
    }

    internal static ReportDto ToDto(Data.Coordination.SituationReport r) => new(r.Id, r.RegionCode, r.ReportDate, r.GeneratedAt, r.Scheduled, r.PdfFileId is not null, r.Error,
        $"/api/coordination/reports/{r.Id}/xlsx", r.PdfFileId is null ? null : $"/api/coordination/reports/{r.Id}/pdf");

    private static async Task<IResult> GenerateReport(HttpContext http, IConfiguration config, SituationReportService reports, string? region, CancellationToken ct)
    {
        if (ReadRegion(http, config, region, out var code) is { } bad) return bad;
        if (RegionCode.LevelOf(code) > RegionLevel.Kecamatan) return TypedResults.Problem("Laporan dibuat per provinsi, kab/kota atau kecamatan / reports are per province, kab/kota or kecamatan.", statusCode: 400, title: "Invalid region code");
        var r = await reports.GenerateAsync(code, false, http.GetActor().UserName, ct);
        return r is null ? TypedResults.Problem($"Wilayah {code} tidak ditemukan / region not found.", statusCode: 404, title: "Not found") : TypedResults.Json(ToDto(r), statusCode: 201);
    }

    private static async Task<IResult> ReportFile(HttpContext http, PantauDbContext db, IFileStore files, int id, string kind, CancellationToken ct)
    {
        var r = await db.SituationReports.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return TypedResults.Problem("Laporan tidak ditemukan / report not found.", statusCode: 404, title: "Not found");
        if (!http.GetActor().Covers(r.RegionCode)) return TypedResults.Problem("Di luar cakupan Anda / outside your scope.", statusCode: 403, title: "Forbidden");
        Guid? fid = kind switch { "pdf" => r.PdfFileId, "xlsx" => r.XlsxFileId, _ => null };
        if (fid is null) return TypedResults.Problem("Berkas tidak tersedia / file not available.", statusCode: 404, title: "Not found");
        var f = await files.GetAsync(fid.Value, ct);
        if (f is null) return TypedResults.Problem("Berkas tidak tersedia / file not available.", statusCode: 404, title: "Not found");
        var result = FileStore.Download(f, http);
        return kind == "xlsx" ? TypedResults.File(f.Content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f.FileName) : result;
    }
}
