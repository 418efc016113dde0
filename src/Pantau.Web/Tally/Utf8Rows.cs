using System.Data;
using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Pantau.Web.Tally;

/// <summary>
/// Forward-only rows whose text columns are handed over as UTF-8 bytes: on SQLite straight from the statement (no string, no copy;
/// valid until <see cref="Next"/>), on other providers decoded by the provider and encoded again into one reused buffer per column.
/// Read each column at most once per row, in column order. Used by <see cref="TallyVerifier"/>, which reads millions of rows.
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
    /// extended code and the connection's message).</summary>
    /// <summary>The error of a raw call, with the connection's extended code (a step returns only the primary one, e.g. 19 for a
    /// constraint, and the intake tells a duplicate key, 1555/2067, from other constraint errors by the extended code).</summary>
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

/// <summary>
/// Rows copied into memory (their text in one <see cref="ByteArena"/>) and read back through the same interface, so that a table can
/// be read on one connection while another pass is still running.
/// </summary>
internal sealed class BufferedRows : Utf8Rows
{
    private const int ChunkRows = 1 << 16;
    private readonly bool[] _isText;
    private readonly List<long[]> _chunks = [];
    private readonly ByteArena _text = new();
    private long _count;
    private long _row = -1;
    private long[] _current = [];
    private int _offset;

    private BufferedRows(bool[] isText) => _isText = isText;

    /// <summary>Copies every row of <paramref name="source"/>; <paramref name="isText"/> says which columns are text.</summary>
    public static BufferedRows Fill(Utf8Rows source, bool[] isText, CancellationToken ct)
    {
        var rows = new BufferedRows(isText);
        var width = isText.Length;
        long[]? chunk = null;
        var at = 0;
        while (source.Next())
        {
            if (chunk is null || at == chunk.Length)
            {
                ct.ThrowIfCancellationRequested();
                rows._chunks.Add(chunk = new long[ChunkRows * width]);
                at = 0;
            }
            for (var c = 0; c < width; c++) chunk[at++] = isText[c] ? rows._text.Add(source.Text(c)) : source.Int64(c);
            rows._count++;
        }
        return rows;
    }

    public override bool Next()
    {
        if (++_row >= _count) return false;
        _current = _chunks[(int)(_row / ChunkRows)];
        _offset = (int)(_row % ChunkRows) * _isText.Length;
        return true;
    }

    public override long Int64(int column) => _current[_offset + column];
    public override ReadOnlySpan<byte> Text(int column) => _text.Get(_current[_offset + column]);
    /// <summary>Frees the copied text: the rows are read once.</summary>
    public override void Dispose() => _text.Dispose();
}

/// <summary>
/// Byte strings in large blocks (one allocation per 4 MB, not one per string), addressed by a packed handle. The blocks are native
/// memory that asks the kernel for 2 MB pages (<c>madvise(MADV_HUGEPAGE)</c>, where transparent huge pages are in "madvise" mode):
/// verify fills ~450 MB of them, and on a 2-core VM each first touch of a 4 KiB page cost ~10 µs, about a second per national verify.
/// </summary>
internal sealed unsafe class ByteArena : IDisposable
{
    private const int BlockSize = 4 << 20;
    private const long Own = (1 << 22) - 1; // length field value of a string that has a block of its own
    private readonly List<nint> _blocks = [];
    private readonly Dictionary<int, byte[]> _own = [];
    private byte* _current;
    private int _used;

    public ByteArena() => NewBlock();

    private void NewBlock()
    {
        _current = (byte*)NativeMemory.AlignedAlloc(BlockSize, 2 << 20);
        if (OperatingSystem.IsLinux()) _ = Madvise((nint)_current, BlockSize, 14 /* MADV_HUGEPAGE */);
        _blocks.Add((nint)_current);
        GC.AddMemoryPressure(BlockSize);
        _used = 0;
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint address, nuint length, int advice);

    /// <summary>Stores <paramref name="data"/>; returns its handle (block index, offset and length).</summary>
    public long Add(ReadOnlySpan<byte> data)
    {
        if (data.Length >= Own)
        {
            _blocks.Add(0);
            _own[_blocks.Count - 1] = data.ToArray();
            var own = ((long)(_blocks.Count - 1) << 44) | Own;
            NewBlock();
            return own;
        }
        if (_used + data.Length > BlockSize) NewBlock();
        data.CopyTo(new Span<byte>(_current + _used, BlockSize - _used));
        var handle = ((long)(_blocks.Count - 1) << 44) | ((long)_used << 22) | (uint)data.Length;
        _used += data.Length;
        return handle;
    }

    public ReadOnlySpan<byte> Get(long handle)
    {
        var index = (int)(handle >> 44);
        var length = handle & Own;
        return length == Own ? _own[index] : new ReadOnlySpan<byte>((byte*)_blocks[index] + ((handle >> 22) & Own), (int)length);
    }

    public void Dispose()
    {
        foreach (var b in _blocks)
            if (b != 0) { NativeMemory.AlignedFree((void*)b); GC.RemoveMemoryPressure(BlockSize); }
        _blocks.Clear();
        GC.SuppressFinalize(this);
    }

    ~ByteArena() => Dispose();
}
