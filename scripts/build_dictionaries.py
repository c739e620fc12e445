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
CAMEO_TO_ISO = {"ROM": "ROU", "TMP": "TLS", "MTN": "MNE", "KOS": "XKX", "KSV": "XKX", "ZAR": "COD"}
# States the GDELT country lookup leaves out, by the code Dyad gives them (XKX: the
# user-assigned code the EU and the IMF use for Kosovo).
EXTRA_LABELS = {"XKX": "Kosovo"}


# Synonyms that are ordinary words as well as names; left out.
AMBIGUOUS = {"Us", "Us.", "Chad", "Georgia Proper"}
# Acronyms lost to the title-casing of Phoenix's upper-case names (matched in capitals only), and
# parts of a state that Phoenix names only inside a longer name ("Northern Ireland" is no "Ireland").
EXTRA_ALIASES = {"USA": ["US"], "GBR": ["UK", "U.K.", "Northern Ireland", "Ulster"], "ARE": ["UAE"], "PRK": ["DPRK"]}


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
    labels.update(EXTRA_LABELS)
    rows = []
    for code in sorted(names):
        if code not in labels:
            continue
        canonical = labels[code]
        aliases = [n for n in names[code] if len(n) > 2 and n != canonical and n not in AMBIGUOUS]
        aliases += [a for a in EXTRA_ALIASES.get(code, []) if a not in aliases]
        rows.append([code, canonical, "|".join(aliases)])
    header = [
        "# Country names, adjectives and synonyms: one row per ISO 3166-1 alpha-3 code.",
        "# Converted by scripts/build_dictionaries.py from Phoenix.Countries.actors.txt",
        "# (Open Event Data Alliance, MIT licence; see NOTICE), CAMEO codes mapped to ISO;",
        "# canonical names from the GDELT CAMEO.country.txt lookup.",
    ]
    write(OUT / "actors/countries.tsv", header, ["country", "name", "aliases"], rows)


# Organisation codes of leaders.tsv to the codes of Dyad's organisations.tsv: the UN and its
# bodies share the UNO prefix (after CAMEO's IGOUNO family).
LEADER_ORGANISATIONS = {"UN": "UNO", "ICJ": "UNOICJ", "WHO": "UNOWHO", "UNICEF": "UNOKID",
                        "UNHCR": "UNOHCR", "WFP": "UNOWFP"}


def people():
    src = SHARED / "actors/leaders.tsv"
    lines = [l for l in src.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    rows = []
    for l in lines[1:]:
        name, aliases, country, office, role, start, end, _source = (l.split("\t") + [""] * 8)[:8]
        country = LEADER_ORGANISATIONS.get(country, country)
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


# The code of a pattern that names no event (Phoenix's "[---]").
NULL_CODE = "---"

# Phoenix's verb blocks whose verbs make their subject a recipient or a patient
# ("received a loan", "faced criticism", "died in clashes with", "stood trial"): their
# target-to-source patterns are kept. Left out are blocks where the object is another's
# act ("applauded the withdrawal", ACCLAIM: the event noun is coded on its own) or
# something the subject makes or does ("created an uproar", "amassed profits", "took asylum").
RECIPIENT_BLOCKS = {"OBTAIN", "MEET_PEOPLE", "DIE", "ENDURE", "APPEAR", "STAND", "GO_SOMEWHERE",
                    "ARRIVE", "ENJOY", "HEAR", "PREDICT", "SHUDDER"}


def phoenix_verbs():
    """CAMEO.2.0.txt (TABARI/PETRARCH verb patterns) to Dyad patterns.

    Kept: verbs with a code of their own or of their block ("DISBAND [160]"),
    and patterns whose words all follow the verb ("- * TALKS [164]" becomes
    "<verb> .. talks": the object may stand a few words after the verb).
    Null object patterns ("- * LIVES [---]" under TAKE) are kept with the code
    "---": they block the verb's bare sense where its object makes it no event
    ("take lives", "seize the opportunity"). Patterns with only TABARI's second,
    target-to-source code ("- * LOAN (FROM) [:071]" under RECEIVE) are kept with
    the code marked "<": the act goes to the verb's subject from the counterpart
    ("received a loan from the IMF" is the IMF's loan), in the blocks of
    RECIPIENT_BLOCKS. Left out: patterns with words before the verb, and verbs
    whose own code is null.
    """
    src = SHARED / "phoenix/CAMEO.2.0.txt"
    lines = src.read_text(encoding="utf-8", errors="replace").splitlines()
    codes = {l.split("\t")[0] for l in (SHARED / "cameo/eventcodes.tsv").read_text().splitlines()
             if l and not l.startswith("#")}
    synsets, section, current = {}, None, None
    rows, seen = [], set()
    block_code, block, verbs = None, None, []

    def words(token):
        return token.replace("_", " ").strip().lower()

    def emit(code, pattern):
        if (code.lstrip("<") in codes or code == NULL_CODE) and pattern not in seen:
            seen.add(pattern)
            rows.append([code, pattern])

    def code_of(text, null_ok=False):
        m = re.search(r"\[([0-9]{2,4}|---)(?::[0-9-]*)?\]", text)
        return None if not m or (m.group(1) == NULL_CODE and not null_ok) else m.group(1)

    def reversed_code_of(text):
        m = re.search(r"\[:([0-9]{2,4})\]", text)
        return "<" + m.group(1) if m else None

    for raw in lines:
        line = raw.split("#", 1)[0].rstrip()
        if "SYNONYM SETS" in raw:
            section = "synsets"; continue
        if "VERB PATTERNS" in raw:
            section = "verbs"; continue
        if section == "synsets":
            s = line.strip()
            if s.startswith("&"):
                current = s.rstrip("_ ")
                synsets[current] = []
            elif s.startswith("+") and current:
                synsets[current].append(words(s[1:]))
            elif not s:
                current = None
            continue
        if section != "verbs" or not line.strip():
            continue
        s = line.strip()
        if s.startswith("---"):
            block_code = code_of(s)
            block = s.strip("- ").split()[0] if s.strip("- ") else None
            verbs = []
            continue
        if s.startswith("- "):
            code = code_of(s, null_ok=True) or (reversed_code_of(s) if block in RECIPIENT_BLOCKS else None)
            body = s[2:].split("[", 1)[0]
            tokens = body.replace("{", " ").replace("}", " ").replace(")", " ").replace("(", " ( ").split()
            if code is None or "*" not in tokens or tokens.index("*") != 0:
                continue
            post, alternatives = [], [[]]
            for tok in tokens[1:]:
                if tok == "(":
                    post.append("..")
                    continue
                tok = tok.lstrip("$+%^")
                if not tok or tok == "|":
                    continue
                if tok.startswith("&"):
                    members = synsets.get(tok.rstrip("_"), [])
                    if not members:
                        post = None
                        break
                    post.append(members[:12])
                else:
                    post.append(words(tok))
            if not post or all(p == ".." for p in post if isinstance(p, str)):
                continue
            expansions = [[]]
            for part in post:
                options = part if isinstance(part, list) else [part]
                expansions = [e + [o] for e in expansions for o in options][:40]
            for verb in verbs:
                for expansion in expansions:
                    tail = " ".join(expansion).replace(".. ..", "..").strip()
                    if tail.startswith(".."):
                        tail = tail[2:].strip()
                    emit(code, f"{verb} .. {tail}")
            continue
        # A verb line: "+ROUND_UP", "DISBAND [160]", "FLEE {FLED FLEES}".
        own = code_of(s)
        head = s.split("[", 1)[0].split("{", 1)[0].strip().lstrip("+")
        if not head or not re.match(r"^[A-Z][A-Z_'-]*$", head):
            continue
        verb = words(head)
        verbs.append(verb)
        code = own or block_code
        if code:
            emit(code, verb)
        forms = re.search(r"\{([^}]*)\}", s)
        if forms and code:
            for form in forms.group(1).split():
                form = form.lstrip("+")
                if re.match(r"^[A-Z][A-Z_'-]*$", form):
                    emit(code, "=" + words(form))
    header = [
        "# Verb patterns converted by scripts/build_dictionaries.py from the Phoenix/PETRARCH",
        "# verb dictionary CAMEO.2.0.txt (Open Event Data Alliance, MIT licence; see NOTICE).",
        "# '..' lets up to three words stand between the verb and the object words.",
        "# A code marked '<' is TABARI's target-to-source code: the act is done to the verb's subject",
        "# by the actor its object names ('receive .. loan': the lender's loan to the subject).",
    ]
    write(OUT / "verbs/phoenix.tsv", header, ["code", "pattern"], rows)


if __name__ == "__main__":
    phoenix_verbs()


ROLE_KIND = {"GOV": "government", "LEG": "government", "JUD": "government", "ELI": "government",
             "MIL": "military", "COP": "military", "SPY": "military", "UAF": "armed_group",
             "REB": "armed_group", "INS": "armed_group", "SEP": "armed_group", "CRM": "armed_group"}


# Phoenix's religion code for Muslims is CAMEO's MOS (CAMEO Actor Codebook, religion
# codes); MUS is Mauritius's country code.
ROLE_RENAMED = {"MUS": "MOS"}


def phoenix_agents():
    """Phoenix.agents.txt role nouns to Dyad's agents format (one row per role)."""
    src = SHARED / "phoenix/Phoenix.agents.txt"
    subst, by_role = {}, {}
    for raw in src.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if m:
            subst[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
            continue
        m = re.match(r"^([^\[]+?)\s*(\{[^}]*\})?\s*\[~([A-Z]{3})[A-Z]*\]", line)
        if not m:
            continue
        phrase, role = m.group(1).strip(), m.group(2 + 1)
        role = ROLE_RENAMED.get(role, role)
        if "SPOKES" in phrase:  # spokespeople speak for governments, not media
            continue
        phrases = [phrase]
        for key, values in subst.items():
            phrases = [p.replace(key, "_" + v if not p.startswith(key) else v) if key in p else p
                       for p in phrases for v in (values if key in p else [None])]
        for p in phrases:
            noun = " ".join(w for w in p.replace("_", " ").lower().split() if w)
            if len(noun) > 2 and re.match(r"^[a-z][a-z' .-]*$", noun):
                by_role.setdefault(role, []).append(noun)
    rows = [[role, ROLE_KIND.get(role, "civilian"), "|".join(sorted(set(nouns)))] for role, nouns in sorted(by_role.items())]
    header = [
        "# Role nouns converted by scripts/build_dictionaries.py from Phoenix.agents.txt",
        "# (Open Event Data Alliance, MIT licence; see NOTICE). Spokespeople are left out:",
        "# Phoenix codes them as media, Dyad's agents.tsv as the government they speak for.",
    ]
    write(OUT / "actors/agents-phoenix.tsv", header, ["role", "kind", "nouns"], rows)


def phoenix_named_actors():
    """International, non-state and militarised actors (Phoenix.International and
    Phoenix.MilNonState) to Dyad's named-actors format."""
    rows = []
    for name in ["Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"]:
        block, code, start, end = [], None, "", ""

        def flush():
            if block and code:
                rows.append(named_row(block, code, start, end))

        for raw in (SHARED / "phoenix" / name).read_text(encoding="utf-8", errors="replace").splitlines():
            if raw.lstrip().startswith("#"):
                continue
            s = raw.split("#", 1)[0].strip()
            if not s:
                flush(); block, code, start, end = [], None, "", ""
                continue
            if s.startswith("["):
                m = re.match(r"\[([A-Z]{3,12})(?:\s+([<>]?)([0-9]{6,8})?(?:-([0-9]{6,8}))?)?\]", s)
                if m and code is None and m.group(1) != "ELI":
                    code = m.group(1)
                    start, end = dates(m.group(2), m.group(3), m.group(4))
                continue
            token = s.split("[")[0].strip()
            inline = re.search(r"\[([A-Z]{3,12})\]", s)
            if token.startswith("+"):
                block.append(phrase(token))
                continue
            flush()
            block, code, start, end = [phrase(token)], None, "", ""
            if inline:
                code = inline.group(1)
        flush()
    rows = [r for r in rows if r]
    header = [
        "# International organisations, NGOs, non-state and militarised groups, converted by",
        "# scripts/build_dictionaries.py from Phoenix.International.actors.txt and",
        "# Phoenix.MilNonState.actors.txt (Open Event Data Alliance, MIT licence; see NOTICE).",
        "# country: ISO 3166-1 alpha-3, or the organisation's code for IGOs and NGOs.",
    ]
    write(OUT / "actors/groups-phoenix.tsv", header,
          ["name", "aliases", "country", "role", "kind", "start", "end"], rows)


def dates(bound, first, second):
    def iso_date(d):
        if not d:
            return ""
        if len(d) == 6:
            yy = int(d[:2])
            d = ("19" if yy > 30 else "20") + d
        return f"{d[:4]}-{d[4:6]}-{d[6:8]}"
    if bound == ">":
        return iso_date(first), ""
    if bound == "<":
        return "", iso_date(first)
    return iso_date(first), iso_date(second)


# Phoenix organisation codes to the codes of Dyad's organisations.tsv.
ORGANISATION_CODES = {"EEC": "EU", "NAT": "NATO", "AFU": "AU", "ASN": "ASEAN", "ARL": "LAS", "UNO": "UNO",
                      "WTO": "WTO", "IMF": "IMF", "WBK": "WB", "OPC": "OPEC", "OSC": "OSCE",
                      "ICJ": "UNOICJ", "HCR": "UNOHCR", "WHO": "UNOWHO", "WFP": "UNOWFP"}


def named_row(names, code, start, end):
    # "The European Union" is matched as "European Union": "the" is not part of a name.
    names = [n[4:] if n.startswith("The ") else n for n in names]
    names = [n for n in dict.fromkeys(names) if len(n) > 1]
    if not names:
        return None
    prefix, rest = code[:3], code[3:]
    if prefix in ("IGO", "NGO"):
        org = rest[-3:] if len(rest) >= 3 else rest or prefix
        country, role, kind = ORGANISATION_CODES.get(org, org), prefix, "organisation"
    elif prefix == "IMG":
        country, role, kind = "IMG", "REB", "armed_group"
    else:
        country, role = iso(prefix), rest[:3]
        kind = ROLE_KIND.get(role, "civilian") if role else "organisation"
        if not role:
            return None
    if not re.match(r"^[A-Z0-9]+$", country):
        return None
    return [names[0], "|".join(names[1:]), country, role, kind, start, end]


if __name__ == "__main__":
    phoenix_agents()
    phoenix_named_actors()


# The date of CountryInfo.140130.txt, from which Phoenix.Countries.actors.txt was made.
COUNTRYINFO_DATE = "2014-01-30"


def phoenix_people():
    """Office holders from Phoenix.Countries.actors.txt (CountryInfo, to 2014):
    one row per dated government or military role, in people.tsv's format."""
    src = SHARED / "phoenix/Phoenix.Countries.actors.txt"
    rows, names = [], []
    for raw in src.read_text(encoding="utf-8", errors="replace").splitlines():
        if raw.lstrip().startswith("#"):
            continue
        s = raw.split("#", 1)[0].strip()
        if not s:
            names = []
            continue
        if s.startswith("["):
            m = re.match(r"\[([A-Z]{3})([A-Z]{3})[A-Z]*\s*([<>]?)([0-9]{6,8})?(?:-([0-9]{6,8}))?\]", s)
            if m and names and m.group(2) in ("GOV", "MIL", "LEG", "JUD", "OPP", "REB"):
                start, end = dates(m.group(3), m.group(4), m.group(5))
                # A term still open in the file ran, as far as the file knows, to its
                # date; later terms come from the office-holder table (people.tsv).
                if start and not end:
                    end = COUNTRYINFO_DATE
                if start or end:
                    rows.append([names[0], "|".join(names[1:]), iso(m.group(1)), m.group(2), "", start, end])
            continue
        token = s.split("[")[0].strip()
        if token.startswith("+"):
            if names:
                names.append(phrase(token))
        elif not re.search(r"\[[A-Z]{3}\]", s):
            names = [phrase(token)]
        else:
            names = []
    rows = [r for r in rows if len(r[2]) == 3 and all(len(n) > 3 for n in [r[0]])]
    header = [
        "# Office holders to 2014 with dated roles, converted by scripts/build_dictionaries.py from",
        "# Phoenix.Countries.actors.txt (CountryInfo; Open Event Data Alliance, MIT licence; see NOTICE).",
        f"# Terms still open in that file end on its date, {COUNTRYINFO_DATE}: later terms are people.tsv's.",
    ]
    write(OUT / "actors/people-phoenix.tsv", header,
          ["name", "aliases", "country", "role", "office", "start", "end"], rows)


if __name__ == "__main__":
    phoenix_people()
