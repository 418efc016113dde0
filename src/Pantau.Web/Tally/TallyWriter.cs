using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Pantau.Core.Regions;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;

namespace Pantau.Web.Tally;

/// <summary>
/// The lean write path of the tally intake: prepared statements on the DbContext's own connection and transaction, one per
/// table, instead of EF change tracking (which cost ~20x the storage work at national scale, see bench/RESULTS.md).
/// Optimistic concurrency is kept: an update whose <c>Version</c> no longer matches affects no row and throws
/// <see cref="DbUpdateConcurrencyException"/>, a duplicate insert throws the provider's unique violation; the caller retries the chunk.
/// </summary>
internal sealed class TallyWriter : IAsyncDisposable
{
    private readonly DbConnection _conn;
    private readonly DbTransaction _tx;
    private readonly bool _sqlite;
    private readonly Dictionary<string, DbCommand> _commands = [];

    public TallyWriter(PantauDbContext db, IDbContextTransaction tx)
    {
        _conn = db.Database.GetDbConnection();
        _tx = tx.GetDbTransaction();
        _sqlite = db.Database.IsSqlite();
    }

    /// <summary>How a <see cref="DateTimeOffset"/> is stored: UTC ticks on SQLite (see PantauDbContext), timestamptz on PostgreSQL.</summary>
    private object Time(DateTimeOffset t) => _sqlite ? t.UtcTicks : t.ToUniversalTime();
    private object? Time(DateTimeOffset? t) => t is { } v ? Time(v) : null;
    /// <summary>EF stores a Guid as upper-case text on SQLite and as uuid on PostgreSQL.</summary>
    private object? Id(Guid? g) => g is { } v ? (_sqlite ? v.ToString().ToUpperInvariant() : v) : null;

    private async Task<int> ExecAsync(string sql, CancellationToken ct, params object?[] values)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = _conn.CreateCommand();
            cmd.Transaction = _tx;
            cmd.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@p" + i;
                cmd.Parameters.Add(p);
            }
            _commands[sql] = cmd;
            // SQLite compiles the statement once per command; Npgsql would fix the parameter types at Prepare (a null first value breaks that).
            if (_sqlite) await cmd.PrepareAsync(ct);
        }
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private const string InsertVersionSql =
        "INSERT INTO \"ResultVersions\" (\"ContestCode\",\"TpsCode\",\"DesaCode\",\"VersionNo\",\"Status\",\"Payload\",\"ValidationCodes\",\"Anomalies\"," +
        "\"Source\",\"SubmittedById\",\"SubmittedBy\",\"SubmittedAt\",\"Reason\",\"BeritaAcara\",\"IdempotencyKey\",\"PhotoId\",\"PhotoSha256\",\"LogSeq\"," +
        "\"ResolvedBy\",\"Resolution\",\"ResolvedAt\") VALUES (@p0,@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11,@p12,@p13,@p14,@p15,@p16,@p17,@p18,@p19,@p20)";

    public Task<int> InsertVersionAsync(ResultVersion v, CancellationToken ct) => ExecAsync(InsertVersionSql, ct,
        v.ContestCode, v.TpsCode, v.DesaCode, v.VersionNo, (int)v.Status, v.Payload, v.ValidationCodes, v.Anomalies, v.Source, v.SubmittedById,
        v.SubmittedBy, Time(v.SubmittedAt), v.Reason, v.BeritaAcara, v.IdempotencyKey, Id(v.PhotoId), v.PhotoSha256, v.LogSeq,
        v.ResolvedBy, v.Resolution, Time(v.ResolvedAt));

    public Task<int> SetVersionStatusAsync(long id, ResultStatus status, CancellationToken ct) =>
        ExecAsync("UPDATE \"ResultVersions\" SET \"Status\"=@p0 WHERE \"Id\"=@p1", ct, (int)status, id);

    public Task<int> InsertLogAsync(TallyLogEntry e, CancellationToken ct) => ExecAsync(
        "INSERT INTO \"TallyLog\" (\"Seq\",\"At\",\"ContestCode\",\"TpsCode\",\"PrevHash\",\"Hash\",\"Entry\") VALUES (@p0,@p1,@p2,@p3,@p4,@p5,@p6)", ct,
        e.Seq, Time(e.At), e.ContestCode, e.TpsCode, e.PrevHash, e.Hash, e.Entry);

    /// <summary>Inserts a new current row, or updates one read with <paramref name="readVersion"/> (throws when another writer moved it).</summary>
    public async Task SaveCurrentAsync(TallyCurrent c, bool isNew, long readVersion, CancellationToken ct)
    {
        if (isNew)
        {
            await ExecAsync("INSERT INTO \"TallyCurrent\" (\"ContestCode\",\"TpsCode\",\"CountedVersionNo\",\"LatestVersionNo\",\"State\",\"Version\") VALUES (@p0,@p1,@p2,@p3,@p4,@p5)",
                ct, c.ContestCode, c.TpsCode, c.CountedVersionNo, c.LatestVersionNo, (int)c.State, c.Version);
            return;
        }
        var n = await ExecAsync("UPDATE \"TallyCurrent\" SET \"CountedVersionNo\"=@p0,\"LatestVersionNo\"=@p1,\"State\"=@p2,\"Version\"=@p3 " +
            "WHERE \"ContestCode\"=@p4 AND \"TpsCode\"=@p5 AND \"Version\"=@p6", ct,
            c.CountedVersionNo, c.LatestVersionNo, (int)c.State, c.Version, c.ContestCode, c.TpsCode, readVersion);
        if (n != 1) throw new DbUpdateConcurrencyException($"TallyCurrent {c.ContestCode}/{c.TpsCode} was changed by another writer.");
    }

    /// <summary>Inserts a new recap row, or updates one read with <paramref name="readVersion"/> (throws when another writer moved it).</summary>
    public async Task SaveRecapAsync(string contest, string key, RecapTotals t, long? readVersion, CancellationToken ct)
    {
        if (readVersion is null)
        {
            await ExecAsync("INSERT INTO \"TallyRecaps\" (\"ContestCode\",\"RegionCode\",\"ParentCode\",\"Level\",\"TpsIn\",\"SuaraSah\",\"SuaraTidakSah\",\"Users\"," +
                "\"Registered\",\"Disabled\",\"BallotsReceived\",\"BallotsUsed\",\"BallotsDamaged\",\"BallotsUnused\",\"Votes\",\"Version\") " +
                "VALUES (@p0,@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11,@p12,@p13,@p14,@p15)", ct,
                contest, key, RecapMath.ParentOf(key), key.Contains('.') || key.Length < 13 ? (int)RegionCode.LevelOf(key) : 5,
                t.TpsIn, t.SuaraSah, t.SuaraTidakSah, t.Users, t.Registered, t.Disabled, t.BallotsReceived, t.BallotsUsed, t.BallotsDamaged, t.BallotsUnused,
                t.VotesText(), 1L);
            return;
        }
        var n = await ExecAsync("UPDATE \"TallyRecaps\" SET \"TpsIn\"=@p0,\"SuaraSah\"=@p1,\"SuaraTidakSah\"=@p2,\"Users\"=@p3,\"Registered\"=@p4,\"Disabled\"=@p5," +
            "\"BallotsReceived\"=@p6,\"BallotsUsed\"=@p7,\"BallotsDamaged\"=@p8,\"BallotsUnused\"=@p9,\"Votes\"=@p10,\"Version\"=@p11 " +
            "WHERE \"ContestCode\"=@p12 AND \"RegionCode\"=@p13 AND \"Version\"=@p14", ct,
            t.TpsIn, t.SuaraSah, t.SuaraTidakSah, t.Users, t.Registered, t.Disabled, t.BallotsReceived, t.BallotsUsed, t.BallotsDamaged, t.BallotsUnused,
            t.VotesText(), readVersion.Value + 1, contest, key, readVersion.Value);
        if (n != 1) throw new DbUpdateConcurrencyException($"TallyRecap {contest}/{key} was changed by another writer.");
    }

    public Task<int> InsertAuditAsync(Data.Auditing.AuditEntry a, CancellationToken ct) => ExecAsync(
        "INSERT INTO \"AuditEntries\" (\"At\",\"UserId\",\"UserName\",\"RemoteIp\",\"Action\",\"EntityType\",\"EntityKey\",\"Before\",\"After\") " +
        "VALUES (@p0,@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8)", ct,
        Time(a.At), a.UserId, a.UserName, a.RemoteIp, a.Action, a.EntityType, a.EntityKey, a.Before, a.After);

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _commands.Values) await c.DisposeAsync();
        _commands.Clear();
    }
}
