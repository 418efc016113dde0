using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tally;

/// <summary>Results from other sources and the official TPS list (issue 21 points 6 and 3): API and CLI verbs (docs/tally.md).</summary>
public sealed class SourceResultsModule : IPantauModule
{
    /// <summary>Largest accepted upload (a province of SIREKAP rows is about 1 MB).</summary>
    public const long MaxUpload = 64L * 1024 * 1024;

    public void AddCommands(CommandVerbs verbs)
    {
        verbs.Add("import-results", "import-results FILE.csv --source NAME --contest CODE --mapping PRESET|FILE.json: per-TPS results from another source as partial sheets (never counted); nothing is written on a bad row", ImportResultsCommand);
        verbs.Add("import-tps", "import-tps FILE.csv: the official TPS list with DPT (KPU layout: kode_tps or kode_desa + no_tps; dpt_l, dpt_p, dpt); nothing is written on a bad row", TpsListImport.Command);
    }

    public IEnumerable<NavItem> Nav =>
    [
        new(15, "Hasil sumber lain", "Other sources", "/hasil/sumber", NavGroups.Results),
        new(16, "Impor TPS dan hasil", "Import TPS and results", "/hasil/impor", NavGroups.Results),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<SourceResults>();
        services.AddScoped<TpsListImport>();
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/tally/sources").WithTags("Tally sources");
        g.MapPost("/{source}/import", Import).RequireRoles(RoleGroups.Desk).DisableAntiforgery()
            .WithScopeProbe(Role.DeskKabKota, "16.71", new ProbeRequest("POST", "/api/tally/sources/PROBE/import?contest=PILWALKOT-16.71&mapping=sirekap-ppwp", new { }),
                new ProbeRequest("POST", "/api/tally/sources/PROBE/import?contest=PILBUP-16.01&mapping=sirekap-ppwp", new { }));
        g.MapGet("/", List).RequireRoles([.. RoleGroups.ResultAdjudication, .. RoleGroups.Desk]);
        g.MapGet("/{source}/recap/{contest}/{region}", Recap).RequireRoles([.. RoleGroups.ResultAdjudication, .. RoleGroups.Desk]);
        g.MapGet("/compare", Compare).RequireRoles([.. RoleGroups.ResultAdjudication, .. RoleGroups.Desk]);
        app.MapPost("/api/tally/tps-list", TpsList).WithTags("Tally sources").RequireRoles(RoleGroups.Desk).DisableAntiforgery()
            .WithScopeProbe(Role.DeskKabKota, "16.71", new ProbeRequest("POST", "/api/tally/tps-list?region=16.71", new { }), new ProbeRequest("POST", "/api/tally/tps-list?region=16.01", new { }));
    }

    private static IResult Problems(int status, IEnumerable<ImportProblem> errors, string title) =>
        TypedResults.Problem(string.Join("\n", errors.Take(200)), statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Take(1000).Select(e => e.ToString()).ToList() });

    /// <summary><c>POST /api/tally/sources/{source}/import?contest=C&amp;mapping=PRESET|JSON</c>, body <c>text/csv</c>.</summary>
    internal static async Task<IResult> Import(HttpContext http, SourceResults results, TallyReference reference, string source, string? contest, string? mapping, CancellationToken ct)
    {
        var actor = http.GetActor();
        var contests = await reference.ContestsAsync(ct);
        if (contest is null || !contests.TryGetValue(contest, out var ci))
            return TypedResults.Problem($"pemilihan '{contest}' tidak dikenal / unknown contest '{contest}'", statusCode: 404, title: "CONTEST_UNKNOWN");
        // Scope first: the Desk's region must hold part of the contest (each row's TPS is checked again before any value is read).
        if (!SourceResults.MayImportInto(actor, ci.RegionCode))
            return TypedResults.Problem($"pemilihan {ci.Code} di luar wilayah tugas Anda / contest {ci.Code} is outside your region", statusCode: 403, title: "OUT_OF_SCOPE");
        if (SourceResults.ParseMapping(mapping, out var error) is not { } map)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["mapping"] = [error!] });
        if (http.Request.ContentLength > MaxUpload) return TypedResults.Problem("berkas terlalu besar / file too large", statusCode: 413);
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var result = await results.ImportAsync(actor, source, ci.Code, map, reader, "upload.csv", null, ct);
        if (!result.Ok) return Problems(result.Status, result.Errors, result.Status == 403 ? "OUT_OF_SCOPE" : "IMPORT_REFUSED");
        return TypedResults.Ok(new { source, contest = ci.Code, rows = result.Rows, stored = result.Stored, accepted = result.Accepted, flagged = result.Flagged, noData = result.NoData });
    }

    internal static async Task<IResult> List(SourceResults results, string contest, CancellationToken ct) =>
        TypedResults.Ok((await results.SourcesAsync(contest, ct)).Select(s => new { source = s.Source, sheets = s.Sheets }));

    internal static async Task<IResult> Recap(HttpContext http, SourceResults results, string source, string contest, string region, CancellationToken ct)
    {
        region = region == "all" ? "" : region;
        if (region.Length > 0 && !RegionCode.IsValid(region)) return TypedResults.Problem("kode wilayah tidak sah / invalid region code", statusCode: 400);
        if (!http.GetActor().Reads(region.Length == 0 ? "" : region)) return TypedResults.Problem("di luar wilayah tugas Anda / outside your region", statusCode: 403);
        return TypedResults.Ok(await results.RecapAsync(contest, source, region, ct));
    }

    /// <summary><c>GET /api/tally/sources/compare?contest=C&amp;source=A&amp;against=official|B&amp;region=R</c>.</summary>
    internal static async Task<IResult> Compare(HttpContext http, SourceResults results, string contest, string source, string? against, string? region, CancellationToken ct)
    {
        region ??= "";
        if (region.Length > 0 && !RegionCode.IsValid(region)) return TypedResults.Problem("kode wilayah tidak sah / invalid region code", statusCode: 400);
        if (!http.GetActor().Reads(region)) return TypedResults.Problem("di luar wilayah tugas Anda / outside your region", statusCode: 403);
        return TypedResults.Ok(await results.CompareAsync(contest, source, against ?? SourceResults.Official, region, 500, ct));
    }

    /// <summary><c>POST /api/tally/tps-list?region=R</c>, body <c>text/csv</c> in KPU's layout; every row must lie in region R.</summary>
    internal static async Task<IResult> TpsList(HttpContext http, TpsListImport import, string? region, string? dptErrors, CancellationToken ct)
    {
        var actor = http.GetActor();
        if (region is null || !RegionCode.IsValid(region))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["region"] = ["wilayah daftar TPS wajib (kode wilayah) / the region of the list is required (a region code)"] });
        if (!actor.Covers(region)) return TypedResults.Problem($"wilayah {region} di luar wilayah tugas Anda / region {region} is outside your region", statusCode: 403, title: "OUT_OF_SCOPE");
        if (dptErrors is not (null or "synthesize"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["dptErrors"] = ["hanya 'synthesize' / only 'synthesize'"] });
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var result = await import.ImportAsync(actor, reader, "upload.csv", null, ct, dptErrors == "synthesize", region);
        if (!result.Ok) return Problems(result.Status, result.Errors, result.Status == 403 ? "OUT_OF_SCOPE" : "IMPORT_REFUSED");
        return TypedResults.Ok(new { tps = result.Tps, withDpt = result.WithDpt, synthesizedDpt = result.SynthesizedDpt, removed = result.Removed,
            warnings = result.Warnings.Select(w => w.ToString()).ToList() });
    }

    private static async Task<int> ImportResultsCommand(WebApplication app, string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith('-')) { Console.Error.WriteLine("usage: import-results FILE.csv --source NAME --contest CODE --mapping PRESET|FILE.json"); return 2; }
        var path = args[0];
        if (!File.Exists(path)) { Console.Error.WriteLine($"{path}: file not found"); return 2; }
        var source = Commands.Option(args, "--source") ?? "";
        var contest = Commands.Option(args, "--contest") ?? "";
        var mappingArg = Commands.Option(args, "--mapping") ?? "";
        var mappingText = File.Exists(mappingArg) ? await File.ReadAllTextAsync(mappingArg) : mappingArg;
        if (SourceResults.ParseMapping(mappingText, out var error) is not { } map) { Console.Error.WriteLine(error); return 2; }
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        await db.Database.MigrateAsync();
        var results = scope.ServiceProvider.GetRequiredService<SourceResults>();
        using var reader = new StreamReader(path, Encoding.UTF8);
        var progress = new Progress<(int Done, int Total)>(p => Console.Error.Write($"\r  {p.Done}/{p.Total} sheets written"));
        var result = await results.ImportAsync(Actor.System, source, contest, map, reader, path, progress);
        Console.Error.WriteLine();
        if (!result.Ok)
        {
            foreach (var e in result.Errors) Console.Error.WriteLine(e);
            Console.Error.WriteLine($"{result.Errors.Count} error(s); nothing was written.");
            return 1;
        }
        Console.WriteLine($"Imported {result.Rows} rows from {source} into {contest}: {result.Accepted} accepted, {result.Flagged} flagged, {result.NoData} without data (missing).");
        return 0;
    }
}
