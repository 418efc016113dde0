using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tally.PublicLog;

public sealed record PublicLogEntryDto(long Seq, DateTimeOffset At, string Kind, string Status, bool Counted, int VersionNo, string Contest, string Tps,
    string? PhotoSha256, string Sheet, string Entry, string LeafHash);
public sealed record PublicLogPage(long TreeSize, long From, long? Next, IReadOnlyList<PublicLogEntryDto> Entries);
public sealed record CosignatureDto(string Witness, string Organisation, string SignatureLine, DateTimeOffset At);
public sealed record TreeCheckpointDto(long TreeSize, string RootHash, string ChainHead, string KeyId, DateTimeOffset At, string Note, IReadOnlyList<CosignatureDto> Cosignatures);
public sealed record InclusionProofDto(long Seq, long LeafIndex, long TreeSize, string LeafHash, string RootHash, IReadOnlyList<string> Path);
public sealed record ConsistencyProofDto(long From, long To, string FromRoot, string ToRoot, IReadOnlyList<string> Path);
public sealed record WitnessDto(string Name, string Organisation, string PublicKeyPem, string KeyHash, bool Active);
public sealed record RegisterWitnessRequest(string? Name, string? Organisation, string? PublicKeyPem);
public sealed record CosignRequest(long TreeSize, string? SignatureLine);
public sealed record LaterVersionDto(int VersionNo, long LogSeq, string Status, DateTimeOffset SubmittedAt, string Source, string? Reason, string? Resolution);
public sealed record ReceiptCheckDto(string Code, PublicLogEntryDto Entry, bool Included, TreeCheckpointDto? Checkpoint, InclusionProofDto? Proof,
    bool CountsNow, int CountedVersionNo, string State, IReadOnlyList<LaterVersionDto> LaterVersions);

/// <summary>
/// The public log (issue 23): every entry without its submitter, a bulk download, signed tree checkpoints with the witnesses'
/// countersignatures, inclusion and consistency proofs, receipts; the format is docs/log-format.md.
/// </summary>
public sealed class PublicLogModule : IPantauModule
{
    public const int MaxPage = 1000;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PublicLogTree>();
        services.AddSingleton<ReceiptService>();
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/tally/log").WithTags("Public log");
        g.MapGet("/entries", Entries).RequireRateLimiting(RateLimits.PublicApi);
        g.MapGet("/download", Download).RequireRateLimiting(RateLimits.PublicApi);
        g.MapGet("/tree-checkpoints", TreeCheckpoints).RequireRateLimiting(RateLimits.PublicApi);
        g.MapGet("/checkpoint", LatestNote).RequireRateLimiting(RateLimits.PublicApi).Produces<string>(200, "text/plain").Produces(304).ProducesProblem(404);
        g.MapGet("/proof/inclusion", Inclusion).RequireRateLimiting(RateLimits.PublicApi).WithServerTiming("proof");
        g.MapGet("/proof/consistency", Consistency).RequireRateLimiting(RateLimits.PublicApi).WithServerTiming("proof");
        g.MapGet("/witnesses", Witnesses).RequireRateLimiting(RateLimits.PublicApi);
        g.MapPost("/witnesses", RegisterWitness).RequireRoles(Role.Admin).WithoutRegionScope("witness keys are national; the handler refuses an admin with a region scope");
        g.MapPost("/cosignatures", Cosign).Produces(200).Produces(201).ProducesProblem(403).ProducesProblem(404).AllowPublicForm("a witness's countersignature: accepted only when it verifies with a registered witness key over a stored checkpoint");
        app.MapGet("/api/tally/receipts/{code}", CheckReceipt).WithTags("Public log").RequireRateLimiting(RateLimits.PublicApi);
        app.MapGet("/api/tally/receipts/{code}/qr.svg", ReceiptQrSvg).WithTags("Public log").RequireRateLimiting(RateLimits.PublicApi);
    }

    private static IResult Bad(string message, string code, int status = 400) =>
        TypedResults.Problem(message, statusCode: status, title: code, extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>A proof as JSON bytes with a Content-Length (small answers, sent in one piece rather than chunked).</summary>
    private static IResult Json<T>(T body) => TypedResults.Bytes(JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web), "application/json");

    internal static PublicLogEntryDto ToDto(long seq, string stored)
    {
        var e = LogEntry.Parse(stored);
        var sheet = e.Sheet.Canonical();
        var text = PublicEntry.Encode(e, sheet);
        return new PublicLogEntryDto(seq, e.At, e.Kind, e.Status, e.Counted, e.VersionNo, e.Sheet.Contest, e.Sheet.Tps, e.PhotoSha256, sheet, text,
            Convert.ToHexStringLower(Merkle.LeafHash(text)));
    }

    internal static async Task<IResult> Entries(HttpContext http, PantauDbContext db, PublicLogTree tree, long? from, int? limit, string? contest, CancellationToken ct)
    {
        var start = Math.Max(from ?? 1, 1);
        var take = Math.Clamp(limit ?? 500, 1, MaxPage);
        var size = await tree.SyncAsync(db, ct);
        var q = db.TallyLog.AsNoTracking().Where(e => e.Seq >= start && e.Seq <= size);
        if (!string.IsNullOrWhiteSpace(contest)) { var c = contest.Trim().ToUpperInvariant(); q = q.Where(e => e.ContestCode == c); }
        var rows = await q.OrderBy(e => e.Seq).Take(take + 1).Select(e => new { e.Seq, e.Entry }).ToListAsync(ct);
        var page = rows.Take(take).Select(r => ToDto(r.Seq, r.Entry)).ToList();
        var body = new PublicLogPage(size, start, rows.Count > take ? rows[take].Seq : null, page);
        return Tally.TallyModule.WithETag(http, JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web), "application/json");
    }

    internal static async Task<IResult> Download(HttpContext http, PantauDbContext db, PublicLogTree tree, TallyReference reference, string? contest, CancellationToken ct)
    {
        string? c = null;
        if (!string.IsNullOrWhiteSpace(contest))
        {
            c = contest.Trim().ToUpperInvariant();
            if (!(await reference.ContestsAsync(ct)).ContainsKey(c)) return Bad($"Pemilihan '{c}' tidak ditemukan / contest not found.", "CONTEST_UNKNOWN", 404);
        }
        var size = await tree.SyncAsync(db, ct);
        var (gz, etag) = await tree.DownloadAsync(db, c, size, ct);
        http.Response.Headers["X-Tree-Size"] = size.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "public, max-age=5";
        return TypedResults.Bytes(gz, "application/gzip", $"pantau-log-{c ?? "all"}-{size}.txt.gz", enableRangeProcessing: true,
            entityTag: Microsoft.Net.Http.Headers.EntityTagHeaderValue.Parse(etag));
    }

    internal static async Task<List<TreeCheckpointDto>> CheckpointsAsync(PantauDbContext db, int take, CancellationToken ct)
    {
        var cps = await db.TallyTreeCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).Take(take).ToListAsync(ct);
        var sizes = cps.Select(c => c.TreeSize).ToList();
        var witnesses = await db.TallyWitnesses.AsNoTracking().ToDictionaryAsync(w => w.Id, ct);
        var cosigs = (await db.TallyWitnessCosignatures.AsNoTracking().Where(s => sizes.Contains(s.TreeSize)).ToListAsync(ct))
            .ToLookup(s => (s.TreeSize, s.RootHash));
        return cps.Select(c => new TreeCheckpointDto(c.TreeSize, c.RootHash, c.ChainHead, c.KeyId, c.At, c.Note,
            cosigs[(c.TreeSize, c.RootHash)].Where(s => witnesses.ContainsKey(s.WitnessId))
                .Select(s => new CosignatureDto(witnesses[s.WitnessId].Name, witnesses[s.WitnessId].Organisation, s.SignatureLine, s.At)).ToList())).ToList();
    }

    internal static async Task<IResult> TreeCheckpoints(HttpContext http, PantauDbContext db, int? take, CancellationToken ct) =>
        Tally.TallyModule.WithETag(http, JsonSerializer.SerializeToUtf8Bytes(await CheckpointsAsync(db, Math.Clamp(take ?? 100, 1, 10_000), ct), JsonSerializerOptions.Web), "application/json");

    /// <summary>The latest checkpoint as a signed note, the server's signature followed by every witness's (text/plain).</summary>
    internal static async Task<IResult> LatestNote(HttpContext http, PantauDbContext db, CancellationToken ct)
    {
        var cp = (await CheckpointsAsync(db, 1, ct)).FirstOrDefault();
        if (cp is null) return Bad("Belum ada checkpoint / no checkpoint yet.", "NO_CHECKPOINT", 404);
        var note = cp.Note + string.Concat(cp.Cosignatures.Select(s => s.SignatureLine));
        return Tally.TallyModule.WithETag(http, Encoding.UTF8.GetBytes(note), "text/plain; charset=utf-8");
    }

    /// <summary>
    /// The tree size a proof is asked for, and the size known: a proof for a size the tree in memory already holds never changes
    /// (the log only grows), so it needs no database read and may be cached for good; without a size, the latest tree.
    /// </summary>
    private static async Task<(long Asked, long Known)> ProofSizeAsync(HttpContext http, PantauDbContext db, PublicLogTree tree, long? size, CancellationToken ct)
    {
        if (size is { } s && s >= 0 && s <= tree.Size)
        {
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return (s, tree.Size);
        }
        var n = await tree.SyncAsync(db, ct);
        return (size ?? n, n);
    }

    internal static async Task<IResult> Inclusion(HttpContext http, PantauDbContext db, PublicLogTree tree, long? seq, long? size, CancellationToken ct)
    {
        var (m, n) = await ProofSizeAsync(http, db, tree, size, ct);
        if (seq is null || seq < 1 || m < seq || m > n)
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Bad($"seq harus 1..size dan size ≤ {n} / seq must be 1..size and size ≤ {n}.", "PROOF_RANGE");
        }
        var (leaf, path, root) = await tree.InclusionAsync(db, seq.Value - 1, m, ct);
        return Json(new InclusionProofDto(seq.Value, seq.Value - 1, m, Convert.ToHexStringLower(leaf), Convert.ToHexStringLower(root), path.ConvertAll(Convert.ToHexStringLower)));
    }

    internal static async Task<IResult> Consistency(HttpContext http, PantauDbContext db, PublicLogTree tree, long? from, long? to, CancellationToken ct)
    {
        var (m2, n) = await ProofSizeAsync(http, db, tree, to, ct);
        if (from is null || from < 0 || from > m2 || m2 > n)
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Bad($"0 ≤ from ≤ to ≤ {n}.", "PROOF_RANGE");
        }
        var path = await tree.ConsistencyAsync(db, from.Value, m2, ct);
        return Json(new ConsistencyProofDto(from.Value, m2, Convert.ToHexStringLower(await tree.RootAsync(db, from.Value, ct)),
            Convert.ToHexStringLower(await tree.RootAsync(db, m2, ct)), path.ConvertAll(Convert.ToHexStringLower)));
    }

    internal static async Task<IResult> Witnesses(HttpContext http, PantauDbContext db, CancellationToken ct) =>
        Tally.TallyModule.WithETag(http, JsonSerializer.SerializeToUtf8Bytes(await db.TallyWitnesses.AsNoTracking().OrderBy(w => w.Name)
            .Select(w => new WitnessDto(w.Name, w.Organisation, w.PublicKeyPem, w.KeyHash, w.Active)).ToListAsync(ct), JsonSerializerOptions.Web), "application/json");

    internal static async Task<IResult> RegisterWitness(HttpContext http, PantauDbContext db, TimeProvider clock, RegisterWitnessRequest request, CancellationToken ct)
    {
        var actor = http.GetActor();
        if (actor.ScopeCode.Length != 0) return Bad("Hanya admin nasional / national admins only.", "OUT_OF_SCOPE", 403);
        var name = request.Name?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (name.Length is < 3 or > 100 || name.Any(ch => ch <= ' ' || ch == '+' || ch > '~'))
            errors["name"] = ["3-100 karakter ASCII tanpa spasi atau '+' / 3-100 ASCII characters without spaces or '+'"];
        var org = request.Organisation?.Trim() ?? "";
        if (org.Length is < 2 or > 200) errors["organisation"] = ["wajib, ≤ 200 karakter / required, ≤ 200 characters"];
        byte[]? spki = null;
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(request.PublicKeyPem ?? "");
            if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value) throw new ArgumentException("curve");
            spki = key.ExportSubjectPublicKeyInfo();
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            errors["publicKeyPem"] = ["kunci publik ECDSA P-256 (PEM) / an ECDSA P-256 public key (PEM)"];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await db.TallyWitnesses.AnyAsync(w => w.Name == name, ct)) return Bad("Nama saksi log sudah terdaftar / witness name already registered.", "WITNESS_EXISTS", 409);
        var w = new TallyWitness
        {
            Name = name, Organisation = org, PublicKeyPem = ECDsaPem(spki!), KeyHash = Convert.ToHexStringLower(SignedNote.KeyHash(name, spki!)),
            CreatedAt = clock.GetUtcNow(), CreatedBy = actor.UserName,
        };
        db.TallyWitnesses.Add(w);
        await db.SaveChangesAsync(ct);
        return TypedResults.Json(new WitnessDto(w.Name, w.Organisation, w.PublicKeyPem, w.KeyHash, w.Active), statusCode: 201);
    }

    private static string ECDsaPem(byte[] spki) => new string(PemEncoding.Write("PUBLIC KEY", spki)) + "\n";

    internal static async Task<IResult> Cosign(PantauDbContext db, TimeProvider clock, CosignRequest request, CancellationToken ct)
    {
        var line = (request.SignatureLine ?? "").Trim();
        var cp = await db.TallyTreeCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.TreeSize == request.TreeSize, ct);
        if (cp is null) return Bad("Checkpoint tidak ditemukan / no checkpoint of that tree size.", "NO_CHECKPOINT", 404);
        var body = SignedNote.Parse(cp.Note)!.Value.Body;
        var parsed = SignedNote.Parse(body + "\n" + line + "\n");
        if (parsed is not { Signatures.Count: 1 } || line.Length > 300) return Bad("Baris tanda tangan tidak sah / malformed signature line.", "COSIGNATURE_MALFORMED");
        var (name, _, _) = parsed.Value.Signatures[0];
        var witness = await db.TallyWitnesses.AsNoTracking().FirstOrDefaultAsync(w => w.Name == name && w.Active, ct);
        if (witness is null) return Bad("Saksi log tidak terdaftar / unknown witness.", "WITNESS_UNKNOWN", 403);
        using var key = ECDsa.Create();
        key.ImportFromPem(witness.PublicKeyPem);
        if (!SignedNote.Verify(body + "\n" + line + "\n", name, key)) return Bad("Tanda tangan tidak cocok / the signature does not verify.", "COSIGNATURE_INVALID", 403);
        var existing = await db.TallyWitnessCosignatures.FirstOrDefaultAsync(s => s.TreeSize == cp.TreeSize && s.WitnessId == witness.Id, ct);
        if (existing is not null) return TypedResults.Ok(new { treeSize = cp.TreeSize, witness = name, outcome = "replayed" });
        db.TallyWitnessCosignatures.Add(new TallyWitnessCosignature { WitnessId = witness.Id, TreeSize = cp.TreeSize, RootHash = cp.RootHash, SignatureLine = line + "\n", At = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        return TypedResults.Json(new { treeSize = cp.TreeSize, witness = name, outcome = "stored" }, statusCode: 201);
    }

    /// <summary>How many registered witnesses countersigned the latest checkpoint (for the results pages).</summary>
    public static async Task<(long TreeSize, int Witnesses)?> LatestConfirmationsAsync(PantauDbContext db, CancellationToken ct)
    {
        var cp = await db.TallyTreeCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(ct);
        if (cp is null) return null;
        var n = await db.TallyWitnessCosignatures.AsNoTracking().CountAsync(s => s.TreeSize == cp.TreeSize && s.RootHash == cp.RootHash, ct);
        return (cp.TreeSize, n);
    }

    internal static async Task<IResult> CheckReceipt(PantauDbContext db, PublicLogTree tree, string code, CancellationToken ct)
    {
        var r = await CheckAsync(db, tree, code, ct);
        return r.Error is not null ? Bad(r.Error, r.ErrorCode!, r.Status) : TypedResults.Ok(r.Check);
    }

    /// <summary>The QR code of a receipt's check address (the offline queue shows it once a queued sheet is acknowledged).</summary>
    internal static IResult ReceiptQrSvg(HttpContext http, string code)
    {
        if (!PublicReceipt.TryParseCode(code, out var seq, out var prefix))
            return Bad("Kode tanda terima tidak sah (contoh 123-1A2B3C4D) / malformed receipt code (e.g. 123-1A2B3C4D).", "RECEIPT_MALFORMED");
        http.Response.Headers.CacheControl = "public, max-age=86400, immutable";
        var svg = Pantau.Web.Infrastructure.QrCodes.Svg(ReceiptQr.CheckAddress(http.Request, $"{seq}-{prefix.ToUpperInvariant()}"));
        return TypedResults.Text(svg, "image/svg+xml; charset=utf-8");
    }

    public sealed record CheckResult(ReceiptCheckDto? Check, string? Error = null, string? ErrorCode = null, int Status = 200);

    public static async Task<CheckResult> CheckAsync(PantauDbContext db, PublicLogTree tree, string? code, CancellationToken ct)
    {
        if (!PublicReceipt.TryParseCode(code, out var seq, out var prefix))
            return new(null, "Kode tanda terima tidak sah (contoh 123-1A2B3C4D) / malformed receipt code (e.g. 123-1A2B3C4D).", "RECEIPT_MALFORMED", 400);
        var row = await db.TallyLog.AsNoTracking().Where(e => e.Seq == seq).Select(e => new { e.Seq, e.Entry }).FirstOrDefaultAsync(ct);
        if (row is null) return new(null, "Tidak ada entri log dengan nomor itu / no log entry with that number.", "RECEIPT_UNKNOWN", 404);
        var entry = ToDto(row.Seq, row.Entry);
        if (!entry.LeafHash.StartsWith(prefix, StringComparison.Ordinal))
            return new(null, "Kode tidak cocok dengan entri log itu / the code does not match that log entry.", "RECEIPT_MISMATCH", 404);
        var cp = (await CheckpointsAsync(db, 1, ct)).FirstOrDefault();
        InclusionProofDto? proof = null;
        var included = cp is not null && cp.TreeSize >= seq;
        if (included)
        {
            var (leaf, path, root) = await tree.InclusionAsync(db, seq - 1, cp!.TreeSize, ct);
            proof = new InclusionProofDto(seq, seq - 1, cp.TreeSize, Convert.ToHexStringLower(leaf), Convert.ToHexStringLower(root), path.ConvertAll(Convert.ToHexStringLower));
        }
        var current = await db.TallyCurrent.AsNoTracking().FirstOrDefaultAsync(c => c.ContestCode == entry.Contest && c.TpsCode == entry.Tps, ct);
        var later = await db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == entry.Contest && v.TpsCode == entry.Tps && v.VersionNo > entry.VersionNo)
            .OrderBy(v => v.VersionNo).Select(v => new LaterVersionDto(v.VersionNo, v.LogSeq, v.Status.ToString(), v.SubmittedAt, v.Source, v.Reason, v.Resolution)).ToListAsync(ct);
        var counted = current?.CountedVersionNo ?? 0;
        return new(new ReceiptCheckDto(PublicReceipt.CodeOf(seq, entry.LeafHash), entry, included, cp, proof, counted == entry.VersionNo, counted,
            current?.State.ToString() ?? "None", later));
    }
}
