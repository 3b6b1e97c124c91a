"""The grounded composer: a short answer quoted from the retrieved sections, with [n] markers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from . import lexicon
from .ingest import PATH_SEP

if TYPE_CHECKING:  # only for annotations: importing careerbot stays light
    from .retrieve import Hit, Retrieval


@dataclass(frozen=True)
class Source:
    """A cited passage: ``[n]`` in ``Answer.text`` refers to ``Answer.sources[n-1]``."""

    section: str
    guide: str
    text: str
    score: float
    id: str = ""
    slug: str = ""  # the guide's file stem, slugified ("plumbers-pipefitters-and-steamfitters")

    @property
    def breadcrumb(self) -> str:
        """ "Guide › Section › Subsection" for display."""
        return " › ".join([self.guide, *self.section.split(PATH_SEP)])


@dataclass(frozen=True)
class Answer:
    """What ``ask()`` returns: the text with [n] markers, its sources, and whether it declined."""

    text: str
    sources: tuple[Source, ...] = ()
    refused: bool = False
    mode: str = "grounded"
    question: str = ""
    notice: str = ""
    debug: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    # a comparison or a list of occupations as rows of cells (the first the header), also
    # written into ``text`` as a Markdown table; empty for other answers
    table: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of the CLI's ``--json`` and the web ``/chat`` API."""
        return {
            "text": self.text,
            "refused": self.refused,
            "mode": self.mode,
            "notice": self.notice,
            **({"table": [list(r) for r in self.table]} if self.table else {}),
            "sources": [
                {
                    "n": i,
                    "section": s.section,
                    "guide": s.guide,
                    "slug": s.slug,
                    "text": s.text,
                    "score": s.score,
                }
                for i, s in enumerate(self.sources, 1)
            ],
        }

    @property
    def markdown(self) -> str:
        """The answer followed by a numbered source list, for terminals and chat UIs."""
        if not self.sources:
            return self.text
        refs = "\n".join(f"[{i}] {s.breadcrumb}" for i, s in enumerate(self.sources, 1))
        return f"{self.text}\n\n{refs}"


# Questions that ask for an enumeration rather than one fact.
_LIST_INTENT = re.compile(
    r"\b(list|which|what are|what're|name|some|examples?|tips|advice|skills|tools|steps|mistakes|"
    r"pros|cons|responsibilit\w*|duties|tasks|abilities|trends|challenges|ways|kinds|types|"
    r"everything|all)\b",
    re.IGNORECASE,
)
MAX_ITEMS = 6
WORD_BUDGET = 60
MIN_WORDS = 35
RUNNER_UP = 0.9  # a second section is quoted only when it scores this close to the first
OWN_ROW = 0.1  # a table row about the guide's own occupation counts this much more
FIGURE_RUNNER_UP = 0.75  # …or this close when it gives the figure asked for and the first does not


def _n_words(text: str) -> int:
    return len(text.split())


def _pick_sentences(hit: Hit, budget: int) -> list[int]:
    """The best sentence of a prose section, its opening sentence and close runners-up.

    The best-matching sentence answers a pointed question; the opening states the section's
    gist, which is what a broad question ("how do I get into this?") needs.
    """
    ranked = sorted(range(len(hit.units)), key=lambda j: -hit.unit_scores[j])
    if not ranked:
        return []
    best = hit.unit_scores[ranked[0]]
    chosen = [ranked[0]]
    used = _n_words(hit.units[ranked[0]])
    candidates = [j for j in ranked[1:3] if hit.unit_scores[j] >= best - 0.08] + [0]
    candidates += list(range(1, len(hit.units)))  # then reading order, while short
    for j in candidates:
        n = _n_words(hit.units[j])
        if j in chosen or used + n > budget or (j not in (0, *ranked[1:3]) and used >= MIN_WORDS):
            continue
        chosen.append(j)
        used += n
    return sorted(chosen)


def _render_units(
    hit: Hit, question: str, budget: int, rare: frozenset[str] = frozenset()
) -> tuple[str, bool]:
    """The part of one chunk that answers the question; the flag says it is a bullet list."""
    kinds = hit.unit_kinds
    kind = hit.chunk.kind
    if kind == "faq":
        return " ".join(hit.units), False
    items = [j for j, k in enumerate(kinds) if k == "item"]
    if kind == "list" and items:
        # A pointed question ("do they use Wireshark?") names something only a few items have;
        # anything else gets the list from the top.
        matching = [j for j in items if rare & set(lexicon.terms(hit.units[j]))]
        specific = bool(matching) and len(matching) <= 3 and not _LIST_INTENT.search(question)
        chosen = matching if specific else items[:MAX_ITEMS]
        intro = [j for j, k in enumerate(kinds) if k != "item"]
        lines = [f"- {hit.units[j]}" for j in chosen]
        rest = len(items) - len(chosen)
        if rest > 0 and not specific:
            lines.append(f"- …and {rest} more in the guide")
        lead = hit.units[intro[0]] if intro and _n_words(hit.units[intro[0]]) <= 25 else ""
        return (lead + "\n" if lead else "") + "\n".join(lines), True
    kvs = [j for j, k in enumerate(kinds) if k == "kv"]
    sents = [j for j, k in enumerate(kinds) if k == "sent"]
    if kvs and len(kvs) <= 7:
        # Figures: the one asked about first, the others beside it, then the best sentence.
        # the guide's own occupation's row before "Total, all occupations" when both fit
        fit = {j: hit.unit_scores[j] + OWN_ROW * _own_row(hit, j) for j in kvs}
        ranked = sorted(kvs, key=lambda j: -fit[j])
        asked = ranked[0] if len(kvs) > 1 and fit[ranked[0]] - fit[ranked[1]] >= 0.03 else None
        others = " · ".join(hit.units[j] for j in kvs if j != asked)
        body = f"{hit.units[asked]} ({others})." if asked is not None else f"{others}."
        if sents:
            j = max(sents, key=lambda s: hit.unit_scores[s])
            if _n_words(body) + _n_words(hit.units[j]) <= budget + 10:
                body = f"{body} {hit.units[j]}"
        return body, False
    chosen = _pick_sentences(hit, budget)
    return " ".join(hit.units[j] for j in chosen), False


def _siblings(a: Hit, b: Hit) -> bool:
    pa, pb = a.chunk.section.split(PATH_SEP), b.chunk.section.split(PATH_SEP)
    return len(pa) > 1 and pa[:-1] == pb[:-1]


def _repeats(hit: Hit, text: str) -> bool:
    """Whether the best unit of ``hit`` says little that ``text`` does not already say."""
    best = max(range(len(hit.units)), key=lambda j: hit.unit_scores[j], default=None)
    if best is None:
        return True
    said = set(lexicon.terms(text))
    terms = set(lexicon.terms(hit.units[best]))
    return not terms or len(terms & said) / len(terms) >= 0.6


def _apt(hit: Hit) -> float:
    """How well the section's best unit matches in meaning (plain cosine, no word bonuses)."""
    return max(hit.unit_raw or hit.unit_scores, default=0.0)


def compose(
    question: str,
    hits: Sequence[Hit],
    rare: frozenset[str] = frozenset(),
    top_k: int = 3,
    figure: Callable[[Hit], re.Pattern[str] | None] | None = None,
) -> tuple[str, tuple[Source, ...]]:
    """Quote the best section, and a close runner-up from another section, with [n] markers.

    The runner-up is sought among the next ``top_k - 1`` hits (``top_k=1``: the best section
    only). ``rare`` are question terms few sections use (a tool's name): a list answer then
    quotes just the items that name them. ``figure`` gives, for a question that asks for a pay
    or growth figure, the pattern of that figure in a section: an answer without it gets the
    figure's line from a close section of the same guide.
    """
    focus = question
    top = hits[0]
    body, is_list = _render_units(top, focus, WORD_BUDGET, rare)
    used = [top]
    if is_list:
        text = f"{top.chunk.title} [1]:\n{body}" if not body.startswith(top.chunk.title) else body
    else:
        text = f"{body} [1]"
    for runner in hits[1:top_k]:
        if runner.chunk.section == top.chunk.section or runner.score < RUNNER_UP * top.score:
            continue
        if is_list and _siblings(top, runner):
            # "pros and cons": two lists under one heading, both asked for
            extra, extra_list = _render_units(runner, focus, WORD_BUDGET, rare)
            if extra_list:
                used.append(runner)
                text = f"{text}\n\n{runner.chunk.title} [{len(used)}]:\n{extra}"
        elif not is_list and _n_words(text) < 45 and _apt(runner) >= _apt(top) - 0.02:
            # a runner-up whose best sentence means as much as the top section's adds a second view
            extra, extra_list = _render_units(runner, focus, WORD_BUDGET - _n_words(text))
            if (
                extra
                and not extra_list
                and _n_words(text) + _n_words(extra) <= WORD_BUDGET + 15
                and not _repeats(runner, text)
            ):
                used.append(runner)
                text = f"{text} {extra} [{len(used)}]"
        break
    if figure is not None and not is_list:
        text = _add_figure(text, used, hits, figure)
    sources = tuple(
        Source(h.chunk.section, h.chunk.guide, h.chunk.text, round(h.score, 4), h.chunk.id, h.chunk.slug)
        for h in used
    )
    return text, sources


def _add_figure(
    text: str, used: list[Hit], hits: Sequence[Hit], figure: Callable[[Hit], re.Pattern[str] | None]
) -> str:
    """``text`` with the asked figure's line from a close section of the top one's guide, when
    the sections quoted so far do not give it ("are sonographers in demand?" answered by the
    outlook narrative gets "Diagnostic medical sonographers: 13%" too). Appends to ``used``."""
    top = hits[0]
    wanted = figure(top)
    if wanted is None or any(wanted.search(u) for h in used for u in h.units):
        return text
    for runner in hits[1:3]:
        pattern = figure(runner)
        if runner in used or runner.chunk.slug != top.chunk.slug or pattern is None:
            continue
        if runner.score < FIGURE_RUNNER_UP * top.score:
            break
        lines = [j for j, u in enumerate(runner.units) if pattern.search(u)]
        if lines:
            best = max(lines, key=lambda j: (_own_row(runner, j), runner.unit_scores[j]))
            used.append(runner)
            return f"{text} {runner.units[best]} [{len(used)}]"
    return text


def suggest_questions(retrieval: Retrieval, answer: Answer, question: str, n: int = 3) -> list[str]:
    """Up to ``n`` questions to ask next: the sections of ``retrieval`` that ``answer`` does not
    cite, from the guide(s) it cites, phrased as an FAQ's own question or "Tell me about …"."""
    cited = {s.section for s in answer.sources}
    guides = {s.slug for s in answer.sources if s.slug}  # stay with the guide that answered
    out: list[str] = []
    for hit in retrieval.hits:
        if guides and hit.chunk.slug not in guides:
            continue
        section = hit.chunk.section
        if section in cited or section == "Overview":
            continue
        cited.add(section)
        parts = section.split(PATH_SEP)
        if hit.chunk.kind == "faq":
            suggestion = parts[-1]
        elif len(parts) > 1:
            suggestion = f"Tell me about {parts[-2]}: {parts[-1]}"
        else:
            suggestion = f"Tell me about {parts[-1]}"
        if suggestion.lower() != question.lower() and suggestion not in out:
            out.append(suggestion)
        if len(out) == n:
            break
    return out


def refusal_text(
    guide_titles: Sequence[str], topics: Sequence[str], other: str | None = None, closest: str | None = None
) -> str:
    """A friendly "not covered" that says what the guides do cover.

    ``other`` is an occupation the question asked about that no guide covers; ``closest`` the
    guide nearest to it, if any.
    """
    listed = join_words(list(topics))
    if other:
        have = f"I {'only ' if len(guide_titles) == 1 else ''}have {_the_guides(guide_titles, 4)}"
        sorry = f"Sorry, my guides don't cover {other}, so I won't guess their figures. {have}"
        if len(guide_titles) > 1 and not closest:  # no guide's topics stand for all of them
            return f"{sorry}; ask me about one of those occupations."
        if closest and len(guide_titles) > 1:
            return f"{sorry}; the closest is {closest} (it covers {listed})."
        return f"{sorry}, and I can help with its {listed}."
    if not guide_titles:
        guides = "the career guides don't"
    elif len(guide_titles) == 1:
        guides = f"{guide_titles[0]} doesn't"
    elif len(guide_titles) <= 3:
        guides = f"{' and '.join(guide_titles)} don't"
    else:  # a site's worth of guides: naming three of them would mislead
        guides = f"the {len(guide_titles)} career guides don't"
    return (
        f"Sorry, {guides} cover that, so I won't guess. "
        f"I can help with {listed}. Try asking about one of those."
    )


def small_talk_text(kind: str, guide_titles: Sequence[str], topics: Sequence[str]) -> str:
    """A reply in kind to small talk ("thanks!", "who are you?"), pointing back to the guides."""
    guides = _the_guides(guide_titles, 3)
    offer = f"Ask me about {join_words(list(topics), 'or')}." if topics else "What would you like to know?"
    opening = {
        "greeting": "Hi! ",
        "how are you": "I'm doing well, thanks for asking! ",
        "thanks": "You're welcome! ",
        "bye": "Good luck with your career! ",
        "about me": "I'm careerbot, a career-guide assistant. ",
    }.get(kind, "")
    if kind == "about me":
        return (
            f"{opening}I answer questions from {guides}, quote the sections I use and say so "
            f"when a guide doesn't cover something. {offer}"
        )
    if kind in ("thanks", "bye"):
        return f"{opening}If anything else comes up, I'm here to help with {guides}. {offer}"
    return f"{opening}I can answer questions about {guides}. {offer}"


def _the_guides(guide_titles: Sequence[str], named: int) -> str:
    """ "the X Guide", "guides on X and Y" (up to ``named`` titles) or "41 career guides"."""
    if len(guide_titles) == 1:
        return f"the {guide_titles[0]}"
    if len(guide_titles) <= named:
        return f"guides on {join_words(list(guide_titles))}"
    return f"{len(guide_titles)} career guides"


def join_words(items: list[str], last: str = "and") -> str:
    """ "a, b and c" (or "a, b or c")."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


# What kind of figure a question asks for, when it asks for one the guide may not give.
_WANTS = (
    (
        "cost",
        re.compile(
            r"\bhow much (?:does|do|will|would|did|is|are)\b.{0,60}\bcost\b|\bcosts?\s+(?:of|to|for)\b|"
            # "how much is the CMRT exam?" (not "how much is a degree worth")
            r"\bhow much(?: is|'s| are)\s+(?:the|a|an|that|this)?\s*[^?.]{0,30}\b(?:exam|test|course|class|"
            r"cert\w*|bootcamp|license|licence|tuition|program)s?\b(?!\s+(?:worth|help|matter|pay))|"
            r"\bprices?\b|\bfees?\b|\btuition\b|\bexpensive\b",
            re.I,
        ),
    ),
    (
        "rate",
        re.compile(
            r"\b(?:(?:pass(?:ing)?|success|failure|overtime|placement|acceptance|turnover|injury|completion|"
            r"hiring) (?:rate|score|mark)s?|"
            # ("the top 10 percent of earners" names a group, it does not ask for a rate)
            r"(?<![\d%]\s)(?<![\d%])percent(?:age)? of|how many\s*(?:%|percent))(?!\w)",
            re.I,
        ),
    ),
    ("count", re.compile(r"\bhow many\b(?! (?:years?|months?|weeks?|days?|hours?)\b)", re.I)),
    (
        "duration",
        re.compile(
            # (within the clause: "how long is school for a surgical tech, do you need a degree?")
            r"\b(?:how long|how many (?:hours|weeks|months))\b[^,;?.!]{0,60}?\b(?:stud(?:y|ying|ies)|prepare|"
            r"prep|exam|test|course|class|cert\w*|program|bootcamp|training|apprenticeship|degree|renew\w*|"
            r"valid|good for|expire\w*)\b",
            re.I,
        ),
    ),
)
_FIGURES = {
    "cost": re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:dollars|usd|eur|gbp)\b", re.I),
    "rate": re.compile(r"\d\s?%|\b\d+ percent\b|[$€£]\s?\d", re.I),
    # "how many?" is not answered by "7%" or "$50,000"
    "count": re.compile(r"(?<![$€£\d.,])\d[\d,]*(?:\.\d+)?(?![\d.,]*\s?(?:%|percent\b))"),
    "duration": re.compile(
        r"\b\d+(?:\s?[-–—]\s?\d+)?\s?\+?\s?(?:hours?|days?|weeks?|months?|years?)\b", re.I
    ),
}


def expected_figure(question: str) -> str | None:
    """ "cost", "rate" or "count" when the question asks for such a figure, else None."""
    return next((kind for kind, pattern in _WANTS if pattern.search(question)), None)


def has_figure(text: str, kind: str, question: str = "", context: str = "") -> bool:
    """Whether ``text`` (without its [n] markers) holds a figure of ``kind`` about the question:
    a line or sentence with the figure that shares a topic word with ``question`` when given
    ("the pass rate of the CMRT exam?" is not answered by "Growth rate: 7%"). A question with no
    topic of its own ("and the pass rate on it?") takes the topic of its ``context``."""
    text = re.sub(r"\[\d+\]", "", text)
    if not question:
        return bool(_FIGURES[kind].search(text))
    topic = set(lexicon.terms(question)) - _FIGURE_WORDS - _FILLER_TERMS
    if not topic and context:
        topic = set(lexicon.terms(context)) - _FIGURE_WORDS - _FILLER_TERMS
    for part in re.split(r"\n|(?<=[.!?])\s+|\s·\s|\(", text):
        if _FIGURES[kind].search(part) and (not topic or topic & set(lexicon.terms(part))):
            return True
    return False


_FILLER_TERMS = frozenset(lexicon.stem(w) for w in lexicon.FILLERS | lexicon.GENERIC)
# Words that ask for a figure rather than name what it is about.
_FIGURE_WORDS = frozenset(
    lexicon.stem(w)
    for w in "cost costs price fee fees much many rate pass passing score percent percentage number total"
    " long take takes typical typically normal usual usually average".split()
)


def _renumber(text: str, numbers: dict[int, int]) -> str:
    return re.sub(r"\[(\d+)\]", lambda m: f"[{numbers.get(int(m.group(1)), m.group(1))}]", text)


def merge_answers(parts: Sequence[Answer], question: str) -> Answer:
    """One answer from the answers to each question of a message, citations renumbered.

    Declined parts are named in a line of their own; when every part is declined, the first
    refusal stands for all.
    """
    if len(parts) == 1:
        return replace(parts[0], question=question)
    answered = [p for p in parts if not p.refused]
    if not answered:
        return replace(parts[0], question=question)
    sources: list[Source] = []
    texts: list[str] = []
    debug: dict[str, object] = {}
    seen: set[str] = set()
    for part in parts:
        if not part.refused and part.text in seen:
            continue  # both questions led to the same words: say them once
        seen.add(part.text)
        if part.refused:
            texts.append(f"On “{part.question.rstrip('?')}?”: the guide doesn't say, so I won't guess.")
            continue
        numbers: dict[int, int] = {}
        for i, src in enumerate(part.sources, 1):
            same = next((k for k, s in enumerate(sources, 1) if s.id == src.id and s.text == src.text), None)
            if same is None:
                sources.append(src)
                same = len(sources)
            numbers[i] = same
        texts.append(_renumber(part.text, numbers))
        debug.update(part.debug)
    texts = [_without_repeats(t, texts[:i] + texts[i + 1 :]) for i, t in enumerate(texts)]
    return Answer("\n\n".join(texts), tuple(sources), False, answered[0].mode, question, debug=debug)


# What a question asks of a guide's headline facts (its Quick Facts table, where it has one).
_EDUCATION_Q = re.compile(
    r"\b(?:degrees?|college|university|schooling|school|diploma|education(?:al)?|bachelor'?s?|"
    r"master'?s?|associate'?s?|ged|requirements?)\b",
    re.I,
)
_HOURLY_Q = re.compile(r"\b(?:per|an|a|each)\s+(?:hour|hr)\b|\bhourly\b|/\s?(?:hour|hr)\b", re.I)
_HOW_MANY_WORK = re.compile(
    r"\bhow many\b(?![^?.]{0,40}\b(?:years?|months?|weeks?|days?|hours?|openings?)\b)[^?.]{0,60}"
    r"\b(?:are there|jobs?|positions?|employed|work|working|workers|people)\b",
    re.I,
)
_FIRST_MONEY = re.compile(r"[$€£]\s?\d[\d,]*(?:\.\d+)?")
QUICK_LABELS = {
    "education": "Typical entry-level education",
    "median_pay": "Median pay",
    "jobs": "Number of jobs",
    "outlook": "Projected growth of jobs (job outlook)",
    "certifications": "Certifications the guide names",
    "progression_roles": "Next steps the guide names",
}


def quick_facts_asked(
    question: str, text: str, quick: dict[str, str], pay: bool, growth: bool = False
) -> list[str]:
    """Keys of a guide's headline facts (``GuideFacts.quick``) that ``question`` asks for and
    ``text`` lacks: entry-level education for a schooling question, median pay for a pay
    question (or its hourly figure for an hourly one), the number of jobs for "how many are
    there", the projected growth for a growth question answered without a percentage."""
    low = text.lower()
    keys = []
    education = quick.get("education", "")
    asked = education and not education.lower().startswith("see ") and _EDUCATION_Q.search(question)
    if asked and education.lower() not in low:
        keys.append("education")
    median = quick.get("median_pay", "")
    money = _FIRST_MONEY.search(median)
    if pay and money and (money.group(0) not in text or (_HOURLY_Q.search(question) and "hour" not in low)):
        keys.append("median_pay")
    jobs = quick.get("jobs", "")
    if jobs and _HOW_MANY_WORK.search(question) and jobs not in text:
        keys.append("jobs")
    if growth and quick.get("outlook") and not ANY_PERCENT.search(text):
        keys.append("outlook")  # "is demand going up?" answered by why demand grows, not how much
    return keys


ANY_PERCENT = re.compile(r"\d\s?%|\b\d+ percent\b", re.I)  # any percentage, as figure or words


# "which certs are worth getting?" asks for names; "is a cert necessary?" for a verdict
_CERTS = r"\b(?:certs?|certifications?|certificates?|credentials?)\b"
_WHICH_CERTS = re.compile(
    r"\b(?:which|what|any|best|good|top|recommend\w*|worth|should i (?:get|take|go for))\b[^?.]{0,40}"
    rf"{_CERTS}|{_CERTS}[^?.]{{0,30}}\b(?:worth|recommend\w*|should)\b",
    re.I,
)
# "what's the next step after lead tech?": where people go from the guide's own occupation
# (not "after lunch", nor "the level above that": a step of the ladder itself)
_NEXT_STEP = (
    r"\bnext (?:step|rung|move|job|role)s?\b(?! (?:up )?(?:to|towards?) )|\bfrom here\b"
    r"|\bwhere (?:do|can|does|could|would|should)\b[^?.]{{0,40}}\bgo (?:after|from|next)\b"
    r"|\b(?:which|what) (?:jobs?|roles?|positions?)\b[^?.]{{0,30}}\b(?:move|go|advance|progress)"
    r"|\b(?:after|beyond|past) (?:being )?(?:an? |the |your )?(?:{top}|this (?:job|role)|that)\b"
)


def named_facts_asked(
    question: str,
    text: str,
    certifications: Sequence[str],
    roles: Sequence[str],
    names_guide: bool,
    top: str = "",
) -> list[str]:
    """Lists of a guide's facts a question asks for and ``text`` names none of: its
    certifications for "which certs…?", the roles its occupation leads to for "what's after
    <the occupation>?" (``names_guide``: the question names the guide's occupation; ``top``:
    the first word of its ladder's top step, "lead")."""
    low = text.lower()

    def named(items: Sequence[str]) -> bool:
        return any(_short_name(item).lower() in low for item in items)

    keys = []
    if certifications and _WHICH_CERTS.search(question) and not named(certifications):
        keys.append("certifications")
    tops = "|".join(re.escape(w) for w in (top.lower(), "it") if w)
    if roles and names_guide and re.search(_NEXT_STEP.format(top=tops), question, re.I) and not named(roles):
        keys.append("progression_roles")
    return keys


def _short_name(item: str) -> str:
    """ "CMRT" of "Certified Maintenance & Reliability Technician (CMRT)"; else the item."""
    m = re.search(r"\(([^()]{2,12})\)\s*$", item)
    return m.group(1) if m else item


def add_lines(
    text: str, sources: tuple[Source, ...], lines: Sequence[tuple[str, Source]]
) -> tuple[str, tuple[Source, ...]]:
    """``text`` with each line appended and cited: a source already cited keeps its number."""
    cited = list(sources)
    for line, source in lines:
        n = next((i for i, s in enumerate(cited, 1) if s.id == source.id), None)
        if n is None:
            cited.append(source)
            n = len(cited)
        text = f"{text} {line} [{n}]"
    return text, tuple(cited)


def _own_row(hit: Hit, j: int) -> float:
    """How much of unit ``j``'s row label is the guide's own occupation: its row before
    "Total, all occupations" and its group's row."""
    unit = hit.units[j]
    label = set(lexicon.terms(unit.split(":")[0])) if ":" in unit else set()
    return len(label & set(lexicon.terms(hit.chunk.guide))) / len(label) if label else 0.0


_QUOTED = re.compile(r"(?<=\] )([^\[\n]+?) \[\d+\]")


def _without_repeats(text: str, others: Sequence[str]) -> str:
    """``text`` without quotes after its first one that another part of the answer says too
    (one part's figure line is the other part's opening sentence)."""
    for m in reversed(list(_QUOTED.finditer(text))):
        if any(m.group(1) in other for other in others):
            text = text[: m.start() - 1] + text[m.end() :]
    return text
