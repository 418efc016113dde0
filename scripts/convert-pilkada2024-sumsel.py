#!/usr/bin/env python3
"""Converts ../shared/data/pilkada2024-sumsel.json (hand-compiled from news pages, see shared/data/SOURCES.md section 3) into the
election file format pantau-election/1 (docs/elections.md). Incomplete paslon lists get synthetic entries up to the known count
(at least 2), marked "synthetic"; a single-paslon race gets the kolom kosong at import. Usage:
  python3 scripts/convert-pilkada2024-sumsel.py ../shared/data/pilkada2024-sumsel.json src/Pantau.Data/Elections/Files/pilkada2024-sumsel.election.json
"""
import json, sys

EXPECTED_PASLON = {"16.72": 3}  # the source notes three paslon for this race

def contest(e, kind, prefix):
    code = e["code"]
    paslon = [{k: v for k, v in (("number", p["nomor_urut"]), ("candidate", p["calon"]), ("runningMate", p.get("wakil")), ("alias", p.get("alias"))) if v is not None}
              for p in e["paslon"]]
    if not e.get("paslon_list_complete"):
        top = max([p["number"] for p in paslon], default=0)
        count = max(2, top, EXPECTED_PASLON.get(code, 0))
        have = {p["number"] for p in paslon}
        paslon += [{"number": i, "candidate": f"Paslon {i} (sintetis)", "synthetic": True} for i in range(1, count + 1) if i not in have]
    paslon.sort(key=lambda p: p["number"])
    title = {"gubernur": "Gubernur", "walikota": "Walikota", "bupati": "Bupati"}[kind]
    c = {"code": f"{prefix}-{code}", "kind": kind, "region": code, "name": f"Pemilihan {title} {e['name']}"}
    if isinstance(e.get("notes"), str): c["notes"] = e["notes"]
    c["paslon"] = paslon
    return c

src = json.load(open(sys.argv[1], encoding="utf-8"))
contests = [contest(src["governor"], "gubernur", "PILGUB")]
for e in src["kabupaten_kota"]:
    kind = "walikota" if e["election"] == "walikota" else "bupati"
    contests.append(contest(e, kind, "PILWALKOT" if kind == "walikota" else "PILBUP"))
out = {
    "format": "pantau-election/1",
    "code": "PILKADA2024-16",
    "name": "Pilkada Serentak 2024 Sumatera Selatan",
    "kind": "pilkada",
    "votingDate": "2024-11-27",
    "region": "16",
    "ikp": "ikp-pilkada-2024",  # Bawaslu's IKP Pilkada 2024 (docs/incidents.md, "Kerawanan index")
    "source": "Converted by scripts/convert-pilkada2024-sumsel.py from shared/data/pilkada2024-sumsel.json (paslon compiled by hand from news pages; see shared/data/SOURCES.md, section 3). Entries marked synthetic fill gaps of incomplete lists.",
    "contests": contests,
}
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=2)
    f.write("\n")
