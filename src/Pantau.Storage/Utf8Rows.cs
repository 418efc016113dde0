using System.Data;
using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Pantau.Storage;

/// <summary>
/// Forward-only rows whose text columns are handed over as UTF-8 bytes: on SQLite straight from the statement (no string, no copy;
/// valid until <see cref="Next"/>), on other providers decoded by the provider and encoded again into one reused buffer per column.
/// Read each column at most once per row, in column order. Used by the tally verifier (<c>Pantau.Web.Tally.TallyVerifier</c>), which reads millions of rows.
/// </summary>
internal abstract class Utf8Rows : IDisposable
{
    public static Utf8Rows Open(DbConnection conn, DbTransaction tx, string sql) =>
        conn is SqliteConnection s ? new SqliteRows(s, sql) : new ReaderRows(conn, tx, sql);

    public abstract bool Next();
    public abstract long Int64(int column);
    public abstract ReadOnlySpan<byte> Text(int column);
    public abstract void Dispose();

    /// <summary>The error of a raw SQLite call on <paramref name="conn"/>'s handle, as Microsoft.Data.Sqlite reports it (primary code,
    /// extended code and the connection's message). A step returns only the primary code, e.g. 19 for a constraint, and the intake
    /// tells a duplicate key, 1555/2067, from other constraint errors by the extended code, so the connection's is added.</summary>
    internal static SqliteException SqliteError(SqliteConnection conn, int rc) =>
        new(SQLitePCL.raw.sqlite3_errmsg(conn.Handle).utf8_to_string(), rc & 0xFF,
            (rc & 0xFF) == rc ? SQLitePCL.raw.sqlite3_extended_errcode(conn.Handle) : rc);

    /// <summary>A statement prepared on the connection's own handle, so it runs inside the connection's open (read) transaction.</summary>
    private sealed class SqliteRows : Utf8Rows
    {
        private readonly SqliteConnection _conn;
        private readonly SQLitePCL.sqlite3_stmt _stmt;
        private readonly IntPtr _handle;

        public SqliteRows(SqliteConnection conn, string sql)
        {
            _conn = conn;
            var rc = SQLitePCL.raw.sqlite3_prepare_v2(conn.Handle, sql, out _stmt);
            if (rc != SQLitePCL.raw.SQLITE_OK) throw Error(rc);
            _handle = NativeColumns.Available ? _stmt.DangerousGetHandle() : IntPtr.Zero;
        }

        private SqliteException Error(int rc) => SqliteError(_conn, rc);

        public override bool Next() => SQLitePCL.raw.sqlite3_step(_stmt) switch
        {
            SQLitePCL.raw.SQLITE_ROW => true,
            SQLitePCL.raw.SQLITE_DONE => false,
            var rc => throw Error(rc),
        };

        public override long Int64(int column) =>
            _handle != IntPtr.Zero ? NativeColumns.Int64(_handle, column) : SQLitePCL.raw.sqlite3_column_int64(_stmt, column);

        public override ReadOnlySpan<byte> Text(int column) =>
            _handle != IntPtr.Zero ? NativeColumns.Blob(_handle, column) : SQLitePCL.raw.sqlite3_column_blob(_stmt, column);

        public override void Dispose() => _stmt.Dispose();
    }

    /// <summary>
    /// The column getters of the SQLite library Microsoft.Data.Sqlite already loaded (e_sqlite3), called without the GC transition
    /// (they only read the current row). Falls back to SQLitePCL's own calls when that library cannot be bound by name or is a
    /// different one.
    /// </summary>
    private static unsafe class NativeColumns
    {
        public static readonly bool Available = Probe();

        private static bool Probe()
        {
            try { return sqlite3_libversion_number() == SQLitePCL.raw.sqlite3_libversion_number(); }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException) { return false; }
        }

        public static long Int64(IntPtr stmt, int column) => sqlite3_column_int64(stmt, column);

        public static ReadOnlySpan<byte> Blob(IntPtr stmt, int column)
        {
            var p = sqlite3_column_blob(stmt, column); // first, as the SQLite documentation asks (it may convert the value)
            var n = sqlite3_column_bytes(stmt, column);
            return p == IntPtr.Zero || n <= 0 ? [] : new ReadOnlySpan<byte>((void*)p, n);
        }

        [DllImport("e_sqlite3")] private static extern int sqlite3_libversion_number();
        [DllImport("e_sqlite3"), SuppressGCTransition] private static extern long sqlite3_column_int64(IntPtr stmt, int column);
        [DllImport("e_sqlite3"), SuppressGCTransition] private static extern IntPtr sqlite3_column_blob(IntPtr stmt, int column);
        [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_column_bytes(IntPtr stmt, int column);
    }

    private sealed class ReaderRows : Utf8Rows
    {
        private readonly DbCommand _cmd;
        private readonly DbDataReader _reader;
        private readonly byte[][] _buffers;

        public ReaderRows(DbConnection conn, DbTransaction tx, string sql)
        {
            _cmd = conn.CreateCommand();
            _cmd.Transaction = tx;
            _cmd.CommandText = sql;
            _reader = _cmd.ExecuteReader(CommandBehavior.SequentialAccess);
            _buffers = new byte[_reader.FieldCount][];
        }

        public override bool Next() => _reader.Read();
        public override long Int64(int column) => _reader.GetInt64(column);

        public override ReadOnlySpan<byte> Text(int column)
        {
            if (_reader.IsDBNull(column)) return [];
            var s = _reader.GetString(column);
            var need = Encoding.UTF8.GetMaxByteCount(s.Length);
            if (_buffers[column] is not { } b || b.Length < need) _buffers[column] = b = new byte[Math.Max(need, 256)];
            return b.AsSpan(0, Encoding.UTF8.GetBytes(s, b));
        }

        public override void Dispose() { _reader.Dispose(); _cmd.Dispose(); }
    }
}
