"""A real Chroma index built with the real bundled model on the small fixture guides."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import careerbot.index
from careerbot.config import Settings
from careerbot.encoder import Embedder, OnnxQueryEncoder, QueryEncoderCache, resolve_model
from careerbot.errors import IndexNotReadyError
from careerbot.facts import GuideFacts
from careerbot.index import Store, code_hashes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder("bundled", 1)


def test_bundled_model_is_inside_the_wheel() -> None:
    path = Path(resolve_model("bundled"))
    assert (path / "config.json").exists() and "site-packages" in str(path)


def test_embeddings_are_unit_length(embedder: Embedder) -> None:
    vecs = embedder.encode(["salary", "career path"])
    assert vecs.shape == (2, 384)
    assert abs(float((vecs[0] ** 2).sum()) - 1.0) < 1e-4
    assert len(embedder.embed_query("x")) == 384  # the LangChain Embeddings interface


def test_build_is_idempotent_and_follows_the_corpus(
    tmp_path: Path, fixture_corpus: Path, embedder: Embedder
) -> None:
    store = Store(Settings.from_env({}, corpus_dir=fixture_corpus, index_dir=tmp_path / "idx"), embedder)
    assert not store.is_fresh()
    first = store.ensure()
    assert first is not None and first.chunks > 0
    ids = sorted(c.id for c in store.load_chunks())
    assert store.ensure() is None  # fresh: nothing to do
    assert store.build().embedded == 0  # up to date: a plain build embeds nothing
    token = store.build_token()
    again = store.build(full=True)  # a forced rebuild embeds everything again ...
    assert again.rebuilt and again.added == again.chunks == first.chunks and again.unchanged == 0
    assert again.embedded == first.embedded and store.build_token() != token
    assert sorted(c.id for c in store.load_chunks()) == ids  # ... and gives the same ids

    (fixture_corpus / "baker.txt").unlink()  # the corpus changed: the index is stale
    assert not store.is_fresh()
    store.ensure()
    assert {c.guide for c in store.load_chunks()} == {"Wind Turbine Technician Career Guide"}


def test_read_only_mode_refuses_a_stale_index(
    tmp_path: Path, fixture_corpus: Path, embedder: Embedder
) -> None:
    settings = Settings.from_env({}, corpus_dir=fixture_corpus, index_dir=tmp_path / "idx", auto_index=False)
    with pytest.raises(IndexNotReadyError, match="careerbot index"):
        Store(settings, embedder).ensure()


def test_units_and_titles_are_stored(tmp_path: Path, fixture_corpus: Path, embedder: Embedder) -> None:
    store = Store(Settings.from_env({}, corpus_dir=fixture_corpus, index_dir=tmp_path / "idx"), embedder)
    store.build()
    sections = store.snapshot()
    assert set(sections.units) == {c.id for c in sections.chunks}
    assert sections.vectors.shape == (len(sections.chunks), 384)
    faq = next(c for c in sections.chunks if c.title == "Is climbing required?")
    units, vecs = sections.units[faq.id]
    assert units[0].text == "Is climbing required?" and vecs.shape == (len(units), 384)
    assert {u.kind for u in units} >= {"title", "sent"}
    # Stored as float16 beside the section: each vector is still the model's, to ~1e-3.
    direct = embedder.encode([units[0].text])[0]
    assert float(vecs[0] @ direct) > 0.999


def test_sections_that_only_moved_keep_their_unit_vectors(
    tmp_path: Path, fixture_corpus: Path, embedder: Embedder
) -> None:
    store = Store(Settings.from_env({}, corpus_dir=fixture_corpus, index_dir=tmp_path / "idx"), embedder)
    store.build()
    before = store.snapshot()
    guide = fixture_corpus / "mini-guide.md"
    guide.write_text(
        guide.read_text().replace(
            "## Annual Salary", "## Work Schedule\n\nShifts rotate weekly.\n\n## Annual Salary"
        )
    )
    report = store.build()
    assert report.added == 1 and report.updated == 0  # the others only moved down
    after = store.snapshot()
    salary = next(c for c in after.chunks if c.title == "Annual Salary")
    old = next(c for c in before.chunks if c.id == salary.id)
    assert salary.order == old.order + 1  # its new place is stored ...
    assert np.array_equal(after.units[salary.id][1], before.units[salary.id][1])  # ... its vectors kept


def test_questions_use_a_checked_onnx_export(
    tmp_path: Path, fixture_corpus: Path, embedder: Embedder
) -> None:
    store = Store(Settings.from_env({}, corpus_dir=fixture_corpus, index_dir=tmp_path / "idx"), embedder)
    store.build()
    assert store.manifest()["query_encoder"] == "onnx"
    encoder = store.query_encoder()
    assert isinstance(encoder, OnnxQueryEncoder)
    texts = ["Is climbing required?", "what do bakers earn when they start out at a small bakery?"]
    assert np.abs(encoder.encode(texts) - embedder.encode(texts)).max() < 1e-4


def test_a_damaged_export_falls_back_to_the_model(
    tmp_path: Path, fixture_corpus: Path, embedder: Embedder
) -> None:
    settings = Settings.from_env(
        {}, corpus_dir=fixture_corpus, index_dir=tmp_path / "idx", cache_dir=tmp_path / "cache"
    )
    store = Store(settings, embedder)
    store.build()
    (store.encoders.folder / "query-encoder.onnx").write_bytes(b"not a model")
    fresh = Store(store.settings, embedder)
    assert fresh.query_encoder() is embedder
    assert fresh.query_encoder().encode(["x"]).shape == (1, 384)


def test_indexes_share_one_checked_export_per_machine(
    tmp_path: Path, fixture_corpus: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def settings(name: str) -> Settings:
        return Settings.from_env(
            {}, corpus_dir=fixture_corpus, index_dir=tmp_path / name, cache_dir=tmp_path / "cache"
        )

    first = Store(settings("one"), embedder)
    first.build()
    folder = first.encoders.folder
    assert folder.parent == tmp_path / "cache"
    assert (folder / "query-encoder.onnx").exists() and (folder / "query-tokenizer.json").exists()
    assert not list(first.path.glob("*.onnx"))  # not copied into every index

    exports: list[Path] = []
    real_export = QueryEncoderCache._export_onnx

    def counting(self: QueryEncoderCache, onnx_path: Path, tok_path: Path) -> bool:
        exports.append(onnx_path)
        return real_export(self, onnx_path, tok_path)

    monkeypatch.setattr(QueryEncoderCache, "_export_onnx", counting)
    second = Store(settings("two"), embedder)
    second.build()
    assert exports == [] and second.manifest()["query_encoder"] == "onnx"
    assert isinstance(second.query_encoder(), OnnxQueryEncoder)

    (folder / "query-encoder.onnx").write_bytes(b"damaged")  # a bad export is made again
    third = Store(settings("three"), embedder)
    third.build()
    assert len(exports) == 1
    assert isinstance(third.query_encoder(), OnnxQueryEncoder)
    assert (folder / "query-encoder.onnx").stat().st_size > 1000
    assert not list((tmp_path / "cache").glob("*.part"))


def test_reads_page_through_large_collections(
    tmp_path: Path, fixture_corpus: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One unpaged get fails on a 1000-guide index ("too many SQL variables"): reads are paged.
    store = Store(Settings.from_env({}, corpus_dir=fixture_corpus, index_dir=tmp_path / "idx"), embedder)
    store.build()
    whole = {c.id for c in store.load_chunks()}
    sections = store.snapshot()
    monkeypatch.setattr("careerbot.chroma.PAGE", 7)
    assert {c.id for c in store.load_chunks()} == whole and len(whole) > 7
    paged = store.snapshot()
    assert paged.units.keys() == sections.units.keys()
    assert np.array_equal(paged.vectors, sections.vectors)
    assert all(np.array_equal(paged.units[k][1], sections.units[k][1]) for k in sections.units)


def test_changed_extraction_rules_make_the_index_stale(
    tmp_path: Path, fixture_corpus: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The manifest carries a hash of the code that shapes what is stored: new facts rules
    # re-extract the facts (nothing is embedded again), new ingest rules re-embed everything.
    store = Store(Settings.from_env({}, corpus_dir=fixture_corpus, index_dir=tmp_path / "idx"), embedder)
    store.build()
    assert store.is_fresh() and store.manifest()["facts"] == code_hashes()["facts"]
    real_hashes, real_extract = code_hashes(), careerbot.index.extract_facts

    def new_rules(title: str, sections: list[tuple[str, str]]) -> GuideFacts:
        return replace(real_extract(title, sections), growth_rate="12% (new rule)")

    monkeypatch.setattr(careerbot.index, "code_hashes", lambda: {**real_hashes, "facts": "new-facts-rules"})
    monkeypatch.setattr(careerbot.index, "extract_facts", new_rules)
    assert not store.is_fresh()
    report = store.ensure()
    assert report is not None and not report.rebuilt and report.embedded == 0
    assert store.is_fresh() and {f.growth_rate for f in store.load_facts()} == {"12% (new rule)"}

    monkeypatch.setattr(careerbot.index, "code_hashes", lambda: {**real_hashes, "ingest": "new-cut"})
    assert not store.is_fresh()
    report = store.ensure()
    assert report is not None and report.rebuilt and report.embedded > report.chunks
