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
using Pantau.Storage;

namespace Pantau.Web.Tally;

public sealed record VerifyReport(bool Ok, long Entries, long Versions, int Checkpoints, long CountedSheets, int RecapRows, string? FirstDivergence, double Seconds)
{
    public string HeadHash { get; init; } = HashChain.GenesisHex;
    /// <summary>Seconds spent in each pass (log; waiting for the tables read alongside it; versions and recap), for the benchmark.</summary>
    public string Phases { get; init; } = "";
}

/// <summary>
/// Recomputes everything from the log: the hash chain, the checkpoint signatures, every stored version against the log,
/// the counted version of every TPS and every recap counter; reports the first divergence.
/// Reads every table once inside one read snapshot (a deferred transaction on SQLite, repeatable read on PostgreSQL), the log on one
/// connection while the other tables are copied on a second one, keeping only compact arrays per log entry, so that it runs at
/// hundreds of thousands of sheets per second.
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
            own = tx = ReadSnapshot.BeginOn(conn);
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
            var otx = ReadSnapshot.BeginOn(other);
            using var cmd = other.CreateCommand();
            cmd.Transaction = otx;
            cmd.CommandText = LastSeqSql;
            if (Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) == lastSeq) return (other, otx);
            otx.Dispose();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ArgumentException or MissingMethodException) { }
        other?.Dispose();
        return null;
    }

    /// <summary>The read transaction <see cref="VerifyAsync"/> opened itself (a caller's transaction may hold uncommitted changes).</summary>
    private static readonly AsyncLocal<DbTransaction?> OwnTransaction = new();

    /// <summary>Contest codes met in the log, looked up by their UTF-8 bytes without making a string per row.</summary>
    private sealed class ContestTable
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        public List<string> Names { get; } = [];

        public ContestTable() => _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();

        public bool TryGet(ReadOnlySpan<byte> utf8, out int index)
        {
            index = -1;
            if (utf8.Length > 128) return false;
            Span<char> chars = stackalloc char[128];
            return Encoding.UTF8.TryGetChars(utf8, chars, out var n) && _lookup.TryGetValue(chars[..n], out index);
        }

        public int GetOrAdd(ReadOnlySpan<byte> utf8)
        {
            if (TryGet(utf8, out var index)) return index;
            var name = Encoding.UTF8.GetString(utf8);
            _index[name] = index = Names.Count;
            Names.Add(name);
            return index;
        }
    }

    // SubmittedAt as microseconds since 1970 on both providers (PostgreSQL keeps microseconds; SQLite stores UTC ticks).
    private const string VersionsSqlHead = "SELECT \"ContestCode\",\"TpsCode\",\"VersionNo\",\"Payload\",\"Status\",\"LogSeq\",\"SubmittedBy\",\"PhotoSha256\",";
    private const string VersionsSqlite = VersionsSqlHead + "(\"SubmittedAt\" - 621355968000000000) / 10 FROM \"ResultVersions\"";
    private const string VersionsPostgres = VersionsSqlHead + "CAST(EXTRACT(EPOCH FROM \"SubmittedAt\") * 1000000 AS bigint) FROM \"ResultVersions\"";
    private static string VersionsSql(DbConnection c) => c is SqliteConnection ? VersionsSqlite : VersionsPostgres;
    private static readonly bool[] VersionsText = [true, true, false, true, false, false, true, true, false];
    private const string CurrentSql = "SELECT \"ContestCode\",\"TpsCode\",\"CountedVersionNo\" FROM \"TallyCurrent\"";
    private static readonly bool[] CurrentText = [true, true, false];
    private const string RecapsSql = "SELECT \"ContestCode\",\"RegionCode\",\"TpsIn\",\"SuaraSah\",\"SuaraTidakSah\",\"Users\",\"Registered\",\"Disabled\"," +
                                     "\"BallotsReceived\",\"BallotsUsed\",\"BallotsDamaged\",\"BallotsUnused\",\"Votes\" FROM \"TallyRecaps\"";
    private static readonly bool[] RecapsText = [true, true, false, false, false, false, false, false, false, false, false, false, true];

    private static (BufferedRows Versions, BufferedRows Current, BufferedRows Recaps) ReadTables(DbConnection conn, DbTransaction tx, CancellationToken ct)
    {
        BufferedRows Fill(string sql, bool[] text)
        {
            using var r = Utf8Rows.Open(conn, tx, sql);
            return BufferedRows.Fill(r, text, ct);
        }
        var recaps = Fill(RecapsSql, RecapsText);
        var versions = Fill(VersionsSql(conn), VersionsText);
        return (versions, Fill(CurrentSql, CurrentText), recaps);
    }

    /// <summary>
    /// Every table is read once, front to back, so SQLite's page cache (64 MiB on the server's connections) only costs the memory it
    /// fills: a 2 MiB cache for the duration of the run, the previous size restored after.
    /// </summary>
    private static Finally? SmallPageCache(DbConnection conn, DbTransaction tx)
    {
        if (conn is not SqliteConnection) return null;
        using var get = conn.CreateCommand();
        get.Transaction = tx;
        get.CommandText = "PRAGMA cache_size";
        var previous = Convert.ToInt64(get.ExecuteScalar(), CultureInfo.InvariantCulture);
        void Set(long size)
        {
            using var set = conn.CreateCommand();
            set.Transaction = tx;
            set.CommandText = $"PRAGMA cache_size = {size.ToString(CultureInfo.InvariantCulture)}";
            set.ExecuteNonQuery();
        }
        Set(-2048);
        return new Finally(() => Set(previous));
    }

    private sealed class Finally(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static string Str(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>A TPS code (13 digits) as a number; false for anything else.</summary>
    private static bool TryTps(ReadOnlySpan<byte> s, out long tps)
    {
        tps = 0;
        if (s.Length != 13) return false;
        foreach (var c in s)
        {
            if (c is < (byte)'0' or > (byte)'9') return false;
            tps = tps * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>The counts a report gives, also when it fails part way (the passes after the log run on two threads: each writes its own).</summary>
    private sealed class Counts(Stopwatch sw)
    {
        private readonly Stopwatch _sw = sw;
        public long Versions;
        public long CountedSheets;
        public int RecapRows;
        private readonly StringBuilder _phases = new();
        private TimeSpan _mark = sw.Elapsed;

        /// <summary>Notes the time since the previous phase ended.</summary>
        public void Phase(string name)
        {
            _phases.Append(CultureInfo.InvariantCulture, $"{name} {(_sw.Elapsed - _mark).TotalSeconds:0.000}s ");
            _mark = _sw.Elapsed;
        }

        public string Phases => _phases.ToString().Trim();

        public VerifyReport Fail(LogIndex log, string what) =>
            new(false, log.Entries, Versions, 0, CountedSheets, RecapRows, what, _sw.Elapsed.TotalSeconds) { HeadHash = log.HeadHash };
    }

    /// <summary>
    /// What the log pass keeps, compactly, for the passes after it: per TPS and contest its <see cref="PairState"/>, per entry (indexed
    /// by seq - 1) its pair, version, kind, the previous entry of its pair, its sheet and submitter|photo (UTF-8 in <see cref="Arena"/>)
    /// and its time.
    /// </summary>
    private sealed class LogIndex(int capacity) : IDisposable
    {
        public readonly ContestTable Contests = new();
        public readonly Dictionary<long, int> PairIdx = new(capacity);
        public readonly List<PairState> Pairs = new(capacity);
        public readonly List<int> EntryPair = new(capacity);
        public readonly List<int> EntryVersion = new(capacity);
        public readonly List<byte> EntryKind = new(capacity);
        public readonly List<int> EntryPrevInPair = new(capacity);
        public readonly List<long> EntryStart = new(capacity);
        public readonly List<long> EntryTicks = new(capacity);
        public readonly List<long> EntryMeta = new(capacity);
        public readonly ByteArena Arena = new();
        /// <summary>The computed hash at each checkpointed sequence number.</summary>
        public readonly Dictionary<long, string> HashAt = [];
        /// <summary>Entries read so far (on a failure, up to and including the entry that failed).</summary>
        public long Entries;
        /// <summary>The highest ballot number of a counted sheet.</summary>
        public int MaxBallot;
        /// <summary>The last entry whose hash checked out, as its stored text (the head reported on failure too).</summary>
        public readonly byte[] PrevText = Encoding.ASCII.GetBytes(HashChain.GenesisHex);

        public string HeadHash => Encoding.ASCII.GetString(PrevText);

        /// <summary>The counted sheet of pair <paramref name="pi"/> (which must have one).</summary>
        public ReadOnlySpan<byte> CountedSheet(int pi) => Arena.Get(EntryStart[Pairs[pi].CountedSeq - 1]);

        public void Dispose() => Arena.Dispose();
    }

    private static VerifyReport Run(DbConnection conn, DbTransaction tx, CheckpointSigner signer, Stopwatch sw, CancellationToken ct)
    {
        var counts = new Counts(sw);
        // Checkpoints first (a handful of rows), so that the log pass can note the hash at each checkpointed sequence number.
        using var smallCache = SmallPageCache(conn, tx);
        var checkpoints = ReadCheckpoints(conn, tx);
        var lastSeq = LastSeq(conn, tx);
        // The other tables are read into memory on a second connection in the same snapshot while this one checks the log.
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var second = OpenSameSnapshot(conn, tx, lastSeq);
        var prefetch = second is { } o ? Task.Run(() => ReadTables(o.Connection, o.Transaction, stopReading.Token), stopReading.Token) : null;
        using var cleanup = new Finally(() =>
        {
            stopReading.Cancel();
            try { prefetch?.Wait(CancellationToken.None); } catch (AggregateException) { }
            second?.Transaction.Dispose();
            second?.Connection.Dispose();
        });
        using var log = new LogIndex((int)Math.Clamp(lastSeq, 0, 50_000_000));

        // 1. The log: the chain, the shape of every entry, and per entry the TPS, version, kind and sheet (kept as UTF-8 bytes).
        using (var r = Utf8Rows.Open(conn, tx, "SELECT \"Seq\",\"ContestCode\",\"TpsCode\",\"PrevHash\",\"Hash\",\"Entry\" FROM \"TallyLog\" ORDER BY \"Seq\""))
            if (CheckLog(r, log, checkpoints.Select(c => c.Seq).ToHashSet(), ct) is { } logFailure) return counts.Fail(log, logFailure);
        counts.Phase("log");
        if (CheckCheckpoints(checkpoints, log, signer) is { } checkpointFailure) return counts.Fail(log, checkpointFailure);
        foreach (var p in log.Pairs) if (p.CountedSeq > 0) counts.CountedSheets++;

        var failure = CheckTables(conn, tx, prefetch, log, counts, ct);
        failure ??= AuditChainFailure(conn, tx);
        counts.Phase("audit");
        if (failure is not null) return counts.Fail(log, failure);
        return new VerifyReport(true, log.Entries, counts.Versions, checkpoints.Count, counts.CountedSheets, counts.RecapRows, null, sw.Elapsed.TotalSeconds)
            { HeadHash = log.HeadHash, Phases = counts.Phases };
    }

    private static List<(long Seq, string Head, string Signature)> ReadCheckpoints(DbConnection conn, DbTransaction tx)
    {
        var checkpoints = new List<(long Seq, string Head, string Signature)>();
        using var r = Utf8Rows.Open(conn, tx, "SELECT \"Seq\",\"HeadHash\",\"Signature\" FROM \"TallyCheckpoints\" ORDER BY \"Seq\"");
        while (r.Next())
        {
            var seq = r.Int64(0);
            var head = Str(r.Text(1));
            checkpoints.Add((seq, head, Str(r.Text(2))));
        }
        return checkpoints;
    }

    private const string LastSeqSql = "SELECT COALESCE(MAX(\"Seq\"), 0) FROM \"TallyLog\"";

    private static long LastSeq(DbConnection conn, DbTransaction tx)
    {
        using var count = conn.CreateCommand();
        count.Transaction = tx;
        count.CommandText = LastSeqSql;
        return Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// 1. The log pass: every entry in sequence, linked to the previous one and hashed as stored, of canonical shape, its columns those
    /// of the hashed entry, an adjudication the same sheet as the version it repeats; fills <paramref name="log"/>. Null when it holds.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static string? CheckLog(Utf8Rows r, LogIndex log, HashSet<long> wanted, CancellationToken ct)
    {
        var (contests, pairIdx, pairs, arena, prevText) = (log.Contests, log.PairIdx, log.Pairs, log.Arena, log.PrevText);
        long entries = 0;
        var maxBallot = 0;
        string? failure = null;
        // The chain link is checked on the stored text (the previous entry's stored hash); the hash itself is computed from the
        // previous entry's computed hash, which equals its stored one once that entry has passed.
        var hashInput = new byte[4096];
        HashChain.Genesis.CopyTo(hashInput, 0);
        Span<byte> hash = stackalloc byte[32];
        Span<byte> hex = stackalloc byte[64];
        while (r.Next())
        {
            if ((entries & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            entries++;
            var seq = r.Int64(0);
            var contestCol = r.Text(1);
            var tpsCol = r.Text(2);
            var prevStored = r.Text(3);
            var hashStored = r.Text(4);
            var e = r.Text(5);
            if (seq != entries) { failure = $"log entry {entries} is missing (found seq {seq})"; break; }
            if (!prevStored.SequenceEqual(prevText)) { failure = $"log entry {seq}: previous hash {Str(prevStored)} does not match the chain ({Encoding.ASCII.GetString(prevText)})"; break; }
            if (hashInput.Length < e.Length + 32) Array.Resize(ref hashInput, e.Length + 32);
            e.CopyTo(hashInput.AsSpan(32));
            SHA256.HashData(hashInput.AsSpan(0, 32 + e.Length), hash);
            Convert.TryToHexStringLower(hash, hex, out _);
            if (!hashStored.SequenceEqual(hex))
            {
                failure = $"log entry {seq}: hash mismatch (stored {Str(hashStored)}, computed {Str(hex)}) — the entry was altered";
                break;
            }
            hash.CopyTo(hashInput);
            hex.CopyTo(prevText);
            if (wanted.Contains(seq)) log.HashAt[seq] = Str(hex);

            // L1|seq|ticks|kind|status|counted|versionNo|submitter|photo|C1|contest|tps|votes|27 numbers (or C2 ... 37)
            if (!TryParseEntry(e, out var head, out var sheetStart, out var sheetBallotMax, [], shapeOnly: true))
            {
                failure = $"log entry {seq}: unreadable (not a canonical tally log entry)";
                break;
            }
            if (head.Seq != seq || !head.Contest.SequenceEqual(contestCol) || !head.Tps.SequenceEqual(tpsCol) || !TryTps(tpsCol, out var tps))
            {
                failure = $"log entry {seq}: columns differ from the hashed entry";
                break;
            }
            var ci = contests.GetOrAdd(contestCol);
            var key = ci * 10_000_000_000_000L + tps;
            if (!pairIdx.TryGetValue(key, out var pi)) { pairIdx[key] = pi = pairs.Count; pairs.Add(new PairState { ContestIdx = ci, Tps = tps }); }
            var pair = pairs[pi];
            var idx = (int)seq;
            log.EntryPair.Add(pi);
            log.EntryVersion.Add(head.VersionNo);
            log.EntryKind.Add(head.Kind);
            log.EntryPrevInPair.Add(pair.LastSeq);
            log.EntryStart.Add(arena.Add(e[sheetStart..]));
            log.EntryTicks.Add(head.Ticks);
            log.EntryMeta.Add(arena.Add(e[head.MetaStart..(sheetStart - 1)]));
            if (head.Kind == KindAdjudicate && !RepeatsItsVersion(log, pair.LastSeq, head.VersionNo, idx))
            {
                failure = $"log entry {seq}: version {head.VersionNo} of {contests.Names[ci]}/{tps:0000000000000} differs from its earlier entry";
                break;
            }
            pair.LastSeq = idx;
            if (head.Counted) { pair.CountedVersionNo = head.VersionNo; pair.CountedSeq = idx; maxBallot = Math.Max(maxBallot, sheetBallotMax); }
            pairs[pi] = pair;
        }
        log.Entries = entries;
        log.MaxBallot = maxBallot;
        return failure;
    }

    /// <summary>An adjudication (entry <paramref name="idx"/>) repeats a version: it must be the same sheet as that version's own entry,
    /// found by walking back from <paramref name="lastSeq"/>, the pair's previous entry.</summary>
    private static bool RepeatsItsVersion(LogIndex log, int lastSeq, int versionNo, int idx)
    {
        var original = lastSeq;
        while (original > 0 && !(log.EntryVersion[original - 1] == versionNo && log.EntryKind[original - 1] != KindAdjudicate)) original = log.EntryPrevInPair[original - 1];
        return original != 0 && log.Arena.Get(log.EntryStart[original - 1]).SequenceEqual(log.Arena.Get(log.EntryStart[idx - 1]));
    }

    /// <summary>Every checkpoint is signed with the server key and names a head the log has at its sequence number; null when so.</summary>
    private static string? CheckCheckpoints(List<(long Seq, string Head, string Signature)> checkpoints, LogIndex log, CheckpointSigner signer)
    {
        foreach (var cp in checkpoints)
        {
            if (!signer.Verify(cp.Seq, cp.Head, cp.Signature)) return $"checkpoint at seq {cp.Seq}: signature does not verify with the server key {signer.KeyId}";
            if (!log.HashAt.TryGetValue(cp.Seq, out var h)) return $"checkpoint at seq {cp.Seq}: the log has no such entry (truncated?)";
            if (h != cp.Head) return $"checkpoint at seq {cp.Seq}: signed head {cp.Head} differs from the log ({h}) — the log was rewritten";
        }
        return null;
    }

    /// <summary>
    /// 2-4. Versions and current rows on this connection, counters on a second one in the same snapshot when there can be one
    /// (both passes only read what the log pass built): from the tables <paramref name="prefetch"/> copied, or read here one after the other.
    /// </summary>
    private static string? CheckTables(DbConnection conn, DbTransaction tx, Task<(BufferedRows Versions, BufferedRows Current, BufferedRows Recaps)>? prefetch,
        LogIndex log, Counts counts, CancellationToken ct)
    {
        string? failure;
        if (prefetch is not null)
        {
            var (versionTable, currentTable, recapTable) = prefetch.GetAwaiter().GetResult();
            counts.Phase("tables");
            var recaps = Task.Run(() => CheckRecaps(() => recapTable, log, counts), ct);
            failure = CheckVersionsAndCurrent(() => versionTable, () => currentTable, log, counts);
            var recapFailure = recaps.GetAwaiter().GetResult();
            failure ??= recapFailure;
            counts.Phase("versions|recap");
        }
        else
        {
            failure = CheckVersionsAndCurrent(() => Utf8Rows.Open(conn, tx, VersionsSql(conn)), () => Utf8Rows.Open(conn, tx, CurrentSql), log, counts);
            counts.Phase("versions");
            failure ??= CheckRecaps(() => Utf8Rows.Open(conn, tx, RecapsSql), log, counts);
            counts.Phase("recap");
        }
        return failure;
    }

    private static string? CheckVersionsAndCurrent(Func<Utf8Rows> versionRows, Func<Utf8Rows> currentRows, LogIndex log, Counts counts)
    {
        using (var r = versionRows())
            if (CheckVersions(r, log, counts) is { } failure) return failure;
        using (var r = currentRows())
            return CheckCurrent(r, log);
    }

    /// <summary>2. Every stored version is the sheet its log entry recorded, and is Accepted exactly when the log says it counts; every
    /// entry but an adjudication has its version.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static string? CheckVersions(Utf8Rows r, LogIndex log, Counts counts)
    {
        var (contests, pairs, arena, entries) = (log.Contests, log.Pairs, log.Arena, log.Entries);
        var (entryPair, entryVersion, entryKind) = (log.EntryPair, log.EntryVersion, log.EntryKind);
        var matched = new bool[entries + 1];
        while (r.Next())
        {
            counts.Versions++;
            var contest = r.Text(0);
            var tpsCode = r.Text(1);
            var versionNo = r.Int64(2);
            var payload = r.Text(3);
            var status = (ResultStatus)r.Int64(4);
            var seq = r.Int64(5);
            var inLog = seq >= 1 && seq <= entries && entryKind[(int)seq - 1] != KindAdjudicate && !matched[seq] &&
                        entryVersion[(int)seq - 1] == versionNo && contests.TryGet(contest, out var vci) && TryTps(tpsCode, out var vtps) &&
                        pairs[entryPair[(int)seq - 1]].ContestIdx == vci && pairs[entryPair[(int)seq - 1]].Tps == vtps;
            if (!inLog) return $"result {Str(contest)}/{Str(tpsCode)} v{versionNo}: not in the log";
            var p = pairs[entryPair[(int)seq - 1]];
            matched[seq] = true;
            if (!payload.SequenceEqual(arena.Get(log.EntryStart[(int)seq - 1]))) return $"result {Str(contest)}/{Str(tpsCode)} v{versionNo}: stored sheet differs from the log";
            // Every other field the log holds: who sent it, when, and the photo's hash.
            if (!SameMeta(arena.Get(log.EntryMeta[(int)seq - 1]), r.Text(6), r.Text(7)))
                return $"result {Str(contest)}/{Str(tpsCode)} v{versionNo}: submitter or photo differs from the log";
            var logMicros = (log.EntryTicks[(int)seq - 1] - 621355968000000000L) / 10;
            if (Math.Abs(r.Int64(8) - logMicros) > 1)
                return $"result {Str(contest)}/{Str(tpsCode)} v{versionNo}: submission time differs from the log";
            var isCounted = p.CountedVersionNo == versionNo && p.CountedSeq > 0;
            if (isCounted != (status == ResultStatus.Accepted))
                return $"result {Str(contest)}/{Str(tpsCode)} v{versionNo}: status {status} but the log says it is {(isCounted ? "" : "not ")}counted";
        }
        for (var s = 1; s <= entries; s++)
            if (!matched[s] && entryKind[s - 1] != KindAdjudicate)
            {
                var p = pairs[entryPair[s - 1]];
                return $"log entry {s}: version {entryVersion[s - 1]} of {contests.Names[p.ContestIdx]}/{p.Tps:0000000000000} is missing from the results table";
            }
        return null;
    }

    /// <summary>3. The current row of every TPS counts the version the log says.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static string? CheckCurrent(Utf8Rows r, LogIndex log)
    {
        var (contests, pairIdx, pairs) = (log.Contests, log.PairIdx, log.Pairs);
        while (r.Next())
        {
            var contest = r.Text(0);
            var tpsCode = r.Text(1);
            var stored = r.Int64(2);
            var expected = contests.TryGet(contest, out var ci) && TryTps(tpsCode, out var tps) &&
                           pairIdx.TryGetValue(ci * 10_000_000_000_000L + tps, out var pi) ? pairs[pi].CountedVersionNo : 0;
            if (stored != expected) return $"current {Str(contest)}/{Str(tpsCode)}: counts v{stored}, the log says v{expected}";
        }
        return null;
    }

    /// <summary>4. Every recap counter equals the sum of the counted sheets below it, and every region and TPS with counted sheets has its
    /// recap row. Every sum is checked: a total past Int64 is a divergence, never a wrapped number that happens to match.</summary>
    private static string? CheckRecaps(Func<Utf8Rows> openRecaps, LogIndex log, Counts counts)
    {
        try
        {
            var width = Fixed + log.MaxBallot + 1;
            var sums = new RegionSums(width);
            if (SumCountedSheets(log, sums) is { } unreadable) return unreadable;
            sums.RollUp();
            using var r = openRecaps();
            return CompareRecaps(r, log, sums, counts);
        }
        catch (OverflowException) { return "recap: a total of the counted sheets overflows Int64 (the log holds counts no TPS can have)"; }
    }

    /// <summary>Recap counters per region (layout of <see cref="TryParseEntry"/>'s vector, <see cref="Width"/> numbers each), keyed by
    /// <see cref="RegionKey"/>, in one growing array.</summary>
    private sealed class RegionSums(int width)
    {
        public readonly int Width = width;
        public readonly Dictionary<long, int> Index = new();
        public readonly List<long> Keys = [];
        public long[] Vectors = new long[1024 * width];

        /// <summary>The slot of <paramref name="key"/>, added (zero) when new; may grow <see cref="Vectors"/>, so take spans after.</summary>
        public int Slot(long key)
        {
            if (Index.TryGetValue(key, out var ai)) return ai;
            Index[key] = ai = Keys.Count;
            Keys.Add(key);
            if ((long)Keys.Count * Width > Vectors.Length) Array.Resize(ref Vectors, Vectors.Length * 2);
            return ai;
        }

        public Span<long> this[int slot] => Vectors.AsSpan(slot * Width, Width);

        /// <summary>desa (10 digits) -> kecamatan (6) -> kab/kota (4) -> province (2).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void RollUp()
        {
            var width = Width;
            for (var level = 4; level > 1; level--)
                for (int i = 0, n = Keys.Count; i < n; i++)
                {
                    var key = Keys[i];
                    if ((int)(key / 10_000_000_000L % 10) != level) continue;
                    var numeric = key % 10_000_000_000L;
                    var up = Slot(RegionKey((int)(key / 100_000_000_000L), level - 1, numeric / (level == 4 ? 10_000 : 100)));
                    var from = Vectors.AsSpan(i * width, width);
                    var to = Vectors.AsSpan(up * width, width);
                    for (var k = 0; k < width; k++) to[k] = checked(to[k] + from[k]);
                }
        }
    }

    /// <summary>Sums go to the desa first, then desa totals roll up to kecamatan, kab/kota and province (<see cref="RegionSums.RollUp"/>:
    /// one lookup per sheet instead of four). A counted sheet is parsed again for its TPS-level counters: cheaper than keeping every
    /// sheet's numbers (fresh memory costs more than parsing here).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static string? SumCountedSheets(LogIndex log, RegionSums sums)
    {
        var (pairs, width) = (log.Pairs, sums.Width);
        var sheet = new long[Fixed + TallyGrammar.MaxBallotNumber + 1];
        for (var pi = 0; pi < pairs.Count; pi++)
        {
            var p = pairs[pi];
            if (p.CountedSeq == 0) continue;
            Array.Clear(sheet, 0, width);
            if (!TryParseEntry(log.Arena.Get(log.EntryStart[p.CountedSeq - 1]), out _, out _, out _, sheet, sheetOnly: true))
                return $"log entry {p.CountedSeq}: unreadable sheet";
            var desa = sums.Slot(RegionKey(p.ContestIdx, 4, p.Tps / 1000)); // before the span: Slot may grow the array
            var a = sums[desa];
            for (var k = 0; k < width; k++) a[k] = checked(a[k] + sheet[k]);
        }
        return null;
    }

    /// <summary>Each stored recap row against the log's sums (a TPS row against its counted sheet), then the sums no row was found for.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static string? CompareRecaps(Utf8Rows r, LogIndex log, RegionSums sums, Counts counts)
    {
        var (contests, pairIdx, pairs, width) = (log.Contests, log.PairIdx, log.Pairs, sums.Width);
        var sheet = new long[Fixed + TallyGrammar.MaxBallotNumber + 1];
        var accSeen = new bool[sums.Keys.Count];
        var tpsSeen = new bool[pairs.Count];
        var stored = new long[Fixed + TallyGrammar.MaxBallotNumber + 1];
        while (r.Next())
        {
            counts.RecapRows++;
            var contest = r.Text(0);
            var region = r.Text(1);
            Array.Clear(stored, 0, width);
            for (var k = 0; k < Fixed; k++) stored[k] = r.Int64(2 + k);
            var votes = r.Text(12);
            var wide = !ParseVotes(votes, stored, width);
            ReadOnlySpan<long> want = [];
            if (contests.TryGet(contest, out var ci))
            {
                if (TryTps(region, out var tps))
                {
                    if (pairIdx.TryGetValue(ci * 10_000_000_000_000L + tps, out var pi) && pairs[pi].CountedSeq > 0)
                    {
                        tpsSeen[pi] = true;
                        Array.Clear(sheet, 0, width);
                        TryParseEntry(log.CountedSheet(pi), out _, out _, out _, sheet, sheetOnly: true);
                        want = sheet.AsSpan(0, width);
                    }
                }
                else if (TryRegionKey(ci, region, out var key) && sums.Index.TryGetValue(key, out var ai))
                {
                    accSeen[ai] = true;
                    want = sums[ai];
                }
            }
            var equal = !wide;
            for (var k = 0; k < width && equal; k++) equal = stored[k] == (want.IsEmpty ? 0 : want[k]);
            if (!equal)
                return $"recap {Str(contest)}/{Str(region)}: stored {Describe(stored, width, Str(votes))} but the log gives {Describe(want.IsEmpty ? new long[width] : want.ToArray(), width, null)}";
        }
        for (var i = 0; i < sums.Keys.Count; i++)
            if (!accSeen[i] && sums[i].ContainsAnyExcept(0L))
                return $"recap {contests.Names[(int)(sums.Keys[i] / 100_000_000_000L)]}/{RegionText(sums.Keys[i])}: missing (the log gives {Describe(sums[i].ToArray(), width, null)})";
        for (var i = 0; i < pairs.Count; i++)
            if (!tpsSeen[i] && pairs[i].CountedSeq > 0)
                return $"recap {contests.Names[pairs[i].ContestIdx]}/{pairs[i].Tps:0000000000000}: missing (the log counts v{pairs[i].CountedVersionNo})";
        return null;
    }

    /// <summary>Checks the audit trail's hash chain (<see cref="Core.Security.AuditChain"/>) in the same read snapshot; null when unbroken.</summary>
    private static string? AuditChainFailure(DbConnection conn, DbTransaction tx)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT \"Seq\",\"At\",\"UserId\",\"UserName\",\"RemoteIp\",\"Action\",\"EntityType\",\"EntityKey\",\"Before\",\"After\",\"PrevHash\",\"Hash\" " +
                          "FROM \"AuditEntries\" ORDER BY \"Seq\"";
        using var r = cmd.ExecuteReader();
        return Core.Security.AuditChain.Check(Rows(r));

        static IEnumerable<Core.Security.AuditChain.Row> Rows(DbDataReader r)
        {
            string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            while (r.Read())
            {
                var at = r.GetValue(1) switch
                {
                    long ticks => new DateTimeOffset(ticks, TimeSpan.Zero),
                    DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                    DateTimeOffset o => o,
                    var other => new DateTimeOffset(Convert.ToInt64(other, CultureInfo.InvariantCulture), TimeSpan.Zero),
                };
                yield return new(r.GetInt64(0), at, r.GetString(2), r.GetString(3), Text(4), r.GetString(5), r.GetString(6), r.GetString(7),
                    Text(8), Text(9), Text(10), Text(11));
            }
        }
    }

    private ref struct Head
    {
        public long Seq;
        public byte Kind;
        public bool Counted;
        public int VersionNo;
        public long Ticks;
        /// <summary>Offset of the submitter field (submitter|photo runs up to the sheet).</summary>
        public int MetaStart;
        public ReadOnlySpan<byte> Contest;
        public ReadOnlySpan<byte> Tps;
    }

    /// <summary>
    /// Parses a log entry (or, with <paramref name="sheetOnly"/>, just its sheet part <c>C1|...</c>) and adds the sheet's recap
    /// contribution to <paramref name="vec"/> (layout: the <see cref="Fixed"/> counters, then votes per ballot number).
    /// With <paramref name="shapeOnly"/> nothing is added: only the shape is checked, and a counted entry's numbers are left for later.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseEntry(ReadOnlySpan<byte> e, out Head head, out int sheetStart, out int ballotMax, Span<long> vec, bool sheetOnly = false, bool shapeOnly = false)
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
            if (!Next(e, ref pos, out f) || !TryLong(f, out head.Ticks)) return false;
            if (!Next(e, ref pos, out f)) return false;
            head.Kind = f.SequenceEqual("SUBMIT"u8) ? KindSubmit : f.SequenceEqual("CORRECT"u8) ? (byte)2 : f.SequenceEqual("ADJUDICATE"u8) ? KindAdjudicate : (byte)0;
            if (head.Kind == 0) return false;
            if (!Next(e, ref pos, out _)) return false; // status
            if (!Next(e, ref pos, out f) || f.Length != 1 || f[0] is not ((byte)'0' or (byte)'1')) return false;
            head.Counted = f[0] == '1';
            if (!Next(e, ref pos, out f) || !TryLong(f, out var version) || version > int.MaxValue) return false;
            head.VersionNo = (int)version;
            head.MetaStart = pos;
            if (!Next(e, ref pos, out _) || !Next(e, ref pos, out _)) return false; // submitter, photo
            sheetStart = pos;
        }
        // Sheet version 1 (27 numbers) or 2 (37, "-" for an absent field, read as 0 in the totals); docs/log-format.md section 1.
        if (!Next(e, ref pos, out f) || !(f.SequenceEqual("C1"u8) || f.SequenceEqual("C2"u8))) return false;
        var fieldCount = f[1] == (byte)'2' ? SheetFields.Numeric.Count : SheetFields.V1Count;
        if (!Next(e, ref pos, out head.Contest) || !Next(e, ref pos, out head.Tps)) return false;
        if (!Next(e, ref pos, out var votes)) return false;
        var vp = 0;
        while (votes.Length > 0 && vp <= votes.Length)
        {
            var rest = votes[vp..];
            var comma = rest.IndexOf((byte)',');
            var item = comma < 0 ? rest : rest[..comma];
            var eq = item.IndexOf((byte)'=');
            if (eq < 0 || !TryLong(item[..eq], out var number) || !TryLong(item[(eq + 1)..], out var count) || !TallyGrammar.IsBallotNumber(number) || !TallyGrammar.IsCount(count)) return false;
            ballotMax = Math.Max(ballotMax, (int)number);
            if (!shapeOnly)
            {
                if (Fixed + number >= vec.Length) return false;
                vec[Fixed + (int)number] = checked(vec[Fixed + (int)number] + count);
            }
            if (comma < 0) break;
            vp += comma + 1;
        }
        // In the log pass a counted sheet's numbers are read later, when its counters are summed; the others are checked here.
        if (shapeOnly && head.Counted) return true;
        Span<long> fields = stackalloc long[SheetFields.Numeric.Count];
        for (var i = 0; i < fieldCount; i++)
        {
            if (!Next(e, ref pos, out f)) return false;
            if (fieldCount > SheetFields.V1Count && f.Length == 1 && f[0] == (byte)'-') { fields[i] = 0; continue; }
            if (!TryLong(f, out fields[i]) || !TallyGrammar.IsCount(fields[i])) return false;
        }
        if (pos <= e.Length) return false; // trailing fields
        if (shapeOnly) return true;
        checked
        {
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
        }
        return true;
    }

    /// <summary>The log's <c>submitter|photo</c> (submitter escaped as <see cref="LogEntry.Encode()"/> does, photo or <c>-</c>) against a version's columns.</summary>
    private static bool SameMeta(ReadOnlySpan<byte> meta, ReadOnlySpan<byte> submittedBy, ReadOnlySpan<byte> photo)
    {
        var bar = meta.IndexOf((byte)'|');
        if (bar < 0) return false;
        var logPhoto = meta[(bar + 1)..];
        if (photo.IsEmpty ? !logPhoto.SequenceEqual("-"u8) : !logPhoto.SequenceEqual(photo)) return false;
        var logBy = meta[..bar];
        // Escaping leaves unreserved ASCII as it is: compare the bytes; anything else through the escape itself.
        return !submittedBy.ContainsAnyExcept(Unreserved) ? logBy.SequenceEqual(submittedBy)
            : logBy.SequenceEqual(Encoding.UTF8.GetBytes(Uri.EscapeDataString(Encoding.UTF8.GetString(submittedBy))));
    }

    private static readonly System.Buffers.SearchValues<byte> Unreserved =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"u8);

    private static bool TryLong(ReadOnlySpan<byte> s, out long value) =>
        System.Buffers.Text.Utf8Parser.TryParse(s, out value, out var used) && used == s.Length && s.Length > 0;

    /// <summary>Adds the recap's stored votes (<c>n=v,n=v</c>) into <paramref name="vec"/>; false when a ballot number is beyond <paramref name="width"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool ParseVotes(ReadOnlySpan<byte> rest, long[] vec, int width)
    {
        while (rest.Length > 0)
        {
            var comma = rest.IndexOf((byte)',');
            var pair = comma < 0 ? rest : rest[..comma];
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            var eq = pair.IndexOf((byte)'=');
            if (eq < 0 || !TryLong(pair[..eq], out var n) || !TallyGrammar.IsBallotNumber(n) || !System.Buffers.Text.Utf8Parser.TryParse(pair[(eq + 1)..], out long v, out var used) ||
                used != pair.Length - eq - 1) return false;
            if (Fixed + n >= width) { if (v != 0) return false; continue; }
            vec[Fixed + (int)n] = checked(vec[Fixed + (int)n] + v);
        }
        return true;
    }

    private static long RegionKey(int contest, int level, long numeric) => contest * 100_000_000_000L + level * 10_000_000_000L + numeric;

    private static bool TryRegionKey(int contest, ReadOnlySpan<byte> dotted, out long key)
    {
        key = 0;
        long numeric = 0;
        var level = 1;
        if (dotted.Length is 0 or > 16) return false;
        foreach (var c in dotted)
        {
            if (c == '.') { level++; continue; }
            if (c is < (byte)'0' or > (byte)'9') return false;
            numeric = numeric * 10 + (c - '0');
        }
        if (level > 4) return false;
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
}
