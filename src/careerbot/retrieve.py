"""Hybrid retrieval over the index: dense (Chroma) + lexical (BM25), a sentence-level rerank,
and the scope gate that decides whether the guides cover a question at all."""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import bm25s
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict
from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from . import lexicon
from .errors import QuestionError
from .index import Store
from .ingest import PATH_SEP, Chunk
from .ingest import role_of as _role_of

log = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class Retrieval:
    """Ranked hits for one query, and whether the guides seem to cover it."""

    query: str
    hits: tuple[Hit, ...]
    in_scope: bool
    reason: str = ""
    features: dict[str, float] = field(default_factory=dict)
    rare_terms: frozenset[str] = frozenset()  # query terms only a section or two use


# Weights of the fused score; tuned on eval/*.jsonl (see README, "Evaluation").
W_CHUNK, W_UNIT, W_TITLE, W_LEX, W_TITLE_LEX = 0.30, 0.40, 0.10, 0.35, 0.15
CANDIDATES = 64
EMBED_CACHE = 2048
ROLE_STAND_IN = "someone in this job"
RARE_DF = 2


class Searcher:
    """Everything retrieval needs in memory; built once per process from the Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        sections = store.load_sections()
        self.chunks = sections.chunks
        self.chunk_matrix = sections.vectors
        self.by_id = {c.id: i for i, c in enumerate(self.chunks)}
        # chunk id → (unit texts, unit kinds, unit vectors), units in reading order, title first.
        self.units = {
            cid: ([u.text for u in units], [u.kind for u in units], mat)
            for cid, (units, mat) in sections.units.items()
        }
        self.title_terms = [set(lexicon.terms(c.title)) for c in self.chunks]
        self.unit_terms = {
            cid: [set(lexicon.terms(t)) for t in texts] for cid, (texts, _, _) in self.units.items()
        }
        self.collection = store.vectorstore("chunks")._collection
        docs = [lexicon.terms(f"{c.section} {c.title} {c.text}") for c in self.chunks]
        # Sparse-matrix BM25: a query costs what its terms' postings cost, not one pass per section.
        self.bm25 = bm25s.BM25(k1=1.5, b=0.75)
        self.bm25.index(docs, show_progress=False)
        self.vocab = {t for d in docs for t in d}
        self.everyday = {lexicon.stem(w) for w in lexicon.known_words()}
        raw_words = {w for c in self.chunks for w in lexicon.words(f"{c.section} {c.text}")}
        self.spelling = raw_words | lexicon.known_words() | lexicon.STOPWORDS | lexicon.FILLERS
        self.spelling_list = sorted(w for w in self.spelling if len(w) >= 3 and w.isalpha())
        self.doc_freq: dict[str, int] = {}
        for d in docs:
            for t in set(d):
                self.doc_freq[t] = self.doc_freq.get(t, 0) + 1
        self.guides = sorted({c.guide for c in self.chunks})
        # The role's words as one lowercase string → its guides, for spotting a role named in a
        # question by looking up the question's word n-grams (cost independent of the guide count).
        self.roles: dict[str, set[str]] = {}
        for c in self.chunks:
            role = " ".join(lexicon.words(_role_of(c.guide)))
            if role:
                self.roles.setdefault(role, set()).add(c.slug)
        self.role_len = max((r.count(" ") + 1 for r in self.roles), default=0)
        rows: dict[str, list[int]] = {}
        for i, c in enumerate(self.chunks):
            rows.setdefault(c.slug, []).append(i)
        self.guide_rows = {slug: np.asarray(r) for slug, r in rows.items()}  # slug → rows in chunks
        self.guide_title = {c.slug: c.guide for c in self.chunks}
        # guide title, slug and role → slug, for ask(guide=...) and for questions naming a role
        self.guide_names: dict[str, str] = {}
        for c in self.chunks:
            for name in (c.guide, c.slug, _role_of(c.guide)):
                self.guide_names[name.lower()] = c.slug
        self.facts = store.load_facts()
        self.role_words = self._role_words()
        roles = sorted({_role_of(c.guide) for c in self.chunks}, key=len)
        alternatives = [re.escape(r).replace(r"\ ", r"\s+") + r"s?" for r in reversed(roles) if r]
        for r in roles:  # "lead tech(s)" for "Lead Technician"
            if r.lower().endswith("technician"):
                alternatives.append(re.escape(r[: -len("nician")]).replace(r"\ ", r"\s+") + r"s?")
        self.role_pattern = (
            re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.I) if alternatives else None
        )
        # The role's own words are in every section; they say nothing about which one.
        self.role_stems = {lexicon.stem(w) for w in self.role_words} - {"senior", "junior"}
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _role_words(self) -> set[str]:
        # Words naming the guides' roles and their tiers ("lead", "technician", "senior", ...).
        names = set()
        for c in self.chunks:
            names.add(c.guide)
            if PATH_SEP in c.section and c.section.lower().startswith("career path"):
                names.add(c.title)
        out = {w for n in names for w in lexicon.words(n)} - {"career", "path", "guide"}
        return out | {w + "s" for w in out} | {"tech", "techs"}

    # -- scoring --------------------------------------------------------------------
    def neutral(self, text: str) -> str:
        """The question with the guides' role name replaced by a neutral word.

        Every section talks about the role, so "lead technician" in a question pulls the
        vector towards whichever sentence names the role most, not the one that answers.
        """
        return self.role_pattern.sub(ROLE_STAND_IN, text) if self.role_pattern else text

    def embed(self, text: str) -> np.ndarray:
        """The query vector, cached: follow-ups re-use the previous question's."""
        text = self.neutral(text)
        with self._cache_lock:
            vec = self._cache.get(text)
            if vec is not None:
                self._cache.move_to_end(text)
                return vec
        vec = self.store.query_encoder().encode([text])[0]
        with self._cache_lock:
            self._cache[text] = vec
            while len(self._cache) > EMBED_CACHE:
                self._cache.popitem(last=False)
        return vec

    def search(
        self,
        query: str,
        vec: np.ndarray | None = None,
        k: int = CANDIDATES,
        guides: frozenset[str] | None = None,
    ) -> list[Hit]:
        """Candidates by dense and lexical search, fused and sorted best first.

        ``guides`` (slugs) restricts the search to those guides; None searches all of them.
        """
        vec = self.embed(query) if vec is None else vec
        n = min(k, len(self.chunks))
        rows = self._rows(guides) if guides else None
        dense = self._dense(vec, n, rows)
        qterms = set(lexicon.expand(query)) - self.role_stems
        lex_raw = self._lexical([t for t in lexicon.expand(query) if t in qterms], rows)
        top_lex = float(lex_raw.max()) if len(lex_raw) else 0.0
        best = np.argpartition(-lex_raw, n - 1)[:n] if n < len(lex_raw) else np.arange(len(lex_raw))
        lex_ids = {self.chunks[i].id for i in best if lex_raw[i] > 0}
        acronyms = {a for a in _ACRONYM.findall(query) if a != "I"}
        outcome = bool(_OUTCOME_Q.search(query))
        hits: list[Hit] = []
        for cid in set(dense) | lex_ids:
            i = self.by_id[cid]
            chunk = self.chunks[i]
            texts, kinds, mat = self.units[cid]
            raw = mat @ vec
            sims = raw + self._unit_bonus(cid, texts, qterms - self.title_terms[i], acronyms, outcome)
            body = [j for j, kd in enumerate(kinds) if kd != "title"]
            title = [j for j, kd in enumerate(kinds) if kd == "title"]
            unit_best = float(sims[body].max()) if body else 0.0
            title_sim = float(sims[title].max()) if title else 0.0
            d = dense.get(cid)
            if d is None:
                d = float(self._chunk_vec(cid) @ vec)
            lex = float(lex_raw[i] / top_lex) if top_lex > 0 else 0.0
            # How much of the section's own title the question names ("Key Responsibilities").
            tt = self.title_terms[i]
            title_lex = len(qterms & tt) / len(tt) if tt else 0.0
            score = (
                W_CHUNK * d + W_UNIT * unit_best + W_TITLE * title_sim + W_LEX * lex + W_TITLE_LEX * title_lex
            )
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
        parts = [self.guide_rows[g] for g in guides if g in self.guide_rows]
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
        return self.bm25.get_scores(ids, weight_mask=mask)

    def _unit_bonus(
        self, cid: str, texts: list[str], qterms: set[str], acronyms: set[str], outcome: bool
    ) -> np.ndarray:
        """Lexical evidence per unit: shared terms, a defined acronym, a measured outcome."""
        bonus = np.zeros(len(texts), dtype=np.float32)
        if not qterms:
            return bonus
        for j, (text, terms) in enumerate(zip(texts, self.unit_terms[cid], strict=True)):
            b = UNIT_LEX * len(qterms & terms) / len(qterms)
            label = _LABEL.match(text)
            if label:
                lt = set(lexicon.terms(label.group(1)))  # stems are cached, this is cheap
                if lt and lt <= qterms:
                    b += UNIT_LABEL  # "growth rate?" → "Growth rate: 7%"
            if acronyms and any(f"({a})" in text for a in acronyms):
                b += UNIT_ACRONYM  # the sentence that spells the acronym out
            if outcome and _QUANTITY.search(text):
                b += UNIT_QUANTITY  # "by how much?" is answered by the sentence with the figure
            elif outcome and _OUTCOME_UNIT.search(text):
                b += UNIT_OUTCOME
            bonus[j] = b
        return bonus

    def _dense(self, vec: np.ndarray, n: int, rows: np.ndarray | None) -> dict[str, float]:
        """Section candidates: Chroma's nearest neighbours, limited to this snapshot's sections.

        Within chosen guides (``rows``) the snapshot's own vectors of them are scored exactly
        instead: a filtered Chroma query scans the metadata (52 ms at 47,000 sections), while
        one guide is ~50 rows here. If the store is being rebuilt or is gone, the snapshot's
        vectors answer too, so a question never sees half an index.
        """
        if rows is None:
            try:
                res = self.collection.query(
                    query_embeddings=[vec.tolist()], n_results=n, include=["distances"]
                )
                found = {cid: 1.0 - d for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)}
                return {cid: v for cid, v in found.items() if cid in self.by_id}
            except Exception as exc:
                log.warning("Chroma query failed (%s); using the loaded vectors.", exc)
            rows = np.arange(len(self.chunks))
        if not len(rows):
            return {}
        sims = self.chunk_matrix[rows] @ vec
        best = np.argsort(-sims)[:n]
        return {self.chunks[rows[j]].id: float(sims[j]) for j in best}

    def _chunk_vec(self, cid: str) -> np.ndarray:
        return self.chunk_matrix[self.by_id[cid]]

    # -- scope ----------------------------------------------------------------------
    def scope(
        self, query: str, hits: Sequence[Hit], lenient: bool = False
    ) -> tuple[bool, str, dict[str, float]]:
        """Whether the guides cover ``query``: similarity, known words and the role asked about.

        ``lenient`` is for follow-ups of a covered question: a short "and seniors?" is not
        similar to anything alone, so only the word-based checks apply.
        """
        top = hits[0] if hits else None
        sim = max((max(h.unit_dense, h.dense) for h in hits[:5]), default=0.0)
        content = lexicon.content_words(query)
        unknown = [
            w
            for w in content
            if lexicon.stem(w) not in self.vocab
            and lexicon.stem(w) not in self.everyday
            and w not in self.role_words
        ]
        feats = {
            "sim": sim,
            "lex": top.lexical if top else 0.0,
            "content": float(len(content)),
            "unknown": float(len(unknown)),
        }
        other = self.other_occupation(query)
        if other:
            return False, f"asks about another occupation ({other})", feats
        if not content and not lenient:
            return False, "no topic to look up", feats
        names = [w for w in _PROPER.findall(query) if not self._known_name(w)]
        if names:
            return False, f"names something the guide does not ({', '.join(names)})", feats
        if not lenient and (sim < SIM_FLOOR or (sim < SIM_WEAK and unknown)):
            return False, "nothing similar in the guide", feats
        share = len(unknown) / len(content) if content else 0.0
        feats["unknown_share"] = share
        if len(unknown) >= 2 and share >= 0.5 and sim < SIM_CONFIDENT:
            return False, f"unfamiliar topic ({', '.join(unknown)})", feats
        return True, "", feats

    def resolve_guide(self, name: str) -> str:
        """A guide's slug from its title, slug or role name (case-insensitive)."""
        slug = self.guide_names.get(name.strip().lower())
        if slug is None:
            raise QuestionError(f"No guide called {name!r}; choose one of: {', '.join(self.guides)}.")
        return slug

    def guides_named(self, question: str) -> frozenset[str]:
        """Guides whose role the question names ("what does a lead technician earn?")."""
        if len(self.guide_rows) < 2:
            return frozenset()
        words = lexicon.words(question)
        found: dict[str, int] = {}
        for size in range(1, self.role_len + 1):
            for i in range(len(words) - size + 1):
                gram = " ".join(words[i : i + size])
                # the role itself, or its plural ("lead technicians")
                role = gram if gram in self.roles else gram[:-1] if gram.endswith("s") else ""
                for slug in self.roles.get(role, ()) if role else ():
                    found[slug] = max(found.get(slug, 0), len(role))
        if not found:
            return frozenset()
        longest = max(found.values())  # "wind turbine technician" over "technician"
        return frozenset(slug for slug, n in found.items() if n == longest)

    def correct_spelling(self, text: str) -> str:
        """Fix likely typos ("senoir" → "senior") against the guides' and the lexicon's words."""
        out = text
        proper = {w.lower() for w in re.findall(r"\b[A-Z]\w+", text[1:])}  # names are not typos
        for w in set(lexicon.words(text)) - proper:
            if len(w) < 4 or w in self.spelling or "-" in w or any(ch.isdigit() for ch in w):
                continue
            if zipf_frequency(w, "en") >= TYPO_ZIPF:  # a real word ("electrician"), not a typo
                continue
            limit = 1 if len(w) < 7 else 2
            match = process.extractOne(w, self.spelling_list, scorer=OSA.distance, score_cutoff=limit)
            if match:
                out = re.sub(rf"\b{re.escape(w)}\b", match[0], out, flags=re.IGNORECASE)
        return out

    def rare_terms(self, query: str) -> frozenset[str]:
        """Query terms that name something specific: used by at most two sections."""
        return frozenset(
            t
            for t in lexicon.terms(query)
            if t not in self.everyday and 0 < self.doc_freq.get(t, 0) <= RARE_DF
        )

    def _known_name(self, name: str) -> bool:
        # "European" is known when the guide says "Europe": compare word beginnings;
        # "South America" is known when the guide says "Latin America": any word will do.
        return any(any(v.startswith(lexicon.stem(w)[:5]) for v in self.vocab) for w in lexicon.words(name))

    def other_occupation(self, query: str) -> str | None:
        """The occupation a question is about when it is not a guide's role."""
        ws = lexicon.words(query)
        if any(w in self.role_words and w not in {"lead", "senior", "junior"} for w in ws):
            return None
        for i, w in enumerate(ws):
            base = w[:-1] if w.endswith("s") and w[:-1] in lexicon.OCCUPATIONS else w
            if base in lexicon.OCCUPATIONS and (i == 0 or ws[i - 1] not in _ALONGSIDE):
                return w
        return None


# Below SIM_FLOOR nothing in the guide is close; between it and SIM_CONFIDENT the question must
# also use words the guide (or the everyday lexicon) knows.
SIM_FLOOR = 0.20
SIM_WEAK = 0.30
SIM_CONFIDENT = 0.55
# English word frequency (Zipf scale) below which an unknown word is likely a typo.
TYPO_ZIPF = 3.0
UNIT_LEX, UNIT_ACRONYM, UNIT_OUTCOME, UNIT_QUANTITY, UNIT_LABEL = 0.15, 0.25, 0.05, 0.25, 0.15
_LABEL = re.compile(r"^([^:]{2,40}):\s")
_QUANTITY = re.compile(r"\d+(?:[.,]\d+)?\s?%|\$\s?\d|\b\d+x\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9+&]{1,6}\b")
# Capitalised words after the first one: names of places, companies, products.
_PROPER = re.compile(r"(?<=[a-z,;:]\s)([A-Z][a-z]+(?:\s[A-Z][a-z]+)*)")
_OUTCOME_Q = re.compile(
    r"\b(achiev\w*|result\w*|outcome|impact|improv\w*|reduc\w*|cut|succe\w*|how much|by how|"
    r"percent|in the end|turn(ed)? out|go(es)? (ok|well)|happen\w*)\b",
    re.I,
)
_OUTCOME_UNIT = re.compile(r"\d+%|\bresult\w*|\breduc\w*|\bcomplet\w*|\bimprov\w*|\bachiev\w*", re.I)
_ALONGSIDE = {"with", "and", "to", "alongside", "other", "between", "among", "from"}


class GuideRetriever(BaseRetriever):
    """The hybrid search as a LangChain retriever (documents carry section, guide and score)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    searcher: Any
    k: int = 4

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.searcher.search(query)[: self.k]
        return [
            Document(
                page_content=h.chunk.text,
                id=h.chunk.id,
                metadata={"section": h.chunk.section, "guide": h.chunk.guide, "score": h.score},
            )
            for h in hits
        ]
