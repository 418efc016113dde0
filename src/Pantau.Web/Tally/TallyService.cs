using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Core.Tally.Anomalies;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Infrastructure;

using Pantau.Web.Notifications;

namespace Pantau.Web.Tally;

/// <summary>One sheet to store: a first submission, or a correction (with a reason).</summary>
public sealed record SheetInput(CHasilSheet Sheet, string? IdempotencyKey = null, string? Reason = null, string? BeritaAcara = null,
    Guid? PhotoId = null, bool IsCorrection = false);

/// <summary>What happened to one sheet. <see cref="Outcome"/>: accepted, flagged, conflict, confirmed (same content as the current version), replayed (idempotent retry) or rejected (not stored).</summary>
public sealed record SheetOutcome(int Index, string Contest, string Tps, string Outcome, int HttpStatus, int? VersionNo = null, ResultStatus? Status = null,
    IReadOnlyList<ValidationIssue>? Issues = null, IReadOnlyList<string>? Anomalies = null, string? Error = null, string? ErrorCode = null)
{
    /// <summary>The line of the CSV file the sheet came from (batch import as CSV).</summary>
    public int? Line { get; init; }

    public bool Stored => Outcome is "accepted" or "flagged" or "conflict";

    /// <summary>The receipt of the log entry that recorded this sheet (public log, docs/log-format.md); set by the endpoints.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public PublicLog.PublicReceipt? Receipt { get; init; }
}

/// <summary>
/// Intake of C.Hasil sheets: validation, versions, conflicts, idempotency, the hash-chained log and the incremental recap
/// counters, all written in one transaction per chunk of sheets. Writers in one process are serialized; across processes
/// the concurrency tokens (<see cref="TallyCurrent.Version"/>, <see cref="TallyRecap.Version"/>) and the log's primary key
/// make a losing transaction roll back and retry, so no update is lost.
/// </summary>
public sealed class TallyService(IServiceScopeFactory scopes, TallyReference reference, TimeProvider clock, ITallyEvents events, RecapCache recapCache,
    IHttpContextAccessor httpContext, TallyWriteGates gates, ILogger<TallyService> log)
{
    public const int ChunkSize = 500;
    private SemaphoreSlim Gate(PantauDbContext db) => gates.For(db.Database.GetConnectionString());

    /// <summary>Requests of at most this many sheets are grouped with other requests into one transaction (group commit).</summary>
    public const int GroupLimit = 16;

    /// <summary>One sheet of one request, with who sent it and where its outcome goes.</summary>
    private sealed record Work(Actor Actor, string Source, string? RemoteIp, SheetInput Item, SheetOutcome[] Results, int Index);

    private sealed record Pending(List<Work> Works, TaskCompletionSource Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private int _loopStarted;

    public async Task<List<SheetOutcome>> SubmitAsync(Actor actor, string source, IReadOnlyList<SheetInput> items, CancellationToken ct = default)
    {
        var results = new SheetOutcome[items.Count];
        var ip = httpContext.HttpContext?.Connection.RemoteIpAddress?.ToString();
        var works = items.Select((item, i) => new Work(actor, source, ip, item, results, i)).ToList();
        if (items.Count <= GroupLimit)
        {
            // Small requests (a KPPS operator's sheet, a form) wait for the next group commit instead of paying a transaction each:
            // the answer comes after the commit, so an acknowledged sheet is durable exactly as before.
            var pending = new Pending(works, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (Interlocked.Exchange(ref _loopStarted, 1) == 0) _ = Task.Run(GroupCommitLoopAsync, CancellationToken.None);
            await _queue.Writer.WriteAsync(pending, ct);
            await pending.Done.Task;
            return [.. results];
        }
        var contests = await reference.ContestsAsync(ct);
        for (var start = 0; start < works.Count; start += ChunkSize)
            await ProcessWithRetryAsync(works.GetRange(start, Math.Min(ChunkSize, works.Count - start)), contests, ct);
        return [.. results];
    }

    private async Task GroupCommitLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            var group = new List<Pending>();
            var count = 0;
            while (count < ChunkSize && reader.TryRead(out var p)) { group.Add(p); count += p.Works.Count; }
            try
            {
                var contests = await reference.ContestsAsync();
                try
                {
                    await ProcessWithRetryAsync(group.SelectMany(p => p.Works).ToList(), contests, CancellationToken.None);
                    foreach (var p in group) p.Done.TrySetResult();
                }
                catch (Exception ex) when (group.Count > 1)
                {
                    // One request's trouble must not fail the others: fall back to one transaction per request.
                    log.LogWarning(ex, "Group commit of {Count} requests failed; retrying them one by one", group.Count);
                    foreach (var p in group)
                    {
                        try { await ProcessWithRetryAsync(p.Works, contests, CancellationToken.None); p.Done.TrySetResult(); }
                        catch (Exception one) { p.Done.TrySetException(one); }
                    }
                }
            }
            catch (Exception ex)
            {
                foreach (var p in group) p.Done.TrySetException(ex);
            }
        }
    }

    private async Task ProcessWithRetryAsync(List<Work> chunk, IReadOnlyDictionary<string, TallyReference.ContestInfo> contests, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var touched = await ProcessChunkAsync(chunk, contests, ct);
                foreach (var (contest, keys) in touched) await recapCache.RefreshAsync(contest, keys, ct);
                return;
            }
            catch (Exception ex) when (attempt < 5 && IsLostRace(ex))
            {
                log.LogInformation(ex, "Tally chunk lost a concurrent write (attempt {Attempt}); retrying", attempt);
            }
        }
    }

    /// <summary>Advisory lock key of the tally log's append (PostgreSQL); the audit chain's is <see cref="Pantau.Data.Auditing.AuditAppend.LockKey"/>.</summary>
    public const long LogLockKey = 7742103;

    /// <summary>
    /// Serializes the writes to the tally log across instances on PostgreSQL (within one instance the intake's gate already does):
    /// taken first in the transaction, before its reads, so that a chunk reads the log head, the current rows and the counter rows as the
    /// last committed chunk of any instance left them. Taken later, two instances' chunks would read the same head and counter versions
    /// and all but one would fail and retry, over and over under a steady load (seen in the benchmark with two instances: a batch's
    /// chunk failed after five attempts). Held until commit; the audit chain's lock is always taken after it.
    /// </summary>
    private static async Task LockLogAsync(PantauDbContext db, CancellationToken ct)
    {
        if (db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true)
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({LogLockKey})", ct);
    }

    /// <summary>Another writer got there first: a moved concurrency token, a duplicate key (the same log sequence number or TPS row),
    /// a serialization failure or a busy database. The chunk is read again and retried.
    /// A data error (a value the database refuses, a broken constraint other than a duplicate key) is not a race and is not retried.</summary>
    internal static bool IsLostRace(Exception ex) => ex switch
    {
        DbUpdateConcurrencyException => true,
        // 1555 SQLITE_CONSTRAINT_PRIMARYKEY, 2067 SQLITE_CONSTRAINT_UNIQUE; 5/6 busy/locked.
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode is 5 or 6 || s.SqliteExtendedErrorCode is 1555 or 2067,
        System.Data.Common.DbException { SqlState: "23505" or "40001" or "40P01" } => true,
        _ => ex.InnerException is { } inner && IsLostRace(inner),
    };

    private sealed class PairState
    {
        public TallyCurrent? Current;
        public bool IsNewCurrent;
        public long ReadVersion;
        public List<ResultVersion> Open = [];
        public CHasilSheet? Counted;
    }

    /// <returns>The recap keys whose totals changed, per contest.</returns>
    private async Task<List<(string Contest, List<string> Keys)>> ProcessChunkAsync(List<Work> chunk,
        IReadOnlyDictionary<string, TallyReference.ContestInfo> contests, CancellationToken ct)
    {
        List<(string Contest, List<string> Keys)> touched = [];
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var gate = Gate(db);
        var notificationsOn = scope.ServiceProvider.GetService<IConfiguration>()?.GetValue("Pantau:Notifications:Enabled", true) ?? false;
        List<string> told = [];

        // Work that needs no lock, done before taking the writer's turn: master data of the TPS (not changed by the intake), the
        // canonical encoding and the C.Hasil rule check of every sheet.
        var tpsCodes = chunk.Select(c => c.Item.Sheet.Tps).Where(t => TallyGrammar.IsTpsCode(t)).Distinct().ToList();
        var tpsRows = new Dictionary<string, (string DesaCode, int Dpt)>(StringComparer.Ordinal);
        foreach (var part in tpsCodes.Chunk(5000))
            foreach (var t in await db.Tps.AsNoTracking().Where(t => EF.Parameter(part).Contains(t.Code)).Select(t => new { t.Code, t.DesaCode, t.Dpt }).ToListAsync(ct))
                tpsRows[t.Code] = (t.DesaCode, t.Dpt);
        var prepared = new (CHasilSheet Sheet, string Canonical, IReadOnlyList<ValidationIssue> Issues)?[chunk.Count];
        for (var k = 0; k < chunk.Count; k++)
            if (contests.TryGetValue(chunk[k].Item.Sheet.Contest, out var ci) && TallyGrammar.Check(chunk[k].Item.Sheet) is null)
            {
                var sheet = chunk[k].Item.Sheet;
                if (!string.Equals(sheet.Contest, ci.Code, StringComparison.Ordinal)) sheet = sheet with { Contest = ci.Code };
                prepared[k] = (sheet, sheet.Canonical(), SheetValidator.Validate(sheet, ci.Numbers, ci.Naming));
            }

        await gate.WaitAsync(ct);
        try
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
            db.ChangeTracker.Clear();
            told = [];
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await LockLogAsync(db, ct);
            await using var writer = new TallyWriter(db, tx);

            // Reads: every lookup goes through a primary key or a unique index (contest first), so a chunk costs the same on an empty
            // database as on a full one.
            var byKey = new Dictionary<(string User, string Key), ResultVersion>();
            foreach (var perUser in chunk.Where(c => !string.IsNullOrEmpty(c.Item.IdempotencyKey)).GroupBy(c => c.Actor.UserId))
            {
                var userId = perUser.Key;
                foreach (var part in perUser.Select(c => c.Item.IdempotencyKey!).Distinct().Chunk(5000))
                    foreach (var v in await db.ResultVersions.AsNoTracking().Where(v => v.SubmittedById == userId && EF.Parameter(part).Contains(v.IdempotencyKey)).ToListAsync(ct))
                        byKey[(userId, v.IdempotencyKey!)] = v;
            }
            var currents = new Dictionary<(string, string), TallyCurrent>();
            var open = new Dictionary<(string, string), List<ResultVersion>>();
            foreach (var byContest in chunk.GroupBy(c => contests.TryGetValue(c.Item.Sheet.Contest, out var ci) ? ci.Code : null))
            {
                if (byContest.Key is not { } contestCode) continue;
                var codes = byContest.Select(c => c.Item.Sheet.Tps).Distinct().ToList();
                var existing = new List<string>();
                foreach (var part in codes.Chunk(5000))
                    foreach (var c in await db.TallyCurrent.AsNoTracking().Where(c => c.ContestCode == contestCode && EF.Parameter(part).Contains(c.TpsCode)).ToListAsync(ct))
                    {
                        currents[(c.ContestCode, c.TpsCode)] = c;
                        existing.Add(c.TpsCode);
                    }
                foreach (var part in existing.Chunk(5000))
                    foreach (var v in await db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == contestCode && EF.Parameter(part).Contains(v.TpsCode) &&
                                 (v.Status == ResultStatus.Accepted || v.Status == ResultStatus.Flagged || v.Status == ResultStatus.Conflict)).ToListAsync(ct))
                    {
                        if (!open.TryGetValue((v.ContestCode, v.TpsCode), out var list)) open[(v.ContestCode, v.TpsCode)] = list = [];
                        list.Add(v);
                    }
            }
            var pairs = new Dictionary<(string, string), PairState>();
            PairState Pair(string contest, string tps)
            {
                if (pairs.TryGetValue((contest, tps), out var p)) return p;
                p = new PairState { Current = currents.GetValueOrDefault((contest, tps)) };
                p.ReadVersion = p.Current?.Version ?? 0;
                p.Open = open.GetValueOrDefault((contest, tps)) ?? [];
                if (p.Current is { CountedVersionNo: > 0 } cur)
                    p.Counted = p.Open.FirstOrDefault(v => v.VersionNo == cur.CountedVersionNo) is { } cv ? CHasilSheet.ParseCanonical(cv.Payload) : null;
                return pairs[(contest, tps)] = p;
            }
            var head = await db.TallyLog.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(ct);
            var seq = head?.Seq ?? 0;
            var prevHash = head?.Hash ?? HashChain.GenesisHex;
            var now = clock.GetUtcNow();
            var deltas = new Dictionary<(string Contest, string Key), RecapTotals>();
            var pendingKeys = new Dictionary<(string User, string Key), ResultVersion>();
            var photoIds = chunk.Where(c => c.Item.PhotoId is not null).Select(c => c.Item.PhotoId!.Value).Distinct().ToList();
            var photos = photoIds.Count == 0 ? [] : await db.Files.AsNoTracking().Where(p => photoIds.Contains(p.Id))
                .Select(p => new { p.Id, p.Sha256, p.UploadedBy }).ToDictionaryAsync(p => p.Id, p => (p.Sha256, p.UploadedBy), ct);
            var added = new List<ResultVersion>();
            var logRows = new List<TallyLogEntry>();
            var moved = new HashSet<ResultVersion>(ReferenceEqualityComparer.Instance);

            for (var position = 0; position < chunk.Count; position++)
            {
                var (actor, source, _, item, results, index) = chunk[position];
                var s = item.Sheet;
                SheetOutcome Reject(int status, string code, string id, string en) => new(index, s.Contest, s.Tps, "rejected", status, Error: $"{id} / {en}", ErrorCode: code);

                // Idempotent retry: the same key returns the original result.
                if (!string.IsNullOrEmpty(item.IdempotencyKey) &&
                    (byKey.TryGetValue((actor.UserId, item.IdempotencyKey), out var earlier) || pendingKeys.TryGetValue((actor.UserId, item.IdempotencyKey), out earlier)))
                {
                    results[index] = new SheetOutcome(index, earlier.ContestCode, earlier.TpsCode, "replayed", 200, earlier.VersionNo, earlier.Status,
                        Reissue(earlier, contests), List(earlier.Anomalies));
                    continue;
                }
                if (!contests.TryGetValue(s.Contest, out var contest))
                { results[index] = Reject(400, "CONTEST_UNKNOWN", $"pemilihan '{s.Contest}' tidak dikenal", $"unknown contest '{s.Contest}'"); continue; }
                if (TallyGrammar.Check(s) is { } bad)
                { results[index] = Reject(400, TallyGrammar.OutOfGrammar, $"{bad.Field}: {bad.Id}", $"{bad.Field}: {bad.En}"); continue; }
                s = prepared[position]!.Value.Sheet; // with the contest code as the reference data spells it
                if (!tpsRows.TryGetValue(s.Tps, out var tps))
                { results[index] = Reject(404, "TPS_UNKNOWN", $"TPS '{s.Tps}' tidak dikenal", $"unknown TPS '{s.Tps}'"); continue; }
                if (!RegionCode.IsWithin(tps.DesaCode, contest.RegionCode))
                { results[index] = Reject(400, "TPS_NOT_IN_CONTEST", $"TPS {s.Tps} tidak termasuk wilayah {contest.Code}", $"TPS {s.Tps} is outside the region of {contest.Code}"); continue; }
                if (!actor.Covers(s.Tps)) // a region scope covers the TPS of its desa; a TPS scope (KPPS) only its own TPS
                { results[index] = Reject(403, "OUT_OF_SCOPE", $"TPS {s.Tps} di luar wilayah tugas Anda ({actor.ScopeCode})", $"TPS {s.Tps} is outside your region ({actor.ScopeCode})"); continue; }
                if (TallyGrammar.CheckPlausible(s, tps.Dpt) is { } much)
                {
                    results[index] = Reject(422, TallyGrammar.Implausible,
                        $"{SheetFields.Label(much.Field).Id} ({much.Value}) melebihi yang dapat ditampung TPS {s.Tps} (DPT {tps.Dpt} + cadangan + margin = {much.Max})",
                        $"{SheetFields.Label(much.Field).En} ({much.Value}) is more than TPS {s.Tps} can hold (DPT {tps.Dpt} + reserve + margin = {much.Max})");
                    continue;
                }
                if (item.IsCorrection && string.IsNullOrWhiteSpace(item.Reason))
                { results[index] = Reject(400, "REASON_REQUIRED", "perbaikan wajib menyebut alasan", "a correction needs a reason"); continue; }
                string? photoSha = null;
                if (item.PhotoId is { } pid)
                {
                    // Only a photo the sender uploaded: a sheet must not borrow (and so expose) a file stored by someone else.
                    if (!photos.TryGetValue(pid, out var photo))
                    { results[index] = Reject(400, "PHOTO_UNKNOWN", $"foto {pid} tidak ditemukan", $"photo {pid} not found"); continue; }
                    if (photo.UploadedBy != actor.UserName)
                    { results[index] = Reject(403, "PHOTO_NOT_OWN", $"foto {pid} bukan unggahan Anda", $"photo {pid} was not uploaded by you"); continue; }
                    photoSha = photo.Sha256;
                }

                var pair = Pair(s.Contest, s.Tps);
                var canonical = prepared[position]!.Value.Canonical;
                ResultVersion? latest = null;
                foreach (var v in pair.Open) if (latest is null || v.VersionNo > latest.VersionNo) latest = v;
                if (item.IsCorrection)
                {
                    if (pair.Current is null)
                    { results[index] = Reject(404, "NO_RESULT", "belum ada hasil untuk diperbaiki", "there is no result to correct"); continue; }
                    if (pair.Current.State == TallyState.Conflict)
                    { results[index] = Reject(409, "CONFLICT_OPEN", "ada konflik yang belum diputuskan untuk TPS ini", "this TPS has an unresolved conflict"); continue; }
                }
                if (latest is not null && latest.Payload == canonical)
                {
                    results[index] = new SheetOutcome(index, s.Contest, s.Tps, "confirmed", 200, latest.VersionNo, latest.Status, Reissue(latest, contests), List(latest.Anomalies));
                    continue;
                }

                // A different sheet from the same source replacing a counted one is a correction: it must say why (no silent change of a
                // counted total). Re-sending after a flagged sheet, the form's ordinary fix-and-resend, stays allowed.
                if (!item.IsCorrection && latest is { Status: ResultStatus.Accepted } && latest.SubmittedById == actor.UserId && pair.Current is { State: not TallyState.Conflict })
                {
                    results[index] = Reject(409, "RESULT_EXISTS", $"Anda sudah mengirim hasil TPS {s.Tps} (versi {latest.VersionNo}); kirim perbaikan dengan alasan",
                        $"you already sent a result for TPS {s.Tps} (version {latest.VersionNo}); send a correction with a reason");
                    continue;
                }
                var issues = prepared[position]!.Value.Issues;
                var anomalies = AnomalyRules.Check(s, tps.Dpt, pair.Counted).ToList();
                // Rule 5 (ballots against DPT + 2.5 %) is a difference to explain, not an error: a marker, the sheet still counts.
                foreach (var w in SheetValidator.Warnings(s)) anomalies.Add(w.Code);
                if (photoSha is not null && (added.Any(v => v.PhotoSha256 == photoSha && v.TpsCode != s.Tps) ||
                                             await db.ResultVersions.AnyAsync(v => v.PhotoSha256 == photoSha && v.TpsCode != s.Tps, ct)))
                    anomalies.Add(AnomalyCodes.PhotoReused);
                var conflict = !item.IsCorrection && pair.Current is not null &&
                               (pair.Current.State == TallyState.Conflict || (latest is not null && latest.SubmittedById != actor.UserId));
                var status = conflict ? ResultStatus.Conflict : issues.Count > 0 ? ResultStatus.Flagged : ResultStatus.Accepted;
                var versionNo = (pair.Current?.LatestVersionNo ?? 0) + 1;
                if (pair.Current is null)
                {
                    pair.Current = new TallyCurrent { ContestCode = s.Contest, TpsCode = s.Tps };
                    pair.IsNewCurrent = true;
                }
                var version = new ResultVersion
                {
                    ContestCode = s.Contest, TpsCode = s.Tps, DesaCode = tps.DesaCode, VersionNo = versionNo, Status = status, Payload = canonical,
                    ValidationCodes = string.Join(',', issues.Select(i => i.Code).Distinct()), Anomalies = string.Join(',', anomalies.Distinct()),
                    Source = item.IsCorrection ? "correction" : source, SubmittedById = actor.UserId, SubmittedBy = actor.UserName, SubmittedAt = now,
                    Reason = item.Reason, BeritaAcara = item.BeritaAcara, IdempotencyKey = string.IsNullOrEmpty(item.IdempotencyKey) ? null : item.IdempotencyKey,
                    PhotoId = item.PhotoId, PhotoSha256 = photoSha,
                };
                var counted = status == ResultStatus.Accepted;
                if (counted)
                {
                    foreach (var v in pair.Open) { v.Status = ResultStatus.Superseded; if (v.Id != 0) moved.Add(v); }
                    pair.Open.Clear();
                    if (pair.Counted is not null) AddDelta(deltas, pair.Counted, -1);
                    AddDelta(deltas, s, +1);
                    pair.Counted = s;
                    pair.Current.CountedVersionNo = versionNo;
                    pair.Current.State = TallyState.Accepted;
                }
                else pair.Current.State = conflict ? TallyState.Conflict : TallyState.Flagged;
                pair.Current.LatestVersionNo = versionNo;
                pair.Current.Version++;
                pair.Open.Add(version);
                seq++;
                var entry = new LogEntry(seq, now, item.IsCorrection ? LogKinds.Correct : LogKinds.Submit, status.ToString(), counted, versionNo, actor.UserName, photoSha, s);
                var row = NewLogRow(entry, prevHash, canonical);
                prevHash = row.Hash;
                logRows.Add(row);
                version.LogSeq = seq;
                added.Add(version);
                if (version.IdempotencyKey is not null) pendingKeys[(actor.UserId, version.IdempotencyKey)] = version;
                results[index] = new SheetOutcome(index, s.Contest, s.Tps, status switch
                {
                    ResultStatus.Accepted => "accepted", ResultStatus.Conflict => "conflict", _ => "flagged",
                }, status == ResultStatus.Accepted ? 201 : 202, versionNo, status, issues, anomalies)
                {
                    // The receipt of the entry this transaction writes (given only once it commits): no lookup afterwards.
                    Receipt = PublicLog.ReceiptService.Make(seq, row.Entry),
                };
            }

            if (logRows.Count > 0)
            {
                // Writes, in the order a reader of the log expects: log entries, the versions they record, the current state, the counters.
                foreach (var row in logRows) await writer.InsertLogAsync(row, ct);
                foreach (var v in moved) await writer.SetVersionStatusAsync(v.Id, v.Status, ct);
                foreach (var v in added) await writer.InsertVersionAsync(v, ct);
                foreach (var p in pairs.Values)
                    if (p.Current is { } c && (p.IsNewCurrent || c.Version != p.ReadVersion)) await writer.SaveCurrentAsync(c, p.IsNewCurrent, p.ReadVersion, ct);
                await ApplyDeltasAsync(db, writer, deltas, ct);
                // PostgreSQL: everything above goes in one round trip, before the audit chain's lock is taken (SQLite wrote it row by row).
                await writer.FlushAsync(ct);
                // One audit row per sender in the chunk: who, when, from where, and which versions it wrote (their content is in the
                // hash-chained log, referenced by sequence number), plus the earlier versions whose status it moved.
                var auditTail = await Data.Auditing.AuditAppend.LockTailAsync(db, ct);
                foreach (var bySender in added.GroupBy(v => (v.SubmittedById, v.Source)))
                {
                    var w = chunk.First(c => c.Actor.UserId == bySender.Key.SubmittedById);
                    var seqs = bySender.Select(v => v.LogSeq).ToList();
                    var audit = new Data.Auditing.AuditEntry
                    {
                        At = now, UserId = w.Actor.UserId, UserName = w.Actor.UserName, RemoteIp = w.RemoteIp, Action = "Added", EntityType = nameof(ResultVersion),
                        EntityKey = seqs.Count == 1 ? $"log {seqs[0]}" : $"log {seqs.Min()}-{seqs.Max()}",
                        After = System.Text.Json.JsonSerializer.Serialize(new
                        {
                            source = bySender.Key.Source, logSeq = seqs,
                            versions = bySender.Select(v => $"{v.ContestCode}/{v.TpsCode}/v{v.VersionNo}/{v.Status}"),
                            superseded = moved.Where(m => bySender.Any(v => v.ContestCode == m.ContestCode && v.TpsCode == m.TpsCode)).Select(v => $"{v.ContestCode}/{v.TpsCode}/v{v.VersionNo}"),
                        }),
                    };
                    auditTail = Data.Auditing.AuditAppend.Seal(audit, auditTail);
                    await writer.InsertAuditAsync(audit, ct);
                }
                await writer.FlushAsync(ct);
                // A sheet left waiting (conflict or flagged) is notified in this same transaction: one outbox save per chunk, and only
                // when the chunk has such a sheet, so the accepted bulk pays nothing.
                var waiting = added.Where(v => v.Status is ResultStatus.Conflict or ResultStatus.Flagged).ToList();
                if (waiting.Count > 0 && notificationsOn)
                {
                    told = await NotificationOutbox.AddAsync(db,
                        waiting.Select(v => NotificationOutbox.SheetWaiting(v.ContestCode, v.TpsCode, v.DesaCode, v.VersionNo, v.Status)).ToList(), ct);
                    await db.SaveChangesAsync(ct);
                }
            }
            await tx.CommitAsync(ct);
            touched = deltas.Keys.GroupBy(k => k.Contest).Select(g => (g.Key, g.Select(k => k.Key).ToList())).ToList();
            foreach (var (contest, changed) in touched) events.TotalsChanged(contest, changed);
            });
        }
        finally { gate.Release(); }
        if (told.Count > 0 && scope.ServiceProvider.GetService<ILiveUpdates>() is { } live)
            foreach (var u in told.Distinct()) await live.PublishAsync(NotificationService.TopicFor(u), "notification", new { }, ct);
        return touched;
    }

    private static IReadOnlyList<ValidationIssue> Reissue(ResultVersion v, IReadOnlyDictionary<string, TallyReference.ContestInfo> contests) =>
        v.ValidationCodes.Length == 0 ? [] : SheetValidator.Validate(CHasilSheet.ParseCanonical(v.Payload), contests.TryGetValue(v.ContestCode, out var c) ? c.Numbers : null,
            c?.Naming ?? SheetNaming.Pilkada);

    private static IReadOnlyList<string> List(string codes) => codes.Length == 0 ? [] : codes.Split(',');

    internal static TallyLogEntry NewLogRow(LogEntry entry, string prevHash, string? sheetCanonical = null)
    {
        var text = entry.Encode(sheetCanonical);
        return new TallyLogEntry
        {
            Seq = entry.Seq, At = entry.At, ContestCode = entry.Sheet.Contest, TpsCode = entry.Sheet.Tps, PrevHash = prevHash, Hash = HashChain.NextHex(prevHash, text), Entry = text,
        };
    }

    internal static string Append(PantauDbContext db, LogEntry entry, string prevHash)
    {
        var row = NewLogRow(entry, prevHash);
        db.TallyLog.Add(row);
        return row.Hash;
    }

    /// <summary>Adds (<paramref name="sign"/> 1) or removes (-1) a sheet's contribution to the counters of every level above its TPS.</summary>
    private static void AddDelta(Dictionary<(string Contest, string Key), RecapTotals> deltas, CHasilSheet s, int sign)
    {
        foreach (var key in RecapMath.Levels(s.Tps))
        {
            if (!deltas.TryGetValue((s.Contest, key), out var t)) deltas[(s.Contest, key)] = t = new RecapTotals();
            t.Add(s, sign);
        }
    }

    /// <summary>Applies counter deltas through the lean writer: one read of the affected rows per contest, then one statement per row
    /// (an update names the version it read, so a concurrent writer makes this transaction retry).</summary>
    private static async Task ApplyDeltasAsync(PantauDbContext db, TallyWriter writer, Dictionary<(string Contest, string Key), RecapTotals> deltas, CancellationToken ct)
    {
        foreach (var group in deltas.GroupBy(d => d.Key.Contest))
        {
            var keys = group.Select(g => g.Key.Key).ToList();
            var rows = new Dictionary<string, TallyRecap>(StringComparer.Ordinal);
            foreach (var part in keys.Chunk(5000))
                foreach (var r in await db.TallyRecaps.AsNoTracking().Where(r => r.ContestCode == group.Key && EF.Parameter(part).Contains(r.RegionCode)).ToListAsync(ct))
                    rows[r.RegionCode] = r;
            foreach (var ((contest, key), d) in group)
            {
                if (rows.TryGetValue(key, out var row))
                {
                    var t = ToTotals(row);
                    t.Add(d);
                    await writer.SaveRecapAsync(contest, key, t, row.Version, ct);
                }
                else await writer.SaveRecapAsync(contest, key, d, null, ct);
            }
        }
    }

    public static RecapTotals ToTotals(TallyRecap r)
    {
        var t = new RecapTotals
        {
            TpsIn = r.TpsIn, SuaraSah = r.SuaraSah, SuaraTidakSah = r.SuaraTidakSah, Users = r.Users, Registered = r.Registered, Disabled = r.Disabled,
            BallotsReceived = r.BallotsReceived, BallotsUsed = r.BallotsUsed, BallotsDamaged = r.BallotsDamaged, BallotsUnused = r.BallotsUnused,
        };
        RecapTotals.ParseVotes(r.Votes, t.Votes);
        return t;
    }

    /// <summary>
    /// Adjudication: the chosen version (flagged or in conflict, or the counted one) becomes the counted result, with a reason;
    /// the other open versions are rejected and the previously counted one superseded.
    /// </summary>
    public async Task<SheetOutcome> AdjudicateAsync(Actor actor, string contestCode, string tpsCode, int versionNo, string reason, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await AdjudicateOnceAsync(actor, contestCode, tpsCode, versionNo, reason, ct);
                if (outcome.Stored || outcome.Outcome == "accepted") await recapCache.RefreshAsync(contestCode, RecapMath.Levels(tpsCode), ct);
                return outcome;
            }
            catch (DbUpdateException) when (attempt < 5) { }
        }
    }

    private async Task<SheetOutcome> AdjudicateOnceAsync(Actor actor, string contestCode, string tpsCode, int versionNo, string reason, CancellationToken ct)
    {
        if (!TallyGrammar.IsContestCode(contestCode) || !TallyGrammar.IsTpsCode(tpsCode))
            return new SheetOutcome(0, "", "", "rejected", 404, Error: "versi tidak ditemukan / version not found", ErrorCode: "NO_RESULT");
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var gate = Gate(db);
        await gate.WaitAsync(ct);
        try
        {
            return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await LockLogAsync(db, ct);
            SheetOutcome Fail(int status, string code, string id, string en) => new(0, contestCode, tpsCode, "rejected", status, Error: $"{id} / {en}", ErrorCode: code);
            var current = await db.TallyCurrent.FirstOrDefaultAsync(c => c.ContestCode == contestCode && c.TpsCode == tpsCode, ct);
            var versions = await db.ResultVersions.Where(v => v.ContestCode == contestCode && v.TpsCode == tpsCode).ToListAsync(ct);
            var chosen = versions.FirstOrDefault(v => v.VersionNo == versionNo);
            if (current is null || chosen is null) return Fail(404, "NO_RESULT", "versi tidak ditemukan", "version not found");
            if (!actor.Covers(chosen.TpsCode)) return Fail(403, "OUT_OF_SCOPE", "TPS di luar wilayah tugas Anda", "TPS is outside your region");
            if (string.IsNullOrWhiteSpace(reason)) return Fail(400, "REASON_REQUIRED", "alasan wajib diisi", "a reason is required");
            if (Pantau.Core.Text.TextRules.Check(reason, Pantau.Core.Text.TextRules.Reason) is { } badReason)
                return Fail(400, badReason.Code, "alasan: " + badReason.Id, "reason: " + badReason.En);
            if (chosen.Status is not (ResultStatus.Flagged or ResultStatus.Conflict or ResultStatus.Accepted))
                return Fail(409, "NOT_OPEN", "versi ini sudah diganti atau ditolak", "this version was superseded or rejected");
            if (current.State == TallyState.Accepted) return Fail(409, "NOTHING_TO_ADJUDICATE", "tidak ada konflik atau tanda untuk diputuskan", "there is no conflict or flag to adjudicate");
            var now = clock.GetUtcNow();
            var sheet = CHasilSheet.ParseCanonical(chosen.Payload);
            var deltas = new Dictionary<(string Contest, string Key), RecapTotals>();
            if (current.CountedVersionNo > 0 && versions.FirstOrDefault(v => v.VersionNo == current.CountedVersionNo) is { } counted)
                AddDelta(deltas, CHasilSheet.ParseCanonical(counted.Payload), -1);
            AddDelta(deltas, sheet, +1);
            foreach (var v in versions.Where(v => v != chosen))
                if (v.Status == ResultStatus.Accepted) v.Status = ResultStatus.Superseded;
                else if (v.Status is ResultStatus.Flagged or ResultStatus.Conflict) { v.Status = ResultStatus.Rejected; v.ResolvedBy = actor.UserName; v.ResolvedAt = now; v.Resolution = reason; }
            chosen.Status = ResultStatus.Accepted;
            chosen.ResolvedBy = actor.UserName; chosen.ResolvedAt = now; chosen.Resolution = reason;
            current.CountedVersionNo = chosen.VersionNo;
            current.State = TallyState.Accepted;
            current.Version++;
            var head = await db.TallyLog.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(ct);
            Append(db, new LogEntry((head?.Seq ?? 0) + 1, now, LogKinds.Adjudicate, ResultStatus.Accepted.ToString(), true, chosen.VersionNo, actor.UserName,
                chosen.PhotoSha256, sheet), head?.Hash ?? HashChain.GenesisHex);
            await using (var writer = new TallyWriter(db, tx))
            {
                await ApplyDeltasAsync(db, writer, deltas, ct);
                await writer.FlushAsync(ct);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            events.TotalsChanged(contestCode, RecapMath.Levels(tpsCode));
            return new SheetOutcome(0, contestCode, tpsCode, "accepted", 200, chosen.VersionNo, ResultStatus.Accepted);
            });
        }
        finally { gate.Release(); }
    }
}
