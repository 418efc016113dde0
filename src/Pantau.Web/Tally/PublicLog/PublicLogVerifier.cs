using Microsoft.EntityFrameworkCore;
using Pantau.Core.Tally;
using Pantau.Data;

namespace Pantau.Web.Tally.PublicLog;

/// <summary>
/// The tree part of <c>verify</c>: rebuilds the public Merkle tree from the log table itself (not the server's cached tree) and
/// checks every signed tree checkpoint: the server's signature on its note, its size and root, and that it names the chain
/// head at the same entry.
/// </summary>
public static class PublicLogVerifier
{
    /// <summary>The existing verify (hash chain, versions, recap) and then the public tree.</summary>
    public static async Task<VerifyReport> VerifyAllAsync(PantauDbContext db, CheckpointSigner signer, CancellationToken ct = default)
    {
        var report = await TallyVerifier.VerifyAsync(db, signer, ct);
        if (!report.Ok) return report;
        var divergence = await CheckTreeAsync(db, signer, ct);
        return divergence is null ? report : report with { Ok = false, FirstDivergence = divergence };
    }

    public static async Task<string?> CheckTreeAsync(PantauDbContext db, CheckpointSigner signer, CancellationToken ct = default)
    {
        var cps = await db.TallyTreeCheckpoints.AsNoTracking().OrderBy(c => c.TreeSize).ToListAsync(ct);
        if (cps.Count == 0) return null;
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(signer.PublicKeyPem);
        var tree = new CompactMerkleTree();
        var next = 0;
        string? Check(long size, string chainHead)
        {
            while (next < cps.Count && cps[next].TreeSize == size)
            {
                var cp = cps[next++];
                var parsed = SignedNote.Parse(cp.Note);
                var root = Merkle.Root(tree, size);
                var origin = parsed?.Body.Split('\n')[0] ?? "";
                if (parsed is null || !SignedNote.Verify(cp.Note, origin, key)) return $"tree checkpoint {size}: the signature does not verify";
                if (parsed.Value.Body != SignedNote.Body(origin, size, root) || cp.RootHash != Convert.ToHexStringLower(root))
                    return $"tree checkpoint {size}: root {cp.RootHash}, the log gives {Convert.ToHexStringLower(root)}";
                if (cp.ChainHead != chainHead) return $"tree checkpoint {size}: chain head {cp.ChainHead}, the log has {chainHead}";
            }
            return null;
        }
        var last = 0L;
        await foreach (var e in db.TallyLog.AsNoTracking().OrderBy(e => e.Seq).Select(e => new { e.Seq, e.Entry, e.Hash }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.Seq != last + 1) return $"public log: entry {e.Seq} follows {last}";
            last = e.Seq;
            tree.Append(Merkle.LeafHash(PublicEntry.FromStored(e.Entry)));
            if (Check(e.Seq, e.Hash) is { } d) return d;
            if (next == cps.Count) return null;
        }
        return next < cps.Count ? $"public log truncated: tree checkpoint {cps[next].TreeSize}, the log has {last} entries" : null;
    }
}
