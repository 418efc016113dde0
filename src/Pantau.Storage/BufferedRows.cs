namespace Pantau.Storage;

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
