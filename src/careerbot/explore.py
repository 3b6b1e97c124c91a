"""The career explorer: compare occupations and find the ones that fit, from every guide's
headline facts (``facts.QuickFigures``), each figure cited to the guide section it came from.

Pure functions over :class:`Occupation` records: reading a question (``read_find``,
``comparison_metric``, ``similar_asked``), ranking and filtering, and writing the answer as a
short lead sentence plus a small table whose cells carry ``[n]`` markers. The engine supplies the
records and resolves occupation names; nothing here touches the index.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .answer import Answer, Source, join_words
from .facts import QUICK_FACTS, QuickFigures
from .occupations import GENERIC_PEOPLE, is_person_noun

# Entry-level education as career handbooks write it, least schooling first. A value that
# matches none ("See How to Become One") has no level and matches no education filter.
EDUCATION_LEVELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("No formal educational credential", re.compile(r"no formal|none\b", re.I)),
    ("High school diploma or equivalent", re.compile(r"high school|ged\b|secondary school", re.I)),
    (
        "Postsecondary nondegree award",
        re.compile(r"postsecondary (?:non-?degree|certificate)|nondegree", re.I),
    ),
    ("Some college, no degree", re.compile(r"some college", re.I)),
    ("Associate's degree", re.compile(r"associate", re.I)),
    ("Bachelor's degree", re.compile(r"bachelor", re.I)),
    ("Master's degree", re.compile(r"master", re.I)),
    ("Doctoral or professional degree", re.compile(r"doctor|professional degree|ph\.?d", re.I)),
)
# The outlook words of a handbook, worst first ("Much faster than average" is the best).
GROWTH_WORDS = (
    "Decline",
    "Little or no change",
    "Slower than average",
    "As fast as average",
    "Faster than average",
    "Much faster than average",
)

Metric = Literal["pay", "outlook", "education", "jobs"]
SortKey = Literal["pay", "growth", "jobs", "change", "education"]


def education_level(value: str | None) -> int | None:
    """The rank of an entry-level education value (0 = no formal credential), or None."""
    if not value:
        return None
    for level, (_, pattern) in enumerate(EDUCATION_LEVELS):
        if pattern.search(value):
            return level
    return None


def _growth_rank(words: str | None) -> int | None:
    if not words:
        return None
    low = words.strip().lower()
    return next((i for i, w in enumerate(GROWTH_WORDS) if w.lower() == low), None)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Occupation:
    """One guide's occupation and its headline facts; ``section`` is where they stand."""

    guide: str  # the guide's title ("Electricians")
    slug: str
    figures: QuickFigures
    section: str  # section path of the headline facts ("Summary > Quick Facts: Electricians")
    similar: tuple[str, ...] = ()  # occupations its "Similar Occupations" section names

    @property
    def education_level(self) -> int | None:
        return education_level(self.figures.education)

    @property
    def growth_rank(self) -> int | None:
        return _growth_rank(self.figures.growth_words)


@dataclass(frozen=True)
class Comparison:
    """What ``careerbot.compare`` returns: the occupations side by side, cited.

    ``winner`` is the occupation that leads on ``metric`` (None when the figures cannot be
    compared exactly, e.g. one gives only an hourly wage, or on a tie); ``missing`` names the
    occupations asked about that no guide covers (never filled in).
    """

    occupations: tuple[Occupation, ...]
    missing: tuple[str, ...]
    metric: Metric | None
    winner: Occupation | None
    answer: Answer


@dataclass(frozen=True)
class Filters:
    """What ``careerbot.find`` filters and sorts by; every field is optional.

    Pay limits are median pay per year (``min_pay``/``max_pay``) or per hour (``min_hourly``/
    ``max_hourly``); an occupation whose guide lacks the figure a limit reads never matches it.
    Education limits are ``EDUCATION_LEVELS`` names (or any wording ``education_level`` reads,
    e.g. "high school"). ``among`` restricts the search to those guides (slugs).
    """

    min_education: str | None = None
    max_education: str | None = None
    min_pay: int | None = None
    max_pay: int | None = None
    min_hourly: float | None = None
    max_hourly: float | None = None
    min_growth: float | None = None  # projected growth %, inclusive
    max_growth: float | None = None
    min_outlook: str | None = None  # a GROWTH_WORDS entry: "Faster than average" or better
    no_experience: bool = False  # no work experience in a related occupation needed
    no_training: bool = False  # no on-the-job training needed
    experience: str | None = None  # work experience as the guides word it ("5 years or more")
    training: str | None = None  # on-the-job training that contains this ("apprenticeship")
    min_jobs: int | None = None  # number of jobs, at least
    sort: SortKey = "pay"
    descending: bool = True
    limit: int = 10
    among: tuple[str, ...] = ()

    def describe(self) -> str:
        """The filters in words ("need a high school diploma or less and pay over $55,000 a year")."""
        parts: list[str] = []
        lo, hi = education_level(self.min_education), education_level(self.max_education)
        if lo is not None and hi is not None and lo == hi:
            parts.append(f"start with {_article(EDUCATION_LEVELS[lo][0])}")
        elif hi == 3:
            parts.append("need no degree to start")
        elif hi == 0:
            parts.append("need no formal education to start")
        elif hi is not None:
            parts.append(f"need at most {_article(EDUCATION_LEVELS[hi][0])} to start")
        elif lo is not None:
            parts.append(f"need {_article(EDUCATION_LEVELS[lo][0])} or more to start")
        if self.no_experience:
            parts.append("need no experience in another occupation")
        if self.no_training:
            parts.append("need no on-the-job training")
        if self.experience:
            parts.append(f"need {self.experience.lower()} of experience in another occupation")
        if self.training:
            parts.append(f"train through {_article(self.training)}")
        if self.min_jobs is not None:
            parts.append(f"employ at least {self.min_jobs:,}")
        for low, high, unit, fmt in (
            (self.min_pay, self.max_pay, "a year", _dollars),
            (self.min_hourly, self.max_hourly, "an hour", _cents),
        ):
            if low is not None and high is not None:
                parts.append(f"pay a median between {fmt(low)} and {fmt(high)} {unit}")
            elif low is not None:
                parts.append(f"pay a median of at least {fmt(low)} {unit}")
            elif high is not None:
                parts.append(f"pay a median of at most {fmt(high)} {unit}")
        if self.min_outlook:
            parts.append(f"are projected to grow {self.min_outlook.lower()} or better")
        if self.min_growth is not None and self.max_growth is not None:
            parts.append(f"are projected to grow between {self.min_growth:g}% and {self.max_growth:g}%")
        elif self.min_growth is not None:
            parts.append(
                "are projected to grow"
                if self.min_growth > 0
                else "are not projected to shrink"
                if self.min_growth == 0
                else f"have projected growth of at least {self.min_growth:g}%"
            )
        elif self.max_growth is not None:
            parts.append(
                "are projected to decline" if self.max_growth < 0 else f"grow at most {self.max_growth:g}%"
            )
        return join_words(parts)


@dataclass(frozen=True)
class Found:
    """What ``careerbot.find`` returns: every matching occupation in the order asked (``matches``;
    the answer shows the first ``filters.limit``) and the answer itself."""

    filters: Filters
    matches: tuple[Occupation, ...]
    answer: Answer
    left_out: tuple[Occupation, ...] = ()  # would match, but lack a figure a filter reads
    relaxed: dict[str, int] = field(default_factory=dict)  # with no match: filter → matches without it


# --------------------------------------------------------------------------- display


def _dollars(amount: float) -> str:
    return f"${amount:,.0f}"


def _cents(amount: float) -> str:
    return f"${amount:,.2f}"


def _article(name: str) -> str:
    low = name[0].lower() + name[1:]
    if low.startswith(("no ", "some ")):
        return low
    return f"{'an' if low[0] in 'aeiou' else 'a'} {low}"


def _pay_in(f: QuickFigures, unit: Literal["year", "hour"]) -> str:
    """The median pay in one unit as written ("$62,350 a year", "$239,200 or more a year");
    the figure must exist."""
    more = " or more" if f.pay_at_least else ""
    if unit == "year":
        return f"{_dollars(f.pay_year or 0)}{more} a year"
    return f"{_cents(f.pay_hour or 0)}{more} an hour"


def _short_pay(f: QuickFigures) -> str:
    """Median pay per year, else per hour, else as written."""
    if f.pay_year is not None:
        return _pay_in(f, "year")
    if f.pay_hour is not None:
        return _pay_in(f, "hour")
    return f.text.get("median_pay", "") or "not given"


def pay_text(f: QuickFigures) -> str:
    """Median pay for display, from the figures as written ("$62,350 a year ($29.98 an hour)")."""
    if f.pay_year is not None and f.pay_hour is not None:
        return f"{_pay_in(f, 'year')} ({_pay_in(f, 'hour')})"
    return _short_pay(f)


def _as_written(f: QuickFigures, key: str) -> str:
    return f.text.get(key, "") or "not given"


ROWS: tuple[tuple[str, Callable[[QuickFigures], str]], ...] = (
    ("Median pay", pay_text),
    (QUICK_FACTS["education"][1], lambda f: _as_written(f, "education")),
    (QUICK_FACTS["experience"][1], lambda f: _as_written(f, "experience")),
    (QUICK_FACTS["training"][1], lambda f: _as_written(f, "training")),
    ("Job outlook (projected growth)", lambda f: _as_written(f, "outlook")),
    (QUICK_FACTS["jobs"][1], lambda f: _as_written(f, "jobs")),
    (QUICK_FACTS["change"][1], lambda f: _as_written(f, "change")),
)


def _plain_cell(cell: str) -> str:
    return cell.replace("|", "/").replace("\n", " ")


def markdown_table(rows: Sequence[Sequence[str]], cell: Callable[[str], str] = _plain_cell) -> str:
    """A Markdown pipe table of ``rows`` (the first is the header), each cell written by ``cell``
    (by default a ``|`` becomes "/" and a line break a space)."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    if not rows:
        return ""
    body = [line([cell(c) for c in r]) for r in rows]
    return "\n".join([body[0], line(["---"] * len(rows[0])), *body[1:]])


def _answer(
    lead: str,
    table: Sequence[Sequence[str]],
    sources: Sequence[Source],
    question: str,
    mode: str,
    tail: str = "",
) -> Answer:
    body = [lead]
    if table:
        body.append(markdown_table(table))
    if tail:
        body.append(tail)
    rows = tuple(tuple(r) for r in table)
    return Answer("\n\n".join(body), tuple(sources), False, mode=mode, question=question, table=rows)


# --------------------------------------------------------------------------- compare


def _pay_unit(occupations: Sequence[Occupation]) -> Literal["year", "hour"] | None:
    """The pay figure all of them give (per year, else per hour), or None."""
    if all(o.figures.pay_year is not None for o in occupations):
        return "year"
    if all(o.figures.pay_hour is not None for o in occupations):
        return "hour"
    return None


def _leader(
    occupations: Sequence[Occupation], key: Callable[[Occupation], float], low_wins: bool = False
) -> Occupation | None:
    """The single best of ``occupations`` by ``key``; None on a tie or when a lower bound
    ("$239,200 or more") leaves the order open."""
    ranked = sorted(occupations, key=key, reverse=not low_wins)
    if len(ranked) < 2 or key(ranked[0]) == key(ranked[1]):
        return None
    # a figure written as "or more" is only a floor: it wins only by lying above the rest
    if any(o.figures.pay_at_least for o in ranked[1:]) and not low_wins:
        return None
    return ranked[0]


def compare(
    occupations: Sequence[Occupation],
    sources: Sequence[Source],
    missing: Sequence[str] = (),
    metric: Metric | None = None,
    question: str = "",
) -> Comparison:
    """``occupations`` side by side; ``sources[i]`` is the headline-facts section of the i-th."""
    occs = tuple(occupations)
    marks = [f"[{i}]" for i in range(1, len(occs) + 1)]
    header = ["", *(o.guide for o in occs)]
    table = [header] + [
        [label, *(f"{show(o.figures)} {m}" for o, m in zip(occs, marks, strict=True))] for label, show in ROWS
    ]
    winner: Occupation | None = None
    gone = ""
    if missing:
        gone = f"I have no guide for {join_words(list(missing), 'or')}, so I won't guess figures for it."
    if len(occs) < 2:
        if not occs:
            return Comparison((), tuple(missing), metric, None, _missing_only(gone, question))
        o = occs[0]
        lead = (
            f"{gone} {o.guide}: a median pay of {pay_text(o.figures)} [1], "
            f"entry-level education: {_as_written(o.figures, 'education')} [1], "
            f"job outlook: {_as_written(o.figures, 'outlook')} [1]."
        )
        return Comparison(
            occs, tuple(missing), metric, None, _answer(lead.strip(), table, sources, question, "compare")
        )
    lines: list[str] = []
    metrics: Sequence[Metric] = [metric] if metric else ["pay", "outlook"]
    for m in metrics:
        sentence, best = _compare_on(m, occs, marks)
        lines.append(sentence)
        if metric:
            winner = best
    lead = " ".join([gone, *lines]).strip()
    return Comparison(
        occs, tuple(missing), metric, winner, _answer(lead, table, sources, question, "compare")
    )


def _missing_only(gone: str, question: str) -> Answer:
    return Answer(gone, (), True, mode="compare", question=question)


def _others(
    occs: Sequence[Occupation], best: Occupation, marks: Sequence[str], show: Callable[[Occupation], str]
) -> str:
    rest = [f"{show(o)} for {o.guide} {marks[occs.index(o)]}" for o in occs if o is not best]
    return join_words(rest)


def _growth_text(o: Occupation) -> str:
    return f"{o.figures.growth_pct:g}%"


def _compare_on(
    metric: Metric, occs: Sequence[Occupation], marks: Sequence[str]
) -> tuple[str, Occupation | None]:
    """One sentence comparing ``occs`` on ``metric``, and the leader (None when there is none)."""
    mark = {o.slug: m for o, m in zip(occs, marks, strict=True)}
    if metric == "pay":
        unit = _pay_unit(occs)
        if unit is None:
            each = join_words([f"{o.guide} {_short_pay(o.figures)} {mark[o.slug]}" for o in occs])
            return (
                f"Their median pay cannot be compared exactly (not all give the same figure): {each}.",
                None,
            )

        def shown(o: Occupation) -> str:  # the figure compared: yearly, else hourly for all
            return _pay_in(o.figures, unit)

        def key(o: Occupation) -> float:
            return float((o.figures.pay_year if unit == "year" else o.figures.pay_hour) or 0)

        best = _leader(occs, key)
        if best is None:
            each = join_words([f"{o.guide} {shown(o)} {mark[o.slug]}" for o in occs])
            return f"Median pay: {each}.", None
        rest = _others(occs, best, marks, shown)
        most = "Better paid" if len(occs) == 2 else "Best paid"
        return (
            f"{most}: **{best.guide}**, with a median of {shown(best)} {mark[best.slug]}, against {rest}.",
            best,
        )
    if metric == "outlook":
        known = [o for o in occs if o.figures.growth_pct is not None]
        if len(known) < len(occs):
            each = join_words([f"{o.guide} {_as_written(o.figures, 'outlook')} {mark[o.slug]}" for o in occs])
            return f"Job outlook: {each}.", None
        best = _leader(occs, lambda o: o.figures.growth_pct or 0.0)
        if best is None:
            each = join_words([f"{o.guide} {_growth_text(o)} {mark[o.slug]}" for o in occs])
            return f"Projected job growth is the same: {each}.", None
        words = f" ({best.figures.growth_words.lower()})" if best.figures.growth_words else ""
        rest = _others(occs, best, marks, _growth_text)
        return (
            f"Better job outlook: **{best.guide}**, with employment projected to grow "
            f"{_growth_text(best)}{words} {mark[best.slug]}, against {rest}.",
            best,
        )
    if metric == "education":
        known = [o for o in occs if o.education_level is not None]
        if len(known) < len(occs):
            each = join_words(
                [f"{o.guide}: {_as_written(o.figures, 'education')} {mark[o.slug]}" for o in occs]
            )
            return f"Entry-level education: {each}.", None
        best = _leader(occs, lambda o: float(o.education_level or 0), low_wins=True)
        if best is None:
            level = _article(_as_written(occs[0].figures, "education"))
            return f"They need the same schooling to start: {level} {' '.join(marks)}.", None
        rest = _others(occs, best, marks, lambda o: _article(_as_written(o.figures, "education")))
        return (
            f"Least schooling to start: **{best.guide}**, with "
            f"{_article(_as_written(best.figures, 'education'))} {mark[best.slug]}, against {rest}.",
            best,
        )
    known = [o for o in occs if o.figures.jobs is not None]
    if len(known) < len(occs):
        each = join_words([f"{o.guide} {_as_written(o.figures, 'jobs')} {mark[o.slug]}" for o in occs])
        return f"Number of jobs: {each}.", None
    best = _leader(occs, lambda o: float(o.figures.jobs or 0))
    if best is None:
        return "They have the same number of jobs.", None
    rest = _others(occs, best, marks, lambda o: f"{o.figures.jobs:,}")
    return (
        f"Most jobs: **{best.guide}**, with {best.figures.jobs:,} {mark[best.slug]}, against {rest}.",
        best,
    )


# --------------------------------------------------------------------------- find

_SORT_WORDS: dict[SortKey, str] = {
    "pay": "highest median pay first",
    "growth": "fastest projected growth first",
    "jobs": "most jobs first",
    "change": "most new jobs first",
    "education": "most schooling first",
}
_SORT_WORDS_ASC: dict[SortKey, str] = {
    "pay": "lowest median pay first",
    "growth": "fastest projected decline first",
    "jobs": "fewest jobs first",
    "change": "most jobs lost first",
    "education": "least schooling first",
}


def _value_of(sort: SortKey, o: Occupation) -> float | None:
    f = o.figures
    if sort == "pay":
        return float(f.pay_year) if f.pay_year is not None else None
    if sort == "growth":
        return f.growth_pct
    if sort == "jobs":
        return float(f.jobs) if f.jobs is not None else None
    if sort == "change":
        return float(f.change) if f.change is not None else None
    level = o.education_level
    return float(level) if level is not None else None


def _tests(filters: Filters) -> dict[str, Callable[[Occupation], bool | None]]:
    """Each filter as a test; None means the occupation lacks the figure the filter reads."""
    t: dict[str, Callable[[Occupation], bool | None]] = {}
    lo, hi = education_level(filters.min_education), education_level(filters.max_education)

    def between(value: float | None, low: float | None, high: float | None) -> bool | None:
        if value is None:
            return None
        return (low is None or value >= low) and (high is None or value <= high)

    if lo is not None or hi is not None:
        t["education"] = lambda o: between(o.education_level, lo, hi)
    if filters.min_pay is not None or filters.max_pay is not None:
        t["pay"] = lambda o: between(
            None if o.figures.pay_year is None else float(o.figures.pay_year),
            filters.min_pay,
            filters.max_pay,
        )
    if filters.min_hourly is not None or filters.max_hourly is not None:
        t["hourly pay"] = lambda o: between(o.figures.pay_hour, filters.min_hourly, filters.max_hourly)
    if filters.min_growth is not None or filters.max_growth is not None:
        t["growth"] = lambda o: between(o.figures.growth_pct, filters.min_growth, filters.max_growth)
    if filters.min_outlook:
        floor = _growth_rank(filters.min_outlook)
        t["outlook"] = lambda o: None if o.growth_rank is None or floor is None else o.growth_rank >= floor
    if filters.no_experience:
        t["experience"] = lambda o: (
            None if o.figures.experience is None else o.figures.experience.lower() == "none"
        )
    if filters.no_training:
        t["training"] = lambda o: None if o.figures.training is None else o.figures.training.lower() == "none"
    if filters.experience:
        want = filters.experience.lower()
        t["experience"] = lambda o: (
            None if o.figures.experience is None else o.figures.experience.lower() == want
        )
    if filters.training:
        kind = filters.training.lower()
        t["training"] = lambda o: None if o.figures.training is None else kind in o.figures.training.lower()
    if filters.min_jobs is not None:
        least = filters.min_jobs
        t["jobs"] = lambda o: None if o.figures.jobs is None else o.figures.jobs >= least
    return t


def _sorted(occs: Sequence[Occupation], sort: SortKey, descending: bool) -> list[Occupation]:
    """By the sort figure (missing figures last), ties by name."""
    have = [o for o in occs if _value_of(sort, o) is not None]
    lack = [o for o in occs if _value_of(sort, o) is None]
    have.sort(key=lambda o: o.guide)
    have.sort(key=lambda o: _value_of(sort, o) or 0.0, reverse=descending)
    return have + sorted(lack, key=lambda o: o.guide)


def find(
    occupations: Sequence[Occupation],
    filters: Filters,
    source_of: Callable[[Occupation], Source | None],
    question: str = "",
    within: str = "occupations it lists as similar",
) -> Found:
    """The occupations that pass every filter, sorted as asked; ``source_of`` gives the section
    to cite for each; ``within`` says what ``filters.among`` holds, for the answer's words."""
    pool = [o for o in occupations if not filters.among or o.slug in filters.among]
    tests = _tests(filters)
    matches: list[Occupation] = []
    left_out: list[Occupation] = []
    for o in pool:
        results = [test(o) for test in tests.values()]
        if all(r is True for r in results):
            matches.append(o)
        elif all(r is not False for r in results):
            left_out.append(o)  # passes what it can be judged on, but lacks a figure
    ordered = _sorted(matches, filters.sort, filters.descending)
    relaxed: dict[str, int] = {}
    if not ordered and len(tests) > 1:  # say which filter empties the list; relax nothing
        for name in tests:
            rest = [t for k, t in tests.items() if k != name]
            relaxed[name] = sum(1 for o in pool if all(t(o) is True for t in rest))
    answer = _find_answer(filters, ordered, left_out, relaxed, source_of, question, len(pool), within)
    return Found(filters, tuple(ordered), answer, tuple(left_out), relaxed)


def _find_answer(
    filters: Filters,
    ordered: Sequence[Occupation],
    left_out: Sequence[Occupation],
    relaxed: dict[str, int],
    source_of: Callable[[Occupation], Source | None],
    question: str,
    pool: int,
    within: str,
) -> Answer:
    what = filters.describe()
    among = f"of the {pool} occupations in the guides" if not filters.among else f"of the {pool} {within}"
    if not ordered:
        lead = f"None {among} {what}." if what else f"None {among} has the figures to rank."
        if relaxed:
            best = max(relaxed, key=lambda k: relaxed[k])
            if relaxed[best]:
                lead += f" Without the {best} limit, {relaxed[best]} would."
        return Answer(lead, (), False, mode="find", question=question)
    shown = ordered[: max(1, filters.limit)]
    sources: list[Source] = []
    # one more column for the figure sorted or filtered by, when the usual ones lack it
    extra: str | None = filters.sort if filters.sort in ("jobs", "change") else None
    if extra is None and (filters.experience or filters.no_experience):
        extra = "experience"
    if extra is None and (filters.training or filters.no_training):
        extra = "training"
    header = ["#", "Occupation", "Median pay", "Entry-level education", "Job outlook"]
    table: list[list[str]] = [header + ([QUICK_FACTS[extra][1]] if extra else [])]
    for i, o in enumerate(shown, 1):
        src = source_of(o)
        mark = ""
        if src is not None:
            sources.append(src)
            mark = f" [{len(sources)}]"
        f = o.figures
        row = [
            str(i),
            f"{o.guide}{mark}",
            _short_pay(f),
            _as_written(f, "education"),
            _as_written(f, "outlook"),
        ]
        table.append(row + ([_as_written(f, extra)] if extra else []))
    order = (_SORT_WORDS if filters.descending else _SORT_WORDS_ASC)[filters.sort]
    count = len(ordered)
    lead = f"{count} {among} {what}; {order}:" if what else f"The {among.removeprefix('of the ')}, {order}:"
    tail = ""
    if count > len(shown):
        tail = f"…and {count - len(shown)} more."
    if left_out:
        names = join_words(
            [o.guide for o in left_out[:3]] + ([f"{len(left_out) - 3} more"] if len(left_out) > 3 else [])
        )
        tail = f"{tail} Not counted, as their guide gives no figure for this: {names}.".strip()
    return _answer(lead, table, sources, question, "find", tail)


# --------------------------------------------------------------------------- reading questions

_JOBS = r"(?:jobs|careers|occupations|professions|trades|fields|roles|positions|gigs|lines of work)"
_JOB = r"(?:job|career|occupation|profession|trade|field)"
_FILLER = r"(?:[\w'$/+-]+\s+){0,4}?"
# A question that asks for occupations themselves ("which jobs …", "top 5 careers …", "jobs
# that pay …" opening the message), not about one ("is that line of work growing?").
_FIND_FRAME = re.compile(
    rf"\b(?:which|what(?:'s|s)?|any|list|show me|name|give me|find me|recommend|suggest)\s+{_FILLER}{_JOBS}\b"
    rf"|\b(?:highest|lowest|best|worst|top|fastest|slowest)[- ]{_FILLER}{_JOBS}\b"
    rf"|\b(?:which|what(?:'s|s)?)\s+{_FILLER}{_JOB}\s+(?:pays?|has|have|is|grows?|gives?"
    rf"|makes?|that|with|without|for|needs?|requires?)\b"
    rf"|\b(?:top|the|best|first)\s+(?:\d{{1,2}}|three|five|ten)\s+"
    rf"{_FILLER}{_JOBS}\b"
    rf"|^\W*(?:are there\s+)?{_FILLER}{_JOBS}\s+"
    rf"(?:that|which|with|where|without|paying|requiring|needing|for)\b"
    rf"|\b(?:are there|looking for|i want|interested in)\s+{_FILLER}{_JOBS}\b",
    re.I,
)
# ... about one line of work: "is editing a dying career?", "is it a good job for me?"
_ONE_CAREER = re.compile(
    rf"\b(?:is|are|was)\s+{_FILLER}(?:a|an|this|that)\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:career|job|field|trade|profession|line of work|occupation)\b",
    re.I,
)
_JOBS_FOR = re.compile(rf"\b{_JOBS}\s+(?:for|as)\s+(?:an?\s+)?([a-z]+)(?:\s+([a-z]+))?", re.I)
_NUMBER_WORDS = {
    "three": 3,
    "five": 5,
    "ten": 10,
    "four": 4,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "two": 2,
    "twenty": 20,
}
_LIMIT = re.compile(
    rf"\b(?:top|the|best|first|list|give me|name|show me)\s+(\d{{1,2}}|{'|'.join(_NUMBER_WORDS)})\b", re.I
)
_SORTS: tuple[tuple[re.Pattern[str], SortKey, bool], ...] = (
    (
        re.compile(r"\b(?:lowest|worst)[- ]pa(?:ying|id)|\bpays? (?:the )?least|\bleast money", re.I),
        "pay",
        False,
    ),
    (
        re.compile(
            r"\b(?:fastest|quickest)[- ](?:declin|shrink|dying)|\bdeclin\w* (?:the )?(?:most|fastest)"
            r"|\bshrinking",
            re.I,
        ),
        "growth",
        False,
    ),
    (
        re.compile(
            r"\b(?:fastest|quickest)[- ]grow|\bgrow\w* (?:the )?(?:fastest|most|quickest)|\bmost (?:growth"
            r"|in[- ]demand)"
            r"|\b(?:best|brightest) (?:job )?(?:outlook|prospects|future)|\bhighest (?:growth|demand)"
            r"|\bin (?:high|the most) demand",
            re.I,
        ),
        "growth",
        True,
    ),
    (
        re.compile(
            r"\bmost (?:new )?(?:jobs|openings|positions|people|workers)\b|\bmost common|\b(?:biggest"
            r"|largest)\b"
            r"|\bemploy (?:the )?most",
            re.I,
        ),
        "jobs",
        True,
    ),
    (
        re.compile(
            r"\b(?:least|less|little|fewest) (?:school|schooling|education|training|study|studying)"
            r"|\beasiest to (?:get|start|break)",
            re.I,
        ),
        "education",
        False,
    ),
    (
        re.compile(
            r"\b(?:highest|best|top|well|good|great|high)[- ]pa(?:ying|id)|\bpays? (?:the )?(?:most|best"
            r"|well|good)"
            r"|\b(?:make|earn|makes|earns) (?:the )?most|\bmost (?:money|lucrative)|\blucrative"
            r"|\bgood (?:money|pay|salary)",
            re.I,
        ),
        "pay",
        True,
    ),
)
_AMOUNT = r"\$?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k\b|grand\b|thousand\b)?"
_HOURLY_NEAR = re.compile(r"(?:\b|/)(?:hour|hr|hourly)\b", re.I)
_PAY_MIN = re.compile(
    rf"(?:over|above|more than|at least|min(?:imum)?(?: of)?|greater than|north of|upwards of|>|starting at"
    rf"|from)\s*{_AMOUNT}"
    rf"|{_AMOUNT}\s*(?:/\s?hr|/\s?hour|an hour|per hour|hourly)?"
    r"\s*(?:\+|or more|plus|and up|or above|or higher)",
    re.I,
)
_PAY_MAX = re.compile(
    rf"(?:under|below|less than|at most|max(?:imum)?(?: of)?|up to|<|no more than)\s*{_AMOUNT}", re.I
)
_SIX_FIGURES = re.compile(r"\bsix[- ]figures?\b|\b6[- ]figures?\b", re.I)
_PAY_CONTEXT = re.compile(
    r"\b(?:pay|pays|paying|paid|make|makes|earn|earns|earning|salary|salaries|wage|wages|income|money|\$)",
    re.I,
)
_NO_DEGREE = re.compile(
    r"\b(?:no|without|w/o|don'?t|dont|doesn'?t|do not|does not|not|never|without a"
    r"|skip)\s+(?:need(?:ing)?\s+|requir\w*\s+|having\s+|getting\s+|going to\s+)?"
    r"(?:a\s+|any\s+)?(?:college\s+)?(?:degree|college|uni|university)\b"
    r"|\bno[- ]degree\b|\bnon[- ]degree\b",
    re.I,
)
_NO_SCHOOL = re.compile(
    r"\b(?:no|without|don'?t need|dont need|not need)\s+(?:a\s+|any\s+)?(?:formal\s+)?"
    r"(?:high school|diploma|ged|education|schooling)\b",
    re.I,
)
_AT_MOST = re.compile(
    r"\b(?:only|just|no more than|at most|nothing more than|just a|only a|or less|max)\b", re.I
)
# How people name an entry-level education, by its rank in EDUCATION_LEVELS.
_EDU_WORDS: tuple[tuple[int, str], ...] = (
    (1, r"high school|hs diploma|ged|diploma"),
    (2, r"postsecondary (?:non-?degree|certificate)|certificate program|trade school|vocational"),
    (3, r"some college"),
    (4, r"associate'?s?|2[- ]year degree|two[- ]year degree"),
    (5, r"bachelor'?s?|4[- ]year degree|four[- ]year degree|college degree"),
    (6, r"master'?s?"),
    (7, r"doctoral|doctorate|phd|professional degree"),
)
_EDU_PHRASE = re.compile(
    r"\b(?:" + "|".join(f"(?P<level{lv}>{words})" for lv, words in _EDU_WORDS) + r")\b", re.I
)
_NEED_DEGREE = re.compile(
    r"\b(?:need|needs|require|requires|requiring|with)\s+(?:a\s+)?(?:college\s+)?degree\b", re.I
)
_NO_EXPERIENCE = re.compile(
    r"\b(?:no|without|zero|w/o|don'?t need|not need)\s+(?:any\s+|prior\s+|previous\s+|work\s+)*experience\b"
    r"|\bentry[- ]level\b",
    re.I,
)
_NO_TRAINING = re.compile(r"\b(?:no|without|zero)\s+(?:on[- ]the[- ]job\s+)?training\b", re.I)
_FASTER = re.compile(r"\bmuch faster than (?:average|normal|usual)", re.I)
_FAST = re.compile(r"\bfaster than (?:average|normal|usual)|\babove[- ]average (?:growth|outlook)", re.I)
_GROWING = re.compile(
    r"\b(?:growing|growth|in demand|expanding|future[- ]proof|with a future|not (?:dying|declining"
    r"|shrinking))\b",
    re.I,
)
_DECLINING = re.compile(r"\b(?:declin\w*|dying|shrink\w*|disappearing|going away)\b", re.I)


_SORT_BY = re.compile(
    r"\b(?:sort|sorted|rank|ranked|order|ordered)\s+(?:them\s+)?by\s+(pay|salary|growth|outlook|jobs)", re.I
)
_SORT_BY_KEY: dict[str, tuple[SortKey, bool]] = {
    "pay": ("pay", True),
    "sal": ("pay", True),
    "gro": ("growth", True),
    "out": ("growth", True),
    "job": ("jobs", True),
}
_EXPERIENCE_YEARS = re.compile(
    r"(?P<more>\b5\s*\+\s*(?:years?|yrs?)|\b(?:5|five) (?:or more |plus )?(?:years?|yrs?)(?: or more)?)"
    r"(?= of (?:work )?experience| experience| in another)|\b(?:less than|under) (?:5|five) (?:years?|yrs?)",
    re.I,
)
_TRAINING_KIND = re.compile(r"\bapprentice(?:ship)?s?\b|\binternships?\b|\bresidenc(?:y|ies)\b", re.I)
_MIN_JOBS = re.compile(
    r"\b(?:a|one|(\d[\d,.]*))\s*(million|m\b|k\b|thousand)\s*\+?\s*(?:or more\s+)?"
    r"(?:workers|people|employees|jobs)\b",
    re.I,
)
_GROWTH_AT_LEAST = re.compile(
    r"\b(?:grow\w*|growth(?: of)?)\s+(?:at least |over |more than |by )?(\d+(?:\.\d+)?)\s?%",
    re.I,
)


def _amount(number: str, unit: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * 1000 if unit else value


def _pay_limits(text: str) -> dict[str, float]:
    """Pay limits a question sets ("over $55k", "under 20 an hour", "six figures")."""
    limits: dict[str, float] = {}
    if not _PAY_CONTEXT.search(text) and not _SIX_FIGURES.search(text):
        return limits
    if _SIX_FIGURES.search(text):
        limits["min_pay"] = 100_000
    for pattern, bound in ((_PAY_MIN, "min"), (_PAY_MAX, "max")):
        for m in pattern.finditer(text):
            groups = [g for g in m.groups()]
            number, unit = (groups[0], groups[1]) if groups[0] else (groups[2], groups[3])
            if number is None:
                continue
            value = _amount(number, unit)
            hourly = bool(_HOURLY_NEAR.search(text[m.start() : m.end() + 12])) or (value < 200 and not unit)
            if value < 10 or (not hourly and value < 1000):
                continue  # "over 5 years", a count: no pay figure
            limits[f"{bound}_{'hourly' if hourly else 'pay'}"] = value if hourly else round(value)
    return limits


def _education_limits(text: str) -> dict[str, str]:
    """Education limits ("only a high school diploma" → at most high school; "no degree" → at
    most some college; "with a bachelor's" → exactly bachelor's)."""

    def name(level: int) -> str:
        return EDUCATION_LEVELS[level][0]

    if _NO_SCHOOL.search(text):
        return {"max_education": name(0)}
    no_degree = bool(_NO_DEGREE.search(text))
    text = _NO_DEGREE.sub(" ", text)  # "a postsecondary certificate (not a degree)": the certificate
    m = _EDU_PHRASE.search(text)
    if no_degree and not m:
        return {"max_education": name(3)}
    if m:
        level = int((m.lastgroup or "level0").removeprefix("level"))
        before = text[max(0, m.start() - 30) : m.start()]
        if _AT_MOST.search(before) or re.search(
            r"\bor less\b|\bor lower\b", text[m.end() : m.end() + 20], re.I
        ):
            return {"max_education": name(level)}
        if re.search(r"\bor (?:more|higher|above)\b", text[m.end() : m.end() + 20], re.I):
            return {"min_education": name(level)}
        return {"min_education": name(level), "max_education": name(level)}
    if _NEED_DEGREE.search(text):
        return {"min_education": name(4)}
    return {}


def without_filters(question: str) -> str:
    """The question with its education and pay wording taken out, for looking up the occupations
    it names ("…only need a high school diploma…" names no high school teacher)."""
    for pattern in (_NO_SCHOOL, _NO_DEGREE, _EDU_PHRASE, _PAY_MIN, _PAY_MAX):
        question = pattern.sub(" ", question)
    return question


def jobs_for(question: str) -> list[str]:
    """The words after "jobs for" / "careers as" ("jobs for architects in 10 yrs" → architects, in)."""
    return [w for m in _JOBS_FOR.finditer(question) for w in m.groups() if w]


def read_find(question: str) -> Filters | None:
    """The filters and order of a question that asks for occupations by their facts ("which
    jobs need only a high school diploma and pay over $55k?"), or None when it asks no such thing."""
    if not _FIND_FRAME.search(question) or _ONE_CAREER.search(question):
        return None
    if any(is_person_noun(w) and w.lower() not in GENERIC_PEOPLE for w in jobs_for(question)):
        return None  # "will there be jobs for architects?" asks about one occupation
    kw: dict[str, object] = {}
    kw.update(_pay_limits(question))
    kw.update(_education_limits(question))
    if _NO_EXPERIENCE.search(question):
        kw["no_experience"] = True
    if _NO_TRAINING.search(question):
        kw["no_training"] = True
    if m := _EXPERIENCE_YEARS.search(question):
        kw["experience"] = "5 years or more" if m.group("more") else "Less than 5 years"
    if m := _TRAINING_KIND.search(question):
        kw["training"] = (
            "Internship/residency" if m.group(0).lower().startswith(("intern", "resid")) else "Apprenticeship"
        )
    if m := _MIN_JOBS.search(question):
        unit = 1_000_000 if m.group(2).lower() in ("million", "m") else 1000
        kw["min_jobs"] = round(float((m.group(1) or "1").replace(",", "")) * unit)
    if m := _GROWTH_AT_LEAST.search(question):
        kw["min_growth"] = float(m.group(1))
    sort: tuple[SortKey, bool] | None = next(((k, d) for p, k, d in _SORTS if p.search(question)), None)
    if m := _SORT_BY.search(question):  # said in so many words: "sort by growth"
        sort = _SORT_BY_KEY[m.group(1).lower()[:3]]
    if _FASTER.search(question):
        kw["min_outlook"] = GROWTH_WORDS[5]
    elif _FAST.search(question):
        kw["min_outlook"] = GROWTH_WORDS[4]
    elif _DECLINING.search(question) and (sort is None or sort == ("growth", False)):
        sort = ("growth", False)
        kw["max_growth"] = -0.01
    elif "min_growth" not in kw and (sort is None or sort[0] != "growth") and _GROWING.search(question):
        kw["min_growth"] = 0.01
    if sort is None and not kw:
        return None
    key: SortKey = "pay"
    descending = True
    if sort is not None:
        key, descending = sort
    elif set(kw) <= {"min_outlook", "min_growth"}:  # filters alone: best-paid first, unless all growth
        key = "growth"
    m = _LIMIT.search(question)
    if m:
        word = m.group(1).lower()
        kw["limit"] = max(1, min(20, int(word) if word.isdigit() else _NUMBER_WORDS[word]))
    return Filters(sort=key, descending=descending, **kw)  # type: ignore[arg-type]


# Wording that compares ("vs", "which … more", "than"); a bare "or" does not ("grow or shrink").
_COMPARE_CUE = re.compile(
    r"\b(?:vs\.?|versus|compared?|comparing|comparison|difference|better|worse|more|less|fewer"
    r"|higher|lower|faster|quicker|easier|harder|cheaper|longer|shorter|rather|than|which|who)\b"
    r"|\bv\.?\s|\bshould i (?:be|become|go|pick|choose)\b",
    re.I,
)
# where a message lists the occupations it compares
_NAME_SPLIT = re.compile(
    r"\s+(?:vs\.?|versus|v\.?|or|and|compared (?:to|with)|against|than|over)\s+|[,;/]|\s+to\s+(?=an?\s)", re.I
)
_METRICS: tuple[tuple[Metric, re.Pattern[str]], ...] = (
    (
        "outlook",
        re.compile(
            r"\b(?:outlook|prospects?|growth|growing|grows?|demand|future|job security|secure|openings)\b",
            re.I,
        ),
    ),
    (
        "education",
        re.compile(
            r"\b(?:school|schooling|education|degree|college|study|studying|training|qualifications?|"
            r"easier to (?:get|become|break)|quicker to (?:get|become)|faster to (?:get|become))\b",
            re.I,
        ),
    ),
    (
        "jobs",
        re.compile(r"\b(?:more|most|fewer) (?:jobs|positions|people employed)\b|\bnumber of jobs\b", re.I),
    ),
    (
        "pay",
        re.compile(
            r"\b(?:pay|pays|paid|paying|earn|earns|earning|make|makes|making|money|salary|salaries|wages?"
            r"|income|"
            r"richer|\$)\b",
            re.I,
        ),
    ),
)


_PAYS_MORE = re.compile(r"\b(?:pays?|earns?|makes?|paid) (?:more|better|the most)|\bmore money\b", re.I)


def asks_comparison(question: str) -> bool:
    """Whether the message's wording compares ("vs", "or", "which", "more than"...)."""
    return bool(_COMPARE_CUE.search(question))


def comparison_metric(question: str) -> Metric | None:
    """What a comparison is about: pay, outlook, education or jobs (None: all of it)."""
    found = [m for m, p in _METRICS if p.search(question)]
    if "jobs" in found:
        return "jobs"
    if len(found) == 1:
        return found[0]
    if "pay" in found and _PAYS_MORE.search(question):  # "which pays more with less school?"
        return "pay"
    return None


def name_parts(question: str) -> list[str]:
    """The pieces of a message that may each name one occupation ("electrician or plumber")."""
    return [p.strip() for p in _NAME_SPLIT.split(question) if p and p.strip()]


_SIMILAR = re.compile(
    r"\bsimilar\b"
    r"|\b(?:jobs|careers|occupations|work|something|anything|options) (?:like|related to|close to)\b"
    r"|\brelated (?:jobs|careers|occupations)\b|\balternatives? (?:to|for)\b|\bcomparable (?:jobs|careers)\b",
    re.I,
)
_LESS_SCHOOL = re.compile(
    r"\b(?:less|fewer|shorter|without (?:the|as much)|no) (?:school|schooling|education|years? of school"
    r"|degree|college|training|study)",
    re.I,
)
_MORE_PAY = re.compile(
    r"\b(?:more|better|higher) (?:pay|money|salary|wages?|income)|\bpays? (?:more|better)|\bearns? more\b",
    re.I,
)
_BETTER_OUTLOOK = re.compile(
    r"\b(?:better|faster|more) (?:outlook|growth|prospects|demand)|\bgrowing faster\b", re.I
)


Relative = Literal["less schooling", "more pay", "better outlook", "any"]


def similar_asked(question: str) -> Relative | None:
    """What a message asks of the occupations similar to the one it names ("what's similar to
    dental hygienist but with less schooling?" → "less schooling"), or None when it asks none."""
    if not _SIMILAR.search(question):
        return None
    if _LESS_SCHOOL.search(question):
        return "less schooling"
    if _MORE_PAY.search(question):
        return "more pay"
    if _BETTER_OUTLOOK.search(question):
        return "better outlook"
    return "any"


def relative_to(asked: Relative, base: Occupation) -> Filters:
    """The filters of ``asked`` against ``base``'s figures (strictly less schooling, more pay,
    faster growth); a figure ``base`` lacks leaves no limit."""
    if asked == "less schooling":
        level = base.education_level
        return Filters(sort="pay", max_education=EDUCATION_LEVELS[level - 1][0] if level else None)
    if asked == "more pay":
        pay = base.figures.pay_year
        return Filters(sort="pay", min_pay=pay + 1 if pay is not None else None)
    if asked == "better outlook":
        g = base.figures.growth_pct
        return Filters(sort="growth", min_growth=g + 0.1 if g is not None else None)
    return Filters(sort="pay")
