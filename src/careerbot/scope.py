"""The scope gate: whether the guides cover a question at all, from the words the guides use,
the names they know, and how similar the best passages are."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from . import lexicon, places
from .chat import requested_task
from .guides import GuideNames
from .ingest import Chunk
from .ranking import figure_asked, figure_pattern

if TYPE_CHECKING:
    from .retrieve import Hit

RARE_DF = 2
# Below SIM_FLOOR nothing in the guide is close; below SIM_CONFIDENT a question whose topic
# words are mostly ones the guides never use is declined. Over batches 1-7 the questions that
# rule declined rightly were all below 0.40 but one; of those it declined wrongly, 9 of 13 lay
# between 0.40 and 0.55 (docs/evaluation.md); when every topic word is unknown ("how do I bake
# sourdough bread?" beside small guides), up to 0.55: no in-scope question of them was such.
SIM_FLOOR = 0.20
SIM_WEAK = 0.30
SIM_CONFIDENT = 0.40
SIM_ALL_UNKNOWN = 0.55


def _money(words: str, code: str, symbol: str = "") -> re.Pattern[str]:
    """A currency asked for: by its name or sign anywhere, by its code beside an amount or after
    "in" ("salary in CAD"; a "CAD drafter" draws with computers)."""
    sign = f"|{re.escape(symbol)}" if symbol else ""
    return re.compile(
        rf"\b(?:{words})\b{sign}|\b(?:in|to|into|about)\s+{code}\b|\b{code}\s?\d|\d[\d,.]*k?\s?{code}\b", re.I
    )


_CURRENCIES = {
    "pounds": _money("pounds?|quid", "gbp", "£"),
    "euros": _money("euros?", "eur", "€"),
    "rupees": _money("rupees?", "inr", "₹"),
    "yen": _money("yen", "jpy", "¥"),
    "Canadian dollars": _money("canadian dollars?", "cad"),
    "Australian dollars": _money("australian dollars?", "aud"),
}
_CURRENCY_IN_TEXT = {
    "pounds": re.compile(r"£\s?\d|\b\d[\d,.]*\s?(?:pounds|gbp)\b", re.I),
    "euros": re.compile(r"€\s?\d|\b\d[\d,.]*\s?(?:euros?|eur)\b", re.I),
    "rupees": re.compile(r"₹\s?\d|\b\d[\d,.]*\s?(?:rupees|inr)\b", re.I),
    "yen": re.compile(r"¥\s?\d|\b\d[\d,.]*\s?(?:yen|jpy)\b", re.I),
    "Canadian dollars": re.compile(r"\b(?:CAD|C\$)\s?\d|\b\d[\d,.]*\s?CAD\b"),
    "Australian dollars": re.compile(r"\b(?:AUD|A\$)\s?\d|\b\d[\d,.]*\s?AUD\b"),
}
# Capitalised words after the first one: names of places, companies, products.
_PROPER = re.compile(r"(?<=[a-z,;:]\s)([A-Z][a-z]+(?:\s[A-Z][a-z]+)*)")
# Dates in a question ("I graduate in June") name no topic a guide lacks.
_CALENDAR = frozenset(
    """January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter""".split()
)


class Vocabulary:
    """The words the guides use (stemmed terms of every section) and how many sections use each."""

    def __init__(self, docs: Sequence[Sequence[str]]) -> None:
        self.vocab = {t for d in docs for t in d}
        self.everyday = {lexicon.stem(w) for w in lexicon.known_words()}
        self.doc_freq: dict[str, int] = {}
        for d in docs:
            for t in set(d):
                self.doc_freq[t] = self.doc_freq.get(t, 0) + 1

    def rare_terms(self, query: str) -> frozenset[str]:
        """Query terms that name something specific: used by at most two sections."""
        return frozenset(
            t
            for t in lexicon.terms(query)
            if t not in self.everyday and 0 < self.doc_freq.get(t, 0) <= RARE_DF
        )

    def knows_name(self, name: str) -> bool:
        """Whether the guides use a name ("European" is known when they say "Europe").

        Word beginnings are compared; "South America" is known when they say "Latin America":
        any word will do."""
        return any(any(v.startswith(lexicon.stem(w)[:5]) for v in self.vocab) for w in lexicon.words(name))


# "do they get a pension?", "does the job come with health insurance?": a thing the job has
_COMES_WITH = re.compile(
    r"\b(?:do|does|did|will|would|can|could)\b[^?.]{0,40}?\b(?:get|receive|have|offer|provide|include|"
    r"come with|comes with)\s+"
    r"(?:(?:a|an|any|some|free|their own|your own|paid)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)"
    # without an article, two words that name a thing ("health insurance"), not "get stuck with"
    r"|([\w'-]+\s+[\w'-]+))",
    re.I,
)
_PERK_FILLERS = frozenset("usually typically normally really actually also too much many".split())

# Pay beyond the salary and terms of employment a question may ask about, each with how a guide
# would say it: a guide that never says it cannot answer ("do they get a 401k?", "are most of
# them unionized?"), one that says it without a figure cannot give its rate ("what's the
# overtime rate, time and a half?" of a guide that only names "overtime labor").
_EXTRA_WORDS = {
    "overtime pay": (
        r"overtime|over time|time and a half|double time|1\.5x",
        r"overtime|time and a half|double time",
    ),
    "shift differentials": (r"(?:shift|night|weekend) differentials?|differential pay", r"differential"),
    "on-call pay": (r"on[- ]?call (?:pay|rate|bonus)", r"on[- ]?call (?:pay|rate|bonus)"),
    "bonuses": (r"bonus(?:es)?", r"bonus"),
    "commissions": (r"commissions?\b(?! of)", r"commissions?\b(?! of)|commissioned"),
    # (tips as pay: "do they make tips", not "any tips for the interview")
    "tips": (
        r"(?:get|make|earn|receive|in|plus|and)\s+tips\b(?!\s+(?:for|on|to|about|and tricks))",
        r"gratuit|\btips\b(?! (?:for|on|to)\b)",
    ),
    "retirement plans": (
        r"401\s?\(?k\)?|pensions?|retirement (?:plan|account|benefit)s?",
        r"401|pension|retirement",
    ),
    "benefits": (
        r"benefits?(?: package)?(?= like| such| and| \?|\?|$)|health insurance|"
        r"dental (?:insurance|plan|coverage|benefits)|paid time off|\bpto\b|vacation days|sick days|"
        r"paid leave",
        r"benefits? (?:package|plan)|health insurance|dental (?:insurance|plan|coverage)|paid time off|"
        r"vacation|paid leave|sick leave|employee benefits",
    ),
    "union membership": (r"unions?\b|unioni[sz]ed", r"\bunions?\b|unioni[sz]ed"),
    "relocation packages": (r"relocation (?:package|assistance|bonus)", r"relocation"),
    "per diem": (r"per diem", r"per diem"),
    "stock options": (r"stock options|equity|\brsus?\b", r"stock option|equity"),
}
_EXTRAS = {
    label: (re.compile(rf"\b(?:{asked})", re.I), re.compile(rf"\b(?:{said})", re.I))
    for label, (asked, said) in _EXTRA_WORDS.items()
}
# ...and asks for the amount: "how much extra", "what's the rate", "is 1.5x normal"
_AMOUNT = re.compile(
    r"\bhow much\b|\brate\b|\bpercent|\bextra\b|\bnormal\b|\btypical|\bstandard\b|\baverage\b|\bx\b|\d", re.I
)
_FIGURE_NEAR = re.compile(r"[$€£]\s?\d|\d\s?%|\d+\s*percent|\d(?:\.\d)?\s?(?:x|times)\b", re.I)
# the clauses of a message that ask (the story around them names extras in passing: "tired of my
# union job, how do I become one?")
_ASKING_CLAUSE = re.compile(
    r"\?\s*$|^\W*(?:and\s+|also\s+|so\s+|but\s+)?(?:what|whats|what's|how|is|are|do|does|did|can|could|"
    r"should|would|will|which|who)\b",
    re.I,
)


class ScopeGate:
    """Declines what the guides do not cover; the reasons are in ``check``."""

    def __init__(
        self, chunks: Sequence[Chunk], vocabulary: Vocabulary, names: GuideNames, off: Callable[[str], bool]
    ) -> None:
        self.chunks = chunks
        self.vocabulary = vocabulary
        self.names = names
        self.off = off
        self._named_places: dict[str, bool] = {}  # place → whether some guide names it
        self._said_extras: dict[tuple[str, str], tuple[bool, bool]] = {}  # (extra, guide) → said, figure

    def check(
        self,
        query: str,
        hits: Sequence[Hit],
        lenient: bool = False,
        own: str | None = None,
        told: Sequence[Hit] = (),
    ) -> tuple[bool, str, dict[str, float]]:
        """Whether the guides cover ``query``: similarity, known words and the role asked about.

        ``lenient`` is for follow-ups of a covered question: a short "and seniors?" is not
        similar to anything alone, so only the word-based checks apply. ``own`` is the question
        without the backstory it borrowed its topic from: the words checked are its own.
        ``told`` are the hits of the question read with its backstory ("I teach ESL to adults.
        Is this field growing?"): as similar as those are, so is the question.
        """
        vocab = self.vocabulary
        top = hits[0] if hits else None
        sim = max((max(h.unit_dense, h.dense) for h in [*hits[:5], *told[:5]]), default=0.0)
        asked = own or query
        content = lexicon.content_words(asked) or lexicon.content_words(query)
        unknown = [
            w
            for w in content
            if lexicon.stem(w) not in vocab.vocab
            and lexicon.stem(w) not in vocab.everyday
            and w not in self.names.role_words
        ]
        feats = {
            "sim": sim,
            "lex": top.lexical if top else 0.0,
            "content": float(len(content)),
            "unknown": float(len(unknown)),
        }
        other = self.names.other_occupation(query)
        if other:
            return False, f"asks about another occupation ({other})", feats
        if not content and not lenient:
            return False, "no topic to look up", feats
        task = requested_task(asked)
        if task and not self.off("gate-task"):
            return False, f"asks me to write something ({task})", feats
        extra = None if self.off("gate-extras") else self.unknown_extra(asked, hits)
        if extra:
            return False, extra, feats
        thing = None if self.off("gate-perk") else self.unknown_thing(asked)
        if thing:
            return False, f"asks whether the job comes with something the guides never name ({thing})", feats
        currency = next((c for c, pat in _CURRENCIES.items() if pat.search(asked)), None)
        if currency and not self.off("gate-names") and not self._uses_currency(currency):
            return False, f"asks for figures in {currency}, which the guides do not give", feats
        where = None if self.off("gate-place") else self._unknown_place(asked, hits)
        if where:
            return False, where, feats
        names = [w for w in _PROPER.findall(asked) if not vocab.knows_name(w) and w not in _CALENDAR]
        if names and not self.off("gate-names"):
            return False, f"names something the guide does not ({', '.join(names)})", feats
        weak = sim < SIM_FLOOR or (sim < SIM_WEAK and unknown)
        if not lenient and weak and not self.off("gate-similarity"):
            return False, "nothing similar in the guide", feats
        share = len(unknown) / len(content) if content else 0.0
        feats["unknown_share"] = share
        # A follow-up of a covered question is declined only when none of its topic words is
        # known: "should I keep a paper one?" after a portfolio question uses words of its own and
        # is still about the portfolio; "how do I bake sourdough bread?" after it is not.
        strange = (share >= 0.5 and sim < SIM_CONFIDENT and not lenient) or (
            share == 1.0 and sim < SIM_ALL_UNKNOWN
        )
        if len(unknown) >= 2 and strange and not self.off("gate-unknown"):
            return False, f"unfamiliar topic ({', '.join(unknown)})", feats
        return True, "", feats

    def unknown_extra(self, question: str, hits: Sequence[Hit] = ()) -> str | None:
        """Why a question about pay beyond the salary or terms of employment is not covered by
        the guides found for it (see ``_EXTRAS``), or None."""
        parts = re.split(r"(?<=[?.!;])\s+|,\s+|\s+-+\s+|\s+—\s+", question)
        clauses = [c for c in parts if _ASKING_CLAUSE.search(c)]
        slugs = {h.chunk.slug for h in hits[:3]} or {c.slug for c in self.chunks}
        for label, (asked, _) in _EXTRAS.items():
            clause = next((c for c in clauses if asked.search(c)), None)
            if clause is None:
                continue
            said = [self._said(label, slug) for slug in slugs]
            if not any(s for s, _ in said):
                return f"asks about {label}, which the guide never mentions"
            if not any(f for _, f in said) and _AMOUNT.search(clause):
                return f"asks for the rate of {label}, which the guide never gives"
        return None

    def _said(self, label: str, slug: str) -> tuple[bool, bool]:
        """Whether guide ``slug`` says the extra ``label``, and with a figure in that sentence."""
        key = (label, slug)
        if key not in self._said_extras:
            pattern = _EXTRAS[label][1]
            sentences = [
                p
                for c in self.chunks
                if c.slug == slug
                for p in re.split(r"(?<=[.!?])\s+|\n", c.text)
                if pattern.search(p)
            ]
            figure = any(_FIGURE_NEAR.search(p) for p in sentences)
            self._said_extras[key] = (bool(sentences), figure)
        return self._said_extras[key]

    def unknown_thing(self, question: str) -> str | None:
        """What "do they get / does it come with X?" asks for, when no guide names it: "a
        pension", "health insurance", "a company truck" (a guide that never mentions them
        cannot say whether the job has them)."""
        vocab = self.vocabulary
        for m in _COMES_WITH.finditer(question):
            run: list[str] = []
            for w in lexicon.words(m.group(1) or m.group(2)):
                if "-" in w:
                    continue
                if w in lexicon.STOPWORDS or w in _PERK_FILLERS:
                    break
                run.append(w)
            if not run or not run[-1].isalpha() or len(run[-1]) < 3 or (m.group(2) and len(run) < 2):
                continue
            head = lexicon.stem(run[-1])
            if (
                head not in vocab.vocab
                and head not in vocab.everyday
                and run[-1] not in self.names.role_words
            ):
                return " ".join(run)
        return None

    def _unknown_place(self, question: str, hits: Sequence[Hit]) -> str | None:
        """Why a question about a place is not covered, or None: a place the guides never name
        ("which companies in houston are hiring?"), figures asked "in germany" when the
        sections found give none there, "which state pays most?" when they name no state."""
        place = places.asked_place(question)
        if place and not places.only_told(question, place):
            if place not in self._named_places:
                self._named_places[place] = any(places.names_place(c.text, place) for c in self.chunks)
            if not self._named_places[place]:
                return f"asks about a place the guides never name ({place})"
            # (pay only: how demand differs by country a guide may tell in words)
            kind = "money" if figure_asked(question) == "money" else None
            # the sections found with the figure asked, not the one that only names the place
            figured = [
                h.chunk for h in hits[:3] if kind and figure_pattern(kind, h.chunk).search(h.chunk.text)
            ]
            if figured and not any(places.names_place(f"{c.section} {c.text}", place) for c in figured):
                return f"asks for figures in {place}, which the sections found do not give"
        kind = places.asked_kind(question)
        found = " ".join(f"{h.chunk.section} {h.chunk.text}" for h in hits[:3]) if kind else ""
        if kind and not places.names_kind(found, kind):
            return f"asks which {kind}, and the sections found name none"
        return None

    def _uses_currency(self, currency: str) -> bool:
        pattern = _CURRENCY_IN_TEXT[currency]
        return any(pattern.search(c.text) for c in self.chunks)
