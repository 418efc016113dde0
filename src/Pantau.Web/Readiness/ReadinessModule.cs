using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Readiness;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Readiness;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Readiness;

/// <summary>Readiness (pillar 2): tahapan calendar, readiness checklists with target dates, logistics chain of custody.</summary>
public sealed class ReadinessModule : IPantauModule
{
    /// <summary>Roles that may update readiness tasks (within their region scope).</summary>
    public static readonly Role[] TaskEditors =
        [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota, Role.Camat, Role.KpuOperator, Role.PpkOperator, Role.PpsOperator, Role.KppsOperator, Role.AgencyOfficer];

    /// <summary>Roles that record logistics handovers and ask for replacement ballots.</summary>
    public static readonly Role[] LogisticsEditors =
        [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota, Role.Camat, Role.KpuOperator, Role.PpkOperator, Role.PpsOperator, Role.KppsOperator];

    /// <summary>Roles that keep warehouse stock and decide replacement requests (KPU).</summary>
    public static readonly Role[] Kpu = [Role.Admin, Role.KpuOperator];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RegionTreeCache>();
        services.AddSingleton<IDatabaseSeeder, ReadinessDbSeeder>();
        services.AddScoped<ReadinessService>();
        services.AddScoped<ReadinessCommands>();
        services.AddScoped<LogisticsService>();
        services.AddScoped<LogisticsLabelService>();
    }

    public IEnumerable<NavItem> Nav =>
    [
        new(30, "Kesiapan", "Readiness", "/kesiapan", NavGroups.Readiness),
        new(31, "Tahapan", "Schedule", "/kesiapan/tahapan", NavGroups.Readiness),
        new(32, "Logistik", "Logistics", "/kesiapan/logistik", NavGroups.Readiness),
    ];

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/readiness").WithTags("Readiness").RequireAuthorization("SignedIn");
        g.MapGet("/tahapan", Tahapan);
        g.MapPut("/tahapan/{code}", UpdateStage).RequireRoles(RoleGroups.Desk);
        g.MapGet("/templates", Templates);
        g.MapGet("/summary", Summary);
        g.MapGet("/regions/{code}", Dashboard);
        g.MapGet("/critical", Critical);
        g.MapGet("/late", Late);
        g.MapGet("/map", MapValues);
        g.MapGet("/tasks/{subject}", Tasks);
        g.MapPut("/tasks/{template}/{subject}", UpdateTask).RequireRoles(TaskEditors);
        g.MapPost("/tasks/{template}/{subject}/photo", TaskPhoto).RequireRoles(TaskEditors).DisableAntiforgery();
        g.MapGet("/files/{id:guid}", Photo);
        g.MapGet("/export.xlsx", ExportXlsx);
        g.MapGet("/export.csv", ExportCsv);

        var l = g.MapGroup("/logistics");
        l.MapGet("/requirements", Requirements);
        l.MapGet("/stock/{kabKota}", Stock);
        l.MapPut("/stock/{kabKota}", SetStock).RequireRoles(Kpu);
        l.MapGet("/handovers", Handovers);
        l.MapPost("/handovers", RecordHandover).RequireRoles(LogisticsEditors);
        l.MapPost("/handovers/{id:long}/void", VoidHandover).RequireRoles(LogisticsEditors);
        l.MapPost("/handovers/{id:long}/photo", HandoverPhoto).RequireRoles(LogisticsEditors).DisableAntiforgery();
        l.MapGet("/shipments", Shipments);
        l.MapPost("/shipments", CreateShipment).RequireRoles(LogisticsEditors);
        l.MapGet("/shipments/{code}", Shipment);
        l.MapGet("/shipments/{code}/labels.pdf", ShipmentLabels);
        l.MapPost("/shipments/{code}/scan", Scan).RequireRoles(LogisticsEditors);
        l.MapGet("/discrepancies", DiscrepancyList);
        l.MapGet("/replacements", Replacements);
        l.MapPost("/replacements", RequestReplacement).RequireRoles(LogisticsEditors);
        l.MapPut("/replacements/{id:long}", DecideReplacement).RequireRoles(Kpu);
    }

    internal static ProblemHttpResult Problem(Failure f) =>
        f.Errors is { } errors
            ? TypedResults.Problem(f.Detail, statusCode: f.Status, title: f.Title, extensions: new Dictionary<string, object?> { ["errors"] = errors })
            : TypedResults.Problem(f.Detail, statusCode: f.Status, title: f.Title);

    private static ProblemHttpResult BadRegion(string? code) =>
        TypedResults.Problem($"'{code}' bukan kode wilayah yang dikenal / not a known region code (e.g. 16.71.01).", statusCode: 400, title: "Invalid region code");

    private static ProblemHttpResult BadDay(string? on) =>
        TypedResults.Problem($"Tanggal '{on}' tidak sah; gunakan yyyy-MM-dd dalam rentang tahapan / invalid date; use yyyy-MM-dd within the schedule window.",
            statusCode: 400, title: "Invalid date");

    /// <summary>"As of" day: today (WIB, from the clock) or <c>?on=yyyy-MM-dd</c> inside the schedule window.</summary>
    internal static bool TryDay(string? on, TimeProvider time, out DateOnly day)
    {
        day = Schedule.Today(time.GetUtcNow());
        if (string.IsNullOrEmpty(on)) return true;
        return DateOnly.TryParseExact(on, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
               && day >= Schedule.WindowStart.AddMonths(-1) && day <= Schedule.WindowEnd.AddMonths(1);
    }

    public sealed record TahapanView(DateOnly Today, IReadOnlyList<StageView> Stages, IReadOnlyList<StageView> DueSoon, IReadOnlyList<TemplateView> TasksDueSoon);

    internal static async Task<Results<Ok<TahapanView>, ProblemHttpResult>> Tahapan(ReadinessService svc, TimeProvider time, string? on, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        return TypedResults.Ok(await TahapanAsync(svc, day, ct));
    }

    public static async Task<TahapanView> TahapanAsync(ReadinessService svc, DateOnly day, CancellationToken ct)
    {
        var stages = await svc.StageViewsAsync(day, ct);
        var due = Schedule.DueWithin(stages.Select(s => new Stage(s.Code, s.NameId, s.NameEn, s.Start, s.End)), day).Select(s => s.Code).ToHashSet();
        var templates = await svc.TemplatesAsync(ct);
        var tasksDue = templates.Where(t => t.Target >= day && t.Target <= day.AddDays(7)).OrderBy(t => t.Target)
            .Select(t => ToView(t.T, t.Target)).ToList();
        return new TahapanView(day, stages, stages.Where(s => due.Contains(s.Code)).ToList(), tasksDue);
    }

    private static TemplateView ToView(ReadinessTemplate t, DateOnly? target) =>
        new(t.Code, t.Level, t.Category, t.TitleId, t.TitleEn, t.Owner, t.TargetRule, target, t.BlocksVoting);

    internal static async Task<Results<Ok<StageView>, ProblemHttpResult>> UpdateStage(ReadinessCommands cmd, HttpContext http, string code, StageUpdate body, CancellationToken ct)
    {
        var (view, error) = await cmd.UpdateStageAsync(http.GetActor(), code, body, ct);
        return error is not null ? Problem(error) : TypedResults.Ok(view!);
    }

    internal static async Task<Ok<List<TemplateView>>> Templates(ReadinessService svc, CancellationToken ct) =>
        TypedResults.Ok((await svc.TemplatesAsync(ct)).Select(t => ToView(t.T, t.Target)).ToList());

    internal static async Task<Results<Ok<ReadinessSummary>, ProblemHttpResult>> Summary(ReadinessService svc, TimeProvider time, string? region, string? on, int? limit, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        var s = await svc.SummaryAsync(region ?? "16", day, Math.Clamp(limit ?? 20, 0, 500), ct);
        return s is null ? BadRegion(region) : TypedResults.Ok(s);
    }

    internal static async Task<Results<Ok<RegionDashboard>, ProblemHttpResult>> Dashboard(ReadinessService svc, TimeProvider time, string code, string? on, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        var d = await svc.DashboardAsync(code, day, 50, ct);
        return d is null ? BadRegion(code) : TypedResults.Ok(d);
    }

    internal static async Task<Results<Ok<List<CriticalItem>>, ProblemHttpResult>> Critical(ReadinessService svc, TimeProvider time, string? region, string? on, int? limit, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        var s = await svc.SummaryAsync(region ?? "16", day, Math.Clamp(limit ?? 100, 1, 1000), ct);
        return s is null ? BadRegion(region) : TypedResults.Ok(s.Critical.ToList());
    }

    /// <summary>Late tasks (any, worst first; TPS tasks grouped per desa): <c>total</c> equals the summary's <c>late</c>.</summary>
    internal static async Task<Results<Ok<LateList>, ProblemHttpResult>> Late(ReadinessService svc, TimeProvider time, string? region, string? on, int? limit, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        var l = await svc.LateAsync(region ?? "16", day, Math.Clamp(limit ?? 100, 1, 5000), ct);
        return l is null ? BadRegion(region) : TypedResults.Ok(l);
    }

    public sealed record MapValue(double Value, string Label, string Band);
    public sealed record MapLegend(string Band, string Label);
    public sealed record MapView(Dictionary<string, MapValue> Items, IReadOnlyList<MapLegend> Legend);

    internal static async Task<Results<Ok<MapView>, ProblemHttpResult>> MapValues(ReadinessService svc, TimeProvider time, Lang L, string? region, string? on, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        var children = await svc.ChildrenAsync(region ?? "16", day, ct);
        if (children is null) return BadRegion(region);
        var items = children.ToDictionary(c => c.Code, c => new MapValue(c.Score,
            $"{Lang.N(c.Score * 100, 0)}% {L.T("siap", "ready")} · {Lang.N(c.Late)} {L.T("terlambat", "late")}", c.Band));
        return TypedResults.Ok(new MapView(items,
        [
            new("ok", L.T("Siap (≥ 90%, tidak ada yang terlambat)", "Ready (≥ 90%, nothing late)")),
            new("warn", L.T("Perlu perhatian", "Needs attention")),
            new("bad", L.T("Kritis (< 60% atau > 10% terlambat)", "Critical (< 60% or > 10% late)")),
        ]));
    }

    internal static async Task<Results<Ok<List<TaskView>>, ProblemHttpResult>> Tasks(ReadinessService svc, TimeProvider time, string subject, string? on, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        var list = await svc.TasksAsync(subject, day, ct);
        return list is null ? BadRegion(subject) : TypedResults.Ok(list);
    }

    internal static async Task<Results<Ok<TaskView>, ProblemHttpResult>> UpdateTask(ReadinessCommands cmd, HttpContext http, string template, string subject, TaskUpdate body, CancellationToken ct)
    {
        var (view, error) = await cmd.UpdateTaskAsync(http.GetActor(), template, subject, body, ct);
        return error is not null ? Problem(error) : TypedResults.Ok(view!);
    }

    internal static async Task<Results<Ok<TaskView>, ProblemHttpResult>> TaskPhoto(ReadinessCommands cmd, HttpContext http, string template, string subject, IFormFile? photo, CancellationToken ct)
    {
        var (view, error) = await cmd.AttachPhotoAsync(http.GetActor(), template, subject, photo, ct);
        return error is not null ? Problem(error) : TypedResults.Ok(view!);
    }

    /// <summary>Evidence photos are served to users whose scope covers the region of the task or handover that references them.</summary>
    internal static async Task<IResult> Photo(PantauDbContext db, IFileStore files, HttpContext http, Guid id, CancellationToken ct)
    {
        // The subject: a TPS task or a handover to a TPS names the TPS (a KPPS scope reads its own TPS and its desa), else the region.
        var region = await db.ReadinessTaskStates.AsNoTracking().Where(s => s.PhotoFileId == id).Select(s => s.TpsCode ?? s.RegionCode).FirstOrDefaultAsync(ct)
                     ?? await db.LogisticsHandovers.AsNoTracking().Where(h => h.PhotoFileId == id).Select(h => h.ToCode).FirstOrDefaultAsync(ct);
        if (region is null) return TypedResults.Problem("Berkas tidak ditemukan / file not found.", statusCode: 404);
        if (!http.GetActor().Reads(region)) return Problem(Failure.Forbidden(region));
        var f = await files.GetAsync(id, ct);
        return f is null ? TypedResults.Problem("Berkas tidak ditemukan / file not found.", statusCode: 404) : FileStore.Download(f, http);
    }

    internal static async Task<IResult> ExportXlsx(ReadinessService svc, TimeProvider time, string? region, string? on, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        var d = await svc.DashboardAsync(region ?? "16", day, 10_000, ct);
        if (d is null) return BadRegion(region);
        var sheets = new Dictionary<string, IEnumerable<IDictionary<string, object?>>>
        {
            ["Wilayah"] = d.Children.Select(c => (IDictionary<string, object?>)new Dictionary<string, object?>
            {
                ["Kode"] = c.Code, ["Wilayah"] = c.Name, ["Skor %"] = Math.Round(c.Score * 100, 1), ["Tugas"] = c.Total, ["Selesai"] = c.Done,
                ["Berjalan"] = c.InProgress, ["Terhambat"] = c.Blocked, ["Terlambat"] = c.Late, ["Berisiko"] = c.AtRisk, ["Pita"] = c.Band,
            }),
            ["Kritis"] = d.Summary.Critical.Select(CriticalRow),
            ["Tugas"] = d.Tasks.Select(t => (IDictionary<string, object?>)new Dictionary<string, object?>
            {
                ["Butir"] = t.TitleId, ["Pemilik"] = t.Owner, ["Target"] = t.Target.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Status"] = t.Status.ToString(),
                ["Ketepatan"] = t.Timeliness.ToString(), ["Hari terlambat"] = t.DaysLate, ["Catatan"] = t.Note,
            }),
        };
        return Export.Xlsx(sheets, $"kesiapan-{d.Summary.RegionCode}-{day:yyyyMMdd}.xlsx");
    }

    private static IDictionary<string, object?> CriticalRow(CriticalItem c) => new Dictionary<string, object?>
    {
        ["Wilayah"] = c.RegionCode, ["Butir"] = c.TitleId, ["Pemilik"] = c.Owner, ["Jumlah"] = c.Count, ["Status"] = c.Status.ToString(),
        ["Ketepatan"] = c.Timeliness.ToString(), ["Target"] = c.Target.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Hari terlambat"] = c.DaysLate, ["Alasan"] = c.ReasonId,
    };

    internal static async Task<IResult> ExportCsv(ReadinessService svc, TimeProvider time, string? region, string? on, string? table, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        var d = await svc.DashboardAsync(region ?? "16", day, 10_000, ct);
        if (d is null) return BadRegion(region);
        if (table == "critical")
            return Export.Csv(d.Summary.Critical,
            [
                ("wilayah", c => c.RegionCode), ("butir", c => c.TemplateCode), ("judul", c => c.TitleId), ("pemilik", c => c.Owner), ("jumlah", c => c.Count),
                ("status", c => c.Status), ("ketepatan", c => c.Timeliness), ("target", c => c.Target), ("hari_terlambat", c => c.DaysLate), ("alasan", c => c.ReasonId),
            ], $"kesiapan-kritis-{d.Summary.RegionCode}-{day:yyyyMMdd}.csv");
        return Export.Csv(d.Children,
        [
            ("kode", c => c.Code), ("wilayah", c => c.Name), ("skor", c => Math.Round(c.Score, 4)), ("tugas", c => c.Total), ("selesai", c => c.Done),
            ("berjalan", c => c.InProgress), ("terhambat", c => c.Blocked), ("terlambat", c => c.Late), ("berisiko", c => c.AtRisk), ("pita", c => c.Band),
        ], $"kesiapan-{d.Summary.RegionCode}-{day:yyyyMMdd}.csv");
    }

    // ---- logistics ----

    internal static async Task<Results<Ok<RequirementsView>, ProblemHttpResult>> Requirements(LogisticsService svc, string? region, CancellationToken ct)
    {
        var r = await svc.RequirementsAsync(region ?? "16", ct);
        return r is null ? BadRegion(region) : TypedResults.Ok(r);
    }

    internal static async Task<Results<Ok<List<StockRow>>, ProblemHttpResult>> Stock(LogisticsService svc, string kabKota, CancellationToken ct)
    {
        if (!RegionCode.TryGetLevel(kabKota, out var level) || level != RegionLevel.KabKota) return BadRegion(kabKota);
        var r = await svc.StockAsync(kabKota, ct);
        return r is null ? BadRegion(kabKota) : TypedResults.Ok(r);
    }

    public sealed record StockInput(Dictionary<string, long>? Items);

    internal static async Task<Results<NoContent, ProblemHttpResult>> SetStock(LogisticsService svc, HttpContext http, string kabKota, StockInput body, CancellationToken ct)
    {
        var error = await svc.SetStockAsync(http.GetActor(), kabKota, body.Items, ct);
        return error is not null ? Problem(error) : TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<List<HandoverView>>, ProblemHttpResult>> Handovers(LogisticsService svc, ReadinessService rs, HttpContext http, string? region, CancellationToken ct)
    {
        region ??= "16";
        if (!(await rs.TreeAsync(ct)).Regions.ContainsKey(region)) return BadRegion(region);
        if (!http.GetActor().Covers(region)) return Problem(Failure.Forbidden(region));
        return TypedResults.Ok(await svc.HandoversAsync(region, 500, ct));
    }

    /// <summary>Records a berita acara. An <c>Idempotency-Key</c> header (or <c>submissionKey</c>) makes a retry return the first record with 200.</summary>
    internal static async Task<Results<Created<HandoverView>, Ok<HandoverView>, ProblemHttpResult>> RecordHandover(LogisticsService svc, ILiveUpdates live, HttpContext http, HandoverInput body, CancellationToken ct)
    {
        if (body.SubmissionKey is null && http.Request.Headers["Idempotency-Key"] is { Count: 1 } header) body = body with { SubmissionKey = header.ToString() };
        var (view, error, replayed) = await svc.RecordHandoverAsync(http.GetActor(), body, ct);
        if (error is not null) return Problem(error);
        if (replayed) return TypedResults.Ok(view!);
        await live.PublishAsync(ReadinessCommands.RegionTopic(new CustodyNode(view!.ToLevel, view.ToCode).RegionCode), "handover", new { to = view.ToCode }, ct);
        return TypedResults.Created($"/api/readiness/logistics/handovers/{view.Id}", view);
    }

    internal static async Task<Results<Ok<List<ShipmentView>>, ProblemHttpResult>> Shipments(LogisticsLabelService svc, HttpContext http, string? region, CancellationToken ct)
    {
        region ??= "16";
        if (!RegionCode.IsValid(region)) return BadRegion(region);
        if (!http.GetActor().Covers(region)) return Problem(Failure.Forbidden(region));
        return TypedResults.Ok(await svc.ListAsync(region, 200, ct));
    }

    internal static async Task<Results<Created<ShipmentView>, ProblemHttpResult>> CreateShipment(LogisticsLabelService svc, HttpContext http, ShipmentInput body, CancellationToken ct)
    {
        var (view, error) = await svc.CreateAsync(http.GetActor(), body, ct);
        return error is not null ? Problem(error) : TypedResults.Created($"/api/readiness/logistics/shipments/{view!.Code}", view);
    }

    internal static async Task<Results<Ok<ShipmentView>, ProblemHttpResult>> Shipment(LogisticsLabelService svc, HttpContext http, string code, CancellationToken ct)
    {
        var (view, error) = await svc.GetAsync(http.GetActor(), code, ct);
        return error is not null ? Problem(error) : TypedResults.Ok(view!);
    }

    /// <summary>The label sheet as PDF (Chromium's print-to-PDF); 503 where Chromium is not installed.</summary>
    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ShipmentLabels(LogisticsLabelService svc, ReadinessService rs,
        Pantau.Web.Coordination.IPdfRenderer pdf, Lang lang, HttpContext http, string code, CancellationToken ct)
    {
        var (view, error) = await svc.GetAsync(http.GetActor(), code, ct);
        if (error is not null) return Problem(error);
        var bytes = await pdf.RenderAsync(LogisticsLabelService.LabelSheetHtml(view!, await rs.TreeAsync(ct), lang.IsEnglish), ct);
        if (bytes is null) return Problem(new Failure(503, "PDF tidak tersedia / PDF unavailable", "Chromium tidak terpasang di server / Chromium is not installed on the server."));
        return TypedResults.File(bytes, "application/pdf", $"label-{code}.pdf");
    }

    public sealed record ScanInput(string? Label, List<string>? Already);

    /// <summary>Checks one scanned label against a shipment (the phone's immediate answer); writes nothing.</summary>
    internal static async Task<Results<Ok<ScanView>, ProblemHttpResult>> Scan(LogisticsLabelService svc, HttpContext http, string code, ScanInput body, CancellationToken ct)
    {
        var (view, error) = await svc.ScanAsync(http.GetActor(), code, body.Label, body.Already, ct);
        return error is not null ? Problem(error) : TypedResults.Ok(view!);
    }

    public sealed record VoidInput(string? Reason);

    internal static async Task<Results<Ok<HandoverView>, ProblemHttpResult>> VoidHandover(LogisticsService svc, ILiveUpdates live, HttpContext http, long id, VoidInput body, CancellationToken ct)
    {
        var (view, error) = await svc.VoidHandoverAsync(http.GetActor(), id, body.Reason, ct);
        if (error is not null) return Problem(error);
        await live.PublishAsync(ReadinessCommands.RegionTopic(new CustodyNode(view!.ToLevel, view.ToCode).RegionCode), "handover", new { to = view.ToCode }, ct);
        return TypedResults.Ok(view);
    }

    internal static async Task<Results<Ok<HandoverView>, ProblemHttpResult>> HandoverPhoto(ReadinessCommands cmd, HttpContext http, long id, IFormFile? photo, CancellationToken ct)
    {
        var (view, error) = await cmd.AttachHandoverPhotoAsync(http.GetActor(), id, photo, ct);
        return error is not null ? Problem(error) : TypedResults.Ok(view!);
    }

    internal static async Task<Results<Ok<List<Discrepancy>>, ProblemHttpResult>> DiscrepancyList(LogisticsService svc, TimeProvider time, string? region, string? on, CancellationToken ct)
    {
        if (!TryDay(on, time, out var day)) return BadDay(on);
        var list = await svc.DiscrepanciesAsync(region ?? "16", day, ct);
        return list is null ? BadRegion(region) : TypedResults.Ok(list);
    }

    internal static async Task<Results<Ok<List<ReplacementView>>, ProblemHttpResult>> Replacements(LogisticsService svc, HttpContext http, string? region, CancellationToken ct)
    {
        region ??= "16";
        if (!RegionCode.IsValid(region)) return BadRegion(region);
        if (!http.GetActor().Covers(region)) return Problem(Failure.Forbidden(region));
        return TypedResults.Ok(await svc.ReplacementsAsync(region, ct));
    }

    internal static async Task<Results<Created<ReplacementView>, ProblemHttpResult>> RequestReplacement(LogisticsService svc, HttpContext http, ReplacementInput body, CancellationToken ct)
    {
        var (view, error) = await svc.RequestReplacementAsync(http.GetActor(), body, ct);
        return error is not null ? Problem(error) : TypedResults.Created($"/api/readiness/logistics/replacements/{view!.Id}", view);
    }

    public sealed record DecisionInput(ReplacementStatus? Status, long? Version);

    internal static async Task<Results<Ok<ReplacementView>, ProblemHttpResult>> DecideReplacement(LogisticsService svc, HttpContext http, long id, DecisionInput body, CancellationToken ct)
    {
        if (body.Status is not { } status || !Enum.IsDefined(status))
            return Problem(Failure.Invalid(new() { ["status"] = ["Status wajib: Approved, Fulfilled atau Rejected / status is required."] }));
        var (view, error) = await svc.DecideReplacementAsync(http.GetActor(), id, status, body.Version, ct);
        return error is not null ? Problem(error) : TypedResults.Ok(view!);
    }
}

/// <summary>Seeds the 2024 tahapan and the checklist templates at start-up.</summary>
internal sealed class ReadinessDbSeeder : IDatabaseSeeder
{
    public Task SeedAsync(Pantau.Data.PantauDbContext db, CancellationToken ct) => ReadinessSeeder.EnsureSeededAsync(db, ct);
}
