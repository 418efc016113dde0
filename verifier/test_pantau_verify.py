"""Unit tests of the independent verifier (python3 -m unittest discover verifier). Standard library only."""
import base64
import gzip
import hashlib
import json
import os
import random
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pantau_verify as pv  # noqa: E402

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "log-format.md")


def doc_blocks():
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    return {m.group(1): m.group(2) for m in re.finditer(r"```text (example-[a-z-]+)\n(.*?)```", text, re.S)}


# The tree written straight from RFC 9162 2.1.1-2.1.4 over a list of leaf hashes, for comparison.
def mth(d):
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = 1
    while k * 2 < len(d):
        k *= 2
    return pv.node_hash(mth(d[:k]), mth(d[k:]))


def path(m, d):
    if len(d) == 1:
        return []
    k = 1
    while k * 2 < len(d):
        k *= 2
    return path(m, d[:k]) + [mth(d[k:])] if m < k else path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, b):
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = 1
    while k * 2 < n:
        k *= 2
    return subproof(m, d[:k], b) + [mth(d[k:])] if m <= k else subproof(m - k, d[k:], False) + [mth(d[:k])]


def proof(m, d):
    return [] if m in (0, len(d)) else subproof(m, d, True)


class DocExample(unittest.TestCase):
    def test_the_worked_example_of_docs_log_format(self):
        b = doc_blocks()
        entries = b["example-entries"].strip().split("\n")
        leaves = [pv.leaf_hash(e.encode()) for e in entries]
        self.assertEqual([x.hex() for x in leaves], b["example-leaves"].split())
        self.assertEqual(mth(leaves).hex(), b["example-root"].strip())
        t = pv.StreamingTree()
        for x in leaves:
            t.append(x)
        self.assertEqual(t.root().hex(), b["example-root"].strip())
        self.assertEqual(len(entries[0].encode()), 162)
        spki = pv.spki_from_pem(b["example-public-key"])
        body, origin, size, root, sigs = pv.parse_note(b["example-checkpoint"])
        self.assertEqual((origin, size, root.hex()), ("pantau.example/tally", 3, b["example-root"].strip()))
        self.assertEqual(pv.key_hash(origin, spki).hex(), "b8299012")
        self.assertTrue(pv.note_signed_by(body, sigs, origin, spki))
        self.assertFalse(pv.note_signed_by(body.replace("\n3\n", "\n4\n"), sigs, origin, spki))
        self.assertTrue(pv.verify_inclusion(2, 3, leaves[2], [pv.node_hash(leaves[0], leaves[1])], root))
        self.assertTrue(pv.verify_inclusion(0, 3, leaves[0], [leaves[1], leaves[2]], root))
        current = {}
        for i, e in enumerate(entries, 1):
            seq, _, _, _, counted, _, contest, tps, votes, nums = pv.parse_entry(e, i)
            if counted:
                current[(contest, tps)] = pv.sheet_totals(votes, nums)
        fixed, votes = pv.aggregate(current)[("PILGUB-16", "16.71.01.1001")]
        self.assertEqual((fixed[0], fixed[1], votes), (2, 480, {1: 212, 2: 178, 3: 90}))
        d = int("f38a43e42984e67f87ecfb3595519062a376047bacc691655b403dae68bf02ac", 16)
        self.assertEqual(pv.pem_from_point(pv.scalar_mult(d, pv.G)).strip(), b["example-public-key"].strip())


class Ecdsa(unittest.TestCase):
    def test_sign_and_verify_and_reject_changes(self):
        d = 0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721  # RFC 6979 A.2.5 private key
        q = pv.scalar_mult(d, pv.G)
        self.assertEqual(q, (0x60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6,
                             0x7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299))
        sig = pv.ecdsa_sign(d, b"sample")
        self.assertTrue(pv.ecdsa_verify(q, b"sample", sig))
        self.assertFalse(pv.ecdsa_verify(q, b"samplf", sig))
        self.assertFalse(pv.ecdsa_verify(pv.scalar_mult(d + 1, pv.G), b"sample", sig))
        bad = bytearray(sig)
        bad[40] ^= 1
        self.assertFalse(pv.ecdsa_verify(q, b"sample", bytes(bad)))
        # RFC 6979 A.2.5, SHA-256, message "sample": a signature made by someone else's implementation.
        r = 0xEFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716
        s = 0xF7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8
        self.assertTrue(pv.ecdsa_verify(q, b"sample", r.to_bytes(32, "big") + s.to_bytes(32, "big")))


class MerkleProperties(unittest.TestCase):
    def test_roots_and_proofs_for_random_sizes(self):
        rnd = random.Random(5)
        for n in list(range(1, 34)) + [rnd.randrange(34, 700) for _ in range(15)]:
            d = [pv.leaf_hash(b"%d-%d" % (n, i)) for i in range(n)]
            t = pv.StreamingTree()
            for x in d:
                t.append(x)
            root = mth(d)
            self.assertEqual(t.root(), root)
            for i in {0, n - 1, rnd.randrange(n)}:
                p = path(i, d)
                self.assertTrue(pv.verify_inclusion(i, n, d[i], p, root), (i, n))
                self.assertFalse(pv.verify_inclusion(i, n, pv.leaf_hash(b"x"), p, root))
                if n > 1:
                    self.assertFalse(pv.verify_inclusion((i + 1) % n, n, d[i], p, root))
            for m in {1, n, rnd.randrange(1, n + 1)}:
                c = proof(m, d)
                self.assertTrue(pv.verify_consistency(m, n, mth(d[:m]), root, c), (m, n))
                if m < n:
                    e = list(d)
                    e[rnd.randrange(m)] = pv.leaf_hash(b"rewritten")
                    self.assertFalse(pv.verify_consistency(m, n, mth(e[:m]), root, c))


def make_bundle(dirname, entries, sizes, d, origin="pantau.test/tally"):
    """A fetch-style directory: log.txt.gz, checkpoints.json (signed at `sizes`), public-key.pem, witnesses.json."""
    spki = pv.spki_from_pem(pv.pem_from_point(pv.scalar_mult(d, pv.G)))
    t, cps = pv.StreamingTree(), []
    for i, e in enumerate(entries, 1):
        t.append(pv.leaf_hash(e.encode()))
        if i in sizes:
            body = "%s\n%d\n%s\n" % (origin, i, base64.b64encode(t.root()).decode())
            cps.append({"treeSize": i, "rootHash": t.root().hex(), "note": body + "\n" + pv.signature_line(origin, spki, d, body), "cosignatures": []})
    with open(os.path.join(dirname, "log.txt.gz"), "wb") as f:
        f.write(gzip.compress("".join(e + "\n" for e in entries).encode()))
    with open(os.path.join(dirname, "checkpoints.json"), "w") as f:
        json.dump(cps, f)
    with open(os.path.join(dirname, "public-key.pem"), "w") as f:
        f.write(pv.pem_from_point(pv.scalar_mult(d, pv.G)))
    with open(os.path.join(dirname, "witnesses.json"), "w") as f:
        json.dump([], f)


def synthetic(n):
    out = []
    for i in range(1, n + 1):
        tps = "1671011001%03d" % (i % 900 + 1)
        out.append("P1|%d|6386828400%08d|SUBMIT|Accepted|1|1|-|C1|PILGUB-16|%s|1=%d,2=10|%d|0|" % (i, i, tps, i % 50, i % 50 + 10) + "|".join(["0"] * 25))
    return out


class VerifyBundle(unittest.TestCase):
    def run_verify(self, entries, sizes, **kw):
        with tempfile.TemporaryDirectory() as tmp:
            make_bundle(tmp, entries, sizes, 12345)
            lines = []
            pv.verify(tmp, out=lines.append, **kw)
            return lines

    def assertDiverges(self, entries, sizes, needle):
        with self.assertRaises(pv.Divergence) as c:
            self.run_verify(entries, sizes)
        self.assertIn(needle, str(c.exception))

    def test_a_consistent_bundle_passes(self):
        out = self.run_verify(synthetic(40), {10, 25, 40})
        self.assertTrue(out[-1].startswith("OK: 40 entries"), out)

    def test_altered_deleted_reordered_and_truncated_logs_fail(self):
        good = synthetic(40)
        with tempfile.TemporaryDirectory() as tmp:
            make_bundle(tmp, good, {10, 25, 40}, 12345)
            with open(os.path.join(tmp, "log.txt.gz"), "wb") as f:
                f.write(gzip.compress("".join(e + "\n" for e in good[:30]).encode()))
            with self.assertRaises(pv.Divergence) as c:
                pv.verify(tmp, out=lambda s: None)
            self.assertIn("log truncated", str(c.exception))
            altered = list(good)
            altered[12] = altered[12].replace(",2=10|", ",2=11|")
            with open(os.path.join(tmp, "log.txt.gz"), "wb") as f:
                f.write(gzip.compress("".join(e + "\n" for e in altered).encode()))
            with self.assertRaises(pv.Divergence) as c:
                pv.verify(tmp, out=lambda s: None)
            self.assertIn("tree root mismatch at checkpoint of tree size 25", str(c.exception))
            self.assertIn("11..25", str(c.exception))
        self.assertDiverges(good[:5] + good[6:], set(), "entries 6..6 are missing (deleted)")
        self.assertDiverges(good[:5] + [good[6], good[5]] + good[7:], set(), "entries reordered")


if __name__ == "__main__":
    unittest.main()
