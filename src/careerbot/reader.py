"""Reading the index back: a plain, immutable snapshot of one build for retrieval to hold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from .chroma import ChromaGateway, read_all
from .errors import IndexNotReadyError
from .facts import GuideFacts, facts_from_dict
from .ingest import Chunk, Unit
from .rows import UNIT_VECTORS, chunk_of, section_units, unpack_units

if TYPE_CHECKING:
    from chromadb.api.types import Include


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@dataclass(frozen=True)
class Snapshot:
    """One build as retrieval holds it: sections in corpus order, their vectors (same order),
    each section's units with their vectors, the guides' facts, and which build it is
    (``token``; None when read while no build was finished)."""

    chunks: tuple[Chunk, ...]
    vectors: np.ndarray
    units: Mapping[str, tuple[tuple[Unit, ...], np.ndarray]]
    facts: tuple[GuideFacts, ...] = ()
    token: str | None = None

    @classmethod
    def of(
        cls,
        chunks: list[Chunk],
        vectors: np.ndarray,
        units: dict[str, tuple[list[Unit], np.ndarray]],
        facts: list[GuideFacts] | tuple[GuideFacts, ...] = (),
        token: str | None = None,
    ) -> Snapshot:
        """A snapshot of these values, its arrays made read-only."""
        return cls(
            tuple(chunks),
            _frozen(np.asarray(vectors, dtype=np.float32)),
            MappingProxyType({cid: (tuple(us), _frozen(m)) for cid, (us, m) in units.items()}),
            tuple(facts),
            token,
        )


class IndexReader:
    """Reads sections, vectors and facts from the index's collections."""

    def __init__(self, gateway: ChromaGateway) -> None:
        self.gateway = gateway

    def snapshot(self) -> Snapshot:
        """The whole index as of now, with the token of the build it was read from."""
        token = self.gateway.build_token()
        chunks, vectors, units = self.sections()
        return Snapshot.of(chunks, vectors, units, self.facts(), token)

    def facts(self) -> list[GuideFacts]:
        """The facts saved by the last build, one entry per guide."""
        rows = self.gateway.get_meta("facts") or []
        return [facts_from_dict(r) for r in rows]

    def chunks(self) -> list[Chunk]:
        """Every section stored in the index, in corpus order."""
        return [chunk for chunk, _, _ in self._rows(embeddings=False)]

    def sections(self) -> tuple[list[Chunk], np.ndarray, dict[str, tuple[list[Unit], np.ndarray]]]:
        """The sections in corpus order, their vectors, and each one's units with their vectors."""
        rows = self._rows(embeddings=True)
        units: dict[str, tuple[list[Unit], np.ndarray]] = {}
        for chunk, meta, _ in rows:
            # The unit texts are cut from the section again (cheap: ~1.5 s for 1000 guides); the
            # code hash in the manifest guarantees the same cut as at build time.
            mine = section_units(chunk)
            if int(meta.get("units", -1)) != len(mine) or UNIT_VECTORS not in meta:
                raise IndexNotReadyError(
                    f"The index at {self.gateway.where} does not match this careerbot version; run "
                    "`careerbot index --rebuild`."
                )
            units[chunk.id] = (mine, unpack_units(meta[UNIT_VECTORS], len(mine)))
        matrix = np.asarray([vec for _, _, vec in rows], dtype=np.float32)
        return [chunk for chunk, _, _ in rows], matrix, units

    def _rows(self, embeddings: bool) -> list[tuple[Chunk, dict[str, Any], Any]]:
        """(section, its metadata, its vector or None) for every stored section, in corpus order."""
        include: Include = (
            ["documents", "metadatas", "embeddings"] if embeddings else ["documents", "metadatas"]
        )
        got = read_all(self.gateway.collection("chunks"), include)
        vecs = got["embeddings"] if embeddings else [None] * len(got["ids"])
        rows = sorted(
            zip(got["ids"], got["documents"], got["metadatas"], vecs, strict=True),
            key=lambda r: (r[2]["slug"], int(r[2]["order"])),
        )
        if not rows:
            raise IndexNotReadyError(f"The index at {self.gateway.where} is empty; run `careerbot index`.")
        return [(chunk_of(cid, doc, m), m, vec) for cid, doc, m, vec in rows]
