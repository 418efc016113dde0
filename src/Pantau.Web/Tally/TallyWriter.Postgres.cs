using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Pantau.Core.Regions;
using Pantau.Core.Tally;
using Pantau.Data.Auditing;
using Pantau.Data.Tally;

namespace Pantau.Web.Tally;

internal sealed partial class TallyWriter
{
    /// <summary>
    /// The PostgreSQL write path: the rows of a chunk, kept column by column (values copied when they are handed over), then written
    /// by one set-based statement per table over <c>unnest</c> of typed arrays, all statements in one <see cref="NpgsqlBatch"/> (one
    /// round trip) inside the chunk's transaction. Measured on the 2-core machine (500 rows per transaction, ResultVersions-like
    /// rows): one command per row ~3,000-5,000 rows/s, an NpgsqlBatch of 500 INSERTs ~22,000-28,000, one unnest INSERT ~43,000-56,000,
    /// binary COPY ~48,000-57,000. COPY is no faster at a chunk's size, cannot update, and needs its own round trip per table, so
    /// the write path uses unnest (docs/tally.md).
    /// <para>Updates name the version they read (<c>AND "Version" = u.read</c>): when another writer moved a row, PostgreSQL re-checks
    /// the condition on the row it committed, the row is not updated, and the statement's count falls short: the flush throws
    /// <see cref="DbUpdateConcurrencyException"/> and the chunk is retried, as with one statement per row. Updates are sent sorted by
    /// key, so two instances lock shared rows (the province's recap) in the same order.</para>
    /// </summary>
    private sealed class PgRows(NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        private static readonly Task<int> One = Task.FromResult(1);

        // TallyLog
        private readonly List<long> _logSeq = [];
        private readonly List<DateTime> _logAt = [];
        private readonly List<string> _logContest = [], _logTps = [], _logPrev = [], _logHash = [], _logEntry = [];

        // Status of earlier versions
        private readonly List<(long Id, int Status)> _status = [];

        // ResultVersions
        private readonly List<string> _vContest = [], _vTps = [], _vDesa = [], _vPayload = [], _vCodes = [], _vAnomalies = [], _vSource = [], _vById = [], _vBy = [];
        private readonly List<int> _vNo = [], _vStatus = [];
        private readonly List<DateTime> _vAt = [];
        private readonly List<string?> _vReason = [], _vBa = [], _vKey = [], _vPhotoSha = [], _vResolvedBy = [], _vResolution = [];
        private readonly List<Guid?> _vPhoto = [];
        private readonly List<long> _vLogSeq = [];
        private readonly List<DateTime?> _vResolvedAt = [];

        // TallyCurrent
        private readonly List<(string Contest, string Tps, int Counted, int Latest, int State, long Version, long Read)> _newCurrent = [], _movedCurrent = [];

        // TallyRecaps
        private readonly List<(string Contest, string Key, long[] Counters, string Votes, long Version, long Read)> _newRecap = [], _movedRecap = [];

        // AuditEntries
        private readonly List<AuditEntry> _audit = [];

        public Task<int> Log(TallyLogEntry e)
        {
            _logSeq.Add(e.Seq); _logAt.Add(e.At.UtcDateTime); _logContest.Add(e.ContestCode); _logTps.Add(e.TpsCode);
            _logPrev.Add(e.PrevHash); _logHash.Add(e.Hash); _logEntry.Add(e.Entry);
            return One;
        }

        public Task<int> Status(long id, ResultStatus status)
        {
            _status.Add((id, (int)status));
            return One;
        }

        public Task<int> Version(ResultVersion v)
        {
            _vContest.Add(v.ContestCode); _vTps.Add(v.TpsCode); _vDesa.Add(v.DesaCode); _vNo.Add(v.VersionNo); _vStatus.Add((int)v.Status);
            _vPayload.Add(v.Payload); _vCodes.Add(v.ValidationCodes); _vAnomalies.Add(v.Anomalies); _vSource.Add(v.Source); _vById.Add(v.SubmittedById);
            _vBy.Add(v.SubmittedBy); _vAt.Add(v.SubmittedAt.UtcDateTime); _vReason.Add(v.Reason); _vBa.Add(v.BeritaAcara); _vKey.Add(v.IdempotencyKey);
            _vPhoto.Add(v.PhotoId); _vPhotoSha.Add(v.PhotoSha256); _vLogSeq.Add(v.LogSeq); _vResolvedBy.Add(v.ResolvedBy); _vResolution.Add(v.Resolution);
            _vResolvedAt.Add(v.ResolvedAt?.UtcDateTime);
            return One;
        }

        public void Current(TallyCurrent c, bool isNew, long readVersion) =>
            (isNew ? _newCurrent : _movedCurrent).Add((c.ContestCode, c.TpsCode, c.CountedVersionNo, c.LatestVersionNo, (int)c.State, c.Version, readVersion));

        public void Recap(string contest, string key, RecapTotals t, long? readVersion)
        {
            long[] counters = [t.TpsIn, t.SuaraSah, t.SuaraTidakSah, t.Users, t.Registered, t.Disabled, t.BallotsReceived, t.BallotsUsed, t.BallotsDamaged, t.BallotsUnused];
            (readVersion is null ? _newRecap : _movedRecap).Add((contest, key, counters, t.VotesText(), (readVersion ?? 0) + 1, readVersion ?? 0));
        }

        public Task<int> Audit(AuditEntry a)
        {
            // Copied: the caller seals the next entry on its own object, this one is not changed again, but a snapshot costs little.
            _audit.Add(new AuditEntry
            {
                At = a.At, UserId = a.UserId, UserName = a.UserName, RemoteIp = a.RemoteIp, Action = a.Action, EntityType = a.EntityType,
                EntityKey = a.EntityKey, Before = a.Before, After = a.After, Seq = a.Seq, PrevHash = a.PrevHash, Hash = a.Hash,
            });
            return One;
        }

        private static NpgsqlParameter Col<T>(IEnumerable<T> values, NpgsqlDbType type) =>
            new() { Value = values as T[] ?? values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

        private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
        {
            var c = new NpgsqlBatchCommand(sql);
            c.Parameters.AddRange(parameters);
            return c;
        }

        public async Task FlushAsync(CancellationToken ct)
        {
            await using var batch = new NpgsqlBatch(conn, tx);
            // (command, rows it must touch, what it is): a short count on an update is a lost race.
            var checks = new List<(NpgsqlBatchCommand Command, int Rows, string What)>();

            // In the order of the SQLite path and of a reader of the log: log entries, the versions they record, the current state, the counters, the audit.
            if (_logSeq.Count > 0)
                batch.BatchCommands.Add(Command(
                    "INSERT INTO \"TallyLog\" (\"Seq\",\"At\",\"ContestCode\",\"TpsCode\",\"PrevHash\",\"Hash\",\"Entry\") " +
                    "SELECT * FROM unnest($1,$2,$3,$4,$5,$6,$7)",
                    Col(_logSeq, NpgsqlDbType.Bigint), Col(_logAt, NpgsqlDbType.TimestampTz), Col(_logContest, NpgsqlDbType.Text),
                    Col(_logTps, NpgsqlDbType.Text), Col(_logPrev, NpgsqlDbType.Text), Col(_logHash, NpgsqlDbType.Text), Col(_logEntry, NpgsqlDbType.Text)));
            if (_status.Count > 0)
            {
                var rows = _status.OrderBy(s => s.Id).ToList();
                batch.BatchCommands.Add(Command(
                    "UPDATE \"ResultVersions\" AS t SET \"Status\"=u.s FROM unnest($1,$2) AS u(id,s) WHERE t.\"Id\"=u.id",
                    Col(rows.Select(r => r.Id), NpgsqlDbType.Bigint), Col(rows.Select(r => r.Status), NpgsqlDbType.Integer)));
            }
            if (_vContest.Count > 0)
                batch.BatchCommands.Add(Command(
                    "INSERT INTO \"ResultVersions\" (\"ContestCode\",\"TpsCode\",\"DesaCode\",\"VersionNo\",\"Status\",\"Payload\",\"ValidationCodes\",\"Anomalies\"," +
                    "\"Source\",\"SubmittedById\",\"SubmittedBy\",\"SubmittedAt\",\"Reason\",\"BeritaAcara\",\"IdempotencyKey\",\"PhotoId\",\"PhotoSha256\",\"LogSeq\"," +
                    "\"ResolvedBy\",\"Resolution\",\"ResolvedAt\") " +
                    "SELECT * FROM unnest($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)",
                    Col(_vContest, NpgsqlDbType.Text), Col(_vTps, NpgsqlDbType.Text), Col(_vDesa, NpgsqlDbType.Text), Col(_vNo, NpgsqlDbType.Integer),
                    Col(_vStatus, NpgsqlDbType.Integer), Col(_vPayload, NpgsqlDbType.Text), Col(_vCodes, NpgsqlDbType.Text), Col(_vAnomalies, NpgsqlDbType.Text),
                    Col(_vSource, NpgsqlDbType.Text), Col(_vById, NpgsqlDbType.Text), Col(_vBy, NpgsqlDbType.Text), Col(_vAt, NpgsqlDbType.TimestampTz),
                    Col(_vReason, NpgsqlDbType.Text), Col(_vBa, NpgsqlDbType.Text), Col(_vKey, NpgsqlDbType.Text), Col(_vPhoto, NpgsqlDbType.Uuid),
                    Col(_vPhotoSha, NpgsqlDbType.Text), Col(_vLogSeq, NpgsqlDbType.Bigint), Col(_vResolvedBy, NpgsqlDbType.Text),
                    Col(_vResolution, NpgsqlDbType.Text), Col(_vResolvedAt, NpgsqlDbType.TimestampTz)));
            if (_newCurrent.Count > 0)
                batch.BatchCommands.Add(Command(
                    "INSERT INTO \"TallyCurrent\" (\"ContestCode\",\"TpsCode\",\"CountedVersionNo\",\"LatestVersionNo\",\"State\",\"Version\") " +
                    "SELECT * FROM unnest($1,$2,$3,$4,$5,$6)", CurrentColumns(_newCurrent, withRead: false)));
            if (_movedCurrent.Count > 0)
            {
                var c = Command(
                    "UPDATE \"TallyCurrent\" AS t SET \"CountedVersionNo\"=u.counted,\"LatestVersionNo\"=u.latest,\"State\"=u.state,\"Version\"=u.version " +
                    "FROM unnest($1,$2,$3,$4,$5,$6,$7) AS u(contest,tps,counted,latest,state,version,read) " +
                    "WHERE t.\"ContestCode\"=u.contest AND t.\"TpsCode\"=u.tps AND t.\"Version\"=u.read", CurrentColumns(_movedCurrent, withRead: true));
                batch.BatchCommands.Add(c);
                checks.Add((c, _movedCurrent.Count, "TallyCurrent"));
            }
            if (_newRecap.Count > 0)
                batch.BatchCommands.Add(Command(
                    "INSERT INTO \"TallyRecaps\" (\"ContestCode\",\"RegionCode\",\"TpsIn\",\"SuaraSah\",\"SuaraTidakSah\",\"Users\",\"Registered\",\"Disabled\"," +
                    "\"BallotsReceived\",\"BallotsUsed\",\"BallotsDamaged\",\"BallotsUnused\",\"Votes\",\"Version\",\"ParentCode\",\"Level\") " +
                    "SELECT * FROM unnest($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)", RecapColumns(_newRecap, withRead: false)));
            if (_movedRecap.Count > 0)
            {
                var c = Command(
                    "UPDATE \"TallyRecaps\" AS t SET \"TpsIn\"=u.tpsin,\"SuaraSah\"=u.sah,\"SuaraTidakSah\"=u.tidaksah,\"Users\"=u.users,\"Registered\"=u.registered," +
                    "\"Disabled\"=u.disabled,\"BallotsReceived\"=u.received,\"BallotsUsed\"=u.used,\"BallotsDamaged\"=u.damaged,\"BallotsUnused\"=u.unused," +
                    "\"Votes\"=u.votes,\"Version\"=u.version " +
                    "FROM unnest($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) " +
                    "AS u(contest,region,tpsin,sah,tidaksah,users,registered,disabled,received,used,damaged,unused,votes,version,read) " +
                    "WHERE t.\"ContestCode\"=u.contest AND t.\"RegionCode\"=u.region AND t.\"Version\"=u.read", RecapColumns(_movedRecap, withRead: true));
                batch.BatchCommands.Add(c);
                checks.Add((c, _movedRecap.Count, "TallyRecaps"));
            }
            if (_audit.Count > 0)
                batch.BatchCommands.Add(Command(
                    "INSERT INTO \"AuditEntries\" (\"At\",\"UserId\",\"UserName\",\"RemoteIp\",\"Action\",\"EntityType\",\"EntityKey\",\"Before\",\"After\",\"Seq\",\"PrevHash\",\"Hash\") " +
                    "SELECT * FROM unnest($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
                    Col(_audit.Select(a => a.At.UtcDateTime), NpgsqlDbType.TimestampTz), Col(_audit.Select(a => a.UserId), NpgsqlDbType.Text),
                    Col(_audit.Select(a => a.UserName), NpgsqlDbType.Text), Col(_audit.Select(a => a.RemoteIp), NpgsqlDbType.Text),
                    Col(_audit.Select(a => a.Action), NpgsqlDbType.Text), Col(_audit.Select(a => a.EntityType), NpgsqlDbType.Text),
                    Col(_audit.Select(a => a.EntityKey), NpgsqlDbType.Text), Col(_audit.Select(a => a.Before), NpgsqlDbType.Text),
                    Col(_audit.Select(a => a.After), NpgsqlDbType.Text), Col(_audit.Select(a => a.Seq), NpgsqlDbType.Bigint),
                    Col(_audit.Select(a => a.PrevHash), NpgsqlDbType.Text), Col(_audit.Select(a => a.Hash), NpgsqlDbType.Text)));
            Clear();
            if (batch.BatchCommands.Count == 0) return;
            await batch.ExecuteNonQueryAsync(ct);
            foreach (var (command, rows, what) in checks)
                if (command.RecordsAffected != rows)
                    throw new DbUpdateConcurrencyException($"{what}: {rows - command.RecordsAffected} of {rows} rows were changed by another writer.");
        }

        private static NpgsqlParameter[] CurrentColumns(List<(string Contest, string Tps, int Counted, int Latest, int State, long Version, long Read)> rows, bool withRead)
        {
            if (withRead) rows = [.. rows.OrderBy(r => r.Contest, StringComparer.Ordinal).ThenBy(r => r.Tps, StringComparer.Ordinal)];
            List<NpgsqlParameter> p =
            [
                Col(rows.Select(r => r.Contest), NpgsqlDbType.Text), Col(rows.Select(r => r.Tps), NpgsqlDbType.Text),
                Col(rows.Select(r => r.Counted), NpgsqlDbType.Integer), Col(rows.Select(r => r.Latest), NpgsqlDbType.Integer),
                Col(rows.Select(r => r.State), NpgsqlDbType.Integer), Col(rows.Select(r => r.Version), NpgsqlDbType.Bigint),
            ];
            if (withRead) p.Add(Col(rows.Select(r => r.Read), NpgsqlDbType.Bigint));
            return [.. p];
        }

        private static NpgsqlParameter[] RecapColumns(List<(string Contest, string Key, long[] Counters, string Votes, long Version, long Read)> rows, bool withRead)
        {
            if (withRead) rows = [.. rows.OrderBy(r => r.Contest, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal)];
            List<NpgsqlParameter> p = [Col(rows.Select(r => r.Contest), NpgsqlDbType.Text), Col(rows.Select(r => r.Key), NpgsqlDbType.Text)];
            for (var i = 0; i < 10; i++)
            {
                var column = i;
                p.Add(Col(rows.Select(r => r.Counters[column]), NpgsqlDbType.Bigint));
            }
            p.Add(Col(rows.Select(r => r.Votes), NpgsqlDbType.Text));
            p.Add(Col(rows.Select(r => r.Version), NpgsqlDbType.Bigint));
            if (withRead) p.Add(Col(rows.Select(r => r.Read), NpgsqlDbType.Bigint));
            else
            {
                // As the SQLite path: the parent region and the level (5 for a TPS code) of a new counter row.
                p.Add(Col(rows.Select(r => RecapMath.ParentOf(r.Key)), NpgsqlDbType.Text));
                p.Add(Col(rows.Select(r => r.Key.Contains('.') || r.Key.Length < 13 ? (int)RegionCode.LevelOf(r.Key) : 5), NpgsqlDbType.Integer));
            }
            return [.. p];
        }

        private void Clear()
        {
            foreach (var l in new System.Collections.IList[]
                     {
                         _logSeq, _logAt, _logContest, _logTps, _logPrev, _logHash, _logEntry, _status, _vContest, _vTps, _vDesa, _vPayload, _vCodes,
                         _vAnomalies, _vSource, _vById, _vBy, _vNo, _vStatus, _vAt, _vReason, _vBa, _vKey, _vPhotoSha, _vResolvedBy, _vResolution,
                         _vPhoto, _vLogSeq, _vResolvedAt, _newCurrent, _movedCurrent, _newRecap, _movedRecap, _audit,
                     })
                l.Clear();
        }
    }
}
