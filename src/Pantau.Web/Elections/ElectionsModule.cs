using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Elections;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Elections;
using Pantau.Web.Infrastructure;
using Pantau.Web.Readiness;

namespace Pantau.Web.Elections;

/// <summary>
/// Elections as data (docs/elections.md): several elections side by side, each with its contests and paslon; the current one by default.
/// API under <c>/api/elections</c>, the setup page <c>/admin/pemilihan</c>, CLI verbs <c>election list|import|export</c>.
/// </summary>
public sealed class ElectionsModule : IPantauModule
{
    /// <summary>The largest election file accepted (a national Pilkada has ~550 contests of a few hundred bytes).</summary>
    public const int MaxFileBytes = 2 * 1024 * 1024;

    public void AddCommands(CommandVerbs verbs)
    {
        verbs.Add("election", "election list | election import FILE [--as USERNAME] | election export CODE [OUT]: elections and their contests (docs/elections.md)", Cli);
    }

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ElectionCatalog>();
        services.AddScoped<ElectionSetup>();
        services.AddScoped<PsuIntake>();
    }

    // In the Desk's coordination group: a Desk sets up the election it runs (an Admin sees it there too).
    public IEnumerable<NavItem> Nav => [new(89, "Pemilihan", "Elections", "/admin/pemilihan", NavGroups.Coordination)];

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/elections").WithTags("Elections");
        g.MapGet("", List);
        g.MapGet("/current", Current);
        g.MapGet("/{code}", Export);
        var w = g.MapGroup("").RequireRoles(ElectionSetup.Roles);
        w.MapPost("", Create)
            .WithScopeProbe(Role.DeskKabKota, "17.06",
                new ProbeRequest("POST", "/api/elections", new NewElection("PROBE-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), "Probe", "pilkada", "2029-11-28", "17.06", null)),
                new ProbeRequest("POST", "/api/elections", new NewElection("PROBE-OUT", "Probe", "pilkada", "2029-11-28", "16.03", null)))
            .Produces<ElectionImportResult>(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);
        w.MapPut("/{code}/contests/{contest}", PutContest)
            .WithScopeProbe(Role.DeskKabKota, "16.03",
                new ProbeRequest("PUT", "/api/elections/PILKADA2024-16/contests/PILBUP-16.03", ProbeContest("16.03")),
                new ProbeRequest("PUT", "/api/elections/PILKADA2024-16/contests/PILBUP-16.04", ProbeContest("16.04")))
            .Produces<ElectionImportResult>(200).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/revoted/{contest}", Revoted);
        g.MapPost("/{code}/sheets", PsuSheet).RequireRoles(RoleGroups.ResultEntry)
            .WithScopeProbe(Role.PpsOperator, "16.71.01.1001",
                new ProbeRequest("POST", "/api/elections/PROBE-PSU/sheets", new { contest = "PILWALKOT-16.71", tps = "1671011001001" }),
                new ProbeRequest("POST", "/api/elections/PROBE-PSU/sheets", new { contest = "PILWALKOT-16.71", tps = "1671011002001" }))
            .Produces<Tally.SheetOutcome>(201).Produces<Tally.SheetOutcome>(202).Produces<Tally.SheetOutcome>(200)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        w.MapPost("/import", Import)
            .WithScopeProbe(Role.DeskKabKota, "17.06",
                new ProbeRequest("POST", "/api/elections/import", new ElectionFile { Code = "PROBE-IN", Name = "Probe", Kind = "pilkada", VotingDate = "2029-11-28", Region = "17.06", Contests = [] }),
                new ProbeRequest("POST", "/api/elections/import", new ElectionFile { Code = "PROBE-OUT", Name = "Probe", Kind = "pilkada", VotingDate = "2029-11-28", Region = "17", Contests = [] }))
            .Produces<ElectionImportResult>(200).ProducesProblem(400).ProducesProblem(403).ProducesProblem(409).ProducesProblem(413);
    }

    /// <summary>The body of a probe: the bupati race of the region with two paslon (the security test's own database is changed).</summary>
    private static ContestEntry ProbeContest(string region) => new()
    {
        Code = "PILBUP-" + region, Kind = "bupati", Region = region,
        Paslon = [new PaslonEntry { Number = 1, Candidate = "Probe A" }, new PaslonEntry { Number = 2, Candidate = "Probe B" }],
    };

    internal static async Task<Ok<List<ElectionInfo>>> List(ElectionCatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.InfosAsync(ct));

    internal static async Task<Results<Ok<ElectionInfo>, ProblemHttpResult>> Current(ElectionCatalog catalog, CancellationToken ct) =>
        (await catalog.InfosAsync(ct)).FirstOrDefault(e => e.IsCurrent) is { } e
            ? TypedResults.Ok(e)
            : TypedResults.Problem("Belum ada pemilihan / no election yet.", statusCode: 404, title: "Not found");

    /// <summary>The election in the file format (what <c>election import</c> reads).</summary>
    internal static async Task<Results<Ok<ElectionFile>, ProblemHttpResult>> Export(string code, PantauDbContext db, CancellationToken ct) =>
        await new ElectionStore(db).ExportAsync(code, ct) is { } file
            ? TypedResults.Ok(file)
            : TypedResults.Problem($"Pemilihan '{code}' tidak ada / election not found.", statusCode: 404, title: "Not found");

    private static IResult Outcome(ElectionImportResult? result, Failure? error, Func<ElectionImportResult, IResult> ok) =>
        error is not null ? ReadinessModule.Problem(error) : ok(result!);

    internal static async Task<IResult> Create(NewElection body, ElectionSetup setup, HttpContext http, CancellationToken ct)
    {
        var (result, error) = await setup.CreateAsync(http.GetActor(), body, ct);
        return Outcome(result, error, r => TypedResults.Created($"/api/elections/{r.Code}", r));
    }

    internal static async Task<IResult> PutContest(string code, string contest, ContestEntry body, ElectionSetup setup, HttpContext http, CancellationToken ct)
    {
        if (body.Code is not null && !string.Equals(body.Code, contest, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem("Kode di alamat dan di isi berbeda / the code in the address and in the body differ.", statusCode: 400, title: "Invalid request");
        var (result, error) = await setup.PutContestAsync(http.GetActor(), code, body with { Code = contest }, ct);
        return Outcome(result, error, r => TypedResults.Ok(r));
    }

    /// <summary>Imports an election file: the JSON document as the body (<c>application/json</c>).</summary>
    internal static async Task<IResult> Import(HttpRequest request, ElectionSetup setup, HttpContext http, CancellationToken ct)
    {
        if (request.ContentLength > MaxFileBytes)
            return TypedResults.Problem($"Berkas terlalu besar (maks. {MaxFileBytes / 1024 / 1024} MB) / file too large.", statusCode: 413, title: "Too large");
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxFileBytes + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        if (read > MaxFileBytes) return TypedResults.Problem("Berkas terlalu besar / file too large.", statusCode: 413, title: "Too large");
        var (result, error) = await setup.ImportTextAsync(http.GetActor(), new string(buffer, 0, read), ct);
        return Outcome(result, error, r => TypedResults.Ok(r));
    }

    /// <summary>The TPS of a contest re-voted in a PSU (<c>?all=true</c>: also those whose PSU is still to come).</summary>
    internal static async Task<Ok<IReadOnlyList<ElectionCatalog.Revote>>> Revoted(string contest, bool? all, ElectionCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.RevotedAsync(contest, all == true, ct));

    /// <summary>
    /// A C.Hasil sheet of a PSU (the body of <c>POST /api/tally/sheets</c>): for a TPS the PSU lists for the contest, from the PSU's voting
    /// day on. It goes through the ordinary Tally intake as a correction of the counted sheet (reason "PSU CODE"), so it replaces the counted
    /// result in the recap while the original stays in the history and the log; a TPS without a result yet gets it as its first sheet.
    /// </summary>
    internal static async Task<IResult> PsuSheet(string code, HttpContext http, ElectionCatalog catalog, PsuIntake psu, CancellationToken ct)
    {
        var body = await Tally.TallyModule.ReadJson(http.Request, ct);
        if (body is null) return TypedResults.Problem("Isi permintaan bukan JSON yang sah / the body is not valid JSON.", statusCode: 400, title: "Invalid JSON");
        // Scope first: the TPS named by the body, before the election or the sheet is looked at.
        if (Tally.TallyModule.BodyTps(body.Value) is not { } tps)
            return TypedResults.Problem("TPS wajib / the TPS is required.", statusCode: 400, title: "Invalid request");
        if (await Tally.TallyModule.OutsideScopeAsync(http, tps, ct) is { } refused) return refused;
        var election = await catalog.ResolveAsync(code, ct);
        if (election is null) return TypedResults.Problem($"Pemilihan '{code}' tidak ada / election not found.", statusCode: 404, title: "Not found");
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var parsed = Tally.SheetParser.FromJson(body.Value, false, key.Length > 0 ? key : null);
        if (parsed.Input is null)
            return election.Kind != ElectionKind.Psu
                ? TypedResults.Problem($"{election.Code} bukan PSU / not a PSU.", statusCode: 400, title: "Not a PSU")
                : TypedResults.ValidationProblem(parsed.Errors);
        var (result, no) = await psu.SubmitAsync(http.GetActor(), election, parsed.Input, ct);
        if (no is not null) return TypedResults.Problem(no.Message, statusCode: no.Status, title: no.Title);
        result = (await http.RequestServices.GetRequiredService<Tally.PublicLog.ReceiptService>().AttachAsync([result!], ct))[0];
        return Tally.TallyModule.OutcomeResult(result);
    }

    private static async Task<int> Cli(WebApplication app, string[] args)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        await db.Database.MigrateAsync();
        var verb = args.Length > 0 ? args[0] : "list";
        switch (verb)
        {
            case "list":
                var catalog = scope.ServiceProvider.GetRequiredService<ElectionCatalog>();
                foreach (var e in await catalog.InfosAsync())
                    Console.WriteLine($"{(e.IsCurrent ? "*" : " ")} {e.Code,-24} {e.Kind,-8} {e.VotingDate:yyyy-MM-dd} {e.Region ?? "nasional",-8} {e.Contests,4} contests  {e.Name}{(e.ReVotes is null ? "" : $" (re-votes {e.ReVotes})")}");
                return 0;
            case "import" when args.Length >= 2:
                if (!File.Exists(args[1])) { Console.Error.WriteLine($"{args[1]}: file not found"); return 2; }
                // The CLI acts as the system (national Admin) unless --as names an account whose role and scope then apply.
                var actor = Actor.System;
                if (Commands.Option(args, "--as") is { } name)
                {
                    var u = await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.UserName == name);
                    if (u is null) { Console.Error.WriteLine($"no user '{name}'."); return 2; }
                    actor = new Actor(u.Id, u.UserName!, u.Role, u.ScopeCode);
                }
                var setup = scope.ServiceProvider.GetRequiredService<ElectionSetup>();
                var (result, error) = await setup.ImportTextAsync(actor, await File.ReadAllTextAsync(args[1]));
                if (error is not null)
                {
                    Console.Error.WriteLine($"{args[1]}: {error.Title}");
                    foreach (var (field, messages) in error.Errors ?? new() { [""] = [error.Detail] })
                        foreach (var m in messages) Console.Error.WriteLine($"  {args[1]}: {field}: {m}");
                    return 1;
                }
                Console.WriteLine($"Imported {result}");
                return 0;
            case "export" when args.Length >= 2:
                var file = await new ElectionStore(db).ExportAsync(args[1]);
                if (file is null) { Console.Error.WriteLine($"no election '{args[1]}'."); return 2; }
                if (args.Length >= 3 && !args[2].StartsWith('-')) await File.WriteAllTextAsync(args[2], file.ToJson() + "\n");
                else Console.WriteLine(file.ToJson());
                return 0;
            default:
                Console.Error.WriteLine("usage: election list | election import FILE [--as USERNAME] | election export CODE [OUT]");
                return 2;
        }
    }
}
