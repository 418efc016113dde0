using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Pantau.Core.Tally;

/// <summary>
/// The public Merkle tree of the tally log, hashed as RFC 9162 (Certificate Transparency v2), section 2.1:
/// leaf = SHA-256(0x00 || entry bytes), node = SHA-256(0x01 || left || right), the root of the empty tree = SHA-256("").
/// A tree of n leaves splits at k, the largest power of two smaller than n. Proofs follow RFC 9162 2.1.3 (inclusion) and
/// 2.1.4 (consistency), their checks 2.1.3.2 and 2.1.4.2. Pure code; see docs/log-format.md.
/// </summary>
public static class Merkle
{
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        var buffer = entry.Length + 1 <= 2048 ? stackalloc byte[entry.Length + 1] : new byte[entry.Length + 1];
        buffer[0] = 0;
        entry.CopyTo(buffer[1..]);
        return SHA256.HashData(buffer);
    }

    public static byte[] LeafHash(string entry) => LeafHash(Encoding.UTF8.GetBytes(entry));

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[65];
        buffer[0] = 1;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The largest power of two strictly smaller than <paramref name="n"/> (n ≥ 2).</summary>
    public static long SplitPoint(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>The root of the first <paramref name="size"/> leaves (RFC 9162 MTH), from any source of subtree hashes.</summary>
    public static byte[] Root(ISubtreeHashes tree, long size) => size == 0 ? EmptyRoot() : tree.Hash(0, size);

    /// <summary>RFC 9162 PATH(m, D[0:n]): the audit path of leaf <paramref name="index"/> in the tree of the first <paramref name="size"/> leaves, bottom up.</summary>
    public static List<byte[]> InclusionProof(ISubtreeHashes tree, long index, long size)
    {
        if (size < 1 || index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), "The leaf must lie inside the tree.");
        var path = new List<byte[]>();
        Path(tree, index, 0, size, path);
        return path;
    }

    private static void Path(ISubtreeHashes tree, long m, long start, long n, List<byte[]> path)
    {
        if (n == 1) return;
        var k = SplitPoint(n);
        if (m < k) { Path(tree, m, start, k, path); path.Add(tree.Hash(start + k, n - k)); }
        else { Path(tree, m - k, start + k, n - k, path); path.Add(tree.Hash(start, k)); }
    }

    /// <summary>RFC 9162 PROOF(m, D[0:n]): proves that the tree of the first <paramref name="m"/> leaves is a prefix of the tree of <paramref name="n"/>.</summary>
    public static List<byte[]> ConsistencyProof(ISubtreeHashes tree, long m, long n)
    {
        if (m < 0 || m > n) throw new ArgumentOutOfRangeException(nameof(m), "The old size must be between 0 and the new size.");
        var proof = new List<byte[]>();
        if (m == 0 || m == n) return proof;
        SubProof(tree, m, 0, n, true, proof);
        return proof;
    }

    private static void SubProof(ISubtreeHashes tree, long m, long start, long n, bool complete, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!complete) proof.Add(tree.Hash(start, n));
            return;
        }
        var k = SplitPoint(n);
        if (m <= k) { SubProof(tree, m, start, k, complete, proof); proof.Add(tree.Hash(start + k, n - k)); }
        else { SubProof(tree, m - k, start + k, n - k, false, proof); proof.Add(tree.Hash(start, k)); }
    }

    /// <summary>RFC 9162 2.1.3.2: does <paramref name="proof"/> show leaf <paramref name="index"/> with <paramref name="leafHash"/> in the tree of <paramref name="size"/> with <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size) return false;
        long fn = index, sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0) while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = NodeHash(r, p);
            fn >>= 1; sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 2.1.4.2: does <paramref name="proof"/> show the tree (m, <paramref name="oldRoot"/>) is a prefix of (n, <paramref name="newRoot"/>)?</summary>
    public static bool VerifyConsistency(long m, long n, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (m < 0 || m > n) return false;
        if (m == n) return proof.Count == 0 && oldRoot.SequenceEqual(newRoot);
        if (m == 0) return proof.Count == 0;
        var path = new List<byte[]>(proof);
        if ((m & (m - 1)) == 0) path.Insert(0, oldRoot.ToArray()); // m is a power of two: the old root is a node of the new tree
        if (path.Count == 0) return false;
        long fn = m - 1, sn = n - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        byte[] fr = path[0], sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0) while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else sr = NodeHash(sr, c);
            fn >>= 1; sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }
}

/// <summary>Hashes of the subtrees of a Merkle tree: <c>Hash(start, size)</c> = MTH(D[start:start+size]).</summary>
public interface ISubtreeHashes
{
    byte[] Hash(long start, long size);
}

/// <summary>The naive reference: recomputes every subtree from the leaf hashes (O(size) per call). For tests and tiny trees.</summary>
public sealed class NaiveTree(IReadOnlyList<byte[]> leaves) : ISubtreeHashes
{
    public byte[] Hash(long start, long size)
    {
        if (size == 1) return leaves[(int)start];
        var k = Merkle.SplitPoint(size);
        return Merkle.NodeHash(Hash(start, k), Hash(start + k, size - k));
    }
}

/// <summary>
/// An append-only Merkle tree that keeps the hash of every complete, aligned subtree (level 0 = the leaves, level h = the
/// hashes of 2^h leaves): 2 × 32 bytes per leaf. Any subtree hash is then O(log n) node hashes: an aligned power-of-two range
/// is one lookup, the right edge of a tree is the few complete subtrees it decomposes into. Appends are O(1) amortized.
/// Not thread-safe for writers; readers must not read past <see cref="Size"/> as it was when they started.
/// </summary>
public sealed class CompactMerkleTree : ISubtreeHashes
{
    private readonly List<byte[]> levels = [];   // levels[h] = concatenated 32-byte hashes
    private readonly List<int> counts = [];

    public long Size => counts.Count == 0 ? 0 : counts[0];

    public void Append(byte[] leafHash)
    {
        var h = 0;
        var node = leafHash;
        while (true)
        {
            if (levels.Count == h) { levels.Add(new byte[32 * 1024]); counts.Add(0); }
            var i = counts[h];
            if ((i + 1) * 32 > levels[h].Length)
            {
                var bigger = new byte[levels[h].Length * 2];
                Buffer.BlockCopy(levels[h], 0, bigger, 0, levels[h].Length);
                levels[h] = bigger;
            }
            Buffer.BlockCopy(node, 0, levels[h], i * 32, 32);
            counts[h] = i + 1;
            if ((i & 1) == 0) return;            // a left child: its parent is not complete yet
            node = Merkle.NodeHash(levels[h].AsSpan((i - 1) * 32, 32), node);
            h++;
        }
    }

    public byte[] Leaf(long index) => levels[0].AsSpan((int)index * 32, 32).ToArray();

    public byte[] Hash(long start, long size)
    {
        if (size < 1 || start < 0 || start + size > Size) throw new ArgumentOutOfRangeException(nameof(size), "The subtree lies outside the tree.");
        if ((size & (size - 1)) == 0 && start % size == 0)
        {
            var h = BitOperations.TrailingZeroCount((ulong)size);
            return levels[h].AsSpan((int)(start >> h) * 32, 32).ToArray();
        }
        var k = Merkle.SplitPoint(size);
        return Merkle.NodeHash(Hash(start, k), Hash(start + k, size - k));
    }
}

/// <summary>
/// The public form of a log entry, the bytes of a Merkle leaf (version 1):
/// <c>P1|seq|utcTicks|kind|status|counted(0/1)|versionNo|photoSha256 or -|sheet canonical</c>, ASCII. It is the private
/// <see cref="LogEntry"/> encoding without the submitter, which stays out of everything public.
/// </summary>
public static class PublicEntry
{
    public static string Encode(LogEntry e, string? sheetCanonical = null) => string.Create(CultureInfo.InvariantCulture,
        $"P1|{e.Seq}|{e.At.UtcTicks}|{e.Kind}|{e.Status}|{(e.Counted ? 1 : 0)}|{e.VersionNo}|{e.PhotoSha256 ?? "-"}|{sheetCanonical ?? e.Sheet.Canonical()}");

    /// <summary>From the stored private encoding (<see cref="LogEntry.Encode()"/>).</summary>
    public static string FromStored(string storedEntry) => Encode(LogEntry.Parse(storedEntry));
}

/// <summary>
/// A checkpoint as a C2SP signed note (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint): the body is three lines,
/// <c>origin</c>, the tree size in decimal and the base64 root hash, each ending in a newline; then an empty line and one
/// signature line per signer: <c>— name base64(keyHash[4] || signature)</c>. Pantau signs with ECDSA P-256 / SHA-256 over the
/// body bytes, the signature as IEEE P1363 r||s (64 bytes); the key hash is the first 4 bytes of SHA-256 of
/// <c>name || 0x0A || 0x02 || SubjectPublicKeyInfo DER</c> (0x02: the signed-note key type for ECDSA, as used by sunlight).
/// </summary>
public static class SignedNote
{
    public const string Dash = "\u2014";

    public static string Body(string origin, long size, ReadOnlySpan<byte> root) =>
        string.Create(CultureInfo.InvariantCulture, $"{origin}\n{size}\n{Convert.ToBase64String(root)}\n");

    public static byte[] KeyHash(string name, byte[] spki)
    {
        var data = new byte[Encoding.UTF8.GetByteCount(name) + 2 + spki.Length];
        var n = Encoding.UTF8.GetBytes(name, data);
        data[n] = 0x0A;
        data[n + 1] = 0x02;
        spki.CopyTo(data, n + 2);
        return SHA256.HashData(data)[..4];
    }

    public static string SignatureLine(string name, byte[] spki, ECDsa key, string body)
    {
        var sig = key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256);
        return $"{Dash} {name} {Convert.ToBase64String([.. KeyHash(name, spki), .. sig])}\n";
    }

    public static string Sign(string body, string name, ECDsa key) => body + "\n" + SignatureLine(name, key.ExportSubjectPublicKeyInfo(), key, body);

    /// <summary>Splits a note into its body and its signature lines (name, key hash, signature).</summary>
    public static (string Body, List<(string Name, byte[] KeyHash, byte[] Signature)> Signatures)? Parse(string note)
    {
        var cut = note.IndexOf("\n\n", StringComparison.Ordinal);
        if (cut < 0) return null;
        var body = note[..(cut + 1)];
        var sigs = new List<(string, byte[], byte[])>();
        foreach (var line in note[(cut + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = line.Split(' ');
            if (p.Length != 3 || p[0] != Dash) return null;
            byte[] raw;
            try { raw = Convert.FromBase64String(p[2]); } catch (FormatException) { return null; }
            if (raw.Length < 5) return null;
            sigs.Add((p[1], raw[..4], raw[4..]));
        }
        return (body, sigs);
    }

    /// <summary>Checks the signature by <paramref name="name"/> with <paramref name="key"/> on <paramref name="note"/>.</summary>
    public static bool Verify(string note, string name, ECDsa key)
    {
        var parsed = Parse(note);
        if (parsed is null) return false;
        var hash = KeyHash(name, key.ExportSubjectPublicKeyInfo());
        foreach (var (n, kh, sig) in parsed.Value.Signatures)
            if (n == name && kh.AsSpan().SequenceEqual(hash) && sig.Length == 64
                && key.VerifyData(Encoding.UTF8.GetBytes(parsed.Value.Body), sig, HashAlgorithmName.SHA256)) return true;
        return false;
    }
}
