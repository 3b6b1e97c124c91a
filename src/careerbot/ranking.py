"""Ranking sections for a question: dense candidates and BM25 fused with each section's best
unit, lexical bonuses of single units, and section priors (site boilerplate, lists of other
occupations)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from . import lexicon
from .answer import ANY_PERCENT
from .guides import GuideNames
from .ingest import Chunk, Unit
from .occupations import is_person_noun

# bm25s sets its own logger to DEBUG on import, which prints "Building index from tokens" under
# every CLI answer; its messages are for its developers.
logging.getLogger("bm25s").setLevel(logging.WARNING)

# Nearest sections of a whole index as {section id: cosine}, or None to score them here.
Nearest = Callable[[np.ndarray, int], "dict[str, float] | None"]


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its scores and the similarity of each of its units."""

    chunk: Chunk
    score: float
    dense: float
    lexical: float
    units: tuple[str, ...]
    unit_kinds: tuple[str, ...]
    unit_scores: tuple[float, ...]
    title_score: float
    unit_dense: float = 0.0  # best plain cosine of a unit, before lexical bonuses
    unit_raw: tuple[float, ...] = ()  # plain cosine of each unit, same order as ``units``


# Weights of the fused score; tuned on eval/*.jsonl (see README, "Evaluation").
W_CHUNK, W_UNIT, W_TITLE, W_LEX, W_TITLE_LEX = 0.30, 0.40, 0.10, 0.35, 0.15
W_FAQ_TITLE = 0.25
W_FIGURE = 0.15
CANDIDATES = 64

UNIT_LEX, UNIT_ACRONYM, UNIT_OUTCOME, UNIT_QUANTITY, UNIT_LABEL = 0.15, 0.25, 0.05, 0.25, 0.15
_LABEL = re.compile(r"^([^:]{2,40}):\s")
_ROW_LABEL = re.compile(r"^([^:]{2,80}):\s")
UNIT_FIGURE = 0.2
BOILERPLATE_WEIGHT, RELATED_WEIGHT = 0.6, 0.35
_RELATED_Q = re.compile(
    r"\b(?:similar|related|other|alternatives?|instead|comparable|compare|switch(?:ing)? to|like this)\b",
    re.I,
)
_PAY_Q = re.compile(
    r"\b(?:pay|paid|salar\w*|earn\w*|make|makes|making|wages?|income|money|cash|compensation|paycheck)\b",
    re.I,
)
_GROWTH_Q = re.compile(
    r"(?<!career )(?<!personal )(?<!professional )"
    r"\b(?:grow\w*|growth|outlook|demand|prospects?|future|projected|projection|shrink\w*|declin\w*|"
    r"dying|openings|job market"
    r"|(?:be|there)\s+(?:more|fewer|less) (?:of )?(?:those |these |the )?(?:jobs|positions))\b"
    r"(?! paths?| opportunit| into| as a)",
    re.I,
)
# Pay asked for in so many words ("make" alone also makes things: "make a plant run better")
_MAKE_THINGS = (
    r"(?!\s+(?:it|the|sure|sense|up|time|them|things|changes?|decisions?|an?\s+(?!year|month|week|day|hour|"
    r"living|lot|ton|fortune|decent|good|bunch|salary|six|\d)))"
)
_PAY_ASKED = re.compile(
    r"\b(?:pay|paid|salar\w*|earn\w*|wages?|income|paycheck|"
    r"(?:how much|what (?:do|does|did|would|could|can|will|should))\b[^?.]{0,40}"
    rf"\bmak(?:e|es|ing)\b{_MAKE_THINGS}|"
    r"mak(?:e|es|ing)\s+(?:good |decent |a lot of |more |less |enough |big )?(?:money|bank|bucks)|"
    r"makes? more\b|mak(?:e|es|ing)\s+(?:a|an|per)\s+(?:year|month|week|hour|living)|"
    # "whats a welder make in texas?": "what's" for "what does"
    r"what(?:(?:'|’)?s| is)\s+(?:a|an)\s+[^?.]{1,30}\bmake"
    r"(?=\s*(?:$|[?.!,]|\s(?:in|at|per|a|an|now|these|starting|to start|hourly|yearly)\b)))\b",
    re.I,
)
_OUTLOOK_SECTION = re.compile(r"outlook|projection|growth|employment change", re.I)
_FIGURE = {
    "money": re.compile(r"[$€£]\s?\d"),
    # a growth figure, not any share ("Offices of physicians: 36%" answers no outlook question)
    "percent": re.compile(
        r"\b(?:grow|growth|declin|decreas|increas|chang|outlook|project)\w*\b[^.]{0,120}?"
        r"(?:\d\s?%|\b\d+ percent\b)"
        r"|(?:\d\s?%|\b\d+ percent\b)[^.]{0,60}?\b(?:grow|growth|declin|increas|decreas|chang|faster|slower|"
        r"average)",
        re.I,
    ),
}
_QUANTITY = re.compile(r"\d+(?:[.,]\d+)?\s?%|\$\s?\d|\b\d+x\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9+&]{1,6}\b")
_OUTCOME_Q = re.compile(
    r"\b(achiev\w*|result\w*|outcome|impact|improv\w*|reduc\w*|cut|succe\w*|how much|by how|"
    r"percent|in the end|turn(ed)? out|go(es)? (ok|well)|happen\w*)\b",
    re.I,
)
_OUTCOME_UNIT = re.compile(r"\d+%|\bresult\w*|\breduc\w*|\bcomplet\w*|\bimprov\w*|\bachiev\w*", re.I)


def figure_intent(query: str) -> str | None:
    """ "money" for a pay question, "percent" for a growth question, else None."""
    if _PAY_Q.search(query):
        return "money"
    if _GROWTH_Q.search(query):
        return "percent"
    return None


def figure_asked(query: str) -> str | None:
    """ "money" when a question asks for pay in so many words, "percent" for growth, else None
    (stricter than the ranking's intent: an answer adds a figure's line only for these)."""
    return "money" if _PAY_ASKED.search(query) else "percent" if _GROWTH_Q.search(query) else None


def figure_pattern(kind: str, chunk: Chunk) -> re.Pattern[str]:
    """The pattern of the figure asked for in ``chunk``: under an outlook heading any
    percentage is a growth figure ("Cost estimators: -4%"), elsewhere only one said to be."""
    if kind == "percent" and _OUTLOOK_SECTION.search(chunk.section):
        return ANY_PERCENT
    return _FIGURE[kind]


def section_kinds(chunks: Sequence[Chunk], names: GuideNames) -> tuple[np.ndarray, np.ndarray]:
    """Which sections are site boilerplate and which list other occupations.

    Boilerplate: the same text, less each guide's own name and figures, in three or more
    guides ("State data: explore resources for employment and wages by state…"). A list of
    other occupations: most of its lines are "Name: …" rows whose names are person nouns
    that are not the guide's own ("Electricians: … Median pay: $62,350").
    """
    seen: dict[str, set[str]] = {}
    keys: list[str] = []
    for c in chunks:
        own = names.name_stems.get(c.slug, set())
        words = [w for w in lexicon.words(c.text) if not w[0].isdigit() and lexicon.stem(w) not in own]
        key = " ".join(words)
        keys.append(key)
        if len(words) >= 8:
            seen.setdefault(key, set()).add(c.slug)
    boiler = np.array([len(seen.get(k, ())) >= 3 for k in keys], dtype=bool)
    related = np.zeros(len(chunks), dtype=bool)
    # The same labels recur across guides ("Electricians", "Median pay"): each is looked up once.
    named: dict[str, frozenset[str]] = {}

    def guides_named(label: str) -> frozenset[str]:
        if label not in named:
            named[label] = names.occupations.named(label)[0]
        return named[label]

    for i, c in enumerate(chunks):
        labels = [m.group(1) for m in map(_ROW_LABEL.match, c.text.split("\n")) if m]
        if len(labels) < 3:
            continue
        others = [
            lb
            for lb in labels
            if is_person_noun(lexicon.words(lb)[-1] if lexicon.words(lb) else "")
            and c.slug not in guides_named(lb)
        ]
        related[i] = len(others) * 2 >= len(labels)
    return boiler, related


class Ranker:
    """Fuses dense and lexical evidence over sections held in memory.

    ``docs`` are each section's terms (BM25); ``nearest`` answers whole-index dense queries
    (Chroma's HNSW); without it, or when it returns None, every section is scored here.
    """

    def __init__(
        self,
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        units: dict[str, tuple[Sequence[Unit], np.ndarray]],
        docs: Sequence[list[str]],
        names: GuideNames,
        off: Callable[[str], bool],
        nearest: Nearest | None = None,
    ) -> None:
        self.chunks = chunks
        self.chunk_matrix = vectors
        self.names = names
        self.off = off
        self.nearest = nearest
        self.by_id = {c.id: i for i, c in enumerate(chunks)}
        # chunk id → (unit texts, unit kinds, unit vectors), units in reading order, title first.
        self.units = {
            cid: ([u.text for u in us], [u.kind for u in us], mat) for cid, (us, mat) in units.items()
        }
        self.title_terms = [set(lexicon.terms(c.title)) for c in chunks]
        self.unit_terms = {
            cid: [set(lexicon.terms(t)) for t in texts] for cid, (texts, _, _) in self.units.items()
        }
        # Sparse-matrix BM25: a query costs what its terms' postings cost, not one pass per section.
        self.bm25 = bm25s.BM25(k1=1.5, b=0.75)
        self.bm25.index(list(docs), show_progress=False)
        self.boilerplate, self.related = section_kinds(chunks, names)

    def rank(
        self, query: str, vec: np.ndarray, k: int = CANDIDATES, guides: frozenset[str] | None = None
    ) -> list[Hit]:
        """Candidates by dense and lexical search, fused and sorted best first.

        ``guides`` (slugs) restricts the search to those guides; None searches all of them.
        """
        n = min(k, len(self.chunks))
        rows = self._rows(guides) if guides else None
        dense = self._dense(vec, n, rows)
        own = self.names.own_name_stems(guides)
        # The occupation's own name ("lead techs") is in all its sections: no help in ranking them.
        unnamed = self.names.unnamed(query)
        expanded = lexicon.expand(unnamed, synonyms=not self.off("lexicon"))
        qterms = set(expanded) - own
        lex_raw = self._lexical([t for t in expanded if t in qterms], rows)
        top_lex = float(lex_raw.max()) if len(lex_raw) else 0.0
        best = np.argpartition(-lex_raw, n - 1)[:n] if n < len(lex_raw) else np.arange(len(lex_raw))
        lex_ids = {self.chunks[i].id for i in best if lex_raw[i] > 0}
        acronyms = {a for a in _ACRONYM.findall(query) if a != "I"}
        outcome = bool(_OUTCOME_Q.search(query))
        figure = None if self.off("figure-intent") else figure_intent(query)
        related_q = bool(_RELATED_Q.search(query))
        hits: list[Hit] = []
        for cid in set(dense) | lex_ids:
            i = self.by_id[cid]
            chunk = self.chunks[i]
            texts, kinds, mat = self.units[cid]
            raw = mat @ vec
            # which units hold the figure asked for: read once for the unit and the section bonus
            with_figure = [bool(figure_pattern(figure, chunk).search(t)) for t in texts] if figure else []
            sims = raw + self._unit_bonus(
                cid, texts, qterms - self.title_terms[i], acronyms, outcome, with_figure
            )
            body = [j for j, kd in enumerate(kinds) if kd != "title"]
            title = [j for j, kd in enumerate(kinds) if kd == "title"]
            unit_best = float(sims[body].max()) if body else 0.0
            title_sim = float(sims[title].max()) if title else 0.0
            d = dense.get(cid)
            if d is None:
                d = float(self.chunk_matrix[i] @ vec)
            lex = float(lex_raw[i] / top_lex) if top_lex > 0 else 0.0
            # How much of the section's own title the question names ("Key Responsibilities").
            tt = self.title_terms[i]
            title_lex = len(qterms & tt) / len(tt) if tt else 0.0
            score = (
                W_CHUNK * d + W_UNIT * unit_best + W_TITLE * title_sim + W_LEX * lex + W_TITLE_LEX * title_lex
            )
            if chunk.kind == "faq" and not self.off("faq-title"):
                score += W_FAQ_TITLE * title_sim  # a question that asks what an FAQ entry asks
            if any(with_figure):
                score += W_FIGURE  # a pay question is answered where the pay figures are
            if self.boilerplate[i] and not self.off("section-priors"):
                score *= BOILERPLATE_WEIGHT  # the site's text, the same in every guide
            if self.related[i] and not related_q and not self.off("section-priors"):
                score *= RELATED_WEIGHT  # other occupations' figures answer no question about this one
            hits.append(
                Hit(
                    chunk,
                    score,
                    d,
                    lex,
                    tuple(texts[j] for j in body),
                    tuple(kinds[j] for j in body),
                    tuple(float(sims[j]) for j in body),
                    title_sim,
                    float(raw.max()) if len(raw) else 0.0,
                    tuple(float(raw[j]) for j in body),
                )
            )
        hits.sort(key=lambda h: -h.score)
        return hits

    def _rows(self, guides: frozenset[str]) -> np.ndarray:
        """The positions in ``self.chunks`` of the given guides' sections."""
        parts = [self.names.guide_rows[g] for g in guides if g in self.names.guide_rows]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=int)

    def _lexical(self, terms: list[str], rows: np.ndarray | None) -> np.ndarray:
        """BM25 score of every section (0 outside ``rows`` when given)."""
        ids = self.bm25.get_tokens_ids(terms)
        if not ids:
            return np.zeros(len(self.chunks), dtype=np.float32)
        mask = None
        if rows is not None:
            mask = np.zeros(len(self.chunks), dtype=np.float32)
            mask[rows] = 1.0
        scores: np.ndarray = self.bm25.get_scores(ids, weight_mask=mask)
        return scores

    def _unit_bonus(
        self,
        cid: str,
        texts: list[str],
        qterms: set[str],
        acronyms: set[str],
        outcome: bool,
        with_figure: Sequence[bool] = (),
    ) -> np.ndarray:
        """Lexical evidence per unit: shared terms, a defined acronym, a measured outcome."""
        bonus = np.zeros(len(texts), dtype=np.float32)
        if not qterms or self.off("unit-bonus"):
            return bonus
        for j, (text, terms) in enumerate(zip(texts, self.unit_terms[cid], strict=True)):
            b = UNIT_LEX * len(qterms & terms) / len(qterms)
            label = _LABEL.match(text)
            if label:
                lt = set(lexicon.terms(label.group(1)))  # stems are cached, this is cheap
                share = len(lt & qterms) / len(lt) if lt else 0.0
                if share >= 0.5:
                    b += UNIT_LABEL * share  # "growth rate?" → "Growth rate: 7%"
            if acronyms and any(f"({a})" in text for a in acronyms):
                b += UNIT_ACRONYM  # the sentence that spells the acronym out
            if outcome and _QUANTITY.search(text):
                b += UNIT_QUANTITY  # "by how much?" is answered by the sentence with the figure
            elif outcome and _OUTCOME_UNIT.search(text):
                b += UNIT_OUTCOME
            if with_figure and with_figure[j]:
                b += UNIT_FIGURE  # "what do they earn?" is answered where the pay figure is
            bonus[j] = b
        return bonus

    def _dense(self, vec: np.ndarray, n: int, rows: np.ndarray | None) -> dict[str, float]:
        """Section candidates: the nearest sections of the whole index, or within chosen guides
        (``rows``) their vectors scored exactly here: a filtered Chroma query scans the metadata
        (52 ms at 47,000 sections), while one guide is ~50 rows here."""
        if rows is None:
            found = self.nearest(vec, n) if self.nearest else None
            if found is not None:
                return found
            rows = np.arange(len(self.chunks))
        if not len(rows):
            return {}
        sims = self.chunk_matrix[rows] @ vec
        best = np.argsort(-sims)[:n]
        return {self.chunks[rows[j]].id: float(sims[j]) for j in best}
