using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Pantau.Data;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// A read-only snapshot for a context's queries: a deferred transaction on SQLite (it takes no write lock, so writers carry on
/// while it is open) and repeatable read on PostgreSQL. Disposing it rolls back and detaches it; changes tracked meanwhile are then
/// saved by <c>SaveChanges</c> in a transaction of their own.
/// </summary>
public sealed class ReadSnapshot : IAsyncDisposable
{
    private readonly PantauDbContext _db;
    private readonly DbTransaction _tx;
    private readonly bool _opened;

    private ReadSnapshot(PantauDbContext db, DbTransaction tx, bool opened) => (_db, _tx, _opened) = (db, tx, opened);

    public static async Task<ReadSnapshot> BeginAsync(PantauDbContext db, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) throw new InvalidOperationException("A read snapshot cannot be nested in a transaction.");
        var conn = db.Database.GetDbConnection();
        var opened = conn.State != ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            var tx = BeginOn(conn);
            await db.Database.UseTransactionAsync(tx, ct);
            return new ReadSnapshot(db, tx, opened);
        }
        catch
        {
            if (opened) await db.Database.CloseConnectionAsync();
            throw;
        }
    }

    /// <summary>A read-only snapshot transaction on an open connection: deferred on SQLite, repeatable read elsewhere (PostgreSQL).</summary>
    public static DbTransaction BeginOn(DbConnection conn) =>
        conn is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : conn.BeginTransaction(IsolationLevel.RepeatableRead);

    public async ValueTask DisposeAsync()
    {
        await _db.Database.UseTransactionAsync(null);
        try { await _tx.RollbackAsync(); }
        finally
        {
            await _tx.DisposeAsync();
            if (_opened) await _db.Database.CloseConnectionAsync();
        }
    }
}
