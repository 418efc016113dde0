#!/usr/bin/env python3
"""Times `verify` on a synthetic log (realistic entry sizes, a checkpoint every 5,000 entries) and extrapolates to the national
log of 867,116 entries. Usage: bench_synthetic.py [ENTRIES]  (default 200,000). Writes nothing outside a temporary directory."""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pantau_verify as pv  # noqa: E402
from test_pantau_verify import make_bundle  # noqa: E402

NATIONAL = 867_116


def entries(n):
    out = []
    for i in range(1, n + 1):
        desa = 1671011001 + (i // 12) % 80000
        tps = "%010d%03d" % (desa, i % 12 + 1)
        a, b, c = 100 + i % 37, 80 + i % 23, 40 + i % 11
        sah = a + b + c
        fields = [sah, 7, 150, 151, 301, 2, 1, 3, 4, 3, 7, 130, 131, 261, 1, 1, 2, 2, 2, 4, 1, 0, 1, 316, sah + 7, 3, 316 - sah - 10]
        out.append("P1|%d|%d|SUBMIT|Accepted|1|1|-|C1|PILGUB-16|%s|1=%d,2=%d,3=%d|%s" % (i, 638682840000000000 + i * 10_000_000, tps, a, b, c,
                                                                                           "|".join(map(str, fields))))
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        e = entries(n)
        make_bundle(tmp, e, set(range(5000, n + 1, 5000)) | {n}, 987654321)
        t = time.time()
        pv.verify(tmp, out=lambda s: None)
        secs = time.time() - t
    print("%d entries verified in %.2f s (%.0f entries/s); national %d entries: about %.0f s (linear)" % (n, secs, n / secs, NATIONAL, secs * NATIONAL / n))


if __name__ == "__main__":
    main()
