using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;

namespace Pantau.Web.Tally.PublicLog;

/// <summary>
/// The public Merkle tree of the tally log, kept in memory as a <see cref="CompactMerkleTree"/> (64 bytes per entry: 55 MB for
/// the national log) and extended from the database on demand, so that a proof costs O(log n) hashes. Leaf i is the public
/// entry (<see cref="PublicEntry"/>) of log sequence i + 1.
/// </summary>
public sealed class PublicLogTree(IConfiguration config)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CompactMerkleTree tree = new();
    private (string Key, long Size, byte[] Gzip, string ETag)? download;

    /// <summary>The checkpoint origin line and signer name (<c>Pantau:Tally:LogOrigin</c>).</summary>
    public string Origin { get; } = config["Pantau:Tally:LogOrigin"] is { Length: > 0 } o ? o : "pantau.local/tally";

    /// <summary>The entries the tree holds now (without reading the database).</summary>
    public long Size => Volatile.Read(ref size);
    private long size;

    /// <summary>Reads the entries the tree does not have yet (stops at a gap in the sequence); returns the size.</summary>
    public async Task<long> SyncAsync(PantauDbContext db, CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            while (true)
            {
                var after = tree.Size;
                var rows = await db.TallyLog.AsNoTracking().Where(e => e.Seq > after).OrderBy(e => e.Seq).Take(20_000)
                    .Select(e => new { e.Seq, e.Entry }).ToListAsync(ct);
                foreach (var r in rows)
                {
                    if (r.Seq != tree.Size + 1) return tree.Size;
                    tree.Append(Merkle.LeafHash(PublicEntry.FromStored(r.Entry)));
                }
                Volatile.Write(ref size, tree.Size);
                if (rows.Count < 20_000) return tree.Size;
            }
        }
        finally { gate.Release(); }
    }

    private async Task<T> Read<T>(PantauDbContext db, long needed, Func<T> read, CancellationToken ct)
    {
        if (tree.Size < needed) await SyncAsync(db, ct);
        if (tree.Size < needed) throw new ArgumentOutOfRangeException(nameof(needed), "The log has fewer entries.");
        await gate.WaitAsync(ct);
        try { return read(); }
        finally { gate.Release(); }
    }

    public Task<byte[]> RootAsync(PantauDbContext db, long size, CancellationToken ct = default) =>
        Read(db, size, () => Merkle.Root(tree, size), ct);

    public Task<byte[]> LeafAsync(PantauDbContext db, long index, CancellationToken ct = default) =>
        Read(db, index + 1, () => tree.Leaf(index), ct);

    public Task<(byte[] Leaf, List<byte[]> Path, byte[] Root)> InclusionAsync(PantauDbContext db, long index, long size, CancellationToken ct = default) =>
        Read(db, size, () => (tree.Leaf(index), Merkle.InclusionProof(tree, index, size), Merkle.Root(tree, size)), ct);

    public Task<List<byte[]>> ConsistencyAsync(PantauDbContext db, long from, long to, CancellationToken ct = default) =>
        Read(db, to, () => Merkle.ConsistencyProof(tree, from, to), ct);

    /// <summary>
    /// The bulk download: one public entry per line (<c>\n</c>), seq order, gzip; for one contest or (null) the whole log up to
    /// <paramref name="size"/>. The latest one is cached so that a resumed download (Range) gets the same bytes.
    /// </summary>
    public async Task<(byte[] Gzip, string ETag)> DownloadAsync(PantauDbContext db, string? contest, long size, CancellationToken ct = default)
    {
        var key = contest ?? "*";
        if (download is { } d && d.Key == key && d.Size == size) return (d.Gzip, d.ETag);
        using var ms = new MemoryStream();
        await using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            var q = db.TallyLog.AsNoTracking().Where(e => e.Seq <= size);
            if (contest is not null) q = q.Where(e => e.ContestCode == contest);
            var line = new StringBuilder();
            await foreach (var entry in q.OrderBy(e => e.Seq).Select(e => e.Entry).AsAsyncEnumerable().WithCancellation(ct))
            {
                line.Clear().Append(PublicEntry.FromStored(entry)).Append('\n');
                gz.Write(Encoding.UTF8.GetBytes(line.ToString()));
            }
        }
        var bytes = ms.ToArray();
        var etag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..32] + "\"";
        download = (key, size, bytes, etag);
        return (bytes, etag);
    }

    /// <summary>Signs the tree of the first <paramref name="size"/> entries (nothing when it is signed already).</summary>
    public async Task<TallyTreeCheckpoint?> CheckpointAsync(PantauDbContext db, CheckpointSigner signer, long size, string chainHead, DateTimeOffset now, CancellationToken ct = default)
    {
        if (size <= 0) return null;
        var existing = await db.TallyTreeCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.TreeSize == size, ct);
        if (existing is not null) return existing;
        var root = await RootAsync(db, size, ct);
        var note = signer.SignNote(SignedNote.Body(Origin, size, root), Origin);
        var cp = new TallyTreeCheckpoint { TreeSize = size, RootHash = Convert.ToHexStringLower(root), ChainHead = chainHead, Note = note, KeyId = signer.KeyId, At = now };
        db.TallyTreeCheckpoints.Add(cp);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            // Another instance (or an overlapping run of the job) signed the same size first: its checkpoint stands, the same tree.
            db.Entry(cp).State = EntityState.Detached;
            if (await db.TallyTreeCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.TreeSize == size, ct) is { } first) return first;
            throw;
        }
        return cp;
    }

    /// <summary>Called after every hash-chain checkpoint: signs the tree at the same entry.</summary>
    public static async Task AfterChainCheckpointAsync(PantauDbContext db, CheckpointSigner signer, TallyCheckpoint cp, DateTimeOffset now, CancellationToken ct)
    {
        var services = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        if (services?.GetService(typeof(PublicLogTree)) is PublicLogTree tree)
            await tree.CheckpointAsync(db, signer, cp.Seq, cp.HeadHash, now, ct);
    }
}
