"""How a section is stored: the texts embedded for it, its units, and its row's metadata.

Written by the builder and read back by the reader; part of the code hash in the manifest, so a
change here rebuilds existing indexes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from .ingest import Chunk, Unit, units_of

# Chunk metadata key holding the section's unit vectors (see ``pack_units``).
UNIT_VECTORS = "unit_vectors"


def chunk_hash(chunk: Chunk) -> str:
    """What decides whether a section must be embedded again."""
    return hashlib.sha1(f"{chunk.guide}\0{chunk.section}\0{chunk.kind}\0{chunk.text}".encode()).hexdigest()


def chunk_embedding_text(chunk: Chunk) -> str:
    # The section path tells the model what a terse list or a table is about.
    return f"{chunk.section}: {chunk.text}"


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


def pack_units(vecs: np.ndarray) -> str:
    """A section's unit vectors as one metadata string (float16, base64).

    They are only ever re-ranked in memory, never searched, so they ride along with their
    section instead of filling a collection of their own: a Chroma row per unit cost a 1000-guide
    build 308 s of HNSW and SQLite inserts (see docs/benchmarks.md). float16 halves the size and
    moves a cosine by less than 1e-3.
    """
    return base64.b64encode(np.ascontiguousarray(vecs, dtype=np.float16).tobytes()).decode("ascii")


def unpack_units(packed: str, count: int) -> np.ndarray:
    return np.frombuffer(base64.b64decode(packed), dtype=np.float16).reshape(count, -1).astype(np.float32)


def chunk_meta(c: Chunk, digest: str) -> dict[str, Any]:
    """A section's row metadata, without its units."""
    return {
        "section": c.section,
        "guide": c.guide,
        "slug": c.slug,
        "kind": c.kind,
        "order": c.order,
        "hash": digest,
    }


def chunk_of(cid: str, doc: str, meta: dict[str, Any]) -> Chunk:
    """The section a stored row holds."""
    return Chunk(cid, meta["guide"], meta["slug"], meta["section"], meta["kind"], doc, int(meta["order"]))
