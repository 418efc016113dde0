using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;

namespace Pantau.Data.Auditing;

/// <summary>
/// Appends rows to the audit chain (<see cref="AuditChain"/>). Every writer of audit rows (the DbContext's own save, the tally
/// intake's lean writer) calls <see cref="LockTailAsync"/> inside its transaction and then <see cref="Seal"/> for each new row, in
/// order. The append is serialized: on PostgreSQL by a transaction-scoped advisory lock held until commit, on SQLite by the database's
/// single writer (a write transaction sees the latest tail; a deferred reader that lost the race cannot write). The unique index on
/// <see cref="AuditEntry.Seq"/> makes a fork impossible even if a writer skipped the lock: the second row for a position is refused.
/// </summary>
public static class AuditAppend
{
    /// <summary>Advisory lock key of the audit chain's append (PostgreSQL).</summary>
    public const long LockKey = 7742102;

    /// <summary>Takes the append lock (PostgreSQL) and reads the chain's last position and hash. Call inside the writing transaction.</summary>
    public static async Task<(long Seq, string Hash)> LockTailAsync(PantauDbContext db, CancellationToken ct)
    {
        if (db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true)
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
        var tail = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash }).FirstOrDefaultAsync(ct);
        return tail is null ? (0, AuditChain.GenesisHex) : (tail.Seq, tail.Hash);
    }

    /// <summary>Gives <paramref name="a"/> the position after <paramref name="previous"/> and its hash; returns the new tail.</summary>
    public static (long Seq, string Hash) Seal(AuditEntry a, (long Seq, string Hash) previous)
    {
        a.At = AuditChain.Normalize(a.At);
        a.Seq = previous.Seq + 1;
        a.PrevHash = previous.Hash;
        a.Hash = AuditChain.Next(previous.Hash,
            AuditChain.Canonical(a.Seq, a.At, a.UserId, a.UserName, a.RemoteIp, a.Action, a.EntityType, a.EntityKey, a.Before, a.After));
        return (a.Seq, a.Hash);
    }
}
