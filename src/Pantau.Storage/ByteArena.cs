using System.Runtime.InteropServices;

namespace Pantau.Storage;

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
