using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Pantau.Core.Regions;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Storage;

namespace Pantau.Web.Tally;

/// <summary>
/// The lean write path of the tally intake, on the DbContext's own connection and transaction, instead of EF change tracking
/// (which cost ~20x the storage work at national scale, see bench/RESULTS.md).
/// <list type="bullet">
/// <item>SQLite: one prepared statement per table, run once per row (a row costs a function call: the database is in the process).</item>
/// <item>PostgreSQL: rows are buffered per table and written by <see cref="FlushAsync"/> as one set-based statement per table
/// (<c>INSERT ... SELECT FROM unnest(arrays)</c>, <c>UPDATE ... FROM unnest(arrays)</c>), all sent in one <see cref="Npgsql.NpgsqlBatch"/>:
/// one round trip per flush instead of one per row (see docs/tally.md, "PostgreSQL write path").</item>
/// </list>
/// Optimistic concurrency is kept: an update whose <c>Version</c> no longer matches affects no row and throws
/// <see cref="DbUpdateConcurrencyException"/> (on PostgreSQL at the flush, when a set-based update touches fewer rows than it names),
/// a duplicate insert throws the provider's unique violation; the caller retries the chunk. Callers must <see cref="FlushAsync"/>
/// before they commit (a no-op on SQLite).
/// </summary>
internal sealed partial class TallyWriter : IAsyncDisposable
{
    private readonly DbConnection _conn;
    private readonly DbTransaction _tx;
    private readonly Microsoft.Data.Sqlite.SqliteConnection? _sqlite;
    private readonly Dictionary<string, SqliteStatement> _statements = [];
    private readonly PgRows? _pg;

    public TallyWriter(PantauDbContext db, IDbContextTransaction tx)
    {
        _conn = db.Database.GetDbConnection();
        _tx = tx.GetDbTransaction();
        _sqlite = _conn as Microsoft.Data.Sqlite.SqliteConnection;
        if (_conn is Npgsql.NpgsqlConnection npg) _pg = new PgRows(npg, (Npgsql.NpgsqlTransaction)_tx);
    }

    /// <summary>Writes the rows buffered since the last flush (PostgreSQL; nothing to do on SQLite, where every call wrote its row).</summary>
    public Task FlushAsync(CancellationToken ct) => _pg is { } pg ? pg.FlushAsync(ct) : Task.CompletedTask;

    /// <summary>The SQLite statement for <paramref name="sql"/>, prepared once per writer (<see cref="SqliteStatement"/>: typed binds, no boxing).</summary>
    private SqliteStatement Prepare(string sql, int parameters)
    {
        if (_statements.TryGetValue(sql, out var st)) return st;
        st = _sqlite is { } lite ? new SqliteStatement(lite, sql) : throw new NotSupportedException("TallyWriter: SQLite or PostgreSQL only.");
        _statements[sql] = st;
        return st;
    }

    private const string InsertVersionSql =
        "INSERT INTO \"ResultVersions\" (\"ContestCode\",\"TpsCode\",\"DesaCode\",\"VersionNo\",\"Status\",\"Payload\",\"ValidationCodes\",\"Anomalies\"," +
        "\"Source\",\"SubmittedById\",\"SubmittedBy\",\"SubmittedAt\",\"Reason\",\"BeritaAcara\",\"IdempotencyKey\",\"PhotoId\",\"PhotoSha256\",\"LogSeq\"," +
        "\"ResolvedBy\",\"Resolution\",\"ResolvedAt\") VALUES (@p0,@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11,@p12,@p13,@p14,@p15,@p16,@p17,@p18,@p19,@p20)";

    public Task<int> InsertVersionAsync(ResultVersion v, CancellationToken ct)
    {
        if (_pg is { } pg) return pg.Version(v);
        var s = Prepare(InsertVersionSql, 21);
        s.Text(0, v.ContestCode); s.Text(1, v.TpsCode); s.Text(2, v.DesaCode); s.Int(3, v.VersionNo); s.Int(4, (int)v.Status);
        s.Text(5, v.Payload); s.Text(6, v.ValidationCodes); s.Text(7, v.Anomalies); s.Text(8, v.Source); s.Text(9, v.SubmittedById);
        s.Text(10, v.SubmittedBy); s.Time(11, v.SubmittedAt); s.Text(12, v.Reason); s.Text(13, v.BeritaAcara); s.Text(14, v.IdempotencyKey);
        s.Id(15, v.PhotoId); s.Text(16, v.PhotoSha256); s.Long(17, v.LogSeq); s.Text(18, v.ResolvedBy); s.Text(19, v.Resolution); s.Time(20, v.ResolvedAt);
        return s.ExecAsync(ct);
    }

    public Task<int> SetVersionStatusAsync(long id, ResultStatus status, CancellationToken ct)
    {
        if (_pg is { } pg) return pg.Status(id, status);
        var s = Prepare("UPDATE \"ResultVersions\" SET \"Status\"=@p0 WHERE \"Id\"=@p1", 2);
        s.Int(0, (int)status); s.Long(1, id);
        return s.ExecAsync(ct);
    }

    public Task<int> InsertLogAsync(TallyLogEntry e, CancellationToken ct)
    {
        if (_pg is { } pg) return pg.Log(e);
        var s = Prepare("INSERT INTO \"TallyLog\" (\"Seq\",\"At\",\"ContestCode\",\"TpsCode\",\"PrevHash\",\"Hash\",\"Entry\") VALUES (@p0,@p1,@p2,@p3,@p4,@p5,@p6)", 7);
        s.Long(0, e.Seq); s.Time(1, e.At); s.Text(2, e.ContestCode); s.Text(3, e.TpsCode); s.Text(4, e.PrevHash); s.Text(5, e.Hash); s.Text(6, e.Entry);
        return s.ExecAsync(ct);
    }

    /// <summary>Inserts a new current row, or updates one read with <paramref name="readVersion"/> (throws when another writer moved it).</summary>
    public async Task SaveCurrentAsync(TallyCurrent c, bool isNew, long readVersion, CancellationToken ct)
    {
        if (_pg is { } pg) { pg.Current(c, isNew, readVersion); return; }
        if (isNew)
        {
            var i = Prepare("INSERT INTO \"TallyCurrent\" (\"ContestCode\",\"TpsCode\",\"CountedVersionNo\",\"LatestVersionNo\",\"State\",\"Version\") VALUES (@p0,@p1,@p2,@p3,@p4,@p5)", 6);
            i.Text(0, c.ContestCode); i.Text(1, c.TpsCode); i.Int(2, c.CountedVersionNo); i.Int(3, c.LatestVersionNo); i.Int(4, (int)c.State); i.Long(5, c.Version);
            await i.ExecAsync(ct);
            return;
        }
        var s = Prepare("UPDATE \"TallyCurrent\" SET \"CountedVersionNo\"=@p0,\"LatestVersionNo\"=@p1,\"State\"=@p2,\"Version\"=@p3 " +
            "WHERE \"ContestCode\"=@p4 AND \"TpsCode\"=@p5 AND \"Version\"=@p6", 7);
        s.Int(0, c.CountedVersionNo); s.Int(1, c.LatestVersionNo); s.Int(2, (int)c.State); s.Long(3, c.Version); s.Text(4, c.ContestCode); s.Text(5, c.TpsCode);
        s.Long(6, readVersion);
        if (await s.ExecAsync(ct) != 1) throw new DbUpdateConcurrencyException($"TallyCurrent {c.ContestCode}/{c.TpsCode} was changed by another writer.");
    }

    /// <summary>Inserts a new recap row, or updates one read with <paramref name="readVersion"/> (throws when another writer moved it).</summary>
    public async Task SaveRecapAsync(string contest, string key, RecapTotals t, long? readVersion, CancellationToken ct)
    {
        if (_pg is { } pg) { pg.Recap(contest, key, t, readVersion); return; }
        // Both statements put the counters at @p0-@p11 and the contest and region at @p12, @p13.
        var s = readVersion is null
            ? Prepare("INSERT INTO \"TallyRecaps\" (\"TpsIn\",\"SuaraSah\",\"SuaraTidakSah\",\"Users\",\"Registered\",\"Disabled\",\"BallotsReceived\"," +
                "\"BallotsUsed\",\"BallotsDamaged\",\"BallotsUnused\",\"Votes\",\"Version\",\"ContestCode\",\"RegionCode\",\"ParentCode\",\"Level\") " +
                "VALUES (@p0,@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11,@p12,@p13,@p14,@p15)", 16)
            : Prepare("UPDATE \"TallyRecaps\" SET \"TpsIn\"=@p0,\"SuaraSah\"=@p1,\"SuaraTidakSah\"=@p2,\"Users\"=@p3,\"Registered\"=@p4,\"Disabled\"=@p5," +
                "\"BallotsReceived\"=@p6,\"BallotsUsed\"=@p7,\"BallotsDamaged\"=@p8,\"BallotsUnused\"=@p9,\"Votes\"=@p10,\"Version\"=@p11 " +
                "WHERE \"ContestCode\"=@p12 AND \"RegionCode\"=@p13 AND \"Version\"=@p14", 15);
        s.Text(12, contest); s.Text(13, key);
        if (readVersion is { } read) s.Long(14, read);
        else { s.Text(14, RecapMath.ParentOf(key)); s.Int(15, key.Contains('.') || key.Length < 13 ? (int)RegionCode.LevelOf(key) : 5); }
        s.Long(0, t.TpsIn); s.Long(1, t.SuaraSah); s.Long(2, t.SuaraTidakSah); s.Long(3, t.Users); s.Long(4, t.Registered); s.Long(5, t.Disabled);
        s.Long(6, t.BallotsReceived); s.Long(7, t.BallotsUsed); s.Long(8, t.BallotsDamaged); s.Long(9, t.BallotsUnused); s.Text(10, t.VotesText());
        s.Long(11, (readVersion ?? 0) + 1);
        if (await s.ExecAsync(ct) != 1 && readVersion is not null) throw new DbUpdateConcurrencyException($"TallyRecap {contest}/{key} was changed by another writer.");
    }

    public Task<int> InsertAuditAsync(Data.Auditing.AuditEntry a, CancellationToken ct)
    {
        if (_pg is { } pg) return pg.Audit(a);
        var s = Prepare("INSERT INTO \"AuditEntries\" (\"At\",\"UserId\",\"UserName\",\"RemoteIp\",\"Action\",\"EntityType\",\"EntityKey\",\"Before\",\"After\"," +
            "\"Seq\",\"PrevHash\",\"Hash\") VALUES (@p0,@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11)", 12);
        s.Time(0, a.At); s.Text(1, a.UserId); s.Text(2, a.UserName); s.Text(3, a.RemoteIp); s.Text(4, a.Action); s.Text(5, a.EntityType); s.Text(6, a.EntityKey);
        s.Text(7, a.Before); s.Text(8, a.After); s.Long(9, a.Seq); s.Text(10, a.PrevHash); s.Text(11, a.Hash);
        return s.ExecAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _statements.Values) await s.DisposeAsync();
        _statements.Clear();
    }
}
