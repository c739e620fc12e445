#!/usr/bin/env python3
"""Converts public reference data from ../shared/data into Dyad's dictionary files.

Run from the repository root:  python3 scripts/build_dictionaries.py [SHARED_DATA_DIR]

Writes (overwriting) under crates/extract/data/:
  cameo/eventcodes.tsv   CAMEO codes with Goldstein, quad class and PLOVER type (GDELT lookups, CAMEO2PLOVER)
  actors/countries.tsv   country names, adjectives and synonyms (Phoenix.Countries.actors.txt, MIT)
  actors/people.tsv      office holders with dated roles (shared/data/actors/leaders.tsv)
Hand-written files (agents.tsv, organisations.tsv, verbs.tsv) are not touched.
"""
import re
import sys
from pathlib import Path

SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
OUT = Path("crates/extract/data")

# CAMEO uses a few codes that differ from ISO 3166-1 alpha-3; Dyad uses ISO.
CAMEO_TO_ISO = {"ROM": "ROU", "TMP": "TLS", "MTN": "MNE", "KOS": "XKX", "ZAR": "COD"}


# Synonyms that are ordinary words as well as names; left out.
AMBIGUOUS = {"Us", "Us.", "Chad", "Georgia Proper"}


def iso(code: str) -> str:
    return CAMEO_TO_ISO.get(code, code)


def header_lines(path: Path):
    return [l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("#")]


def write(path: Path, header: list, columns: list, rows: list):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for line in header:
            f.write(line.rstrip() + "\n")
        f.write("\t".join(columns) + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"{path}: {len(rows)} rows")


def eventcodes():
    src = SHARED / "cameo/eventcodes.tsv"
    lines = src.read_text(encoding="utf-8").splitlines()
    header = [l for l in lines if l.startswith("#")]
    body = [l.split("\t") for l in lines if l and not l.startswith("#")]
    cols = body[0]
    idx = {c: i for i, c in enumerate(cols)}
    rows = []
    for r in body[1:]:
        r = r + [""] * (len(cols) - len(r))
        rows.append([r[idx["code"]], r[idx["name"]], r[idx["goldstein"]], r[idx["quadclass"]], r[idx["plover_event"]]])
    write(OUT / "cameo/eventcodes.tsv",
          ["# Converted by scripts/build_dictionaries.py from shared/data/cameo/eventcodes.tsv, whose header follows."] + header,
          ["code", "name", "goldstein", "quadclass", "plover_event"], rows)


def phrase(token: str) -> str:
    """TABARI phrase ("NEW_ZEALAND_") to words ("New Zealand")."""
    words = [w for w in token.strip().strip("+").split("_") if w]
    return " ".join(w.capitalize() if w.isalpha() else w.title() for w in words)


def countries():
    src = SHARED / "phoenix/Phoenix.Countries.actors.txt"
    names = {}  # iso code -> names in file order
    block, codes = [], []  # names of the current entry, country codes it maps to

    def add(code, ns):
        bucket = names.setdefault(iso(code), [])
        bucket.extend(n for n in ns if n not in bucket)

    for raw in src.read_text(encoding="utf-8", errors="replace").splitlines():
        if raw.lstrip().startswith("#"):
            continue
        s = raw.split("#", 1)[0].strip()
        if not s:
            block, codes = [], []
            continue
        if s.startswith("["):
            # Date-ranged codes of the entry: keep the current ones (no "<" end bound).
            for code, when in re.findall(r"\[([A-Z]{3})(?:\s+([<>]?[0-9-]+))?\]", s):
                if not when.startswith("<"):
                    codes.append(code)
                    add(code, block)
            continue
        token = s.split("[")[0].strip()
        if token.startswith("+"):
            block.append(phrase(token))
            for code in codes:
                add(code, [phrase(token)])
            continue
        block, codes = [phrase(token)], []
        inline = re.search(r"\[([A-Z]{3})\]", s)
        if inline:
            codes.append(inline.group(1))
            add(inline.group(1), block)
    labels = {}
    for l in (SHARED / "cameo/countries.tsv").read_text(encoding="utf-8").splitlines():
        if l and not l.startswith("#") and not l.startswith("code\t"):
            code, label, kind = (l.split("\t") + ["", ""])[:3]
            if kind == "iso3_country":
                labels[iso(code)] = label
    rows = []
    for code in sorted(names):
        if code not in labels:
            continue
        canonical = labels[code]
        aliases = [n for n in names[code] if len(n) > 2 and n != canonical and n not in AMBIGUOUS]
        rows.append([code, canonical, "|".join(aliases)])
    header = [
        "# Country names, adjectives and synonyms: one row per ISO 3166-1 alpha-3 code.",
        "# Converted by scripts/build_dictionaries.py from Phoenix.Countries.actors.txt",
        "# (Open Event Data Alliance, MIT licence; see NOTICE), CAMEO codes mapped to ISO;",
        "# canonical names from the GDELT CAMEO.country.txt lookup.",
    ]
    write(OUT / "actors/countries.tsv", header, ["country", "name", "aliases"], rows)


def people():
    src = SHARED / "actors/leaders.tsv"
    lines = [l for l in src.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    rows = []
    for l in lines[1:]:
        name, aliases, country, office, role, start, end, _source = (l.split("\t") + [""] * 8)[:8]
        rows.append([name, aliases, country, role, office, start, end])
    header = [
        "# Office holders with dated roles, converted by scripts/build_dictionaries.py from",
        "# shared/data/actors/leaders.tsv (facts compiled from public pages, sources cited per row there).",
        "# Dates: YYYY, YYYY-MM or YYYY-MM-DD; an empty end means still in office.",
    ]
    write(OUT / "actors/people.tsv", header,
          ["name", "aliases", "country", "role", "office", "start", "end"], rows)


if __name__ == "__main__":
    eventcodes()
    countries()
    people()
