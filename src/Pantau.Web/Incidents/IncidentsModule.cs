using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Incidents;

/// <summary>Kerawanan and incidents (pillars 3 and 4): reports, workflow with SLAs, hoax desk, ASN neutrality, vulnerability index. See docs/incidents.md.</summary>
public sealed class IncidentsModule : IPantauModule
{
    public static readonly Role[] Deployers = [Role.Admin, Role.DeskProvinsi, Role.DeskKabKota, Role.Police, Role.Army];

    public void AddCommands(CommandVerbs verbs)
    {
        verbs.Add("import-ikp", "import-ikp FILE.csv [--region CODE] [--election CODE]: Bawaslu's IKP table per kab/kota or kecamatan into the IKP edition of the election (default: the current one); nothing is written on a bad row", ImportIkpCommand);
    }

    private static async Task<int> ImportIkpCommand(WebApplication app, string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith('-')) { Console.Error.WriteLine("usage: import-ikp FILE.csv [--region CODE] [--election CODE]"); return 2; }
        var path = args[0];
        if (!File.Exists(path)) { Console.Error.WriteLine($"{path}: file not found"); return 2; }
        var region = Commands.Option(args, "--region") ?? "";
        if (region.Length > 0 && !RegionCode.IsValid(region)) { Console.Error.WriteLine($"'{region}' is not a region code."); return 2; }
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        await db.Database.MigrateAsync();
        var svc = scope.ServiceProvider.GetRequiredService<KerawananService>();
        var election = Commands.Option(args, "--election");
        if (!await svc.UseElectionAsync(election, CancellationToken.None, region.Length > 0 ? region : null)) { Console.Error.WriteLine($"election '{election}' not found."); return 2; }
        var result = await svc.ImportAsync(path, await File.ReadAllTextAsync(path), region, "cli", CancellationToken.None);
        if (!result.Ok)
        {
            foreach (var e in result.Errors) Console.Error.WriteLine(e with { File = path });
            Console.Error.WriteLine($"{result.Errors.Count} error(s); nothing was written.");
            return 1;
        }
        Console.WriteLine($"Imported {result.Rows.Count} region(s) into {svc.Edition.Key}{(svc.Election is { } chosen ? $" (election {chosen.Code})" : "")}.");
        return 0;
    }

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<IncidentService>();
        services.AddScoped<KerawananService>();
        services.AddScoped<IIncidentSummary, IncidentSummaryService>();
        services.AddSingleton<IScheduledJob, SlaEscalationJob>();
    }

    public IEnumerable<NavItem> Nav =>
    [
        new(50, "Insiden", "Incidents", "/insiden", NavGroups.Security),
        new(51, "Kerawanan", "Vulnerability", "/kerawanan", NavGroups.Security),
        new(52, "Penempatan aparat", "Deployment", "/kerawanan/penempatan", NavGroups.Security),
        new(53, "Meja hoaks", "Hoax desk", "/insiden/hoaks", NavGroups.Security),
        new(54, "Cek hoaks", "Hoax check", "/hoaks", NavGroups.Security),
        new(55, "Lapor", "Report", "/lapor", NavGroups.Security),
    ];

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var pub = app.MapGroup("/api/incidents/public").WithTags("Incidents (public)");
        pub.MapPost("/", CreatePublic).RequireRateLimiting(RateLimits.PublicForm).DisableAntiforgery();
        pub.MapPost("/status", Track).RequireRateLimiting(RateLimits.PublicForm).DisableAntiforgery().Produces(200).ProducesProblem(404);
        pub.MapGet("/clarifications", PublishedClaims).RequireRateLimiting(RateLimits.PublicApi);

        var g = app.MapGroup("/api/incidents").WithTags("Incidents");
        g.MapPost("/", Create).RequireRoles(RoleGroups.Officers).Produces<CreatedReport>(201).ProducesValidationProblem();
        g.MapGet("/", List).RequireRoles(RoleGroups.Officers);
        g.MapGet("/summary", Summary).RequireRoles(RoleGroups.SignedIn);
        g.MapGet("/export", ExportIncidents).RequireRoles(RoleGroups.Officers);
        g.MapGet("/asn/stats", AsnStats).RequireRoles(RoleGroups.Officers);
        g.MapGet("/hoax", Claims).RequireRoles(RoleGroups.Officers);
        g.MapPost("/hoax", CreateClaim).RequireRoles(RoleGroups.Officers).Produces<IncidentService.HoaxClaimDto>(201).ProducesValidationProblem();
        g.MapPost("/hoax/{id:guid}/verdict", Verdict).RequireRoles(RoleGroups.Officers);
        g.MapGet("/{id:guid}", Get).RequireRoles(RoleGroups.Officers);
        g.MapPost("/{id:guid}/transition", Transition).RequireRoles(RoleGroups.Officers);
        g.MapPost("/{id:guid}/triage", Triage).RequireRoles(RoleGroups.Officers);
        g.MapPost("/{id:guid}/claim", AttachClaim).RequireRoles(RoleGroups.Officers);
        g.MapPost("/{id:guid}/evidence", AddEvidence).RequireRoles(RoleGroups.Officers).DisableAntiforgery().Produces<EvidenceDto>(201).ProducesProblem(404).ProducesProblem(413);
        g.MapGet("/{id:guid}/evidence/{fileId:guid}", GetEvidence).RequireRoles(RoleGroups.Officers);

        var k = app.MapGroup("/api/kerawanan").WithTags("Kerawanan");
        k.MapGet("/", Scores).RequireRateLimiting(RateLimits.PublicApi);
        k.MapGet("/map", MapValues).RequireRateLimiting(RateLimits.PublicApi);
        k.MapGet("/points", Points).RequireRateLimiting(RateLimits.PublicApi);
        k.MapGet("/export", ExportScores).RequireRateLimiting(RateLimits.PublicApi);
        k.MapGet("/deployment", DeploymentList).RequireRoles(Deployers);
        k.MapGet("/tps/{code}", GetTps).RequireRoles(RoleGroups.Officers);
        k.MapPut("/tps/{code}", PutTps).RequireRoles(RoleGroups.Officers);
        k.MapGet("/ikp", IkpInfo).RequireRateLimiting(RateLimits.PublicApi);
        k.MapPost("/ikp/import", ImportIkp).RequireRoles(RoleGroups.Desk).DisableAntiforgery()
            .WithScopeProbe(Role.DeskKabKota, "16.71",
                new ProbeRequest("POST", "/api/kerawanan/ikp/import?region=16.71") { Upload = new ProbeUpload("file", "ikp.csv", "kode,skor\n16.71.01,30.5\n"u8.ToArray()) },
                new ProbeRequest("POST", "/api/kerawanan/ikp/import?region=16.02") { Upload = new ProbeUpload("file", "ikp.csv", "kode,skor\n16.02.01,30.5\n"u8.ToArray()) });
    }

    internal static IResult ToResult<T>(ServiceResult<T> r) => r.Ok ? TypedResults.Ok(r.Value)
        : r.Errors is not null ? TypedResults.ValidationProblem(r.Errors, title: "Data tidak sah / invalid input")
        : TypedResults.Problem(r.Error, statusCode: r.Status, title: r.Status switch { 403 => "Forbidden", 404 => "Not found", 409 => "Conflict", _ => "Error" });

    private static IResult BadRegion(string? code) =>
        TypedResults.Problem($"'{code}' bukan kode wilayah yang sah / is not a valid region code (e.g. 16.71).", statusCode: 400, title: "Invalid region code");

    internal static async Task<IResult> CreatePublic(CreateIncidentRequest? r, IncidentService svc, HttpContext http, CancellationToken ct)
    {
        if (r is null) return TypedResults.Problem("Isi laporan kosong / empty report.", statusCode: 400);
        // Citizens cannot set triage fields or name themselves as officers.
        var res = await svc.CreateAsync(r with { Severity = null, Urgency = null }, http.GetActor(), citizen: true, ct);
        return res.Ok ? TypedResults.Created("/lapor/status", res.Value) : ToResult(res);
    }

    public sealed record TrackRequest(string? Code, string? Secret);

    internal static async Task<IResult> Track(TrackRequest? r, IncidentService svc, CancellationToken ct)
    {
        var s = await svc.TrackAsync(r?.Code, r?.Secret, ct);
        return s is null ? TypedResults.Problem("Kode atau kunci tidak cocok / code or secret does not match.", statusCode: 404, title: "Not found") : TypedResults.Ok(s);
    }

    internal static async Task<IResult> PublishedClaims(IncidentService svc, CancellationToken ct) =>
        TypedResults.Ok((await svc.ClaimsAsync(null, publishedOnly: true, ct)).Select(c => new { c.Id, c.Claim, c.Verdict, c.VerdictId, c.VerdictEn, c.Clarification, c.RegionCode, c.PublishedAt, c.Reports }));

    internal static async Task<IResult> Create(CreateIncidentRequest? r, IncidentService svc, HttpContext http, CancellationToken ct)
    {
        if (r is null) return TypedResults.Problem("Isi laporan kosong / empty report.", statusCode: 400);
        var res = await svc.CreateAsync(r, http.GetActor(), citizen: false, ct);
        return res.Ok ? TypedResults.Created("/api/incidents/" + res.Value!.Id, res.Value) : ToResult(res);
    }

    internal static async Task<IResult> List(IncidentService svc, HttpContext http, string? region, IncidentStatus? status, IncidentCategory? category, bool? open, int? take,
        Severity? severity, CancellationToken ct)
    {
        if (region is not null && !RegionCode.IsValid(region)) return BadRegion(region);
        var actor = http.GetActor();
        if (region is not null && !actor.Covers(region) && !RegionCode.IsWithin(actor.ScopeCode, region))
            return TypedResults.Problem("Wilayah di luar cakupan Anda / region outside your scope.", statusCode: 403);
        return TypedResults.Ok(await svc.ListAsync(actor, region, status, category, open ?? false, take ?? 500, ct, severity));
    }

    internal static async Task<IResult> Summary(IIncidentSummary summary, HttpContext http, string? region, string? election, CancellationToken ct)
    {
        var actor = http.GetActor();
        region ??= actor.HomeRegion.Length > 0 ? actor.HomeRegion : "16";
        if (!RegionCode.IsValid(region)) return BadRegion(region);
        if (!actor.Covers(region)) return TypedResults.Problem("Wilayah di luar cakupan Anda / region outside your scope.", statusCode: 403);
        return TypedResults.Ok(await summary.ForElectionAsync(region, election, ct));
    }

    internal static async Task<IResult> Get(Guid id, IncidentService svc, HttpContext http, CancellationToken ct) => ToResult(await svc.DetailAsync(id, http.GetActor(), ct));

    internal static async Task<IResult> Transition(Guid id, TransitionRequest? r, IncidentService svc, HttpContext http, CancellationToken ct) =>
        r is null ? TypedResults.Problem("Permintaan kosong / empty request.", statusCode: 400) : ToResult(await svc.TransitionAsync(id, r, http.GetActor(), ct));

    internal static async Task<IResult> Triage(Guid id, TriageRequest? r, IncidentService svc, HttpContext http, CancellationToken ct) =>
        r is null ? TypedResults.Problem("Permintaan kosong / empty request.", statusCode: 400) : ToResult(await svc.TriageAsync(id, r, http.GetActor(), ct));

    internal static async Task<IResult> AttachClaim(Guid id, IncidentService.AttachClaimRequest? r, IncidentService svc, HttpContext http, CancellationToken ct) =>
        r is null ? TypedResults.Problem("Permintaan kosong / empty request.", statusCode: 400) : ToResult(await svc.AttachClaimAsync(id, r, http.GetActor(), ct));

    internal static async Task<IResult> AddEvidence(Guid id, IncidentService svc, IFileStore store, HttpContext http, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) return TypedResults.Problem("Kirim berkas sebagai multipart/form-data (field 'file') / send the file as multipart/form-data.", statusCode: 400);
        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file");
        if (file is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Pilih berkas / choose a file."] });
        var res = await svc.AddEvidenceAsync(id, file, store, http.GetActor(), ct);
        return res.Ok ? TypedResults.Created(res.Value!.Url, res.Value) : ToResult(res);
    }

    internal static async Task<IResult> GetEvidence(Guid id, Guid fileId, PantauDbContext db, IFileStore store, HttpContext http, CancellationToken ct)
    {
        var incident = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.RegionCode }).FirstOrDefaultAsync(ct);
        if (incident is null || !await db.IncidentEvidence.AnyAsync(e => e.IncidentId == id && e.FileId == fileId, ct))
            return TypedResults.Problem("Berkas tidak ditemukan / file not found.", statusCode: 404);
        if (!http.GetActor().Covers(incident.RegionCode)) return TypedResults.Problem("Laporan di luar cakupan wilayah Anda / report outside your scope.", statusCode: 403);
        var f = await store.GetAsync(fileId, ct);
        return f is null ? TypedResults.Problem("Berkas tidak ditemukan / file not found.", statusCode: 404) : FileStore.Download(f, http);
    }

    internal static async Task<IResult> ExportIncidents(IncidentService svc, HttpContext http, string? region, string? format, CancellationToken ct)
    {
        if (region is not null && !RegionCode.IsValid(region)) return BadRegion(region);
        var actor = http.GetActor();
        var rows = await svc.ListAsync(actor, region, null, null, false, 5000, ct);
        // No reporter name/contact and no ASN names in exports.
        (string, Func<IncidentListItem, object?>)[] cols =
        [
            ("kode", r => r.TrackingCode), ("sumber", r => r.Source), ("kategori", r => IncidentLabels.Of(r.Category).Id), ("status", r => IncidentLabels.Of(r.Status).Id),
            ("keparahan", r => IncidentLabels.Of(r.Severity).Id), ("urgensi", r => r.Urgency), ("wilayah", r => r.RegionCode), ("kabkota", r => r.KabKotaCode),
            ("waktu_kejadian", r => r.OccurredAt), ("waktu_lapor", r => r.ReportedAt), ("judul", r => r.Title),
            ("diteruskan_ke", r => r.ReferredTo is { } a ? IncidentLabels.Of(a).Id : null), ("instansi_asn", r => r.AsnAgency), ("jabatan_asn", r => r.AsnPosition),
            ("batas_sla", r => r.DueAt), ("terlambat", r => r.Overdue ? "ya" : "tidak"), ("eskalasi", r => r.EscalatedStage),
        ];
        return format?.ToLowerInvariant() switch
        {
            "xlsx" => Export.Xlsx(new Dictionary<string, IEnumerable<IDictionary<string, object?>>>
            { ["Insiden"] = rows.Select(r => (IDictionary<string, object?>)cols.ToDictionary(c => c.Item1, c => XlsxValue(c.Item2(r)))) }, "insiden.xlsx"),
            null or "csv" => Export.Csv(rows, cols, "insiden.csv"),
            _ => TypedResults.Problem("Format: csv atau xlsx / format must be csv or xlsx.", statusCode: 400),
        };
    }

    private static object? XlsxValue(object? v) => v switch { DateTimeOffset d => d.UtcDateTime, null => null, int or long or double => v, _ => v.ToString() };

    internal static async Task<IResult> AsnStats(IncidentService svc, HttpContext http, string? region, string? format, CancellationToken ct)
    {
        if (region is not null && !RegionCode.IsValid(region)) return BadRegion(region);
        var stats = await svc.AsnStatsAsync(http.GetActor().ScopeCode, region, ct);
        if (format == "csv")
            return Export.Csv(stats, [("instansi", s => s.Agency), ("laporan", s => s.Reports), ("aktif", s => s.Open), ("terverifikasi", s => s.Verified),
                ("ke_bawaslu", s => s.ReferredToBawaslu), ("ke_bkn_kasn_ppk", s => s.ReferredToBknKasnPpk), ("selesai", s => s.Closed), ("ditolak", s => s.Rejected)], "netralitas-asn.csv");
        return TypedResults.Ok(stats);
    }

    internal static async Task<IResult> Claims(IncidentService svc, HttpContext http, CancellationToken ct) => TypedResults.Ok(await svc.ClaimsAsync(http.GetActor(), false, ct));

    internal static async Task<IResult> CreateClaim(IncidentService.CreateClaimRequest? r, IncidentService svc, HttpContext http, CancellationToken ct)
    {
        if (r is null) return TypedResults.Problem("Permintaan kosong / empty request.", statusCode: 400);
        var res = await svc.CreateClaimAsync(r, http.GetActor(), ct);
        return res.Ok ? TypedResults.Created("/api/incidents/hoax/" + res.Value!.Id, res.Value) : ToResult(res);
    }

    internal static async Task<IResult> Verdict(Guid id, IncidentService.VerdictRequest? r, IncidentService svc, HttpContext http, CancellationToken ct) =>
        r is null ? TypedResults.Problem("Permintaan kosong / empty request.", statusCode: 400) : ToResult(await svc.SetVerdictAsync(id, r, http.GetActor(), ct));

    // ---- Kerawanan ----

    private static bool TryLevel(string? level, string parent, out ScoreLevel l)
    {
        l = level?.ToLowerInvariant() switch
        {
            "kabkota" => ScoreLevel.KabKota,
            "kecamatan" => ScoreLevel.Kecamatan,
            "tps" => ScoreLevel.Tps,
            null => RegionCode.LevelOf(parent) switch { RegionLevel.Provinsi => ScoreLevel.KabKota, RegionLevel.KabKota => ScoreLevel.Kecamatan, _ => ScoreLevel.Tps },
            _ => (ScoreLevel)0,
        };
        if (l == 0) return false;
        var pl = (int)RegionCode.LevelOf(parent);
        return l == ScoreLevel.Tps ? pl >= 3 : pl < (int)l;
    }

    /// <summary>A score with its parts (IKP baseline with its source, verified incidents, TPS-rawan variables) and the band of its level.</summary>
    public sealed record ScoreDto(string Code, string Name, double Score, KerawananBand Band, IkpLevel Level, string Edition, bool IsSynthetic, int Incidents, int TpsRawan, int TpsCount,
        double BaselinePoints, double IncidentPoints, double TpsPoints, string BaselineSource, IReadOnlyList<string> PublishedFacts, IReadOnlyList<Contribution> Contributions,
        KerawananBand? BawasluBand = null);

    private static ScoreDto ToDto(ScoredRegion s) => new(s.Code, s.Name, s.Score.Rounded, s.Score.Band, s.Score.Level, s.Score.Edition, s.Score.IsSynthetic, s.Incidents, s.TpsRawan, s.TpsCount,
        Math.Round(s.Score.BaselinePoints, 2), Math.Round(s.Score.IncidentPoints, 2), Math.Round(s.Score.TpsPoints, 2), s.Baseline.Source, s.Baseline.Facts, s.Score.Contributions, s.Parts.BawasluBand);

    /// <summary>Picks the election (<c>?election=CODE</c>, default the current one for the region) whose IKP edition scores; 404 for an unknown code.</summary>
    internal static async Task<IResult?> UseElection(KerawananService svc, string? election, string? region, CancellationToken ct) =>
        await svc.UseElectionAsync(election, ct, region) ? null
            : TypedResults.Problem($"Pemilihan '{election}' tidak ditemukan / election not found.", statusCode: 404, title: "Not found");

    internal static async Task<(List<ScoredRegion>? Rows, IResult? Error)> Load(KerawananService svc, string? parent, string? level, string? election, CancellationToken ct)
    {
        parent ??= "16";
        if (!RegionCode.IsValid(parent)) return (null, BadRegion(parent));
        if (await UseElection(svc, election, parent, ct) is { } missing) return (null, missing);
        if (!TryLevel(level, parent, out var l))
            return (null, TypedResults.Problem("Tingkat: kabkota, kecamatan atau tps (tps hanya per kecamatan/desa) / level must be kabkota, kecamatan or tps (tps only within a kecamatan or desa).", statusCode: 400, title: "Invalid level"));
        return (await svc.ScoreAsync(parent, l, ct), null);
    }

    internal static async Task<IResult> Scores(KerawananService svc, string? parent, string? level, KerawananBand? band, string? election, CancellationToken ct)
    {
        var (rows, error) = await Load(svc, parent, level, election, ct);
        return error ?? TypedResults.Ok(rows!.Where(r => band is null || r.Score.Band == band).OrderByDescending(r => r.Score.Score).Select(ToDto));
    }

    internal static async Task<IResult> MapValues(KerawananService svc, HttpContext http, Lang lang, string? parent, string? level, string? election, CancellationToken ct)
    {
        var (rows, error) = await Load(svc, parent, level, election, ct);
        if (error is not null) return error;
        TryLevel(level, parent ?? "16", out var l);
        http.Response.Headers.CacheControl = "no-cache";
        var id = !lang.IsEnglish;
        return TypedResults.Ok(new
        {
            // One language per answer (the page's): the score, its band, sintetis, and its three parts, so the map says why a region is red.
            items = rows!.ToDictionary(r => r.Code, r => new
            {
                value = r.Score.Rounded,
                label = id
                    ? $"{Kerawanan.Num(r.Score.Score, true)} ({BandLabel(r.Score.Band)}){(r.Score.IsSynthetic ? " · sintetis" : "")} = {r.Parts.Text(true)}"
                    : $"{Kerawanan.Num(r.Score.Score, false)} ({r.Score.Band.ToString().ToLowerInvariant()}){(r.Score.IsSynthetic ? " · synthetic" : "")} = {r.Parts.Text(false)}",
                band = r.Score.Band.ToString().ToLowerInvariant(),
                synthetic = r.Score.IsSynthetic,
                baselinePoints = r.Parts.Baseline, incidentPoints = r.Parts.Incidents, tpsPoints = r.Parts.Tps,
            }),
            legend = Legend(svc.Edition, (IkpLevel)(int)l, id),
            election = svc.Election?.Code,
            edition = svc.Edition.Key,
        });
    }

    /// <summary>The map legend of a level: the edition's thresholds for that level (province and kab/kota differ), with where they come from, in one language.</summary>
    public static object[] Legend(IkpEdition edition, IkpLevel level, bool indonesian = true)
    {
        var b = edition.BandsAt(level);
        string N(double v) => Kerawanan.Num(v, indonesian);
        var note = b.Published ? "" : indonesian ? " (ambang kab/kota; Bawaslu tidak menerbitkan kategori tingkat ini)" : " (kab/kota thresholds; Bawaslu publishes no bands for this level)";
        return indonesian
            ?
            [
                new { band = "high", label = $"Tinggi ≥ {N(b.High)}{note}" },
                new { band = "medium", label = $"Sedang {N(b.Medium)}–{N(b.High - 0.01)}" },
                new { band = "low", label = $"Rendah < {N(b.Medium)}" },
            ]
            :
            [
                new { band = "high", label = $"High ≥ {N(b.High)}{note}" },
                new { band = "medium", label = $"Medium {N(b.Medium)}–{N(b.High - 0.01)}" },
                new { band = "low", label = $"Low < {N(b.Medium)}" },
            ];
    }

    /// <summary>The IKP edition of the election (<c>?election=CODE</c>) and the others: dimensions with Pantau's weights, bands per level, Bawaslu's published values.</summary>
    internal static async Task<IResult> IkpInfo(KerawananService svc, string? election, CancellationToken ct) =>
        await UseElection(svc, election, null, ct) ?? TypedResults.Ok(new
    {
        active = svc.Edition.Key,
        election = svc.Election?.Code,
        fallbackSetting = KerawananService.EditionSetting,
        weightsNote = "Bobot dimensi adalah pilihan Pantau; Bawaslu tidak menerbitkan bobot / the dimension weights are Pantau's choice: Bawaslu publishes none.",
        editions = IkpEditions.All.Select(e => new
        {
            e.Key, e.NameId, e.NameEn, e.PublishedId, e.StructureId, e.StructureEn, e.Source,
            dimensions = e.Dimensions.Select(d => new { d.Key, d.Id, d.En, d.Weight, weightBy = "pantau" }),
            bands = Enum.GetValues<IkpLevel>().Select(l => new { level = l, bands = e.BandsAt(l) }),
            published = e.Published,
        }),
        tpsRawan = new
        {
            collection = new { stage = TpsRawanIndicators.CollectionStage, start = TpsRawanIndicators.CollectionStart, end = TpsRawanIndicators.CollectionEnd },
            variables = Enum.GetValues<TpsRawanVariable>().Select(v => new { variable = v, label = IncidentLabels.Of(v).Id, indicators = TpsRawanIndicators.Of(v).Select(i => i.Id) }),
        },
    });

    /// <summary>Imports Bawaslu's IKP table (multipart field <c>file</c>, CSV) for regions inside <c>region</c> (default: the caller's scope).</summary>
    internal static async Task<IResult> ImportIkp(KerawananService svc, HttpContext http, string? region, string? election, CancellationToken ct)
    {
        var actor = http.GetActor();
        region ??= actor.ScopeCode;
        if (region.Length > 0 && !RegionCode.IsValid(region)) return BadRegion(region);
        if (region.Length == 0 ? actor.ScopeCode.Length > 0 : !actor.Covers(region))
            return TypedResults.Problem("Wilayah di luar cakupan Anda / region outside your scope.", statusCode: 403, title: "Forbidden");
        if (!http.Request.HasFormContentType) return TypedResults.Problem("Kirim berkas CSV sebagai multipart/form-data (field 'file') / send the CSV as multipart/form-data.", statusCode: 400, title: "Invalid upload");
        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0) return TypedResults.Problem("Pilih berkas CSV / choose a CSV file.", statusCode: 400, title: "Invalid upload");
        if (file.Length > 2_000_000) return TypedResults.Problem("Berkas terlalu besar (maks. 2 MB) / file too large (max 2 MB).", statusCode: 413, title: "Too large");
        if (await UseElection(svc, election, region.Length > 0 ? region : null, ct) is { } missing) return missing;
        string text;
        using (var reader = new StreamReader(file.OpenReadStream(), System.Text.Encoding.UTF8)) text = await reader.ReadToEndAsync(ct);
        var result = await svc.ImportAsync(file.FileName, text, region, actor.UserName, ct);
        if (!result.Ok)
            return TypedResults.Problem(string.Join("\n", result.Errors.Take(100)), statusCode: 422, title: "ikp-import-invalid",
                extensions: new Dictionary<string, object?> { ["code"] = "ikp-import-invalid", ["errors"] = result.Errors.Select(e => e.ToString()).ToList() });
        return TypedResults.Ok(new { edition = svc.Edition.Key, election = svc.Election?.Code, imported = result.Rows.Count, codes = result.Rows.Select(r => r.Code) });
    }

    public static string BandLabel(KerawananBand b) => b switch { KerawananBand.High => "tinggi", KerawananBand.Medium => "sedang", _ => "rendah" };

    /// <summary>Confirmed incidents with a map point: category, severity and date only (no description, no reporter).</summary>
    internal static async Task<IResult> Points(PantauDbContext db, TimeProvider time, string? region, int? days, CancellationToken ct)
    {
        region ??= "16";
        if (!RegionCode.IsValid(region)) return BadRegion(region);
        var since = time.GetUtcNow().AddDays(-Math.Clamp(days ?? 30, 1, 365));
        var rows = await db.Incidents.AsNoTracking()
            .Where(i => (i.RegionCode == region || i.RegionCode.StartsWith(region + ".")) && i.Latitude != null && i.Longitude != null && i.OccurredAt >= since &&
                        (i.Status == IncidentStatus.Verified || i.Status == IncidentStatus.Referred || i.Status == IncidentStatus.ActionTaken || i.Status == IncidentStatus.Closed))
            .Select(i => new { i.Id, i.Latitude, i.Longitude, i.Category, i.Severity, i.OccurredAt }).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(i => new
        {
            lat = Math.Round(i.Latitude!.Value, 2), lng = Math.Round(i.Longitude!.Value, 2), // ~1 km: never pinpoints a reporter
            label = $"{IncidentLabels.Of(i.Category).Id} · {IncidentLabels.Of(i.Severity).Id} · {i.OccurredAt.ToOffset(TimeSpan.FromHours(7)):dd-MM HH:mm} WIB",
            band = i.Severity >= Severity.High ? "high" : i.Severity == Severity.Medium ? "medium" : "low",
            href = "/insiden/" + i.Id,
        }));
    }

    internal static async Task<IResult> ExportScores(KerawananService svc, string? parent, string? level, string? format, string? election, CancellationToken ct)
    {
        var (rows, error) = await Load(svc, parent, level, election, ct);
        if (error is not null) return error;
        var ordered = rows!.OrderByDescending(r => r.Score.Score).ToList();
        IDictionary<string, object?> Row(ScoredRegion r)
        {
            var d = new Dictionary<string, object?> { ["kode"] = r.Code, ["nama"] = r.Name, ["tingkat"] = IkpImport.LevelId(r.Score.Level), ["skor"] = r.Score.Rounded,
                ["kategori"] = BandLabel(r.Score.Band), ["sintetis"] = r.Score.IsSynthetic ? "ya" : "tidak", ["pemilihan"] = svc.Election?.Code, ["edisi_ikp"] = r.Score.Edition,
                ["dasar_ikp"] = Math.Round(r.Score.BaselinePoints, 4), ["sumber_dasar"] = r.Baseline.Source, ["poin_insiden"] = Math.Round(r.Score.IncidentPoints, 4), ["poin_tps_rawan"] = Math.Round(r.Score.TpsPoints, 4),
                ["insiden"] = r.Incidents, ["tps_rawan"] = r.TpsRawan, ["tps"] = r.TpsCount };
            foreach (var c in r.Score.Contributions) d[c.Key] = Math.Round(c.Points, 4);
            return d;
        }
        var keys = ordered.SelectMany(r => Row(r).Keys).Distinct().ToList();
        return format?.ToLowerInvariant() switch
        {
            "xlsx" => Export.Xlsx(new Dictionary<string, IEnumerable<IDictionary<string, object?>>> { ["Kerawanan"] = ordered.Select(r => { var x = Row(r); return (IDictionary<string, object?>)keys.ToDictionary(k => k, k => x.TryGetValue(k, out var v) ? v : 0.0); }) }, "kerawanan.xlsx"),
            null or "csv" => Export.Csv(ordered, keys.Select(k => (k, (Func<ScoredRegion, object?>)(r => Row(r).TryGetValue(k, out var v) ? v : 0.0))).ToList(), "kerawanan.csv"),
            _ => TypedResults.Problem("Format: csv atau xlsx / format must be csv or xlsx.", statusCode: 400),
        };
    }

    internal static async Task<IResult> DeploymentList(KerawananService svc, HttpContext http, string? region, string? level, int? take, string? format, string? election, CancellationToken ct)
    {
        var actor = http.GetActor();
        region ??= actor.HomeRegion.Length > 0 ? actor.HomeRegion : "16";
        if (!RegionCode.IsValid(region)) return BadRegion(region);
        if (!actor.Covers(region)) return TypedResults.Problem("Wilayah di luar cakupan Anda / region outside your scope.", statusCode: 403);
        var (rows, error) = await Load(svc, region, level ?? (RegionCode.LevelOf(region) >= RegionLevel.Kecamatan ? "tps" : "kecamatan"), election, ct);
        if (error is not null) return error;
        var plan = Deployment.Plan(rows!.Select(r => r.Score), Math.Clamp(take ?? 20, 1, 500));
        var names = rows!.ToDictionary(r => r.Code, r => r.Name);
        var byCode = rows!.ToDictionary(r => r.Code);
        var items = plan.Select(p => new { p.Rank, p.Code, Name = names[p.Code], Score = Math.Round(p.Score, 2), p.Band, p.IsSynthetic, p.ReasonsId, p.ReasonsEn,
            BaselinePoints = Math.Round(p.BaselinePoints, 2), IncidentPoints = Math.Round(p.IncidentPoints, 2), TpsPoints = Math.Round(p.TpsPoints, 2), BaselineSource = byCode[p.Code].Baseline.Source }).ToList();
        if (format == "csv")
            return Export.Csv(items, [("peringkat", x => x.Rank), ("kode", x => x.Code), ("nama", x => x.Name), ("skor", x => x.Score), ("kategori", x => BandLabel(x.Band)),
                ("sintetis", x => x.IsSynthetic ? "ya" : "tidak"), ("dasar_ikp", x => x.BaselinePoints), ("sumber_dasar", x => x.BaselineSource), ("poin_insiden", x => x.IncidentPoints),
                ("poin_tps_rawan", x => x.TpsPoints), ("alasan", x => string.Join("; ", x.ReasonsId))], "penempatan.csv");
        return TypedResults.Ok(new { region, election = svc.Election?.Code, edition = svc.Edition.Key, date = DateOnly.FromDateTime(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToOffset(TimeSpan.FromHours(7)).DateTime), items });
    }

    public sealed record TpsRawanDto(string TpsCode, IReadOnlyList<TpsRawanVariable> Variables, string? Note, DateTimeOffset? UpdatedAt, string? UpdatedBy, KerawananScore Score);
    public sealed record TpsRawanRequest(List<TpsRawanVariable>? Variables, string? Note);

    internal static async Task<IResult> GetTps(string code, PantauDbContext db, KerawananService svc, HttpContext http, string? election, CancellationToken ct)
    {
        var tps = await db.Tps.AsNoTracking().FirstOrDefaultAsync(t => t.Code == code, ct);
        if (tps is null) return TypedResults.Problem($"TPS {code} tidak ditemukan / TPS not found.", statusCode: 404);
        if (!http.GetActor().Covers(tps.Code)) return TypedResults.Problem("TPS di luar cakupan Anda / TPS outside your scope.", statusCode: 403);
        var row = await db.TpsRawan.AsNoTracking().FirstOrDefaultAsync(t => t.TpsCode == code, ct);
        if (await UseElection(svc, election, tps.DesaCode, ct) is { } missing) return missing;
        var score = (await svc.ScoreAsync(tps.DesaCode, ScoreLevel.Tps, ct)).First(s => s.Code == code).Score;
        return TypedResults.Ok(new TpsRawanDto(code, row?.Flags().ToList() ?? [], row?.Note, row?.UpdatedAt, row?.UpdatedBy, score));
    }

    internal static async Task<IResult> PutTps(string code, TpsRawanRequest? r, PantauDbContext db, KerawananService svc, TimeProvider time, HttpContext http, string? election, CancellationToken ct)
    {
        // Scope first (issue 20), then the body.
        var tps = await db.Tps.AsNoTracking().FirstOrDefaultAsync(t => t.Code == code, ct);
        if (tps is null) return TypedResults.Problem($"TPS {code} tidak ditemukan / TPS not found.", statusCode: 404);
        var actor = http.GetActor();
        if (!actor.Covers(tps.Code)) return TypedResults.Problem("TPS di luar cakupan Anda / TPS outside your scope.", statusCode: 403);
        if (r?.Variables is null || r.Variables.Any(v => !Enum.IsDefined(v)) || (r.Note?.Length ?? 0) > 1000)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["variables"] = ["Daftar variabel TPS rawan tidak sah / invalid list of TPS-rawan variables."] });
        var row = await db.TpsRawan.FirstOrDefaultAsync(t => t.TpsCode == code, ct);
        if (row is null) db.TpsRawan.Add(row = new Data.Incidents.TpsRawan { TpsCode = code, KecamatanCode = tps.KecamatanCode, KabKotaCode = tps.KabKotaCode });
        row.Set(r.Variables.ToHashSet());
        row.Note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim();
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedBy = actor.UserName;
        row.Version++;
        await db.SaveChangesAsync(ct);
        return await GetTps(code, db, svc, http, election, ct);
    }
}
