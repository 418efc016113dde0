#!/usr/bin/env python3
"""Independent verifier and witness for the Pantau public tally log.

Python 3 standard library only; shares no code with Pantau. Everything it checks is specified in docs/log-format.md:

  * every log entry (public form, no submitter) in order, with no gap;
  * the RFC 9162 Merkle tree over the entries: the root at every signed checkpoint;
  * the server's ECDSA P-256 signature on every checkpoint (C2SP signed note);
  * every witness countersignature published beside a checkpoint, and what a witness holds (--witness-state);
  * every total at every level (TPS, desa, kecamatan, kabupaten/kota, provinsi) recomputed from the counted sheets and
    compared with the public recap API and the open-data export.

It stops at the first divergence, says what and where, and exits 1 (2 for a usage or network error). See verifier/README.md.

Usage:
  pantau_verify.py verify SOURCE [--witness-state FILE]... [--recap-depth N] [--no-recap] [--origin ORIGIN]
  pantau_verify.py fetch URL DIR
  pantau_verify.py witness-keygen KEYFILE
  pantau_verify.py witness URL --key KEYFILE --name NAME --state FILE [--interval SECONDS]
SOURCE is the public address of a Pantau server (http://... or https://...) or a directory written by `fetch`.
"""

import argparse
import base64
import concurrent.futures
import gzip
import hashlib
import http.client
import json
import os
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

# ---------------------------------------------------------------------------------------------------------------------
# ECDSA over NIST P-256 (FIPS 186-5 section 6.4, SEC 1 v2 section 4.1), affine coordinates. Verification only needs public
# data, so it need not be constant-time; signing (witness mode) uses a fresh random nonce from `secrets` for each signature.
# ---------------------------------------------------------------------------------------------------------------------
P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)
# DER of SubjectPublicKeyInfo{ AlgorithmIdentifier{ id-ecPublicKey, prime256v1 }, BIT STRING 0x04 || X || Y } up to X.
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d03010703420004")


def on_curve(pt):
    x, y = pt
    return 0 <= x < P and 0 <= y < P and (y * y - (x * x * x + A * x + B)) % P == 0


def point_add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % P == 0:
            return None
        lam = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return x3, (lam * (x1 - x3) - y1) % P


def scalar_mult(k, pt):
    result = None
    while k:
        if k & 1:
            result = point_add(result, pt)
        pt = point_add(pt, pt)
        k >>= 1
    return result


def ecdsa_verify(public_point, message, signature):
    """signature: 64 bytes r || s (IEEE P1363)."""
    if len(signature) != 64 or not on_curve(public_point):
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (1 <= r < N and 1 <= s < N):
        return False
    e = int.from_bytes(hashlib.sha256(message).digest(), "big")
    w = pow(s, -1, N)
    xy = point_add(scalar_mult(e * w % N, G), scalar_mult(r * w % N, public_point))
    return xy is not None and xy[0] % N == r


def ecdsa_sign(private_scalar, message):
    e = int.from_bytes(hashlib.sha256(message).digest(), "big")
    while True:
        k = secrets.randbelow(N - 1) + 1
        r = scalar_mult(k, G)[0] % N
        s = pow(k, -1, N) * (e + r * private_scalar) % N
        if r and s:
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def spki_from_pem(pem):
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    der = base64.b64decode(body)
    if len(der) != len(SPKI_PREFIX) + 64 or not der.startswith(SPKI_PREFIX):
        raise ValueError("not an uncompressed ECDSA P-256 public key")
    return der


def point_from_spki(der):
    raw = der[len(SPKI_PREFIX):]
    return int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")


def pem_from_point(pt):
    der = SPKI_PREFIX + pt[0].to_bytes(32, "big") + pt[1].to_bytes(32, "big")
    b = base64.b64encode(der).decode()
    return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) + "\n-----END PUBLIC KEY-----\n"


# ---------------------------------------------------------------------------------------------------------------------
# Signed notes (https://c2sp.org/signed-note) carrying checkpoints (https://c2sp.org/tlog-checkpoint).
# ---------------------------------------------------------------------------------------------------------------------
DASH = "\u2014"


def key_hash(name, spki):
    return hashlib.sha256(name.encode() + b"\n" + b"\x02" + spki).digest()[:4]


def parse_note(note):
    cut = note.find("\n\n")
    if cut < 0:
        raise ValueError("no blank line between body and signatures")
    body, sigs = note[:cut + 1], []
    for line in note[cut + 2:].split("\n"):
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise ValueError("malformed signature line %r" % line)
        raw = base64.b64decode(parts[2], validate=True)
        sigs.append((parts[1], raw[:4], raw[4:]))
    lines = body.split("\n")
    if len(lines) < 4 or not lines[1].isdigit():
        raise ValueError("checkpoint body must be origin, size, root")
    root = base64.b64decode(lines[2], validate=True)
    if len(root) != 32:
        raise ValueError("root hash is not 32 bytes")
    return body, lines[0], int(lines[1]), root, sigs


def note_signed_by(body, sigs, name, spki):
    kh, point = key_hash(name, spki), point_from_spki(spki)
    return any(n == name and h == kh and ecdsa_verify(point, body.encode(), s) for n, h, s in sigs)


def signature_line(name, spki, private_scalar, body):
    sig = ecdsa_sign(private_scalar, body.encode())
    return "%s %s %s\n" % (DASH, name, base64.b64encode(key_hash(name, spki) + sig).decode())


# ---------------------------------------------------------------------------------------------------------------------
# RFC 9162 Merkle tree.
# ---------------------------------------------------------------------------------------------------------------------
def leaf_hash(entry_bytes):
    return hashlib.sha256(b"\x00" + entry_bytes).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


class StreamingTree:
    """Appends leaves; root() of everything appended so far, from the stack of complete subtrees (O(log n))."""

    def __init__(self):
        self.size = 0
        self.stack = []  # (height, hash), heights strictly decreasing

    def append(self, h):
        height, size = 0, self.size
        while size & 1:
            h = node_hash(self.stack.pop()[1], h)
            height += 1
            size >>= 1
        self.stack.append((height, h))
        self.size += 1

    def root(self):
        if not self.stack:
            return hashlib.sha256(b"").digest()
        r = self.stack[-1][1]
        for _, h in reversed(self.stack[:-1]):
            r = node_hash(h, r)
        return r


def verify_inclusion(index, size, leaf, path, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m, n, old_root, new_root, path):
    if m > n:
        return False
    if m == n:
        return not path and old_root == new_root
    if m == 0:
        return not path
    path = list(path)
    if m & (m - 1) == 0:
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


# ---------------------------------------------------------------------------------------------------------------------
# Entries and totals.
# ---------------------------------------------------------------------------------------------------------------------
FIELDS = ["suaraSah", "suaraTidakSah", "dptL", "dptP", "dpt", "dpphL", "dpphP", "dpph", "dptbL", "dptbP", "dptb",
          "usersDptL", "usersDptP", "usersDpt", "usersDpphL", "usersDpphP", "usersDpph", "usersDptbL", "usersDptbP",
          "usersDptb", "disabledL", "disabledP", "disabled", "ballotsReceived", "ballotsUsed", "ballotsDamaged", "ballotsUnused",
          # sheet version 2 (C2) only; "-" marks an absent field, read as 0 in the totals
          "disabledRegisteredL", "disabledRegisteredP", "disabledRegistered", "votersL", "votersP", "voters",
          "usersL", "usersP", "users", "suaraTotal"]
V1_FIELDS = 27
F = {name: i for i, name in enumerate(FIELDS)}
TOTALS = ["tpsIn", "suaraSah", "suaraTidakSah", "users", "registered", "disabled",
          "ballotsReceived", "ballotsUsed", "ballotsDamaged", "ballotsUnused"]


class Divergence(Exception):
    pass


def parse_entry(line, lineno):
    p = line.split("|")
    count = len(FIELDS) if len(p) > 8 and p[8] == "C2" else V1_FIELDS
    if len(p) != 12 + count or p[0] != "P1" or p[8] not in ("C1", "C2"):
        raise Divergence("log line %d: not a version-1 public entry (P1|...|C1|... or C2|...)" % lineno)
    try:
        votes = {int(k): int(v) for k, v in (pair.split("=") for pair in p[11].split(","))} if p[11] else {}
        nums = [0 if (x == "-" and p[8] == "C2") else int(x) for x in p[12:]] + [0] * (len(FIELDS) - count)
        return int(p[1]), int(p[2]), p[3], p[4], p[5] == "1", int(p[6]), p[9], p[10], votes, nums
    except ValueError:
        raise Divergence("log line %d: a number does not parse" % lineno)


def sheet_totals(votes, nums):
    return [1, nums[F["suaraSah"]], nums[F["suaraTidakSah"]],
            nums[F["usersDpt"]] + nums[F["usersDpph"]] + nums[F["usersDptb"]],
            nums[F["dpt"]] + nums[F["dpph"]] + nums[F["dptb"]], nums[F["disabled"]],
            nums[F["ballotsReceived"]], nums[F["ballotsUsed"]], nums[F["ballotsDamaged"]], nums[F["ballotsUnused"]]], votes


def parent(code):
    """The region one level up, dotted as in the recap API: TPS (13 digits) -> desa -> kecamatan -> kabupaten/kota -> provinsi."""
    if "." not in code:
        d = code[:10]
        return d[:2] + "." + d[2:4] + "." + d[4:6] + "." + d[6:10]
    return code[:len(code) - code[::-1].index(".") - 1]


def aggregate(current):
    """current: {(contest, tps): (fixed totals list, votes dict)} -> {(contest, region or tps): (fixed, votes)}.

    Level by level (TPS into desa, desa into kecamatan, ...), so each sheet is added once and each region once more."""
    out = dict(current)
    level = current
    for _ in range(4):
        up = {}
        for (contest, code), (fixed, votes) in level.items():
            key = (contest, parent(code))
            acc = up.get(key)
            if acc is None:
                up[key] = (list(fixed), dict(votes))
            else:
                f, v = acc
                f[:] = map(int.__add__, f, fixed)
                for k, x in votes.items():
                    v[k] = v.get(k, 0) + x
        out.update(up)
        level = up
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Sources: a server (HTTP) or a directory written by `fetch`.
# ---------------------------------------------------------------------------------------------------------------------
class Http:
    """GETs over one keep-alive connection per thread (thousands of recap requests: no new connection for each)."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        u = urllib.parse.urlsplit(self.base)
        self.https, self.host, self.prefix = u.scheme == "https", u.netloc, u.path
        self.local = threading.local()

    def connection(self, fresh=False):
        c = getattr(self.local, "conn", None)
        if c is None or fresh:
            if c is not None:
                c.close()
            c = (http.client.HTTPSConnection if self.https else http.client.HTTPConnection)(self.host, timeout=120)
            self.local.conn = c
        return c

    def get(self, path, tries=6):
        for attempt in range(tries):
            try:
                c = self.connection(fresh=attempt > 0)
                c.request("GET", self.prefix + path, headers={"Accept-Encoding": "identity"})
                r = c.getresponse()
                body = r.read()
            except (http.client.HTTPException, ConnectionError):
                if attempt < tries - 1:
                    continue
                raise
            if r.status == 429 and attempt < tries - 1:
                time.sleep(float(r.getheader("Retry-After", "1")) if attempt > 2 else 1)
                continue
            if r.status != 200:
                raise urllib.error.HTTPError(self.base + path, r.status, "HTTP %d for %s" % (r.status, path), r.headers, None)
            return body

    def json(self, path):
        return json.loads(self.get(path))

    def post_json(self, path, obj):
        req = urllib.request.Request(self.base + path, data=json.dumps(obj).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


def load_bundle(source):
    """-> (log lines iterator bytes, checkpoints list, public key pem, witnesses list, http or None)."""
    if source.startswith("http://") or source.startswith("https://"):
        http = Http(source)
        log = gzip.decompress(http.get("/api/tally/log/download"))
        cps = http.json("/api/tally/log/tree-checkpoints?take=10000")
        return log, cps, http.get("/api/tally/public-key").decode(), http.json("/api/tally/log/witnesses"), http
    def read(name):
        with open(os.path.join(source, name), "rb") as f:
            return f.read()
    log = read("log.txt.gz")
    log = gzip.decompress(log) if log[:2] == b"\x1f\x8b" else log
    cps = json.loads(read("checkpoints.json")) if os.path.exists(os.path.join(source, "checkpoints.json")) else []
    wit = json.loads(read("witnesses.json")) if os.path.exists(os.path.join(source, "witnesses.json")) else []
    return log, cps, read("public-key.pem").decode(), wit, None


def fetch(url, out):
    http = Http(url)
    os.makedirs(out, exist_ok=True)
    for name, path in [("log.txt.gz", "/api/tally/log/download"), ("checkpoints.json", "/api/tally/log/tree-checkpoints?take=10000"),
                       ("public-key.pem", "/api/tally/public-key"), ("witnesses.json", "/api/tally/log/witnesses")]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(http.get(path))
    print("fetched %s into %s" % (url, out))


# ---------------------------------------------------------------------------------------------------------------------
# verify
# ---------------------------------------------------------------------------------------------------------------------
def verify(source, witness_states=(), recap_depth=4, no_recap=False, origin=None, out=print):
    t0 = time.time()
    log, cps, pem, witnesses, http = load_bundle(source)
    spki = spki_from_pem(pem)

    # Checkpoints: each must carry the server's signature; sorted by size, none may repeat.
    checkpoints = []
    for cp in cps:
        try:
            body, org, size, root, sigs = parse_note(cp["note"])
        except (ValueError, KeyError) as e:
            raise Divergence("checkpoint %s: malformed note (%s)" % (cp.get("treeSize"), e))
        if origin is None:
            origin = org
        if org != origin:
            raise Divergence("checkpoint of tree size %d: origin %r, expected %r" % (size, org, origin))
        if not note_signed_by(body, sigs, origin, spki):
            raise Divergence("checkpoint of tree size %d: the server's signature does not verify" % size)
        if size != cp.get("treeSize") or root.hex() != cp.get("rootHash"):
            raise Divergence("checkpoint of tree size %d: the JSON fields differ from the signed note" % size)
        checkpoints.append((size, root, body, cp))
    checkpoints.sort(key=lambda c: c[0])
    for a, b in zip(checkpoints, checkpoints[1:]):
        if a[0] == b[0]:
            raise Divergence("two different checkpoints of tree size %d" % a[0])

    # The log: every entry in order, the tree's root at every checkpoint, the counted sheet of every TPS.
    tree, current, last_seq, next_cp, last_ok = StreamingTree(), {}, 0, 0, 0
    entries = log.split(b"\n")
    if entries and entries[-1] == b"":
        entries.pop()
    for lineno, raw in enumerate(entries, 1):
        line = raw.decode("ascii", "strict") if raw.isascii() else None
        if line is None:
            raise Divergence("log line %d: not ASCII" % lineno)
        seq, ticks, kind, status, counted, version, contest, tps, votes, nums = parse_entry(line, lineno)
        if seq != last_seq + 1:
            if seq <= last_seq:
                raise Divergence("log line %d: entry %d comes after entry %d (entries reordered or repeated)" % (lineno, seq, last_seq))
            want = b"P1|%d|" % (last_seq + 1)
            later = next((i for i in range(lineno, len(entries)) if entries[i].startswith(want)), None)
            if later is not None:
                raise Divergence("log line %d: entry %d comes before entry %d, which is at line %d (entries reordered)" % (lineno, seq, last_seq + 1, later + 1))
            raise Divergence("log line %d: entry %d follows entry %d: entries %d..%d are missing (deleted)" % (lineno, seq, last_seq, last_seq + 1, seq - 1))
        last_seq = seq
        tree.append(leaf_hash(raw))
        if counted:
            current[(contest, tps)] = sheet_totals(votes, nums)
        while next_cp < len(checkpoints) and checkpoints[next_cp][0] == tree.size:
            size, root = checkpoints[next_cp][:2]
            got = tree.root()
            if got != root:
                raise Divergence("tree root mismatch at checkpoint of tree size %d: signed %s, the log gives %s: an entry in %d..%d was "
                                 "altered, removed or reordered" % (size, root.hex(), got.hex(), last_ok + 1, size))
            last_ok = size
            next_cp += 1
    if next_cp < len(checkpoints):
        raise Divergence("log truncated: the checkpoint of tree size %d signs %d entries but the log has only %d"
                         % (checkpoints[next_cp][0], checkpoints[next_cp][0], tree.size))
    latest = checkpoints[-1][0] if checkpoints else 0
    out("log: %d entries, %d signed checkpoints (latest: tree size %d), %d entries after it not signed yet"
        % (tree.size, len(checkpoints), latest, tree.size - latest))

    # Consistency proofs served by the server between every two consecutive checkpoints (the log itself already proves them:
    # both roots were rebuilt above from one sequence of entries; this checks that the server's proofs say the same).
    if http is not None:
        pairs = list(zip(checkpoints, checkpoints[1:]))
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            proofs = bounded_map(pool, lambda p: http.json("/api/tally/log/proof/consistency?from=%d&to=%d" % (p[0][0], p[1][0])), pairs, 64)
            for ((m, r1, _, _), (n, r2, _, _)), proof in zip(pairs, proofs):
                if not verify_consistency(m, n, r1, r2, [bytes.fromhex(h) for h in proof["path"]]):
                    raise Divergence("the server's consistency proof from tree size %d to %d does not verify" % (m, n))
        out("consistency proofs: %d pairs of consecutive checkpoints verify" % len(pairs))

    # Witness countersignatures published beside each checkpoint.
    registered = {}
    for w in witnesses:
        try:
            registered[w["name"]] = spki_from_pem(w["publicKeyPem"])
        except ValueError:
            raise Divergence("witness %s: its registered key is not ECDSA P-256" % w.get("name"))
    confirmations = 0
    for size, root, body, cp in checkpoints:
        for c in cp.get("cosignatures", []):
            name = c.get("witness")
            if name not in registered:
                raise Divergence("checkpoint of tree size %d: countersignature by unregistered witness %s" % (size, name))
            try:
                _, _, _, _, sigs = parse_note(body + "\n" + c["signatureLine"])
            except ValueError as e:
                raise Divergence("checkpoint of tree size %d: malformed countersignature by %s (%s)" % (size, name, e))
            if not note_signed_by(body, sigs, name, registered[name]):
                raise Divergence("checkpoint of tree size %d: the countersignature by witness %s does not verify" % (size, name))
            if size == latest:
                confirmations += 1
    out("witnesses: %d registered, %d confirmed the latest checkpoint" % (len(registered), confirmations))

    # What witnesses hold: every checkpoint a witness countersigned must still be published, with the same root.
    published = {c[0]: c[1] for c in checkpoints}
    for path in witness_states:
        with open(path) as f:
            state = json.load(f)
        wname = state.get("name", path)
        for held in state.get("checkpoints", []):
            body, org, size, root, sigs = parse_note(held["note"])
            if org != origin or not note_signed_by(body, sigs, origin, spki):
                raise Divergence("witness %s holds a checkpoint of tree size %d not signed by this server's key" % (wname, size))
            if size > tree.size:
                raise Divergence("log truncated: witness %s holds a checkpoint of tree size %d, the log has only %d entries" % (wname, size, tree.size))
            if size not in published:
                raise Divergence("the checkpoint of tree size %d held by witness %s is missing from the published checkpoints (deleted)" % (size, wname))
            if published[size] != root:
                raise Divergence("history rewritten: witness %s holds the checkpoint of tree size %d with root %s, the server now publishes %s"
                                 % (wname, size, root.hex(), published[size].hex()))
        out("witness %s: its %d checkpoints agree with the log" % (wname, len(state.get("checkpoints", []))))

    totals = aggregate(current)
    out("totals: %d counted sheets in %d contests" % (len(current), len({c for c, _ in current})))

    if http is not None and not no_recap:
        compare_recap(http, totals, recap_depth, out)
        compare_export(http, current, out)
    out("OK: %d entries checked in %.1f s" % (tree.size, time.time() - t0))


def row_values(row):
    return [row[k] for k in TOTALS], {int(k): v for k, v in row.get("votes", {}).items() if v}


def compare_row(contest, row, totals):
    fixed, votes = totals.get((contest, row["code"]), ([0] * len(TOTALS), {}))
    api_fixed, api_votes = row_values(row)
    for name, a, b in zip(TOTALS, api_fixed, fixed):
        if a != b:
            raise Divergence("recap API %s region %s: %s is %d, the counted sheets in the log give %d" % (contest, row["code"], name, a, b))
    mine = {k: v for k, v in votes.items() if v}
    if api_votes != mine:
        raise Divergence("recap API %s region %s: votes %s, the counted sheets in the log give %s" % (contest, row["code"], api_votes, mine))


def bounded_map(pool, fn, items, ahead):
    """pool.map in order, with at most `ahead` answers fetched before they are used (the national answers are large)."""
    pending = []
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) > ahead:
            yield pending.pop(0).result()
    for f in pending:
        yield f.result()


def compare_recap(http, totals, depth, out, workers=4):
    """Every contest's recap, level by level from its region down to `depth`; the requests of a level run on a few threads
    (the server does the work), the comparisons here in order."""
    rows = requests = 0
    todo = [(c["code"], c["regionCode"]) for c in http.json("/api/tally/contests")]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        while todo:
            recaps = bounded_map(pool, lambda t: (t[0], http.json("/api/tally/recap/%s/%s" % t)), todo, 16 * workers)
            todo = []
            for contest, recap in recaps:
                requests += 1
                compare_row(contest, recap["region"], totals)
                rows += 1
                for child in recap["children"]:
                    compare_row(contest, child, totals)
                    rows += 1
                    if child["level"] < depth and child["tpsIn"] > 0:
                        todo.append((contest, child["code"]))
    out("recap API: %d rows agree with the log (%d requests)" % (rows, requests))


def compare_export(http, current, out, workers=2):
    n = 0
    per_contest = {}
    for contest, _ in current:
        per_contest[contest] = per_contest.get(contest, 0) + 1
    contests = [c["code"] for c in http.json("/api/tally/contests")]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        exports = bounded_map(pool, lambda code: (code, http.json("/api/tally/export/%s.json" % code)), contests, workers)
        for contest, data in exports:
            n += compare_contest_export(contest, data, current, per_contest.get(contest, 0))
    missing = sorted(set(per_contest) - set(contests))
    if missing:
        raise Divergence("open data: contest %s counted in the log is not among the published contests" % missing[0])
    out("open data: %d counted TPS sheets agree with the log" % n)


def compare_contest_export(contest, data, current, expected):
    """One contest's open-data export against the counted sheets of the log; `expected` is how many the log counts."""
    seen = set()
    for t in data["tps"]:
        counted = [v for v in t["versions"] if v["versionNo"] == t["countedVersionNo"]]
        key = (contest, t["tps"])
        if not counted:
            if key in current:
                raise Divergence("open data %s TPS %s: no counted version, the log counts a sheet" % (contest, t["tps"]))
            continue
        v = counted[0]
        fixed, votes = sheet_totals({int(k): x for k, x in v["votes"].items()}, [v.get(f) or 0 for f in FIELDS])
        if key not in current:
            raise Divergence("open data %s TPS %s: counts version %d, the log counts nothing" % (contest, t["tps"], v["versionNo"]))
        if (fixed, votes) != current[key]:
            raise Divergence("open data %s TPS %s: the counted version %d differs from the counted sheet in the log" % (contest, t["tps"], v["versionNo"]))
        seen.add(key)
    if len(seen) != expected:
        missing = next(k for k in current if k[0] == contest and k not in seen)
        raise Divergence("open data %s: TPS %s counted in the log is missing from the export" % (contest, missing[1]))
    return len(seen)


# ---------------------------------------------------------------------------------------------------------------------
# witness
# ---------------------------------------------------------------------------------------------------------------------
def keygen(path):
    d = secrets.randbelow(N - 1) + 1
    pt = scalar_mult(d, G)
    with open(path, "w") as f:
        json.dump({"d": "%064x" % d}, f)
    os.chmod(path, 0o600)
    sys.stdout.write(pem_from_point(pt))


def witness_once(url, key_path, name, state_path, out=print):
    """Checks the server's latest checkpoint against the last one this witness saw, then countersigns it."""
    http = Http(url)
    with open(key_path) as f:
        d = int(json.load(f)["d"], 16)
    my_spki = spki_from_pem(pem_from_point(scalar_mult(d, G)))
    state = {"name": name, "url": url, "checkpoints": []}
    if os.path.exists(state_path):
        with open(state_path) as f:
            state = json.load(f)
    pem = http.get("/api/tally/public-key").decode()
    state.setdefault("publicKeyPem", pem)
    if spki_from_pem(state["publicKeyPem"]) != spki_from_pem(pem):
        raise Divergence("the server's public key changed since this witness started")
    spki = spki_from_pem(pem)
    note = http.get("/api/tally/log/checkpoint").decode()
    body, origin, size, root, sigs = parse_note(note)
    state.setdefault("origin", origin)
    if origin != state["origin"]:
        raise Divergence("origin changed from %r to %r" % (state["origin"], origin))
    if not note_signed_by(body, sigs, origin, spki):
        raise Divergence("the latest checkpoint (tree size %d) is not signed by the server's key" % size)
    if state["checkpoints"]:
        _, _, m, old_root, _ = parse_note(state["checkpoints"][-1]["note"])
        if size < m:
            raise Divergence("the tree shrank: this witness saw size %d, the server now signs %d" % (m, size))
        proof = http.json("/api/tally/log/proof/consistency?from=%d&to=%d" % (m, size))
        if not verify_consistency(m, size, old_root, root, [bytes.fromhex(h) for h in proof["path"]]):
            raise Divergence("the checkpoint of tree size %d is not consistent with the one of size %d this witness holds: history rewritten" % (size, m))
        if size == m:
            out("witness %s: tree size %d unchanged" % (name, size))
            return 0
    line = signature_line(name, my_spki, d, body)
    status, reply = http.post_json("/api/tally/log/cosignatures", {"treeSize": size, "signatureLine": line})
    if status not in (200, 201):
        raise Divergence("the server refused the countersignature of tree size %d: %s" % (size, reply))
    state["checkpoints"].append({"note": note, "cosignature": line})
    tmp = state_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1)
    os.replace(tmp, state_path)
    out("witness %s: countersigned tree size %d" % (name, size))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="Independent verifier and witness for the Pantau public tally log.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("verify")
    v.add_argument("source")
    v.add_argument("--witness-state", action="append", default=[])
    v.add_argument("--recap-depth", type=int, default=4, help="1 provinsi .. 4 desa (children: TPS); lower is faster")
    v.add_argument("--no-recap", action="store_true")
    v.add_argument("--origin")
    fch = sub.add_parser("fetch")
    fch.add_argument("url")
    fch.add_argument("dir")
    kg = sub.add_parser("witness-keygen")
    kg.add_argument("keyfile")
    w = sub.add_parser("witness")
    w.add_argument("url")
    w.add_argument("--key", required=True)
    w.add_argument("--name", required=True)
    w.add_argument("--state", required=True)
    w.add_argument("--interval", type=float, default=0, help="seconds between checks; 0 checks once")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "verify":
            verify(a.source, a.witness_state, a.recap_depth, a.no_recap, a.origin)
        elif a.cmd == "fetch":
            fetch(a.url, a.dir)
        elif a.cmd == "witness-keygen":
            keygen(a.keyfile)
        else:
            while True:
                witness_once(a.url, a.key, a.name, a.state)
                if a.interval <= 0:
                    break
                time.sleep(a.interval)
        return 0
    except Divergence as e:
        print("DIVERGENCE: %s" % e, file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, urllib.error.URLError) as e:
        print("ERROR: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
