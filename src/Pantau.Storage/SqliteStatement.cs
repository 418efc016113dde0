using Microsoft.Data.Sqlite;

namespace Pantau.Storage;

/// <summary>
/// SQLite: a statement prepared on the connection's own handle, inside the transaction the DbContext began on it, bound by position
/// (0-based), then run. Text is bound straight from the string's UTF-16 characters (SQLite copies them), numbers as 64-bit integers:
/// no parameter objects, boxes or byte arrays per row, which at national scale were a quarter of the intake's allocations.
/// Used by the intake's lean write path (<c>Pantau.Web.Tally.TallyWriter</c>).
/// </summary>
internal sealed class SqliteStatement : IAsyncDisposable
{
    private readonly SqliteConnection _conn;
    private readonly SQLitePCL.sqlite3_stmt _stmt;

    public SqliteStatement(SqliteConnection conn, string sql)
    {
        _conn = conn;
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(conn.Handle, sql, out _stmt);
        if (rc != SQLitePCL.raw.SQLITE_OK) throw Error(rc);
    }

    private SqliteException Error(int rc) => Utf8Rows.SqliteError(_conn, rc);

    private void Check(int rc)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK) throw Error(rc);
    }

    public void Text(int i, string? value) => Check(value switch
    {
        null => SQLitePCL.raw.sqlite3_bind_null(_stmt, i + 1),
        // An empty span pins to a null pointer, which SQLite would store as NULL: the empty string goes through the string overload.
        "" => SQLitePCL.raw.sqlite3_bind_text(_stmt, i + 1, ""),
        _ => SQLitePCL.raw.sqlite3_bind_text16(_stmt, i + 1, value.AsSpan()),
    });

    public void Long(int i, long value) => Check(SQLitePCL.raw.sqlite3_bind_int64(_stmt, i + 1, value));
    public void Int(int i, int value) => Check(SQLitePCL.raw.sqlite3_bind_int64(_stmt, i + 1, value));

    /// <summary>A <see cref="DateTimeOffset"/> as EF stores it on SQLite: UTC ticks (see PantauDbContext).</summary>
    public void Time(int i, DateTimeOffset? value) =>
        Check(value is { } t ? SQLitePCL.raw.sqlite3_bind_int64(_stmt, i + 1, t.UtcTicks) : SQLitePCL.raw.sqlite3_bind_null(_stmt, i + 1));

    /// <summary>A Guid as EF stores it on SQLite: upper-case text.</summary>
    public void Id(int i, Guid? value)
    {
        if (value is not { } g) { Check(SQLitePCL.raw.sqlite3_bind_null(_stmt, i + 1)); return; }
        Span<char> text = stackalloc char[36];
        g.TryFormat(text, out _);
        for (var k = 0; k < text.Length; k++) text[k] = char.ToUpperInvariant(text[k]);
        Check(SQLitePCL.raw.sqlite3_bind_text16(_stmt, i + 1, text));
    }

    /// <summary>Runs the statement once and resets it for the next binds; returns the number of rows changed.</summary>
    public Task<int> ExecAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var rc = SQLitePCL.raw.sqlite3_step(_stmt);
        SQLitePCL.raw.sqlite3_reset(_stmt);
        if (rc != SQLitePCL.raw.SQLITE_DONE) throw Error(rc);
        return Task.FromResult(SQLitePCL.raw.sqlite3_changes(_conn.Handle));
    }

    public ValueTask DisposeAsync()
    {
        _stmt.Dispose();
        return ValueTask.CompletedTask;
    }
}
