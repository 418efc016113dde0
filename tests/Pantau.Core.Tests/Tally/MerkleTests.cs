using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Pantau.Core.Tally;

namespace Pantau.Core.Tests.Tally;

public class MerkleTests
{
    private static List<byte[]> Leaves(int n, int seed)
    {
        var rnd = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(i => Merkle.LeafHash($"entry {i} {rnd.Next()}"))];
    }

    private static CompactMerkleTree Compact(IEnumerable<byte[]> leaves)
    {
        var t = new CompactMerkleTree();
        foreach (var l in leaves) t.Append(l);
        return t;
    }

    /// <summary>RFC 9162 MTH written straight from its definition over the leaf list (no shared helper but the two hashes).</summary>
    private static byte[] Mth(List<byte[]> d)
    {
        if (d.Count == 0) return SHA256.HashData([]);
        if (d.Count == 1) return d[0];
        var k = 1;
        while (k * 2 < d.Count) k *= 2;
        return SHA256.HashData([1, .. Mth(d[..k]), .. Mth(d[k..])]);
    }

    [Fact]
    public void Hashes_follow_rfc_9162_with_domain_separation()
    {
        Assert.Equal(SHA256.HashData([0, .. "abc"u8.ToArray()]), Merkle.LeafHash("abc"));
        var l = Merkle.LeafHash("a"); var r = Merkle.LeafHash("b");
        Assert.Equal(SHA256.HashData([1, .. l, .. r]), Merkle.NodeHash(l, r));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(Merkle.EmptyRoot()));
    }

    [Fact]
    public void Roots_of_every_size_match_the_naive_reference()
    {
        var leaves = Leaves(300, 1);
        var compact = new CompactMerkleTree();
        for (var n = 0; n <= leaves.Count; n++)
        {
            Assert.Equal(Mth(leaves[..n]), Merkle.Root(compact, n));
            if (n > 0) Assert.Equal(Mth(leaves[..n]), Merkle.Root(new NaiveTree(leaves), n));
            if (n < leaves.Count) compact.Append(leaves[n]);
        }
    }

    [Fact]
    public void Inclusion_proofs_for_random_sizes_verify_and_fail_when_altered()
    {
        var rnd = new Random(7);
        for (var round = 0; round < 60; round++)
        {
            var n = round < 20 ? round + 1 : rnd.Next(1, 5000);
            var leaves = Leaves(n, round);
            var tree = Compact(leaves);
            var root = Mth(leaves);
            foreach (var i in new[] { 0, n - 1, rnd.Next(n), rnd.Next(n) })
            {
                var proof = Merkle.InclusionProof(tree, i, n);
                Assert.Equal(Merkle.InclusionProof(new NaiveTree(leaves), i, n).Select(Convert.ToHexString), proof.Select(Convert.ToHexString));
                Assert.True(Merkle.VerifyInclusion(i, n, leaves[i], proof, root), $"leaf {i} of {n}");
                Assert.False(Merkle.VerifyInclusion(i, n, Merkle.LeafHash("forged"), proof, root));
                if (n > 1)
                {
                    Assert.False(Merkle.VerifyInclusion((i + 1) % n, n, leaves[i], proof, root), $"leaf {i} of {n} at another index");
                    var bent = proof.Select(p => (byte[])p.Clone()).ToList();
                    bent[rnd.Next(bent.Count)][0] ^= 1;
                    Assert.False(Merkle.VerifyInclusion(i, n, leaves[i], bent, root));
                    Assert.False(Merkle.VerifyInclusion(i, n, leaves[i], proof[..^1], root));
                }
            }
        }
    }

    [Fact]
    public void Consistency_proofs_for_random_sizes_verify_and_fail_for_a_rewritten_history()
    {
        var rnd = new Random(11);
        for (var round = 0; round < 80; round++)
        {
            var n = round < 20 ? round + 1 : rnd.Next(2, 3000);
            var leaves = Leaves(n, 100 + round);
            var tree = Compact(leaves);
            var newRoot = Mth(leaves);
            foreach (var m in new[] { 1, n, rnd.Next(1, n + 1), rnd.Next(1, n + 1) })
            {
                var oldRoot = Mth(leaves[..m]);
                var proof = Merkle.ConsistencyProof(tree, m, n);
                Assert.Equal(Merkle.ConsistencyProof(new NaiveTree(leaves), m, n).Select(Convert.ToHexString), proof.Select(Convert.ToHexString));
                Assert.True(Merkle.VerifyConsistency(m, n, oldRoot, newRoot, proof), $"{m} -> {n}");
                if (m < n)
                {
                    // The same old size, but one of its entries rewritten: no proof from the real tree links the two.
                    var rewritten = leaves.ToList();
                    rewritten[rnd.Next(m)] = Merkle.LeafHash("rewritten");
                    Assert.False(Merkle.VerifyConsistency(m, n, Mth(rewritten[..m]), newRoot, proof), $"rewritten {m} -> {n}");
                    Assert.False(Merkle.VerifyConsistency(m, n, oldRoot, Mth(rewritten), proof));
                }
            }
        }
    }

    [Fact]
    public void An_inclusion_proof_in_a_national_size_log_takes_under_5_ms()
    {
        const int n = 867_116;
        var tree = new CompactMerkleTree();
        var buf = new byte[8];
        for (var i = 0; i < n; i++) { BitConverter.TryWriteBytes(buf, (long)i); tree.Append(Merkle.LeafHash(buf)); }
        var rnd = new Random(3);
        var root = Merkle.Root(tree, n);
        var sw = Stopwatch.StartNew();
        const int proofs = 200;
        for (var k = 0; k < proofs; k++)
        {
            var i = rnd.Next(n);
            var p = Merkle.InclusionProof(tree, i, n);
            Assert.True(Merkle.VerifyInclusion(i, n, tree.Leaf(i), p, root));
        }
        var perProof = sw.Elapsed.TotalMilliseconds / proofs;
        Assert.True(perProof < 5, $"{perProof:0.000} ms per proof (with its check)");
        sw.Restart();
        var c = Merkle.ConsistencyProof(tree, 500_000, n);
        Assert.True(Merkle.VerifyConsistency(500_000, n, Merkle.Root(tree, 500_000), root, c));
        Assert.True(sw.Elapsed.TotalMilliseconds < 5, $"{sw.Elapsed.TotalMilliseconds:0.000} ms for a consistency proof");
    }

    [Fact]
    public void A_signed_note_checkpoint_verifies_and_a_changed_body_does_not()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = Merkle.LeafHash("x");
        var body = SignedNote.Body("pantau.test/tally", 3, root);
        Assert.Equal($"pantau.test/tally\n3\n{Convert.ToBase64String(root)}\n", body);
        var note = SignedNote.Sign(body, "pantau.test/tally", key);
        Assert.StartsWith(body + "\n\u2014 pantau.test/tally ", note, StringComparison.Ordinal);
        Assert.True(SignedNote.Verify(note, "pantau.test/tally", key));
        Assert.False(SignedNote.Verify(note.Replace("\n3\n", "\n4\n", StringComparison.Ordinal), "pantau.test/tally", key));
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(SignedNote.Verify(note, "pantau.test/tally", other));
        Assert.Equal(Encoding.UTF8.GetBytes(body).Length, body.Length);
    }
}
