"""The index as one object: when it is stale, building it from the corpus, and reading it.

``Store`` joins the parts, each with one job: ``chroma`` (the client, collections and stored
JSON), ``encoder`` (the model and its ONNX question encoder), ``builder`` (writing sections and
facts) and ``reader`` (an immutable snapshot for retrieval). Reading the corpus, cutting it into
sections and extracting the facts happen here, before the builder is handed the results.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from .builder import BuildReport, IndexBuilder
from .chroma import ChromaGateway
from .config import Settings
from .encoder import Embedder, Encoder, QueryEncoderCache
from .errors import CorpusError, IndexNotReadyError
from .facts import GuideFacts, extract_facts
from .ingest import Chunk, Guide, corpus_fingerprint, iter_chunks, load_corpus
from .reader import IndexReader, Snapshot

__all__ = ["BuildReport", "Embedder", "Snapshot", "Store"]

log = logging.getLogger(__name__)

INDEX_FORMAT = 6  # bump when the layout of what is stored changes
# The modules whose rules shape what is stored, by manifest entry: a change of "ingest" (how
# guides are read, cut into sections and units, and embedded) re-embeds every section; a change
# of "facts" re-extracts the facts only.
SHAPING_CODE = {"ingest": ("ingest.py", "htmlpage.py", "rows.py"), "facts": ("facts.py",)}


@cache
def code_hashes() -> dict[str, str]:
    """A hash of the source of each group of ``SHAPING_CODE``."""
    here = Path(__file__).parent
    return {
        key: hashlib.sha256(b"".join((here / name).read_bytes() for name in names)).hexdigest()[:16]
        for key, names in SHAPING_CODE.items()
    }


def corpus_folders(corpus_dir: Path) -> list[Path]:
    """The folders of ``CAREERBOT_CORPUS_DIR``: one, or several joined by ``os.pathsep``
    ("corpus:../shared/guides/bls"), so the shipped guide and a folder of others index together."""
    return [Path(p) for p in str(corpus_dir).split(os.pathsep) if p]


def load_guides(corpus_dir: Path) -> list[Guide]:
    """Every guide of every corpus folder; a guide name used in two folders is an error."""
    guides: list[Guide] = []
    seen: dict[str, Path] = {}
    for folder in corpus_folders(corpus_dir):
        for g in load_corpus(folder):
            if g.slug in seen:
                raise CorpusError(f"{g.source} is in both {seen[g.slug]} and {folder}; keep one of them.")
            seen[g.slug] = folder
            guides.append(g)
    return guides


def fingerprint(corpus_dir: Path) -> str:
    """The corpus fingerprint (that of the one folder, as before; else of all of them)."""
    folders = corpus_folders(corpus_dir)
    if len(folders) == 1:
        return corpus_fingerprint(folders[0])
    return hashlib.sha256("\0".join(corpus_fingerprint(f) for f in folders).encode()).hexdigest()


def read_corpus(corpus_dir: Path) -> tuple[list[Chunk], list[GuideFacts]]:
    """The corpus as the builder takes it: its sections, and each guide's facts."""
    guides = load_guides(corpus_dir)
    facts = [extract_facts(g.title, [(x.name, x.text) for x in g.sections]) for g in guides]
    return list(iter_chunks(guides)), facts


class Store:
    """One index (embedded in ``index/`` or on a Chroma server), built and read as a whole."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embedding_model, settings.torch_threads)
        self.gateway = ChromaGateway(settings)
        self.encoders = QueryEncoderCache(self.embedder, settings.cache_dir, settings.torch_threads)
        self.builder = IndexBuilder(self.gateway, self.embedder, self.encoders)
        self.reader = IndexReader(self.gateway)
        self._query_encoder: Encoder | None = None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.gateway.path

    @property
    def where(self) -> str:
        return self.gateway.where

    # -- freshness -------------------------------------------------------------------
    def build_token(self) -> str | None:
        """Which finished build the index holds (None: none)."""
        return self.gateway.build_token()

    def reconnect(self) -> None:
        """Forget the Chroma client (another process replaced the index on disk)."""
        with self._lock:
            self._query_encoder = None
        self.gateway.reconnect()

    def manifest(self) -> dict[str, Any] | None:
        value = self.gateway.get_meta("manifest")
        return value if isinstance(value, dict) else None

    def expected_manifest(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            **code_hashes(),
            "corpus": fingerprint(self.settings.corpus_dir),
            "model": self.settings.embedding_model,
            "collection": self.settings.collection,
        }

    def is_fresh(self) -> bool:
        current = self.manifest()
        return current is not None and all(current.get(k) == v for k, v in self.expected_manifest().items())

    def ensure(self, progress: bool = False) -> BuildReport | None:
        """Bring the index up to date with the corpus (incrementally); None when already fresh."""
        if self.is_fresh():
            return None
        if not self.settings.auto_index:
            raise IndexNotReadyError(
                f"The index at {self.where} is missing or out of date; run `careerbot index`."
            )
        log.warning("The index at %s is missing or out of date; updating it now…", self.where)
        return self.build(progress=progress)

    # -- build -----------------------------------------------------------------------
    def build(
        self, progress: bool = False, on_step: Callable[[str], None] | None = None, full: bool = False
    ) -> BuildReport:
        """Update the index from the corpus, re-embedding only sections whose content changed.

        Ids are deterministic (guide, section, part), so a rerun changes nothing and unchanged
        sections keep their citation ids. ``full`` (or a new model, format or ingest code)
        starts from empty collections.
        """
        with self.build_lock():
            started = time.perf_counter()
            self.gateway.open_for_build(full)  # `careerbot index --rebuild` recovers a damaged index
            expected = self.expected_manifest()
            current = self.manifest() or {}
            if (
                not full
                and current
                and self.build_token() is not None
                and all(current.get(k) == v for k, v in expected.items())
            ):
                # Another process finished the same build while this one waited for the lock.
                return BuildReport(int(current.get("chunks", 0)), int(current.get("units", 0)), 0.0, False)
            chunks, facts = read_corpus(self.settings.corpus_dir)
            report = self.builder.build(
                chunks, facts, expected, current, full=full, progress=progress, on_step=on_step
            )
            with self._lock:
                self._query_encoder = None
            return replace(report, seconds=time.perf_counter() - started)

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """One build at a time per index: a second `careerbot index` waits, then finds it fresh."""
        from filelock import FileLock, Timeout

        self.path.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.path.parent / f".{self.path.name}.build.lock"))
        try:
            lock.acquire(timeout=1)
        except Timeout:
            log.warning("Another careerbot build is running on %s; waiting for it…", self.where)
            try:
                lock.acquire(timeout=self.settings.lock_timeout)
            except Timeout:
                raise IndexNotReadyError(
                    f"Another build of {self.where} has held the lock for over "
                    f"{self.settings.lock_timeout:.0f}s; if no other `careerbot index` is running, try again."
                ) from None
        try:
            yield
        finally:
            lock.release()

    def remove(self) -> None:
        """Delete the whole index (used by ``--rebuild``): its folder, or its server collections."""
        with self._lock:
            self._query_encoder = None
        self.gateway.remove()

    # -- read ------------------------------------------------------------------------
    def query_encoder(self) -> Encoder:
        """What embeds questions: the ONNX export when the build made one, else the model."""
        with self._lock:
            if self._query_encoder is None:
                manifest = self.manifest() or {}
                encoder: Encoder = self.embedder
                if manifest.get("query_encoder") == "onnx":
                    encoder = self.encoders.load(int(manifest["max_length"]))
                self._query_encoder = encoder
            return self._query_encoder

    def snapshot(self) -> Snapshot:
        """The whole index as one immutable snapshot (sections, vectors, facts, build token)."""
        return self.reader.snapshot()

    def load_chunks(self) -> list[Chunk]:
        """Every section stored in the index, in corpus order."""
        return self.reader.chunks()

    def load_facts(self) -> list[GuideFacts]:
        """The facts saved by the last build, one entry per guide."""
        return self.reader.facts()
