using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tally;

/// <summary>The server's checkpoint signing key: ECDSA P-256, PEM (PKCS#8) in the data folder or at <c>Pantau:Tally:SigningKeyPath</c>.</summary>
public sealed class TallyKeys
{
    public CheckpointSigner Signer { get; }
    public string Path { get; }

    public TallyKeys(IConfiguration config, IWebHostEnvironment env)
    {
        Path = config["Pantau:Tally:SigningKeyPath"] is { Length: > 0 } p
            ? System.IO.Path.GetFullPath(p, env.ContentRootPath)
            : System.IO.Path.Combine(DatabaseSetup.DataDir(config, env.ContentRootPath), "tally-signing-key.pem");
        var key = ECDsa.Create();
        if (File.Exists(Path)) key.ImportFromPem(File.ReadAllText(Path));
        else
        {
            key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            File.WriteAllText(Path, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Signer = new CheckpointSigner(key);
    }

    /// <summary>Signs the current head of the log (nothing when the log is empty or the head is already checkpointed).</summary>
    public async Task<TallyCheckpoint?> CheckpointAsync(PantauDbContext db, DateTimeOffset now, CancellationToken ct = default)
    {
        var head = await db.TallyLog.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(ct);
        if (head is null) return null;
        var last = await db.TallyCheckpoints.AsNoTracking().OrderByDescending(c => c.Seq).FirstOrDefaultAsync(ct);
        if (last is not null && last.Seq == head.Seq) return last;
        var cp = new TallyCheckpoint { Seq = head.Seq, HeadHash = head.Hash, Signature = Signer.Sign(head.Seq, head.Hash), KeyId = Signer.KeyId, At = now };
        db.TallyCheckpoints.Add(cp);
        await db.SaveChangesAsync(ct);
        return cp;
    }
}

/// <summary>Checkpoints the log head periodically (<c>Pantau:Tally:CheckpointMinutes</c>, default 5; 0 turns it off).</summary>
public sealed class TallyCheckpointJob(IServiceScopeFactory scopes, TallyKeys keys, TimeProvider clock, IConfiguration config, ILogger<TallyCheckpointJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = config.GetValue("Pantau:Tally:CheckpointMinutes", 5.0);
        if (minutes <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                await keys.CheckpointAsync(scope.ServiceProvider.GetRequiredService<PantauDbContext>(), clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Tally checkpoint failed");
            }
        }
    }
}

public sealed record VerifyReport(bool Ok, long Entries, long Versions, int Checkpoints, long CountedSheets, int RecapRows, string? FirstDivergence, double Seconds)
{
    public string HeadHash { get; init; } = HashChain.GenesisHex;
    /// <summary>Seconds spent in each pass (log, versions, current, recap), for the benchmark.</summary>
    public string Phases { get; init; } = "";
}

/// <summary>
/// Recomputes everything from the log: the hash chain, the checkpoint signatures, every stored version against the log,
/// the counted version of every TPS and every recap counter; reports the first divergence.
/// Streams every table once through a raw reader inside one read snapshot (a deferred transaction on SQLite, repeatable read
/// on PostgreSQL), keeping only compact arrays per log entry, so that it runs at hundreds of thousands of sheets per second.
/// </summary>
public static class TallyVerifier
{
    private const int Fixed = 10; // TpsIn, SuaraSah, SuaraTidakSah, Users, Registered, Disabled, BallotsReceived, BallotsUsed, BallotsDamaged, BallotsUnused
    private const byte KindSubmit = 1, KindAdjudicate = 3;

    /// <summary>What the log says about one TPS and contest.</summary>
    private struct PairState
    {
        public int ContestIdx;
        public long Tps;
        public int CountedVersionNo;
        public int CountedSeq;
        public int LastSeq;
    }

    public static async Task<VerifyReport> VerifyAsync(PantauDbContext db, CheckpointSigner signer, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        var conn = db.Database.GetDbConnection();
        var opened = conn.State != ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        var tx = db.Database.CurrentTransaction?.GetDbTransaction();
        DbTransaction? own = null;
        if (tx is null)
            own = tx = conn is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        try
        {
            var t = tx;
            return await Task.Run(() =>
            {
                OwnTransaction.Value = own;
                return Run(conn, t, signer, sw, ct);
            }, ct);
        }
        finally
        {
            if (own is not null) { await own.RollbackAsync(CancellationToken.None); await own.DisposeAsync(); }
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    private readonly record struct LogRow(long Seq, string Contest, string Tps, string Prev, string Hash, byte[] Entry, bool HashOk, string? Computed);

    /// <summary>
    /// A second connection that sees exactly what <paramref name="tx"/> sees, or null. Every tally write appends to the log in its
    /// transaction, so two snapshots with the same last log entry hold the same tally tables. Not used when the caller verifies inside
    /// its own transaction (its uncommitted changes are visible only there) or for in-memory SQLite.
    /// </summary>
    private static (DbConnection Connection, DbTransaction Transaction)? OpenSameSnapshot(DbConnection conn, DbTransaction tx, long lastSeq)
    {
        if (Environment.ProcessorCount < 2 || OwnTransaction.Value != tx) return null;
        if (conn is SqliteConnection sc)
        {
            var b = new SqliteConnectionStringBuilder(sc.ConnectionString);
            if (b.Mode == SqliteOpenMode.Memory || b.DataSource is "" or ":memory:") return null;
        }
        DbConnection? other = null;
        try
        {
            other = conn is SqliteConnection s ? new SqliteConnection(s.ConnectionString) : (DbConnection)Activator.CreateInstance(conn.GetType(), conn.ConnectionString)!;
            other.Open();
            var otx = other is SqliteConnection os ? os.BeginTransaction(deferred: true) : other.BeginTransaction(IsolationLevel.RepeatableRead);
            using var cmd = other.CreateCommand();
            cmd.Transaction = otx;
            cmd.CommandText = "SELECT COALESCE(MAX(\"Seq\"), 0) FROM \"TallyLog\"";
            if (Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) == lastSeq) return (other, otx);
            otx.Dispose();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ArgumentException or MissingMethodException) { }
        other?.Dispose();
        return null;
    }

    /// <summary>The read transaction <see cref="VerifyAsync"/> opened itself (a caller's transaction may hold uncommitted changes).</summary>
    private static readonly AsyncLocal<DbTransaction?> OwnTransaction = new();

    /// <summary>Reads rows on another thread in batches while the caller processes the previous batch.</summary>
    private static IEnumerable<T> Pipelined<T>(DbDataReader r, Func<DbDataReader, T> read, CancellationToken ct)
    {
        using var queue = new System.Collections.Concurrent.BlockingCollection<T[]>(boundedCapacity: 8);
        var stop = 0;
        var producer = Task.Run(() =>
        {
            try
            {
                var batch = new List<T>(2048);
                while (Volatile.Read(ref stop) == 0 && r.Read())
                {
                    batch.Add(read(r));
                    if (batch.Count == 2048) { queue.Add(batch.ToArray()); batch.Clear(); }
                }
                if (batch.Count > 0 && Volatile.Read(ref stop) == 0) queue.Add(batch.ToArray());
            }
            finally { queue.CompleteAdding(); }
        });
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(ct))
                foreach (var row in batch) yield return row;
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            while (!queue.IsCompleted) queue.TryTake(out _, 10);
            producer.GetAwaiter().GetResult();
        }
    }

    private static DbDataReader Read(DbConnection conn, DbTransaction tx, string sql)
    {
        var cmd = conn.CreateCommand(); // not disposed here: the reader needs it; it is released with the reader
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd.ExecuteReader(CommandBehavior.SequentialAccess);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static VerifyReport Run(DbConnection conn, DbTransaction tx, CheckpointSigner signer, Stopwatch sw, CancellationToken ct)
    {
        long entries = 0, versions = 0, countedSheets = 0;
        int recapRows = 0;
        var prevHex = HashChain.GenesisHex;
        VerifyReport Fail(string what) => new(false, entries, versions, 0, countedSheets, recapRows, what, sw.Elapsed.TotalSeconds) { HeadHash = prevHex };
        var phases = new StringBuilder();
        var mark = sw.Elapsed;
        void Phase(string name) { phases.Append(CultureInfo.InvariantCulture, $"{name} {(sw.Elapsed - mark).TotalSeconds:0.000}s "); mark = sw.Elapsed; }

        // Checkpoints first (a handful of rows), so that the log pass can note the hash at each checkpointed sequence number.
        var checkpoints = new List<(long Seq, string Head, string Signature)>();
        using (var r = Read(conn, tx, "SELECT \"Seq\",\"HeadHash\",\"Signature\" FROM \"TallyCheckpoints\" ORDER BY \"Seq\""))
            while (r.Read()) checkpoints.Add((r.GetInt64(0), r.GetString(1), r.GetString(2)));
        var wanted = checkpoints.Select(c => c.Seq).ToHashSet();
        var hashAt = new Dictionary<long, string>();

        // 1. The log: the chain, the shape of every entry, and per entry the TPS, version, kind and sheet (kept as UTF-8 bytes).
        var contestIdx = new Dictionary<string, int>(StringComparer.Ordinal);
        var contestNames = new List<string>();
        long expected;
        using (var count = conn.CreateCommand())
        {
            count.Transaction = tx;
            count.CommandText = "SELECT COALESCE(MAX(\"Seq\"), 0) FROM \"TallyLog\"";
            expected = Math.Clamp(Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture), 0, 50_000_000);
        }
        var capacity = (int)expected;
        var pairIdx = new Dictionary<long, int>(capacity);
        var pairs = new List<PairState>(capacity);
        var entryPair = new List<int>(capacity);
        var entryVersion = new List<int>(capacity);
        var entryKind = new List<byte>(capacity);
        var entryPrevInPair = new List<int>(capacity);
        var entryStart = new List<long>(capacity);
        var arena = new ByteArena();
        var maxBallot = 0;
        Span<long> vec = stackalloc long[Fixed + 1001];
        // One thread reads the rows and checks each entry's hash against its stored previous hash (rows are independent given the
        // stored links); this one checks the links, parses the entries and keeps what the later passes need.
        var hashInput = new byte[4096];
        var hash = new byte[32];
        var hexBuf = new char[64];
        LogRow ReadLogRow(DbDataReader x)
        {
            var seq = x.GetInt64(0);
            var contest = x.GetString(1);
            var tps = x.GetString(2);
            var prevStored = x.GetString(3);
            var hashStored = x.GetString(4);
            // SQLite hands TEXT over as its UTF-8 bytes: no decoding to UTF-16 and back.
            var bytes = x is SqliteDataReader ? x.GetFieldValue<byte[]>(5) : Encoding.UTF8.GetBytes(x.GetString(5));
            if (hashInput.Length < bytes.Length + 32) hashInput = new byte[bytes.Length + 32];
            if (prevStored.Length != 64 || Convert.FromHexString(prevStored, hashInput.AsSpan(0, 32), out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
                return new LogRow(seq, contest, tps, prevStored, hashStored, bytes, false, "(the stored previous hash is not a hash)");
            bytes.CopyTo(hashInput, 32);
            SHA256.HashData(hashInput.AsSpan(0, 32 + bytes.Length), hash);
            Convert.TryToHexStringLower(hash, hexBuf, out _);
            var ok = hexBuf.AsSpan().SequenceEqual(hashStored);
            return new LogRow(seq, contest, tps, prevStored, hashStored, bytes, ok, ok ? null : new string(hexBuf));
        }
        using (var r = Read(conn, tx, "SELECT \"Seq\",\"ContestCode\",\"TpsCode\",\"PrevHash\",\"Hash\",\"Entry\" FROM \"TallyLog\" ORDER BY \"Seq\""))
        {
            foreach (var row in Pipelined(r, ReadLogRow, ct))
            {
                entries++;
                var (seq, contestCol, tpsCol, prevStored, hashStored, entryBytes, hashOk, computed) = row;
                if (seq != entries) return Fail($"log entry {entries} is missing (found seq {seq})");
                if (prevStored != prevHex) return Fail($"log entry {seq}: previous hash {prevStored} does not match the chain ({prevHex})");
                if (!hashOk) return Fail($"log entry {seq}: hash mismatch (stored {hashStored}, computed {computed}) — the entry was altered");
                prevHex = hashStored;
                if (wanted.Contains(seq)) hashAt[seq] = hashStored;

                // L1|seq|ticks|kind|status|counted|versionNo|submitter|photo|C1|contest|tps|votes|27 numbers
                var e = entryBytes.AsSpan();
                var parsed = TryParseEntry(e, out var head, out var sheetStart, out var sheetBallotMax, vec);
                vec[..(Fixed + sheetBallotMax + 1)].Clear(); // only the shape is checked here; the sums come later
                if (!parsed) { vec.Clear(); return Fail($"log entry {seq}: unreadable (not a canonical tally log entry)"); }
                if (head.Seq != seq || !Utf8Equals(head.Contest, contestCol) || !Utf8Equals(head.Tps, tpsCol))
                    return Fail($"log entry {seq}: columns differ from the hashed entry");
                if (!contestIdx.TryGetValue(contestCol, out var ci)) { contestIdx[contestCol] = ci = contestNames.Count; contestNames.Add(contestCol); }
                var tps = long.Parse(tpsCol, CultureInfo.InvariantCulture);
                var key = ci * 10_000_000_000_000L + tps;
                if (!pairIdx.TryGetValue(key, out var pi)) { pairIdx[key] = pi = pairs.Count; pairs.Add(new PairState { ContestIdx = ci, Tps = tps }); }
                var pair = pairs[pi];
                var idx = (int)seq;
                entryPair.Add(pi);
                entryVersion.Add(head.VersionNo);
                entryKind.Add(head.Kind);
                entryPrevInPair.Add(pair.LastSeq);
                entryStart.Add(arena.Add(e[sheetStart..]));
                if (head.Kind == KindAdjudicate)
                {
                    // An adjudication repeats a version: it must be the same sheet as that version's own entry.
                    var original = pair.LastSeq;
                    while (original > 0 && !(entryVersion[original - 1] == head.VersionNo && entryKind[original - 1] != KindAdjudicate)) original = entryPrevInPair[original - 1];
                    if (original == 0 || !arena.Get(entryStart[original - 1]).SequenceEqual(arena.Get(entryStart[idx - 1])))
                        return Fail($"log entry {seq}: version {head.VersionNo} of {contestCol}/{tpsCol} differs from its earlier entry");
                }
                pair.LastSeq = idx;
                if (head.Counted) { pair.CountedVersionNo = head.VersionNo; pair.CountedSeq = idx; maxBallot = Math.Max(maxBallot, sheetBallotMax); }
                pairs[pi] = pair;
            }
        }
        Phase("log");
        foreach (var cp in checkpoints)
        {
            if (!signer.Verify(cp.Seq, cp.Head, cp.Signature)) return Fail($"checkpoint at seq {cp.Seq}: signature does not verify with the server key {signer.KeyId}");
            if (!hashAt.TryGetValue(cp.Seq, out var h)) return Fail($"checkpoint at seq {cp.Seq}: the log has no such entry (truncated?)");
            if (h != cp.Head) return Fail($"checkpoint at seq {cp.Seq}: signed head {cp.Head} differs from the log ({h}) — the log was rewritten");
        }
        foreach (var p in pairs) if (p.CountedSeq > 0) countedSheets++;

        // 2-4. Versions and current rows on this connection, counters on a second one in the same snapshot when there can be one
        // (both passes only read what the log pass built).
        string? VersionsAndCurrent(DbConnection conn, DbTransaction tx)
        {
            // 2. Every stored version is the sheet its log entry recorded, and is Accepted exactly when the log says it counts.
            var matched = new bool[entries + 1];
            using (var r = Read(conn, tx, "SELECT \"ContestCode\",\"TpsCode\",\"VersionNo\",\"Payload\",\"Status\",\"LogSeq\" FROM \"ResultVersions\""))
            {
                while (r.Read())
                {
                    versions++;
                    var contest = r.GetString(0);
                    var tpsCode = r.GetString(1);
                    var versionNo = r.GetInt32(2);
                    // SQLite hands TEXT over as its UTF-8 bytes; other providers decode and we encode again.
                    var payload = r is SqliteDataReader ? r.GetFieldValue<byte[]>(3) : Encoding.UTF8.GetBytes(r.GetString(3));
                    var status = (ResultStatus)r.GetInt32(4);
                    var seq = r.GetInt64(5);
                    string Name() => $"result {contest}/{tpsCode} v{versionNo}";
                    var inLog = seq >= 1 && seq <= entries && entryKind[(int)seq - 1] != KindAdjudicate && !matched[seq] &&
                                entryVersion[(int)seq - 1] == versionNo && contestIdx.TryGetValue(contest, out var vci) &&
                                long.TryParse(tpsCode, NumberStyles.None, CultureInfo.InvariantCulture, out var vtps) &&
                                pairs[entryPair[(int)seq - 1]].ContestIdx == vci && pairs[entryPair[(int)seq - 1]].Tps == vtps;
                    if (!inLog) return ($"{Name()}: not in the log");
                    var p = pairs[entryPair[(int)seq - 1]];
                    matched[seq] = true;
                    if (!payload.AsSpan().SequenceEqual(arena.Get(entryStart[(int)seq - 1]))) return ($"{Name()}: stored sheet differs from the log");
                    var isCounted = p.CountedVersionNo == versionNo && p.CountedSeq > 0;
                    if (isCounted != (status == ResultStatus.Accepted))
                        return ($"{Name()}: status {status} but the log says it is {(isCounted ? "" : "not ")}counted");
                }
            }
            for (var s = 1; s <= entries; s++)
                if (!matched[s] && entryKind[s - 1] != KindAdjudicate)
                {
                    var p = pairs[entryPair[s - 1]];
                    return ($"log entry {s}: version {entryVersion[s - 1]} of {contestNames[p.ContestIdx]}/{p.Tps:0000000000000} is missing from the results table");
                }

            // 3. The current row of every TPS counts the version the log says.
            using (var r = Read(conn, tx, "SELECT \"ContestCode\",\"TpsCode\",\"CountedVersionNo\" FROM \"TallyCurrent\""))
                while (r.Read())
                {
                    var contest = r.GetString(0);
                    var tpsCode = r.GetString(1);
                    var stored = r.GetInt32(2);
                    var expected = contestIdx.TryGetValue(contest, out var ci) && long.TryParse(tpsCode, NumberStyles.None, CultureInfo.InvariantCulture, out var tps) &&
                                   pairIdx.TryGetValue(ci * 10_000_000_000_000L + tps, out var pi) ? pairs[pi].CountedVersionNo : 0;
                    if (stored != expected) return ($"current {contest}/{tpsCode}: counts v{stored}, the log says v{expected}");
                }

    return null;
        }
        string? Recaps(DbConnection conn, DbTransaction tx)
        {
            // 4. Every recap counter equals the sum of the counted sheets below it.
            var width = Fixed + maxBallot + 1;
            var accIdx = new Dictionary<long, int>();
            var acc = new List<long[]>();
            var accKeys = new List<long>();
            var sheetVec = new long[Fixed + 1001];
            // Each counted sheet's contribution, kept for comparing the TPS-level counters without parsing the sheet again.
            var pairVectors = new long[(long)pairs.Count * width];
            for (var pi = 0; pi < pairs.Count; pi++)
            {
                var p = pairs[pi];
                if (p.CountedSeq == 0) continue;
                Array.Clear(sheetVec, 0, width);
                if (!TryParseEntry(arena.Get(entryStart[p.CountedSeq - 1]), out _, out _, out _, sheetVec, sheetOnly: true))
                    return ($"log entry {p.CountedSeq}: unreadable sheet");
                Array.Copy(sheetVec, 0, pairVectors, (long)pi * width, width);
                // desa (10 digits), kecamatan (6), kab/kota (4), province (2)
                var desa = p.Tps / 1000;
                foreach (var (level, code) in new[] { (4, desa), (3, desa / 10_000), (2, desa / 1_000_000), (1, desa / 100_000_000) })
                {
                    var key = RegionKey(p.ContestIdx, level, code);
                    if (!accIdx.TryGetValue(key, out var ai)) { accIdx[key] = ai = acc.Count; acc.Add(new long[width]); accKeys.Add(key); }
                    var a = acc[ai];
                    for (var k = 0; k < width; k++) a[k] += sheetVec[k];
                }
            }
            var accSeen = new bool[acc.Count];
            var tpsSeen = new bool[pairs.Count];
            var stored2 = new long[Fixed + 1001];
            var tpsWant = new long[Fixed + 1001];
            using (var r = Read(conn, tx, "SELECT \"ContestCode\",\"RegionCode\",\"TpsIn\",\"SuaraSah\",\"SuaraTidakSah\",\"Users\",\"Registered\",\"Disabled\"," +
                                               "\"BallotsReceived\",\"BallotsUsed\",\"BallotsDamaged\",\"BallotsUnused\",\"Votes\" FROM \"TallyRecaps\""))
            {
                while (r.Read())
                {
                    recapRows++;
                    var contest = r.GetString(0);
                    var region = r.GetString(1);
                    Array.Clear(stored2, 0, width);
                    for (var k = 0; k < Fixed; k++) stored2[k] = r.GetInt64(2 + k);
                    var votes = r.GetString(12);
                    var wide = !ParseVotes(votes, stored2, width);
                    long[]? want = null;
                    if (contestIdx.TryGetValue(contest, out var ci))
                    {
                        if (region.Length == 13 && !region.Contains('.'))
                        {
                            if (long.TryParse(region, NumberStyles.None, CultureInfo.InvariantCulture, out var tps) &&
                                pairIdx.TryGetValue(ci * 10_000_000_000_000L + tps, out var pi) && pairs[pi].CountedSeq > 0)
                            {
                                tpsSeen[pi] = true;
                                want = tpsWant;
                                Array.Copy(pairVectors, (long)pi * width, tpsWant, 0, width);
                            }
                        }
                        else if (TryRegionKey(ci, region, out var key) && accIdx.TryGetValue(key, out var ai))
                        {
                            accSeen[ai] = true;
                            want = acc[ai];
                        }
                    }
                    var equal = !wide;
                    for (var k = 0; k < width && equal; k++) equal = stored2[k] == (want is null ? 0 : want[k]);
                    if (!equal)
                        return ($"recap {contest}/{region}: stored {Describe(stored2, width, votes)} but the log gives {Describe(want ?? new long[width], width, null)}");
                }
            }
            for (var i = 0; i < acc.Count; i++)
                if (!accSeen[i] && acc[i].Any(x => x != 0))
                    return ($"recap {contestNames[(int)(accKeys[i] / 100_000_000_000L)]}/{RegionText(accKeys[i])}: missing (the log gives {Describe(acc[i], width, null)})");
            for (var i = 0; i < pairs.Count; i++)
                if (!tpsSeen[i] && pairs[i].CountedSeq > 0)
                    return ($"recap {contestNames[pairs[i].ContestIdx]}/{pairs[i].Tps:0000000000000}: missing (the log counts v{pairs[i].CountedVersionNo})");

    return null;
        }
        string? failure;
        var second = OpenSameSnapshot(conn, tx, entries);
        if (second is { } other)
        {
            using (other.Connection)
            using (other.Transaction)
            {
                var recaps = Task.Run(() => Recaps(other.Connection, other.Transaction), ct);
                failure = VersionsAndCurrent(conn, tx);
                var recapFailure = recaps.GetAwaiter().GetResult();
                failure ??= recapFailure;
                Phase("versions|recap (parallel)");
            }
        }
        else
        {
            failure = VersionsAndCurrent(conn, tx);
            Phase("versions");
            failure ??= Recaps(conn, tx);
            Phase("recap");
        }
        if (failure is not null) return Fail(failure);
        return new VerifyReport(true, entries, versions, checkpoints.Count, countedSheets, recapRows, null, sw.Elapsed.TotalSeconds) { HeadHash = prevHex, Phases = phases.ToString().Trim() };
    }

    private ref struct Head
    {
        public long Seq;
        public byte Kind;
        public bool Counted;
        public int VersionNo;
        public ReadOnlySpan<byte> Contest;
        public ReadOnlySpan<byte> Tps;
    }

    /// <summary>
    /// Parses a log entry (or, with <paramref name="sheetOnly"/>, just its sheet part <c>C1|...</c>) and adds the sheet's recap
    /// contribution to <paramref name="vec"/> (layout: the <see cref="Fixed"/> counters, then votes per ballot number).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseEntry(ReadOnlySpan<byte> e, out Head head, out int sheetStart, out int ballotMax, Span<long> vec, bool sheetOnly = false)
    {
        head = default;
        sheetStart = 0;
        ballotMax = 0;
        var pos = 0;
        static bool Next(ReadOnlySpan<byte> s, scoped ref int p, out ReadOnlySpan<byte> field)
        {
            if (p > s.Length) { field = default; return false; }
            var bar = s[p..].IndexOf((byte)'|');
            field = bar < 0 ? s[p..] : s.Slice(p, bar);
            p = bar < 0 ? s.Length + 1 : p + bar + 1;
            return true;
        }
        ReadOnlySpan<byte> f;
        if (!sheetOnly)
        {
            if (!Next(e, ref pos, out f) || !f.SequenceEqual("L1"u8)) return false;
            if (!Next(e, ref pos, out f) || !TryLong(f, out head.Seq)) return false;
            if (!Next(e, ref pos, out f) || !TryLong(f, out _)) return false;
            if (!Next(e, ref pos, out f)) return false;
            head.Kind = f.SequenceEqual("SUBMIT"u8) ? KindSubmit : f.SequenceEqual("CORRECT"u8) ? (byte)2 : f.SequenceEqual("ADJUDICATE"u8) ? KindAdjudicate : (byte)0;
            if (head.Kind == 0) return false;
            if (!Next(e, ref pos, out _)) return false; // status
            if (!Next(e, ref pos, out f) || f.Length != 1 || f[0] is not ((byte)'0' or (byte)'1')) return false;
            head.Counted = f[0] == '1';
            if (!Next(e, ref pos, out f) || !TryLong(f, out var version) || version > int.MaxValue) return false;
            head.VersionNo = (int)version;
            if (!Next(e, ref pos, out _) || !Next(e, ref pos, out _)) return false; // submitter, photo
            sheetStart = pos;
        }
        if (!Next(e, ref pos, out f) || !f.SequenceEqual("C1"u8)) return false;
        if (!Next(e, ref pos, out head.Contest) || !Next(e, ref pos, out head.Tps)) return false;
        if (!Next(e, ref pos, out var votes)) return false;
        Span<long> fields = stackalloc long[27];
        for (var i = 0; i < 27; i++)
            if (!Next(e, ref pos, out f) || !TryLong(f, out fields[i])) return false;
        if (pos <= e.Length) return false; // trailing fields
        vec[0] += 1;
        vec[1] += fields[0];
        vec[2] += fields[1];
        vec[3] += fields[13] + fields[16] + fields[19];
        vec[4] += fields[4] + fields[7] + fields[10];
        vec[5] += fields[22];
        vec[6] += fields[23];
        vec[7] += fields[24];
        vec[8] += fields[25];
        vec[9] += fields[26];
        var vp = 0;
        while (votes.Length > 0 && vp <= votes.Length)
        {
            var rest = votes[vp..];
            var comma = rest.IndexOf((byte)',');
            var item = comma < 0 ? rest : rest[..comma];
            var eq = item.IndexOf((byte)'=');
            if (eq < 0 || !TryLong(item[..eq], out var number) || !TryLong(item[(eq + 1)..], out var count) || number > 1000) return false;
            ballotMax = Math.Max(ballotMax, (int)number);
            if (Fixed + number < vec.Length) vec[Fixed + (int)number] += count;
            else return false;
            if (comma < 0) break;
            vp += comma + 1;
        }
        return true;
    }

    private static bool TryLong(ReadOnlySpan<byte> s, out long value) =>
        System.Buffers.Text.Utf8Parser.TryParse(s, out value, out var used) && used == s.Length && s.Length > 0;

    private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string s)
    {
        if (utf8.Length != s.Length) return false;
        for (var i = 0; i < s.Length; i++) if (utf8[i] != s[i]) return false;
        return true;
    }

    /// <summary>Adds the recap's stored votes (<c>n=v,n=v</c>) into <paramref name="vec"/>; false when a ballot number is beyond <paramref name="width"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool ParseVotes(string text, long[] vec, int width)
    {
        var rest = text.AsSpan();
        while (rest.Length > 0)
        {
            var comma = rest.IndexOf(',');
            var pair = comma < 0 ? rest : rest[..comma];
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            var eq = pair.IndexOf('=');
            if (eq < 0 || !int.TryParse(pair[..eq], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ||
                !long.TryParse(pair[(eq + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return false;
            if (Fixed + n >= width) { if (v != 0) return false; continue; }
            vec[Fixed + n] += v;
        }
        return true;
    }

    private static long RegionKey(int contest, int level, long numeric) => contest * 100_000_000_000L + level * 10_000_000_000L + numeric;

    private static bool TryRegionKey(int contest, string dotted, out long key)
    {
        key = 0;
        long numeric = 0;
        var level = 1;
        foreach (var c in dotted)
        {
            if (c == '.') { level++; continue; }
            if (c is < '0' or > '9') return false;
            numeric = numeric * 10 + (c - '0');
        }
        if (level > 4 || dotted.Length == 0) return false;
        key = RegionKey(contest, level, numeric);
        return true;
    }

    private static string RegionText(long key)
    {
        var level = (int)(key / 10_000_000_000L % 10);
        var numeric = (key % 10_000_000_000L).ToString(CultureInfo.InvariantCulture).PadLeft(level switch { 1 => 2, 2 => 4, 3 => 6, _ => 10 }, '0');
        return level switch
        {
            1 => numeric,
            2 => $"{numeric[..2]}.{numeric[2..]}",
            3 => $"{numeric[..2]}.{numeric[2..4]}.{numeric[4..]}",
            _ => $"{numeric[..2]}.{numeric[2..4]}.{numeric[4..6]}.{numeric[6..]}",
        };
    }

    private static string Describe(long[] v, int width, string? votesText)
    {
        var t = new RecapTotals
        {
            TpsIn = v[0], SuaraSah = v[1], SuaraTidakSah = v[2], Users = v[3], Registered = v[4], Disabled = v[5],
            BallotsReceived = v[6], BallotsUsed = v[7], BallotsDamaged = v[8], BallotsUnused = v[9],
        };
        if (votesText is not null) RecapTotals.ParseVotes(votesText, t.Votes);
        else for (var k = Fixed; k < width; k++) if (v[k] != 0) t.Votes[k - Fixed] = v[k];
        return t.ToString();
    }

    /// <summary>Sheets of the log as UTF-8 bytes in large blocks (one allocation per 4 MB, not one per entry).</summary>
    private sealed class ByteArena
    {
        private const int BlockSize = 4 << 20;
        private readonly List<byte[]> _blocks = [new byte[BlockSize]];
        private int _used;

        /// <summary>Stores <paramref name="data"/>; returns its handle (block index, offset and length packed in a long).</summary>
        public long Add(ReadOnlySpan<byte> data)
        {
            if (data.Length > BlockSize) throw new InvalidOperationException("sheet too large");
            if (_used + data.Length > BlockSize) { _blocks.Add(new byte[BlockSize]); _used = 0; }
            data.CopyTo(_blocks[^1].AsSpan(_used));
            var handle = ((long)(_blocks.Count - 1) << 40) | ((long)_used << 16) | (uint)data.Length;
            _used += data.Length;
            return handle;
        }

        public ReadOnlySpan<byte> Get(long handle) =>
            _blocks[(int)(handle >> 40)].AsSpan((int)((handle >> 16) & 0xFFFFFF), (int)(handle & 0xFFFF));
    }
}
