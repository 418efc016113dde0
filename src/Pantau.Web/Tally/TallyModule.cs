using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Infrastructure;
using Pantau.Storage;

namespace Pantau.Web.Tally;

public sealed record AdjudicateRequest(int VersionNo, string? Reason);
public sealed record BatchResult(int Total, int Accepted, int Flagged, int Conflict, int Confirmed, int Replayed, int Rejected, IReadOnlyList<SheetOutcome> Items);
public sealed record LogHead(long Seq, string Hash, DateTimeOffset? At, string KeyId);
public sealed record CheckpointDto(long Seq, string HeadHash, string Signature, string KeyId, DateTimeOffset At);
public sealed record PhotoDto(Guid Id, string Sha256, string ContentType, long Size);

/// <summary>Vote tabulation: C.Hasil intake, versions and conflicts, the hash-chained log, recapitulation and public results.</summary>
public sealed class TallyModule : IPantauModule
{
    public const int MaxBatch = 50_000;

    public void AddCommands(CommandVerbs verbs)
    {
        verbs.Add("verify", "recompute every tally total from the log, check the hash chain, signatures and recap counters", VerifyCommand);
    }

    public IEnumerable<NavItem> Nav =>
    [
        new(10, "Input C.Hasil", "Enter C.Hasil", "/hasil/input", NavGroups.Results),
        new(11, "Antrean hasil", "Results queue", "/hasil/antrean", NavGroups.Results),
        new(12, "Hasil per wilayah", "Results by region", "/hasil", NavGroups.Results),
        new(13, "Verifikasi log", "Verify log", "/hasil/verifikasi", NavGroups.Results),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TallyReference>();
        services.AddSingleton(TallyWriteGates.Process);
        services.AddSingleton<TallyService>();
        services.AddSingleton<TallyKeys>();
        services.AddHostedService<TallyKeysAtStart>(); // loads the key at start-up, so a key beside the database is reported then
        services.AddSingleton<RecapCache>();
        services.AddSingleton<ResultsPageCache>();
        services.AddHostedService<RecapCacheInvalidator>();
        services.TryAddSingleton<ITallyEvents, LiveTallyEvents>();
        services.AddHostedService<TallyCheckpointJob>();
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/tally").WithTags("Tally");
        g.MapPost("/sheets", SubmitOne).RequireRoles(RoleGroups.ResultEntry)
            .Accepts<Pantau.Web.Interop.SheetBody>("application/json").Produces<SheetOutcome>(201).Produces<SheetOutcome>(202).Produces<SheetOutcome>(200).ProducesProblem(409).ProducesValidationProblem();
        g.MapPost("/tps/{tps}/{contest}/corrections", Correct).RequireRoles(RoleGroups.ResultEntry)
            .Accepts<Pantau.Web.Interop.SheetBody>("application/json").Produces<SheetOutcome>(201).Produces<SheetOutcome>(202).Produces<SheetOutcome>(200).ProducesProblem(409).ProducesValidationProblem();
        g.MapPost("/batch", Batch).RequireRoles(RoleGroups.ResultEntry)
            .Produces<BatchResult>(200).ProducesProblem(400).ProducesProblem(413);
        g.MapPost("/photos", UploadPhoto).RequireRoles(RoleGroups.ResultEntry).DisableAntiforgery();
        g.MapGet("/photos/{id:guid}", GetPhoto).RequireRoles(RoleGroups.SignedIn);
        g.MapGet("/queue", Queue).RequireRoles([.. RoleGroups.ResultAdjudication, .. RoleGroups.Desk]);
        g.MapPost("/tps/{tps}/{contest}/adjudicate", Adjudicate).RequireRoles(RoleGroups.ResultAdjudication).Produces<SheetOutcome>(200).ProducesProblem(404).ProducesProblem(409).ProducesValidationProblem();
        g.MapGet("/verify", Verify).RequireRoles([.. RoleGroups.ResultAdjudication, .. RoleGroups.Desk]);
        g.MapPost("/checkpoints", CreateCheckpoint).RequireRoles(Role.Admin).Produces<CheckpointDto>(200).ProducesProblem(409);

        g.MapGet("/recap/{contest}/{region}", Recap).RequireRateLimiting(RateLimits.PublicApi).Produces<RecapDto>().ProducesProblem(404).Produces(304);
        g.MapGet("/contests", Contests).RequireRateLimiting(RateLimits.PublicApi);
        g.MapGet("/tps/{tps}/{contest}/history", History).RequireRateLimiting(RateLimits.PublicApi);
        g.MapGet("/log/head", Head).RequireRateLimiting(RateLimits.PublicApi);
        g.MapGet("/checkpoints", Checkpoints).RequireRateLimiting(RateLimits.PublicApi);
        g.MapGet("/public-key", PublicKey).RequireRateLimiting(RateLimits.PublicApi);
        g.MapGet("/export/{contest}", Export).RequireRateLimiting(RateLimits.PublicApi);
    }

    private static ProblemHttpResult Problem(SheetOutcome o) =>
        TypedResults.Problem(o.Error, statusCode: o.HttpStatus, title: o.ErrorCode, extensions: new Dictionary<string, object?> { ["code"] = o.ErrorCode });

    internal static IResult OutcomeResult(SheetOutcome o) => o.Outcome switch
    {
        "rejected" => Problem(o),
        "accepted" => TypedResults.Json(o, statusCode: 201),
        "flagged" or "conflict" => TypedResults.Json(o, statusCode: 202),
        _ => TypedResults.Ok(o),
    };

    internal static async Task<JsonElement?> ReadJson(HttpRequest request, CancellationToken ct)
    {
        try { return await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: ct); }
        catch (JsonException) { return null; }
    }

    internal static async Task<IResult> SubmitOne(HttpContext http, TallyService tally, CancellationToken ct) =>
        await SubmitSingle(http, tally, isCorrection: false, null, null, ct);

    internal static async Task<IResult> Correct(HttpContext http, TallyService tally, string tps, string contest, CancellationToken ct) =>
        await SubmitSingle(http, tally, isCorrection: true, tps, contest, ct);

    private static async Task<IResult> SubmitSingle(HttpContext http, TallyService tally, bool isCorrection, string? tps, string? contest, CancellationToken ct)
    {
        // Scope first (issue 20): a TPS named by the URL is checked before the body is read or validated.
        if (tps is not null && await OutsideScopeAsync(http, tps, ct) is { } refused) return refused;
        var body = await ReadJson(http.Request, ct);
        if (body is null) return TypedResults.Problem("Isi permintaan bukan JSON yang sah / the body is not valid JSON.", statusCode: 400, title: "Invalid JSON");
        // ... and a TPS named by the body before the sheet is validated.
        if (tps is null && BodyTps(body.Value) is { } bodyTps && await OutsideScopeAsync(http, bodyTps, ct) is { } refusedBody)
            return refusedBody;
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var parsed = SheetParser.FromJson(body.Value, isCorrection, key.Length > 0 ? key : null);
        if (parsed.Input is null) return TypedResults.ValidationProblem(parsed.Errors);
        var input = parsed.Input;
        if (tps is not null && contest is not null)
        {
            if (input.Sheet.Tps != tps || !string.Equals(input.Sheet.Contest, contest, StringComparison.OrdinalIgnoreCase))
                return TypedResults.Problem("TPS/pemilihan di isi berbeda dengan alamat / TPS or contest in the body differ from the URL.", statusCode: 400, title: "Mismatch");
        }
        var result = (await tally.SubmitAsync(http.GetActor(), isCorrection ? "correction" : "api", [input], ct))[0];
        result = (await http.RequestServices.GetRequiredService<PublicLog.ReceiptService>().AttachAsync([result], ct))[0];
        return OutcomeResult(result);
    }

    /// <summary>The body's <c>tps</c> string when it has one that can be read (a lone surrogate cannot: validation refuses it later).</summary>
    internal static string? BodyTps(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("tps", out var t) || t.ValueKind != JsonValueKind.String) return null;
        try { return t.GetString() is { Length: > 0 and <= 32 } s ? s : null; }
        catch (InvalidOperationException) { return null; }
    }

    /// <summary>403 (<c>OUT_OF_SCOPE</c>) when <paramref name="tps"/> is a known TPS outside the actor's scope; null otherwise (unknown codes are left to validation).</summary>
    internal static async Task<IResult?> OutsideScopeAsync(HttpContext http, string tps, CancellationToken ct)
    {
        var actor = http.GetActor();
        if (actor.ScopeCode.Length == 0 || !TallyGrammar.IsTpsCode(tps)) return null;
        var db = http.RequestServices.GetRequiredService<PantauDbContext>();
        var known = await db.Tps.AsNoTracking().AnyAsync(x => x.Code == tps, ct);
        if (!known || actor.Covers(tps)) return null; // a TPS scope (KPPS) covers its own TPS only
        return TypedResults.Problem($"TPS {tps} di luar wilayah tugas Anda / TPS {tps} is outside your region.", statusCode: 403, title: "Forbidden",
            extensions: new Dictionary<string, object?> { ["code"] = "OUT_OF_SCOPE" });
    }

    /// <summary>
    /// Bulk intake (JSON array or CSV). The body is spooled as it arrives (to a temporary file above <see cref="SpoolInMemoryBytes"/>),
    /// checked and counted in a first streaming pass, then parsed, stored and answered as a stream: memory holds the read buffer, one
    /// chunk of sheets and the answers not yet written, whatever the size of the batch. Parsing, storing and counting run on the
    /// <see cref="BulkLane"/>, below the priority of reads, so an import that fills the CPU does not slow the public results.
    /// </summary>
    internal static async Task<IResult> Batch(HttpContext http, TallyService tally, BulkLane lane, CancellationToken ct)
    {
        var media = http.Request.ContentType ?? "";
        var csv = media.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
        var body = await SpoolBodyAsync(http.Request, ct);
        try
        {
            if (await lane.RunAsync(() => Task.FromResult(CheckBatch(body, csv)), ct) is { } refused)
            {
                await body.DisposeAsync();
                return refused;
            }
            var actor = http.GetActor();
            var receipts = http.RequestServices.GetRequiredService<PublicLog.ReceiptService>();
            return new StreamedBatch(body, csv, tally, receipts, lane, actor);
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }
    }

    /// <summary>Bodies up to this size are held in memory; larger (or of unknown length) go to a temporary file, deleted on close.</summary>
    internal const int SpoolInMemoryBytes = 1024 * 1024;

    /// <summary>Where large batch bodies are spooled: <c>tmp</c> in the data folder (the volume sized for the database).</summary>
    internal static string SpoolDir(HttpContext http)
    {
        var env = http.RequestServices.GetRequiredService<IWebHostEnvironment>();
        var dir = Path.Combine(DatabaseSetup.DataDir(http.RequestServices.GetRequiredService<IConfiguration>(), env.ContentRootPath), "tmp");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task<Stream> SpoolBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is { } known && known <= SpoolInMemoryBytes)
        {
            var ms = new MemoryStream((int)known);
            await request.Body.CopyToAsync(ms, ct);
            ms.Position = 0;
            return ms;
        }
        var path = Path.Combine(SpoolDir(request.HttpContext), $"pantau-batch-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            await request.Body.CopyToAsync(file, 64 * 1024, ct); // the body limit (Pantau:MaxBatchBytes) is enforced by Kestrel
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static IResult BatchProblem(string detail, string code, int status = 400) =>
        TypedResults.Problem(detail, statusCode: status, title: code, extensions: new Dictionary<string, object?> { ["code"] = code });

    private static TextReader OpenCsv(Stream body)
    {
        body.Position = 0;
        return new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
    }

    /// <summary>
    /// The first pass, before anything is stored (a batch is taken whole or refused): the shape, the CSV header, and the number of
    /// items (an empty batch is 400 <c>EMPTY_BATCH</c>, more than <see cref="MaxBatch"/> 413 <c>BATCH_TOO_LARGE</c>). Null when it may go on.
    /// </summary>
    private static IResult? CheckBatch(Stream body, bool csv)
    {
        IResult TooLarge() => BatchProblem($"Maksimal {MaxBatch} lembar per permintaan / at most {MaxBatch} sheets per request.", "BATCH_TOO_LARGE", 413);
        IResult Empty() => BatchProblem("Batch tanpa lembar / the batch holds no sheet.", "EMPTY_BATCH");
        var count = 0;
        if (csv)
        {
            using var counting = OpenCsv(body);
            var header = SheetParser.ReadCsvHeader(counting);
            if (header.Error is not null) return BatchProblem(header.Error, header.ErrorCode!);
            while (counting.ReadLine() is { } text) if (text.Length > 0 && ++count > MaxBatch) return TooLarge();
        }
        else
        {
            try
            {
                body.Position = 0;
                var scan = new JsonArrayStream(body);
                while (scan.Skip()) if (++count > MaxBatch) return TooLarge();
            }
            catch (JsonException)
            {
                return BatchProblem("Kirim larik JSON atau CSV (text/csv) / send a JSON array or CSV (text/csv).", "INVALID_BATCH");
            }
        }
        return count == 0 ? Empty() : null;
    }

    /// <summary>
    /// The second pass, written as it goes: the sheets a chunk at a time (<see cref="TallyService.ChunkSize"/>), each chunk its own
    /// transaction, and each item's answer written once it is known, in order. The answer is 200 with <c>items</c> first and the
    /// counts after them (<see cref="BatchResult"/>), never a 5xx: a chunk whose transaction failed is answered item by item as
    /// <c>NOT_STORED</c> (nothing of that chunk was written) and the other chunks keep their outcomes. A client whose connection
    /// drops mid-batch may assume nothing beyond whole chunks of 500 items, in order; sending the batch again with the same
    /// <c>idempotencyKey</c>s is safe (stored items are <c>replayed</c>, the rest stored).
    /// </summary>
    private sealed class StreamedBatch(Stream body, bool csv, TallyService tally, PublicLog.ReceiptService receipts, BulkLane lane, Actor actor) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            await using var _ = body;
            var ct = http.RequestAborted;
            var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json; charset=utf-8";
            await lane.RunAsync(() => WriteAsync(http.Response.BodyWriter, json, ct), ct);
        }

        private async Task WriteAsync(System.IO.Pipelines.PipeWriter response, JsonSerializerOptions options, CancellationToken ct)
        {
            // Over the response's pipe: the writer only fills its buffers (no synchronous I/O); FlushAsync sends them.
            await using var w = new Utf8JsonWriter(response);
            w.WriteStartObject();
            w.WriteStartArray("items");
            var window = new List<SheetOutcome?>(); // answers from index `written` on, not yet written
            var written = 0;
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var chunk = new List<(SheetInput Input, int Index, int? Line)>(TallyService.ChunkSize);

            async Task WriteKnownAsync()
            {
                foreach (var o in window)
                {
                    JsonSerializer.Serialize(w, o!, options);
                    counts[o!.Outcome] = counts.GetValueOrDefault(o.Outcome) + 1;
                }
                written += window.Count;
                window.Clear();
                w.Flush();
                await response.FlushAsync(ct);
            }
            async Task Flush()
            {
                if (chunk.Count > 0)
                {
                    try
                    {
                        var outcomes = await receipts.AttachAsync(await tally.SubmitAsync(actor, "batch", chunk.ConvertAll(c => c.Input), ct), ct);
                        for (var k = 0; k < chunk.Count; k++) window[chunk[k].Index - written] = outcomes[k] with { Index = chunk[k].Index, Line = chunk[k].Line };
                    }
                    catch (Exception) when (!ct.IsCancellationRequested)
                    {
                        foreach (var c in chunk)
                            window[c.Index - written] = new SheetOutcome(c.Index, c.Input.Sheet.Contest, c.Input.Sheet.Tps, "rejected", 503, ErrorCode: "NOT_STORED",
                                Error: "bagian batch ini tidak tersimpan (transaksinya dibatalkan); kirim lagi dengan idempotencyKey yang sama / " +
                                       "this part of the batch was not stored (its transaction rolled back); send it again with the same idempotencyKey") { Line = c.Line };
                    }
                    chunk.Clear();
                }
                await WriteKnownAsync();
            }
            async Task Add(SheetParser.Parsed parsed, int? line)
            {
                var i = written + window.Count;
                if (parsed.Input is null)
                {
                    window.Add(new SheetOutcome(i, parsed.Contest, parsed.Tps, "rejected", 400, ErrorCode: "INVALID_FIELDS",
                        Error: string.Join("; ", parsed.Errors.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}"))) { Line = line });
                    if (chunk.Count == 0 && window.Count >= TallyService.ChunkSize) await WriteKnownAsync();
                }
                else
                {
                    window.Add(null);
                    chunk.Add((parsed.Input, i, line));
                    if (chunk.Count == TallyService.ChunkSize) await Flush();
                }
            }

            if (csv)
            {
                using var reader = OpenCsv(body);
                var h = SheetParser.ReadCsvHeader(reader);
                foreach (var (line, parsed) in SheetParser.FromCsv(reader, h)) await Add(parsed, line);
            }
            else
            {
                body.Position = 0;
                var items = new JsonArrayStream(body);
                while (items.Next() is { } element)
                {
                    SheetParser.Parsed parsed;
                    using (element) parsed = SheetParser.FromJson(element.RootElement);
                    await Add(parsed, null);
                }
            }
            await Flush();
            w.WriteEndArray();
            int C(string o) => counts.GetValueOrDefault(o);
            w.WriteNumber("total", written);
            foreach (var o in new[] { "accepted", "flagged", "conflict", "confirmed", "replayed", "rejected" }) w.WriteNumber(o, C(o));
            w.WriteEndObject();
            w.Flush();
            await response.FlushAsync(ct);
        }
    }

    internal static async Task<IResult> UploadPhoto(HttpContext http, IFileStore files, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) return TypedResults.Problem("Kirim multipart/form-data dengan berkas 'photo' / send multipart/form-data with a 'photo' file.", statusCode: 400);
        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files["photo"] ?? form.Files.FirstOrDefault();
        if (file is null || file.Length == 0) return TypedResults.Problem("Berkas foto kosong / the photo file is missing.", statusCode: 400);
        var saved = await files.SaveAsync(file, FileKinds.Image | FileKinds.Pdf, ct);
        if (!saved.Ok) return TypedResults.Problem(saved.Error, statusCode: 400, title: "Invalid photo");
        var f = saved.File!;
        return TypedResults.Json(new PhotoDto(f.Id, f.Sha256, f.ContentType, f.Size), statusCode: 201);
    }

    /// <summary>
    /// A C.Hasil photo is served to users whose scope covers the desa of a TPS whose sheet references it (a PPS operator sees its own desa,
    /// Desk and Bawaslu their wider scope). A photo not on any sheet yet is served only to its uploader (and national accounts); any other
    /// stored file (incident evidence, agreements ...) is not reachable here: those have their own scoped endpoints.
    /// </summary>
    internal static async Task<IResult> GetPhoto(HttpContext http, PantauDbContext db, IFileStore files, Guid id, CancellationToken ct)
    {
        var actor = http.GetActor();
        var meta = await db.Files.AsNoTracking().Where(f => f.Id == id).Select(f => new { f.Sha256, f.UploadedBy }).FirstOrDefaultAsync(ct);
        if (meta is null) return TypedResults.NotFound();
        // By the indexed hash first, then the exact id (another upload of the same bytes is another file).
        var desas = await db.ResultVersions.AsNoTracking().Where(v => v.PhotoSha256 == meta.Sha256 && v.PhotoId == id)
            .Select(v => v.TpsCode).Distinct().ToListAsync(ct); // the TPS whose sheets use it (a TPS scope sees its own TPS's photos)
        if (desas.Count == 0)
        {
            var ownUpload = meta.UploadedBy == actor.UserName && meta.UploadedBy is not ("anonymous" or "system");
            if (!ownUpload && actor.ScopeCode.Length > 0) return TypedResults.NotFound();
        }
        else if (!desas.Any(actor.Covers))
            return TypedResults.Problem("Foto C.Hasil dari TPS di luar wilayah tugas Anda / the C.Hasil photo of a TPS outside your scope.", statusCode: 403, title: "Out of scope");
        var f = await files.GetAsync(id, ct);
        return f is null ? TypedResults.NotFound() : FileStore.Download(f, http);
    }

    internal static async Task<Ok<List<QueueItem>>> Queue(HttpContext http, PantauDbContext db, TallyReference reference, string? contest, int? take, CancellationToken ct)
    {
        var actor = http.GetActor();
        return TypedResults.Ok(await TallyQueries.QueueAsync(db, reference, actor.ScopeCode == "-" ? "99" : actor.ScopeCode, contest, Math.Clamp(take ?? 200, 1, 1000), ct));
    }

    internal static async Task<IResult> Adjudicate(HttpContext http, TallyService tally, string tps, string contest, AdjudicateRequest request, CancellationToken ct)
    {
        // The reason is checked in the service after the scope (an outsider learns nothing from a validation message).
        var o = await tally.AdjudicateAsync(http.GetActor(), contest, tps, request.VersionNo, request.Reason?.Trim() ?? "", ct);
        return o.Outcome == "rejected" ? Problem(o) : TypedResults.Ok(o);
    }

    internal static async Task<Ok<VerifyReport>> Verify(PantauDbContext db, TallyKeys keys, CancellationToken ct) =>
        TypedResults.Ok(await PublicLog.PublicLogVerifier.VerifyAllAsync(db, keys.Signer, ct)); // the chain, the results and the public tree

    internal static async Task<IResult> CreateCheckpoint(HttpContext http, PantauDbContext db, TallyKeys keys, TimeProvider clock, CancellationToken ct)
    {
        // The national checkpoint signs the whole log: a national admin's act, not a regional one.
        if (http.GetActor().ScopeCode.Length > 0)
            return TypedResults.Problem("Checkpoint nasional hanya oleh admin nasional / only a national admin signs the national checkpoint.", statusCode: 403,
                title: "OUT_OF_SCOPE", extensions: new Dictionary<string, object?> { ["code"] = "OUT_OF_SCOPE" });
        var cp = await keys.CheckpointAsync(db, clock.GetUtcNow(), ct);
        return cp is null ? TypedResults.Problem("Log masih kosong / the log is empty.", statusCode: 409)
            : TypedResults.Ok(new CheckpointDto(cp.Seq, cp.HeadHash, cp.Signature, cp.KeyId, cp.At));
    }

    internal static async Task<IResult> Recap(HttpContext http, RecapCache cache, string contest, string region, CancellationToken ct)
    {
        // A refresh ahead starts once this response has been sent, not alongside it.
        var recap = await cache.GetAsync(contest, region, ct, refresh => http.Response.OnCompleted(() => { refresh(); return Task.CompletedTask; }));
        if (recap is null) return TypedResults.Problem($"Pemilihan '{contest}' atau wilayah '{region}' tidak ditemukan / contest or region not found.", statusCode: 404, title: "Not found");
        return WithETag(http, recap.Bytes, "application/json", recap.ETag);
    }

    /// <summary>Strong ETag over the body; <c>If-None-Match</c> → 304. Clients may cache for a few seconds.</summary>
    public static IResult WithETag(HttpContext http, byte[] bytes, string contentType, string? knownETag = null)
    {
        var etag = knownETag ?? "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "public, max-age=5";
        var inm = http.Request.Headers.IfNoneMatch.ToString();
        if (inm.Length > 0 && (inm == "*" || inm.Split(',').Any(t => t.Trim() == etag))) return TypedResults.StatusCode(304);
        return TypedResults.Bytes(bytes, contentType);
    }

    /// <summary>The contests with their paslon and election; <c>?election=CODE</c> keeps one election's.</summary>
    internal static async Task<Ok<List<object>>> Contests(TallyReference reference, string? election, CancellationToken ct) =>
        TypedResults.Ok((await reference.ContestsAsync(ct)).Values
            .Where(c => string.IsNullOrWhiteSpace(election) || string.Equals(c.ElectionCode, election.Trim(), StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Code)
            .Select(c => (object)new { c.Code, c.Name, c.RegionCode, Election = c.ElectionCode, Paslon = c.Paslon.Select(p => new PaslonDto(p.Number, p.Name)) }).ToList());

    internal static async Task<IResult> History(HttpContext http, PantauDbContext db, string tps, string contest, CancellationToken ct)
    {
        // The sheets are public; who sent them is shown only to signed-in users whose region covers the TPS.
        var actor = http.GetActor();
        var withSubmitter = actor.Role != Role.Public && RegionCode.TryParseTpsCode(tps, out _, out _) && actor.Covers(tps);
        var h = await TallyQueries.HistoryAsync(db, contest.ToUpperInvariant(), tps, withSubmitter, ct);
        return h is null ? TypedResults.Problem("Belum ada hasil untuk TPS ini / no result for this TPS yet.", statusCode: 404) : TypedResults.Ok(h);
    }

    internal static async Task<Ok<LogHead>> Head(PantauDbContext db, TallyKeys keys, CancellationToken ct)
    {
        var head = await db.TallyLog.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash, e.At }).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(head is null ? new LogHead(0, HashChain.GenesisHex, null, keys.Signer.KeyId) : new LogHead(head.Seq, head.Hash, head.At, keys.Signer.KeyId));
    }

    internal static async Task<Ok<List<CheckpointDto>>> Checkpoints(PantauDbContext db, int? take, CancellationToken ct) =>
        TypedResults.Ok(await db.TallyCheckpoints.AsNoTracking().OrderByDescending(c => c.Seq).Take(Math.Clamp(take ?? 50, 1, 1000))
            .Select(c => new CheckpointDto(c.Seq, c.HeadHash, c.Signature, c.KeyId, c.At)).ToListAsync(ct));

    internal static ContentHttpResult PublicKey(TallyKeys keys) => TypedResults.Content(keys.Signer.PublicKeyPem, "application/x-pem-file");

    internal static async Task<IResult> Export(HttpContext http, PantauDbContext db, TallyReference reference, string contest, string? format, CancellationToken ct)
    {
        var contests = await reference.ContestsAsync(ct);
        var name = contest;
        var fmt = format;
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) { name = name[..^4]; fmt ??= "csv"; }
        else if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) { name = name[..^5]; fmt ??= "json"; }
        if (!contests.TryGetValue(name, out var c)) return TypedResults.Problem($"Pemilihan '{name}' tidak ditemukan / contest not found.", statusCode: 404);
        fmt = (fmt ?? "csv").ToLowerInvariant();
        if (fmt is not ("csv" or "json")) return TypedResults.Problem("format: csv atau json / csv or json.", statusCode: 400);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"hasil-{c.Code}.{fmt}\"";
        http.Response.ContentType = fmt == "csv" ? "text/csv; charset=utf-8" : "application/json";
        if (fmt == "csv") await TallyQueries.WriteCsvAsync(db, reference, c.Code, http.Response.Body, ct);
        else await TallyQueries.WriteJsonAsync(db, c.Code, http.Response.Body, ct);
        return TypedResults.Empty;
    }

    private static async Task<int> VerifyCommand(WebApplication app, string[] args)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var keys = scope.ServiceProvider.GetRequiredService<TallyKeys>();
        await db.Database.MigrateAsync();
        var report = await PublicLog.PublicLogVerifier.VerifyAllAsync(db, keys.Signer);
        var rate = report.Seconds > 0 ? report.Entries / report.Seconds : 0;
        Console.WriteLine($"log entries {report.Entries}, versions {report.Versions}, counted sheets {report.CountedSheets}, recap rows {report.RecapRows}, checkpoints {report.Checkpoints}");
        Console.WriteLine($"head {report.HeadHash}; {report.Seconds:0.000} s ({rate:0} entries/s; {report.Phases}); key {keys.Signer.KeyId}");
        if (report.Ok) { Console.WriteLine("OK: the log, the results and the recap counters agree."); return 0; }
        Console.Error.WriteLine($"DIVERGENCE: {report.FirstDivergence}");
        return 1;
    }
}
