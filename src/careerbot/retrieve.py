"""Hybrid retrieval over a snapshot of the index: the ``Searcher`` the engine asks, composed
of the guides' names, the ranking (dense + BM25 + units) and the scope gate."""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from . import lexicon
from .answer import Source
from .encoder import Encoder
from .guides import GuideNames
from .occupations import Mention, OccupationIndex
from .ranking import CANDIDATES, Hit, Ranker, figure_asked, figure_pattern
from .reader import Snapshot
from .scope import ScopeGate, Vocabulary

if TYPE_CHECKING:
    from .index import Store

__all__ = ["GuideRetriever", "Hit", "Retrieval", "Searcher"]

log = logging.getLogger(__name__)

EMBED_CACHE = 2048


@dataclass(frozen=True)
class Retrieval:
    """Ranked hits for one query, and whether the guides seem to cover it."""

    query: str
    hits: tuple[Hit, ...]
    in_scope: bool
    reason: str = ""
    features: dict[str, float] = field(default_factory=dict)
    rare_terms: frozenset[str] = frozenset()  # query terms only a section or two use
    context: str = ""  # the rest of the message, for a question that leans on it ("…and its pass rate?")
    other: str | None = None  # an occupation the question asks about that no guide covers
    asked: str = ""  # the question as asked, before a follow-up took its topic from the one before


def _nothing_off(family: str) -> bool:
    return False


class LiveIndex:
    """The Chroma collection a snapshot was read from, asked only while it holds that build.

    The check comes before the query too with an embedded index (a stat): what is read while a
    build writes would be thrown away, and reading competes with the build for the database. On a
    Chroma server the check is an HTTP call; the one after the query keeps the answer whole. During
    a rebuild or an update, or with the index gone, the snapshot's own vectors answer instead.
    """

    def __init__(self, store: Store, token: str | None, known: frozenset[str]) -> None:
        self.store = store
        self.token = token
        self.known = known
        self.collection = store.gateway.collection("chunks")

    def holds(self) -> bool:
        """Whether the store still holds the very build the snapshot was read from."""
        return self.token is not None and self.store.build_token() == self.token

    def nearest(self, vec: np.ndarray, n: int) -> dict[str, float] | None:
        """Chroma's nearest sections of the snapshot, or None when the index cannot answer whole."""
        if not (self.store.settings.chroma_url or self.holds()):
            return None
        try:
            res = self.collection.query(query_embeddings=[vec.tolist()], n_results=n, include=["distances"])
            distances = res["distances"]
            if distances is None:  # (asked for, so never; caught below like any failed query)
                raise ValueError("Chroma returned no distances")
            found = {cid: 1.0 - d for cid, d in zip(res["ids"][0], distances[0], strict=True)}
            if self.holds():
                return {cid: v for cid, v in found.items() if cid in self.known}
        except Exception as exc:
            if self.holds():  # (a build that just started is no failure)
                log.warning("Chroma query failed (%s); using the loaded vectors.", exc)
        return None


class Searcher:
    """Retrieval over one snapshot, held in memory; no I/O of its own but ``live`` (if given).

    ``encoder`` embeds questions (any object with ``encode(texts) -> unit rows``); ``off`` says
    which rule families are switched off (``Settings.off``).
    """

    def __init__(
        self,
        snapshot: Snapshot,
        encoder: Encoder,
        off: Callable[[str], bool] = _nothing_off,
        live: LiveIndex | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.encoder = encoder
        self.off = off
        self.live = live
        # Which finished build this snapshot is (None: read while none was); the owner checks it
        # again after loading, and Chroma is asked only while the store still holds this build.
        self.token = snapshot.token
        self.chunks = list(snapshot.chunks)
        self.facts = list(snapshot.facts)
        self.names = GuideNames(self.chunks, encoder, off)
        docs = [lexicon.terms(f"{c.section} {c.title} {c.text}") for c in self.chunks]
        self.ranker = Ranker(
            self.chunks,
            snapshot.vectors,
            dict(snapshot.units),
            docs,
            self.names,
            off,
            live.nearest if live else None,
        )
        self.vocabulary = Vocabulary(docs)
        self.gate = ScopeGate(self.chunks, self.vocabulary, self.names, off)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    @classmethod
    def from_store(cls, store: Store) -> Searcher:
        """Read the store's current build whole, with the question encoder that build named."""
        snapshot = store.snapshot()
        # Held here: a build underway elsewhere clears the manifest, and reading it later would
        # quietly load the slow model instead.
        encoder = store.query_encoder()
        live = LiveIndex(store, snapshot.token, frozenset(c.id for c in snapshot.chunks))
        return cls(snapshot, encoder, store.settings.off, live)

    # -- what the engine reads -------------------------------------------------------
    @property
    def guides(self) -> list[str]:
        return self.names.guides

    @property
    def guide_rows(self) -> dict[str, np.ndarray]:
        return self.names.guide_rows

    @property
    def guide_title(self) -> dict[str, str]:
        return self.names.guide_title

    @property
    def occupations(self) -> OccupationIndex:
        return self.names.occupations

    def holds_store(self) -> bool:
        """Whether the store still holds the very build this snapshot was read from."""
        return self.live is not None and self.live.holds()

    # -- retrieval -------------------------------------------------------------------
    def neutral(self, text: str) -> str:
        """The question with the guides' role name replaced by a neutral word."""
        return self.names.neutral(text)

    def embed(self, text: str) -> np.ndarray:
        """The query vector, cached: follow-ups re-use the previous question's."""
        text = self.neutral(text)
        with self._cache_lock:
            vec = self._cache.get(text)
            if vec is not None:
                self._cache.move_to_end(text)
                return vec
        row: np.ndarray = self.encoder.encode([text])[0]
        with self._cache_lock:
            self._cache[text] = row
            while len(self._cache) > EMBED_CACHE:
                self._cache.popitem(last=False)
        return row

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
        return self.ranker.rank(query, vec, k, guides)

    def scope(
        self,
        query: str,
        hits: Sequence[Hit],
        lenient: bool = False,
        own: str | None = None,
        told: Sequence[Hit] = (),
    ) -> tuple[bool, str, dict[str, float]]:
        """Whether the guides cover ``query`` (see ``ScopeGate.check``)."""
        return self.gate.check(query, hits, lenient, own, told)

    def rare_terms(self, query: str) -> frozenset[str]:
        """Query terms that name something specific: used by at most two sections."""
        return self.vocabulary.rare_terms(query)

    def resolve_guide(self, name: str) -> str:
        """A guide's slug from its title, slug or role name (case-insensitive)."""
        return self.names.resolve_guide(name)

    def guides_named(self, question: str) -> frozenset[str]:
        """Guides whose occupation the question names ("what does a plumber earn?")."""
        return self.names.guides_named(question)

    def mention(self, question: str) -> Mention | None:
        """The occupation a question names, by the guides' words, spelling or meaning."""
        return self.names.mention(question)

    def other_occupation(self, query: str) -> str | None:
        """The occupation a question asks about when no guide covers it ("sommeliers")."""
        return self.names.other_occupation(query)

    # -- what an answer adds -------------------------------------------------------------
    @staticmethod
    def figure_kind(query: str) -> str | None:
        """ "money" when a question asks for pay in so many words, "percent" for growth."""
        return figure_asked(query)

    def figure_of(self, query: str) -> Callable[[Hit], re.Pattern[str]] | None:
        """For a question asking for pay or growth, the pattern of that figure in a section."""
        if self.off("figure-intent") or self.off("figure-line"):
            return None
        kind = self.figure_kind(query)
        if kind is None:
            return None
        return lambda hit: figure_pattern(kind, hit.chunk)

    def quick_source(self, slug: str, section: str) -> Source | None:
        """The section ``section`` of guide ``slug`` as a source to cite."""
        for i in self.guide_rows.get(slug, ()):
            c = self.chunks[i]
            if c.section == section:
                return Source(c.section, c.guide, c.text, 0.0, c.id, c.slug)
        return None


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
