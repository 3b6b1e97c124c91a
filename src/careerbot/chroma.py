"""The Chroma gateway: the client (embedded or a server), the index's collections, the JSON
values kept beside them, and the marker a finished build leaves."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from .config import Settings
from .errors import IndexNotReadyError

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # chromadb loads when the index is first opened
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Include

PAGE = 10_000  # rows per Chroma read: SQLite caps the variables one statement may bind
BUILD_MARKER = "careerbot-build.json"  # written last by a successful build


def read_all(collection: Collection, include: Include) -> dict[str, list[Any]]:
    """Every row of a Chroma collection, read a page at a time.

    One unpaged ``get`` fails past a few tens of thousands of rows ("too many SQL variables").
    """
    out: dict[str, list[Any]] = {"ids": [], **{k: [] for k in include}}
    offset = 0
    while True:
        got: Mapping[str, Any] = collection.get(include=include, limit=PAGE, offset=offset)
        for key, rows in out.items():
            rows.extend(got[key] if got[key] is not None else ())
        if len(got["ids"]) < PAGE:
            return out
        offset += PAGE


class ChromaGateway:
    """One index's Chroma: collections ``<prefix>-chunks`` and ``<prefix>-meta`` (JSON values)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: ClientAPI | None = None
        self._lock = threading.RLock()

    @property
    def path(self) -> Path:
        return self.settings.index_dir

    @property
    def where(self) -> str:
        return self.settings.chroma_url or str(self.path)

    def client(self) -> ClientAPI:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> ClientAPI:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        if not self.settings.chroma_url and not (self.path / "chroma.sqlite3").exists():
            # The folder was deleted under us: chromadb's per-path cache would resurrect it.
            from chromadb.api.shared_system_client import SharedSystemClient

            SharedSystemClient.clear_system_cache()
        self.path.mkdir(parents=True, exist_ok=True)
        if self.settings.chroma_url:
            url = urlparse(self.settings.chroma_url)
            try:
                return chromadb.HttpClient(
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
        try:
            return chromadb.PersistentClient(path=str(self.path), settings=chroma_settings)
        except Exception as exc:  # a damaged or foreign chroma.sqlite3
            raise IndexNotReadyError(
                f"The index at {self.path} is damaged or not a careerbot index "
                f"({str(exc)[:120]}); run `careerbot index --rebuild` to rebuild it from the "
                "corpus."
            ) from None

    def reconnect(self) -> None:
        """Forget the client (another process replaced the index on disk)."""
        with self._lock:
            self._client = None
            try:
                from chromadb.api.shared_system_client import SharedSystemClient

                SharedSystemClient.clear_system_cache()
            except Exception:  # an older chromadb without the cache: nothing to clear
                pass

    def open_for_build(self, full: bool) -> None:
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

    def collection(self, kind: str) -> Collection:
        """A collection of the index (``chunks``), created empty when missing; cosine space."""
        return self.client().get_or_create_collection(
            name=f"{self.settings.collection}-{kind}",
            embedding_function=None,
            metadata={"hnsw:space": "cosine"},
        )

    def get_meta(self, key: str) -> Any:
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

    def set_meta(self, key: str, value: Any) -> None:
        col = self.client().get_or_create_collection(
            f"{self.settings.collection}-meta", embedding_function=None
        )
        if value is None:
            col.delete(ids=[key])
        else:
            placeholder: list[Sequence[float]] = [[0.0]]  # a meta row's vector, never searched
            col.upsert(ids=[key], documents=[json.dumps(value, ensure_ascii=False)], embeddings=placeholder)

    def build_token(self) -> str | None:
        """Cheap "which build is this" check: the marker a finished build leaves (None = none).

        In server mode the build lives on the server and only the manifest tells; the marker
        is local to an embedded index.
        """
        if self.settings.chroma_url:
            manifest = self.get_meta("manifest")
            return str(manifest.get("built")) if isinstance(manifest, dict) and manifest else None
        try:
            return str((self.path / BUILD_MARKER).stat().st_mtime_ns)
        except OSError:
            return None

    def unmark_built(self) -> None:
        (self.path / BUILD_MARKER).unlink(missing_ok=True)

    def mark_built(self, built: float) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / BUILD_MARKER).write_text(json.dumps({"built": built}))

    def drop(self, kinds: Sequence[str]) -> None:
        """Delete these collections where they exist."""
        client = self.client()
        present = {c.name for c in client.list_collections()}
        for kind in kinds:
            if f"{self.settings.collection}-{kind}" in present:
                client.delete_collection(f"{self.settings.collection}-{kind}")

    def remove(self) -> None:
        """Delete the whole index: its folder, or its server collections."""
        if self.settings.chroma_url:
            self.drop(("chunks", "units", "meta"))
        self._client = None
        shutil.rmtree(self.path, ignore_errors=True)
