"""The incremental index builder: embeds the sections handed to it that changed, stores them
and the guides' facts, and records the manifest that says what the index was built from."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .chroma import ChromaGateway, read_all
from .encoder import QUERY_MODEL, Embedder, QueryEncoderCache
from .facts import GuideFacts, facts_to_dict
from .ingest import Chunk, Unit
from .rows import UNIT_VECTORS, chunk_hash, chunk_meta, embedding_texts, pack_units, section_units

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

BATCH = 2000  # rows per Chroma write
GROUP = 256  # sections embedded per step of a build (~2,000 texts; smaller steps measured slower)
# Manifest entries whose change makes every stored vector stale (the others only the facts).
EMBEDDING_KEYS = ("format", "ingest", "model", "collection")


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


def _write_group(
    chunk_col: Collection,
    part: list[Chunk],
    units: dict[str, list[Unit]],
    vecs: np.ndarray,
    hashes: dict[str, str],
) -> None:
    """Store one embedded group: ``vecs`` holds its sections' vectors, then each one's units."""
    metas: list[Mapping[str, Any]] = []
    at = len(part)
    for c in part:
        n = len(units[c.id])
        metas.append({**chunk_meta(c, hashes[c.id]), "units": n, UNIT_VECTORS: pack_units(vecs[at : at + n])})
        at += n
    chunk_col.upsert(
        ids=[c.id for c in part],
        embeddings=vecs[: len(part)],
        documents=[c.text for c in part],
        metadatas=metas,
    )


class IndexBuilder:
    """Writes sections and facts into the index; what to write is decided by the caller."""

    def __init__(self, gateway: ChromaGateway, embedder: Embedder, encoders: QueryEncoderCache) -> None:
        self.gateway = gateway
        self.embedder = embedder
        self.encoders = encoders

    def build(
        self,
        chunks: Sequence[Chunk],
        facts: Sequence[GuideFacts],
        expected: dict[str, Any],
        current: dict[str, Any],
        *,
        full: bool = False,
        progress: bool = False,
        on_step: Callable[[str], None] | None = None,
    ) -> BuildReport:
        """Bring the stored sections to ``chunks`` (re-embedding only changed ones), store
        ``facts``, and record ``expected`` as the manifest. ``current`` is the manifest found."""
        started = time.perf_counter()
        gateway = self.gateway
        same_kind = all(current.get(k) == expected[k] for k in EMBEDDING_KEYS)
        gateway.unmark_built()  # a crash from here on leaves "not built"
        gateway.set_meta("manifest", None)
        if full or not same_kind:
            gateway.drop(("chunks", "units"))  # "units": a collection of format 5 and older
        chunk_col = gateway.collection("chunks")

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
                ids=[c.id for c in part], metadatas=[chunk_meta(c, new_hash[c.id]) for c in part]
            )

        # Structured facts (salary levels, tiers, ...) for the UI and plans, extracted at ingest.
        gateway.set_meta("facts", [facts_to_dict(f) for f in facts])
        unchanged_units = sum(int(old_meta[c.id].get("units", 0)) for c in chunks if c.id not in units)
        total_units = n_units + unchanged_units
        manifest = {**expected, "chunks": len(chunks), "units": total_units, "built": time.time()}
        encoder: dict[str, Any] = {
            k: current[k] for k in ("query_encoder", "max_length") if same_kind and k in current
        }
        if encoder.get("query_encoder") == "onnx" and (self.encoders.folder / QUERY_MODEL).exists():
            manifest.update(encoder)  # the model did not change: its export still holds
        else:
            if on_step:
                on_step("Preparing the fast question encoder…")
            if self.encoders.export():
                manifest.update(query_encoder="onnx", max_length=self.embedder._load().max_seq_length)
        gateway.set_meta("manifest", manifest)
        gateway.mark_built(manifest["built"])
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
        chunk_col: Collection,
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
