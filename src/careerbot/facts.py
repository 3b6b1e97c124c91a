"""Structured facts of a guide: salary figures, career ladder, skills, certifications, advice.

Everything is read from the section tree by general rules: section names are matched
case-insensitively against common career-guide vocabulary, ``Label: value`` lines and
``- item`` bullets carry the figures and lists, and a few sentence patterns pick up what only
prose states (the top-earner figure, certification names, roles beyond the ladder). A guide
that lacks a fact yields ``None`` or an empty value for it. Pure functions over the section
tree; sentences are split and section paths joined as ``careerbot.ingest`` does it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# ingest is loaded with the package anyway (careerbot.answer imports it), so this costs nothing.
from .ingest import PATH_SEP, split_sentences

# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class SalaryLevel:
    """One figure of the salary section ("Entry-Level", 65250, "$65,250")."""

    label: str
    amount: int
    text: str


@dataclass(frozen=True)
class Tier:
    """One step of the career ladder, in ladder order."""

    name: str
    years: str
    min_years: float | None
    max_years: float | None
    summary: str
    section: str


@dataclass(frozen=True)
class GuideFacts:
    """The facts of one guide; ``sources`` maps a fact name to the section it came from."""

    guide: str
    salary: tuple[SalaryLevel, ...] = ()
    salary_range: str | None = None
    tiers: tuple[Tier, ...] = ()
    growth_rate: str | None = None
    market_demand: str | None = None
    skill_map: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tech_skills: tuple[str, ...] = ()
    soft_skills: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    progression_roles: tuple[str, ...] = ()
    quick: dict[str, str] = field(default_factory=dict)  # QUICK_FACTS key → value as written
    similar: tuple[str, ...] = ()  # occupations the guide's "Similar Occupations" section names
    examples: dict[str, str] = field(default_factory=dict)  # "wireshark" → "Network Diagnostic Tools"
    sources: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- text helpers

_KV = re.compile(r"^([^:]{1,48}?):\s+(\S.*)$")
_MONEY = re.compile(r"^([$€£]?)\s?(\d[\d,]*(?:\.\d+)?)\s*([kK])?\s*\+?$")
_MONEY_IN_TEXT = re.compile(r"[$€£]\s?\d[\d,]*(?:\.\d+)?\s?[kK]?\+?")
_RANGE = re.compile(r"^[$€£]?\s?\d[\d,.]*\s*[kK]?\s*(?:[—–-]|to)\s*[$€£]?\s?\d[\d,.]*\s*[kK]?\+?$")
_PERCENT = re.compile(r"[+-]?\d+(?:\.\d+)?\s?%")


@dataclass(frozen=True)
class _Section:
    name: str
    parts: tuple[str, ...]
    lines: tuple[str, ...]

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(ln[2:].strip() for ln in self.lines if ln.startswith("- ") and ln[2:].strip())

    @property
    def prose(self) -> tuple[str, ...]:
        return tuple(ln for ln in self.lines if not ln.startswith("- ") and not _kv(ln))


def _kv(line: str) -> tuple[str, str] | None:
    """``Label: value`` of a line (also inside a bullet), or None for prose."""
    line = line[2:] if line.startswith("- ") else line
    m = _KV.match(line.strip())
    if not m or len(line) >= 120 or not (m.group(1)[:1].isupper() or m.group(1)[:1].isdigit()):
        return None
    label = m.group(1).strip()
    if len(label.split()) > 6 or label.endswith((".", ",")):
        return None
    return label, m.group(2).strip()


def _matches(pattern: re.Pattern[str], part: str) -> bool:
    return not part.rstrip().endswith("?") and bool(pattern.fullmatch(part.strip()))


def _amount(text: str) -> float | None:
    """The figure of a bare money value ("$77,500", "45k", "$23.50", "$95,000+"), or None."""
    m = _MONEY.match(text.strip())
    if not m:
        return None
    value = float(m.group(2).replace(",", ""))
    return value * 1000 if m.group(3) else value


def _money(text: str) -> int | None:
    value = _amount(text)
    return None if value is None else round(value)


# --------------------------------------------------------------------------- section names

_SALARY_NAME = re.compile(
    r"(?:annual |average |median |typical )?(?:salary|salaries|pay|compensation|earnings|wages?)\b.*",
    re.I,
)
_LADDER_NAME = re.compile(
    r"(?:career )?(?:path |ladder |progression |level )?(?:tiers?|ladder|levels|stages)"
    r"|career (?:path|progression|ladder)",
    re.I,
)
_SKILL_MAP_NAME = re.compile(r"skills?[ -](?:map|tree|matrix)", re.I)
_TECH_NAME = re.compile(r"(?:tech|technical|hard) (?:skills|abilities)", re.I)
_SOFT_NAME = re.compile(r"soft (?:skills|abilities)", re.I)
_MISTAKES_NAME = re.compile(r"(?:common )?(?:mistakes|pitfalls)\b.*", re.I)
_ADVICE_NAME = re.compile(r".*\badvice\b.*", re.I)
_TIPS_NAME = re.compile(r".*\btips\b.*", re.I)
_CERT_NAME = re.compile(r"(?:\w+ )?(?:certifications?|licen[cs](?:es|ing)?|credentials)\b.*", re.I)

_GROWTH_LABEL = re.compile(r"(?:job |employment |projected )?growth(?: rate)?", re.I)
_DEMAND_LABEL = re.compile(r"(?:market )?demand(?: level)?", re.I)
# Quick-facts rows as career sites label them ("2024 Median Pay", "Typical Entry-Level Education",
# "Job Outlook, 2024-34"): key → (label pattern, display name). Values are kept as written.
QUICK_FACTS: dict[str, tuple[re.Pattern[str], str]] = {
    "median_pay": (re.compile(r"(?:\d{4}\s+)?median (?:annual )?(?:pay|wage|salary)", re.I), "Median pay"),
    "education": (re.compile(r"(?:typical )?entry[- ]level education", re.I), "Entry-level education"),
    "experience": (re.compile(r"work experience(?: in a related occupation)?", re.I), "Work experience"),
    "training": (re.compile(r"on[- ]the[- ]job training", re.I), "On-the-job training"),
    "jobs": (re.compile(r"number of jobs(?:,? \d{4})?", re.I), "Number of jobs"),
    "outlook": (re.compile(r"job outlook(?:,? \d{4}\s*[-–]\s*\d{2,4})?", re.I), "Job outlook"),
    "change": (re.compile(r"employment change(?:,? \d{4}\s*[-–]\s*\d{2,4})?", re.I), "Employment change"),
}
_EXPERIENCE_LABEL = re.compile(r"experience|years(?: of experience)?|tenure", re.I)


# --------------------------------------------------------------------------- years

_NUM = r"(\d+(?:\.\d+)?)"
_YEARS_SPAN = re.compile(rf"{_NUM}\s*(?:-|–|—|to)\s*{_NUM}\s*\+?\s*(?:years?|yrs?)\b", re.I)
_YEARS_OPEN = re.compile(rf"{_NUM}\s*\+\s*(?:years?|yrs?)\b|{_NUM}\s*(?:years?|yrs?)\s*(?:\+|or more)", re.I)
_YEARS_ONE = re.compile(rf"{_NUM}\s*(?:years?|yrs?)\b", re.I)


def parse_years(text: str) -> tuple[str, float | None, float | None] | None:
    """First experience span in ``text``: ("5-8 years", 5, 8), ("8+ years", 8, None), or None."""
    found: list[tuple[int, str, float | None, float | None]] = []
    if m := _YEARS_SPAN.search(text):
        found.append((m.start(), m.group(0), float(m.group(1)), float(m.group(2))))
    if m := _YEARS_OPEN.search(text):
        found.append((m.start(), m.group(0), float(m.group(1) or m.group(2)), None))
    if not found and (m := _YEARS_ONE.search(text)):
        found.append((m.start(), m.group(0), float(m.group(1)), float(m.group(1))))
    if not found:
        return None
    _, span, lo, hi = min(found, key=lambda f: f[0])
    return span.strip(), lo, hi


# --------------------------------------------------------------------------- extractors


def _salary(
    sections: list[_Section],
) -> tuple[tuple[SalaryLevel, ...], str | None, str | None]:
    """Salary figures and range from the first salary section and its subsections."""
    first = next((s for s in sections if any(_matches(_SALARY_NAME, p) for p in s.parts)), None)
    if first is None:
        return (), None, None
    depth = next(i for i, p in enumerate(first.parts) if _matches(_SALARY_NAME, p)) + 1
    group = [s for s in sections if s.parts[:depth] == first.parts[:depth]]
    levels: dict[str, SalaryLevel] = {}
    salary_range: str | None = None
    for section in group:
        for line in section.lines:
            kv = _kv(line)
            if kv:
                label, value = kv
                if _RANGE.match(value) or "range" in label.lower():
                    if salary_range is None and _RANGE.match(value):
                        salary_range = value
                    continue
                amount = _money(value)
                if amount is not None and label not in levels:
                    levels[label] = SalaryLevel(label, amount, value)
                continue
            body = line[2:] if line.startswith("- ") else line
            for m in re.finditer(r"\b((?:Top|Bottom|Upper|Lower) \d+%)", body, re.I):
                money = _MONEY_IN_TEXT.search(body, m.end())
                amount = _money(money.group(0)) if money else None
                label = m.group(1)[:1].upper() + m.group(1)[1:]
                if money and amount is not None and label not in levels:
                    levels[label] = SalaryLevel(label, amount, money.group(0).strip())
    source = first.name if levels or salary_range else None
    return tuple(levels.values()), salary_range, source


def _tiers(sections: list[_Section]) -> tuple[Tier, ...]:
    """Ladder steps: subsections of a "Career Path Tiers"-like section, else its own lines."""
    for i, s in enumerate(sections):
        depth = next((k for k, p in enumerate(s.parts) if _matches(_LADDER_NAME, p)), None)
        if depth is None:
            continue
        prefix = s.parts[: depth + 1]
        children = [c for c in sections[i:] if c.parts[: depth + 1] == prefix and len(c.parts) > depth + 1]
        tiers = [t for c in children if (t := _tier_of(c)) is not None]
        if not tiers:
            own = [c for c in sections[i:] if c.parts == prefix]
            tiers = [t for c in own for ln in c.lines if (t := _tier_of_line(ln, c.name)) is not None]
        if tiers:
            return tuple(tiers)
    return ()


def _tier_of(section: _Section) -> Tier | None:
    years: tuple[str, float | None, float | None] | None = None
    for line in section.lines:
        kv = _kv(line)
        if kv and _EXPERIENCE_LABEL.fullmatch(kv[0]):
            years = parse_years(kv[1])
            if years:
                break
    if years is None:
        years = next((y for ln in section.lines if (y := parse_years(ln))), None)
    if years is None:
        return None
    prose = section.prose
    summary = split_sentences(prose[0])[0] if prose else ""
    return Tier(section.parts[-1], years[0], years[1], years[2], summary, section.name)


def _tier_of_line(line: str, section: str) -> Tier | None:
    """A one-line step: "- Junior Technician (0-2 years): assists ..." or "Senior: 5-8 years"."""
    body = line[2:] if line.startswith("- ") else line
    years = parse_years(body)
    if years is None:
        return None
    head, _, rest = body.partition(":")
    name = re.sub(r"\s*[(\[—–-]?\s*" + re.escape(years[0]) + r"\s*[)\]]?\s*", " ", head).strip(" -—–,")
    if not name or not name[:1].isupper() or len(name.split()) > 6:
        return None
    rest = rest.replace(years[0], "").strip(" -—–,()")
    summary = split_sentences(rest)[0] if rest else ""
    return Tier(name, years[0], years[1], years[2], summary, section)


def _first_label(sections: list[_Section], label: re.Pattern[str]) -> tuple[str, str] | None:
    """(value, section) of the first ``Label: value`` line whose label matches."""
    for s in sections:
        for line in s.lines:
            kv = _kv(line)
            if kv and label.fullmatch(kv[0]):
                return kv[1], s.name
    return None


def _items_of(sections: list[_Section], *names: re.Pattern[str]) -> tuple[tuple[str, ...], str | None]:
    """Items of the first list section whose own name matches (earlier patterns win)."""
    for pattern in names:
        for s in sections:
            if _matches(pattern, s.parts[-1]) and s.items:
                return s.items, s.name
    return (), None


def _skill_map(sections: list[_Section]) -> tuple[dict[str, tuple[str, ...]], str | None]:
    groups: dict[str, tuple[str, ...]] = {}
    source: str | None = None
    for s in sections:
        depth = next((k for k, p in enumerate(s.parts) if _matches(_SKILL_MAP_NAME, p)), None)
        if depth is None or len(s.parts) <= depth + 1 or not s.items:
            continue
        groups[s.parts[-1]] = groups.get(s.parts[-1], ()) + s.items
        source = source or s.name
    return groups, source


# Certifications ------------------------------------------------------------------------------

_CERT_TOPIC = re.compile(r"certif|credential|designation|licen[cs]", re.I)
_NAME_TOKEN = r"(?:[A-Z][\w+.#/-]*|&)"
_NAMED_ACRONYM = re.compile(
    rf"({_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}|and|of|for|in|de))*)\s*\(([A-Z][A-Za-z0-9+&/-]{{1,11}})\)"
)
_CERT_LIST = re.compile(
    r"\b(?:certifications?|certificates?|credentials?|designations?|licen[cs]es?)\s*,?\s*"
    r"(?:such as|like|including|e\.g\.,?)\s+([^.;:]+?(?:\.\w[^.;:]*?)*)(?=[.;:]\s|[.;:]?$)",
    re.I,
)
_EG = re.compile(r"\((?:e\.g\.|for example|such as),?\s*([^)]+)\)", re.I)
_LEADING_ARTICLE = re.compile(r"^(?:The|A|An|This|These|Their|Its)\s+")
_CONNECTORS = {"and", "of", "for", "in", "de", "&"}


def _name_run(piece: str) -> str:
    """The leading run of capitalised words of ``piece`` ("CompTIA Network+ further ..." → ...)."""
    words: list[str] = []
    for w in piece.split():
        if w[:1].isupper() or w[:1].isdigit() or re.fullmatch(r"\([A-Z][\w+&/-]*\)", w) or w in _CONNECTORS:
            words.append(w)
        else:
            break
    while words and words[-1] in _CONNECTORS:
        words.pop()
    return " ".join(words).strip(" ,")


def _split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r",\s*(?:or |and )?|\s+or\s+|\s+and\s+(?=[A-Z])", text) if p.strip()]


def _cert_key(name: str) -> str:
    if m := re.search(r"\(([A-Z][A-Za-z0-9+&/-]{1,11})\)\s*$", name):
        return m.group(1).upper()
    if re.fullmatch(r"[A-Z][A-Z0-9+&/-]{1,11}", name):
        return name
    return name.lower()


def _certifications(sections: list[_Section]) -> tuple[tuple[str, ...], str | None]:
    found: dict[str, str] = {}
    source: str | None = None

    def add(name: str, where: str) -> None:
        nonlocal source
        name = _LEADING_ARTICLE.sub("", name.strip(" ,;")).strip()
        if len(name) < 2 or not (name[:1].isupper() or name[:1].isdigit()) or len(name.split()) > 10:
            return
        key = _cert_key(name)
        current = found.get(key)
        if current is None:
            found[key] = name
            source = source or where
        elif len(name) > len(current) and "(" in name and "(" not in current:
            found[key] = name  # a bare acronym seen first gets its full name later

    for s in sections:
        if _matches(_CERT_NAME, s.parts[-1]):
            for item in s.items:
                add(item.split(":")[0].split(" – ")[0].split(" — ")[0], s.name)
        for line in s.lines:
            body = line[2:] if line.startswith("- ") else line
            for sentence in split_sentences(body):
                if not _CERT_TOPIC.search(sentence):
                    continue
                hits: list[tuple[int, str]] = []
                for m in _NAMED_ACRONYM.finditer(sentence):
                    hits.append((m.start(), f"{m.group(1)} ({m.group(2)})"))
                for m in _CERT_LIST.finditer(sentence):
                    offset = m.start(1)
                    for piece in _split_list(m.group(1)):
                        if run := _name_run(piece):
                            hits.append((offset + m.group(1).find(piece), run))
                for m in _EG.finditer(sentence):
                    for piece in _split_list(m.group(1)):
                        hits.append((m.start(1) + m.group(1).find(piece), piece))
                for _, name in sorted(hits, key=lambda h: h[0]):
                    add(name, s.name)
    return tuple(found.values()), source


# Progression --------------------------------------------------------------------------------

_PROGRESS = re.compile(
    r"\b(?:progress\w*|advanc\w*|promot\w*|move (?:up|on|into)|moving (?:up|on|into)|step (?:up|into)|"
    r"transition\w*|grow into|career (?:progression|growth)|beyond)\b",
    re.I,
)
_ROLES_LIST = re.compile(
    r"\b(?:roles?|positions?|titles?|jobs?|careers?|opportunities)\s*,?\s*(?:such as|like|including|e\.g\.,?)"
    r"\s+(.+?)(?=,\s*(?:depending|especially|based|with|where|which|often|typically)\b|[.;:](?:\s|$)|$)",
    re.I,
)


def _progression(sections: list[_Section], tiers: tuple[Tier, ...]) -> tuple[tuple[str, ...], str | None]:
    skip = {t.name.lower() for t in tiers}
    for s in sections:
        for line in s.prose:
            for sentence in split_sentences(line):
                if not _PROGRESS.search(sentence):
                    continue
                roles: list[str] = []
                for m in _ROLES_LIST.finditer(sentence):
                    for piece in _split_list(m.group(1)):
                        run = _name_run(piece)
                        if run and run == piece.rstrip(" .") and run.lower() not in skip and run not in roles:
                            roles.append(run)
                if roles:
                    return tuple(roles), s.name
    return (), None


_EXAMPLE = re.compile(
    r"^(?:- )?([^()]{3,60}?)\s*\((?:e\.g\.,?|such as|like|including|for example,?)\s+([^)]+)\)"
)


_SIMILAR_NAME = re.compile(r"(?:similar|related) (?:occupations|jobs|careers|roles)", re.I)
_SIMILAR_ROW = re.compile(r"^(?:- )?([^:]{2,80}):\s+Job Duties:", re.I)


def _similar(sections: list[_Section]) -> tuple[tuple[str, ...], str | None]:
    """Occupations named by the first "Similar Occupations" section that names any: the labels
    of its ``Name: Job Duties: …`` rows (a table as ingestion writes it), else its bullets."""
    for s in sections:
        if not _matches(_SIMILAR_NAME, s.parts[-1]):
            continue
        names = [m.group(1).strip() for ln in s.lines if (m := _SIMILAR_ROW.match(ln))]
        names = names or [item for item in s.items if len(item) <= 60 and ":" not in item]
        if names:
            return tuple(dict.fromkeys(n for n in names if n)), s.name
    return (), None


def _examples(sections: list[_Section]) -> dict[str, str]:
    """Names a guide gives as examples of an item ("Network Diagnostic Tools (e.g., Wireshark)"),
    each mapped to the item, so a person naming the example names the item."""
    out: dict[str, str] = {}
    for s in sections:
        for line in s.lines:
            m = _EXAMPLE.match(line)
            if not m:
                continue
            for name in re.split(r",\s*|\s+(?:and|or)\s+|/", m.group(2)):
                name = name.strip(" .").lower()
                if name and len(name) <= 30 and name not in out:
                    out[name] = m.group(1).strip()
    return out


# --------------------------------------------------------------------------- public API


def _merged(sections: Iterable[tuple[str, str]]) -> list[_Section]:
    """(section path, text) pairs as sections, the chunks of one section merged."""
    merged: dict[str, list[str]] = {}
    for name, text in sections:
        merged.setdefault(name, []).extend(ln.strip() for ln in text.split("\n") if ln.strip())
    return [_Section(n, tuple(p.strip() for p in n.split(PATH_SEP)), tuple(ls)) for n, ls in merged.items()]


def similar_occupations(sections: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The occupations a guide's "Similar Occupations" section names (``sections`` as for
    ``extract_facts``): other occupations, in the guide's own words."""
    return _similar(_merged(sections))[0]


def extract_facts(guide: str, sections: Iterable[tuple[str, str]]) -> GuideFacts:
    """Facts of one guide.

    ``sections``: (section path, text) pairs in reading order, e.g.
    ``[(c.section, c.text) for c in chunks]``; chunks of one section are merged.
    """
    secs = _merged(sections)

    sources: dict[str, str] = {}

    def note(key: str, where: str | None, present: object) -> None:
        if present and where:
            sources[key] = where

    salary, salary_range, salary_src = _salary(secs)
    note("salary", salary_src, salary)
    note("salary_range", salary_src, salary_range)

    tiers = _tiers(secs)
    note("tiers", tiers[0].section if tiers else None, tiers)

    growth = _first_label(secs, _GROWTH_LABEL)
    growth_rate = None
    if growth:
        pct = _PERCENT.search(growth[0])
        growth_rate = pct.group(0).replace(" ", "") if pct else growth[0]
        note("growth_rate", growth[1], growth_rate)

    quick: dict[str, str] = {}
    for key, (label, _) in QUICK_FACTS.items():
        found = _first_label(secs, label)
        if found:
            quick[key] = found[0]
            note(f"quick.{key}", found[1], found[0])
    if growth_rate is None and "outlook" in quick:
        pct = _PERCENT.search(quick["outlook"])
        if pct:
            growth_rate = pct.group(0).replace(" ", "")
            note("growth_rate", sources.get("quick.outlook"), growth_rate)

    examples = _examples(secs)

    demand = _first_label(secs, _DEMAND_LABEL)
    market_demand = demand[0] if demand else None
    note("market_demand", demand[1] if demand else None, market_demand)

    skill_map, map_src = _skill_map(secs)
    note("skill_map", map_src, skill_map)
    tech, tech_src = _items_of(secs, _TECH_NAME)
    note("tech_skills", tech_src, tech)
    soft, soft_src = _items_of(secs, _SOFT_NAME)
    note("soft_skills", soft_src, soft)
    certs, cert_src = _certifications(secs)
    note("certifications", cert_src, certs)
    mistakes, mistakes_src = _items_of(secs, _MISTAKES_NAME)
    note("mistakes", mistakes_src, mistakes)
    advice, advice_src = _items_of(secs, _ADVICE_NAME, _TIPS_NAME)
    note("advice", advice_src, advice)
    roles, roles_src = _progression(secs, tiers)
    note("progression_roles", roles_src, roles)
    similar, similar_src = _similar(secs)
    note("similar", similar_src, similar)

    return GuideFacts(
        guide=guide,
        salary=salary,
        salary_range=salary_range,
        tiers=tiers,
        growth_rate=growth_rate,
        market_demand=market_demand,
        skill_map=skill_map,
        tech_skills=tech,
        soft_skills=soft,
        certifications=certs,
        mistakes=mistakes,
        advice=advice,
        progression_roles=roles,
        quick=quick,
        similar=similar,
        examples=examples,
        sources=sources,
    )


# --------------------------------------------------------------------------- headline figures

_PER_YEAR = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(?:per year|a year|annually|/\s?(?:yr|year))", re.I)
_PER_HOUR = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(?:per hour|an hour|hourly|/\s?(?:hr|hour))", re.I)
_AT_LEAST = re.compile(r"equal to or (?:greater|more) than|or more\b|\bat least\b|\+", re.I)
_PLAIN_NUMBER = re.compile(r"^\s*([-+−–]?)\s*(\d[\d,]*)\s*$")
_OUTLOOK = re.compile(r"^\s*([-+−–]?\d+(?:\.\d+)?)\s?%\s*(?:\(([^)]*)\))?\s*$")
# Values that send the reader elsewhere instead of giving the fact.
_NOT_A_VALUE = re.compile(r"see .*|n/?a|not available|--|—|-", re.I)


@dataclass(frozen=True)
class QuickFigures:
    """A guide's headline facts with their figures as numbers, for comparing and filtering.

    A number is ``None`` when the guide lacks the fact or writes it in a way that is no plain
    figure; ``text`` keeps every fact as written (``QUICK_FACTS`` keys), so nothing is guessed:
    an hourly-only pay has no yearly figure, and "equal to or greater than $239,200 per year"
    is ``pay_year=239200`` with ``pay_at_least=True``.
    """

    pay_year: int | None = None
    pay_hour: float | None = None
    pay_at_least: bool = False
    education: str | None = None
    experience: str | None = None
    training: str | None = None
    jobs: int | None = None
    growth_pct: float | None = None
    growth_words: str | None = None
    change: int | None = None
    text: dict[str, str] = field(default_factory=dict)


def _signed_int(text: str) -> int | None:
    m = _PLAIN_NUMBER.match(text)
    if not m:
        return None
    value = int(m.group(2).replace(",", ""))
    return -value if m.group(1) in ("-", "−", "–") else value


def _number(text: str) -> float:
    """A figure as written, with thousands commas and any minus sign ("−3", "–1,200")."""
    return float(text.replace(",", "").replace("−", "-").replace("–", "-"))


def _value(text: str | None) -> str | None:
    """A categorical value as written, or None for "See How to Become One" and the like."""
    if text is None or not text.strip() or _NOT_A_VALUE.fullmatch(text.strip()):
        return None
    return text.strip()


def quick_figures(f: GuideFacts) -> QuickFigures:
    """The headline facts of ``f`` as numbers (see :class:`QuickFigures`)."""
    q = f.quick
    pay = q.get("median_pay", "")
    year, hour = _PER_YEAR.search(pay), _PER_HOUR.search(pay)
    if pay and not year and not hour and (amount := _amount(pay)) is not None:
        # A bare figure ("$77,500", "$95,000+"): yearly when it reads like a salary, hourly when it
        # reads like a wage; never converted from one to the other.
        pay_year: int | None = round(amount) if amount >= 1000 else None
        pay_hour: float | None = None if amount >= 1000 else amount
    else:
        pay_year = round(_number(year.group(1))) if year else None
        pay_hour = _number(hour.group(1)) if hour else None
    growth_pct: float | None = None
    growth_words: str | None = None
    if m := _OUTLOOK.match(q.get("outlook", "")):
        growth_pct = _number(m.group(1))
        growth_words = m.group(2).strip() if m.group(2) else None
    elif f.growth_rate and (m := _OUTLOOK.match(f.growth_rate)):
        growth_pct = _number(m.group(1))
    return QuickFigures(
        pay_year=pay_year,
        pay_hour=pay_hour,
        pay_at_least=bool(pay) and bool(_AT_LEAST.search(pay)),
        education=_value(q.get("education")),
        experience=_value(q.get("experience")),
        training=_value(q.get("training")),
        jobs=_signed_int(q.get("jobs", "")),
        growth_pct=growth_pct,
        growth_words=growth_words,
        change=_signed_int(q.get("change", "")),
        text=dict(q),
    )


def facts_to_dict(f: GuideFacts) -> dict[str, Any]:
    """A JSON-serialisable dict (tuples become lists)."""
    return {
        "guide": f.guide,
        "salary": [{"label": s.label, "amount": s.amount, "text": s.text} for s in f.salary],
        "salary_range": f.salary_range,
        "tiers": [
            {
                "name": t.name,
                "years": t.years,
                "min_years": t.min_years,
                "max_years": t.max_years,
                "summary": t.summary,
                "section": t.section,
            }
            for t in f.tiers
        ],
        "growth_rate": f.growth_rate,
        "market_demand": f.market_demand,
        "skill_map": {k: list(v) for k, v in f.skill_map.items()},
        "tech_skills": list(f.tech_skills),
        "soft_skills": list(f.soft_skills),
        "certifications": list(f.certifications),
        "mistakes": list(f.mistakes),
        "advice": list(f.advice),
        "progression_roles": list(f.progression_roles),
        "quick": dict(f.quick),
        "similar": list(f.similar),
        "examples": dict(f.examples),
        "sources": dict(f.sources),
    }


def facts_from_dict(d: dict[str, Any]) -> GuideFacts:
    """Inverse of :func:`facts_to_dict`; missing keys take their empty value."""

    def years(v: Any) -> float | None:
        return None if v is None else float(v)

    return GuideFacts(
        guide=d.get("guide", ""),
        salary=tuple(SalaryLevel(s["label"], int(s["amount"]), s["text"]) for s in d.get("salary", ())),
        salary_range=d.get("salary_range"),
        tiers=tuple(
            Tier(
                t["name"],
                t["years"],
                years(t.get("min_years")),
                years(t.get("max_years")),
                t.get("summary", ""),
                t.get("section", ""),
            )
            for t in d.get("tiers", ())
        ),
        growth_rate=d.get("growth_rate"),
        market_demand=d.get("market_demand"),
        skill_map={k: tuple(v) for k, v in d.get("skill_map", {}).items()},
        tech_skills=tuple(d.get("tech_skills", ())),
        soft_skills=tuple(d.get("soft_skills", ())),
        certifications=tuple(d.get("certifications", ())),
        mistakes=tuple(d.get("mistakes", ())),
        advice=tuple(d.get("advice", ())),
        progression_roles=tuple(d.get("progression_roles", ())),
        quick=dict(d.get("quick", {})),
        similar=tuple(d.get("similar", ())),
        examples=dict(d.get("examples", {})),
        sources=dict(d.get("sources", {})),
    )
