"""Many guides, incremental indexing and Chroma server mode, on real components.

The guides here are test fixtures (tests/data and small generated ones), never the shipped corpus.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import free_port

from careerbot.config import Settings
from careerbot.errors import QuestionError
from careerbot.index import Embedder, Store

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


def tiny_guide(i: int) -> str:
    """A small generated guide with its own role name and figures (a test fixture)."""
    role = f"Fixture Role {i:03d} Specialist"
    return (
        f"# {role} Career Guide\n\nA {role} keeps fixture number {i} running.\n\n"
        f"## Annual Salary\n\n- Entry-Level: ${40_000 + i * 100:,}\n- Senior-Level: ${70_000 + i * 100:,}\n\n"
        f"## Key Responsibilities\n\n- Inspect unit {i} every morning.\n- Log readings for line {i}.\n"
    )


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder("bundled", 1)


@pytest.fixture(scope="module")
def multi_engine(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder):  # type: ignore[no-untyped-def]
    from careerbot.engine import Engine

    corpus = tmp_path_factory.mktemp("multi")
    shutil.copy(ROOT / "corpus" / "lead-technician.txt", corpus)
    shutil.copy(DATA / "mini-guide.md", corpus)
    shutil.copy(DATA / "baker.txt", corpus)
    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("multi-index"))
    engine = Engine(settings, Store(settings, embedder))
    engine.searcher()
    return engine


@pytest.mark.parametrize(
    ("question", "guide", "fact"),
    [
        ("What does a lead technician earn?", "Lead Technician Career Path Guide", "$77,500"),
        ("What does a wind turbine technician earn?", "Wind Turbine Technician Career Guide", "$48,000"),
        ("Do bakers need a license?", "Baker Career Path Guide", "food-handler card"),
    ],
)
def test_a_question_naming_a_role_prefers_its_guide(
    multi_engine, question: str, guide: str, fact: str
) -> None:  # type: ignore[no-untyped-def]
    a = multi_engine.ask(question)
    assert not a.refused and a.sources[0].guide == guide
    assert fact in a.text


def test_guide_filter_by_title_slug_or_role(multi_engine) -> None:  # type: ignore[no-untyped-def]
    for name in ("baker", "Baker Career Path Guide", "Baker"):
        a = multi_engine.ask("What is the median salary?", guide=name)
        assert {s.guide for s in a.sources} == {"Baker Career Path Guide"} and "$36,000" in a.text
    with pytest.raises(QuestionError, match="No guide called 'plumber'"):
        multi_engine.ask("salary?", guide="plumber")


def test_every_source_names_its_guide(multi_engine) -> None:  # type: ignore[no-untyped-def]
    a = multi_engine.ask("Is climbing required?")
    assert a.sources and all(s.guide for s in a.sources)
    assert a.sources[0].guide == "Wind Turbine Technician Career Guide"


def test_adding_one_guide_to_a_hundred_re_embeds_only_that_guide(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(100):
        (corpus / f"role-{i:03d}.md").write_text(tiny_guide(i))
    store = Store(Settings.from_env({}, corpus_dir=corpus, index_dir=tmp_path / "index"), embedder)
    first = store.build()
    assert (first.added, first.updated, first.removed, first.unchanged) == (300, 0, 0, 0)
    ids_before = {c.id: c.section for c in store.load_chunks()}

    (corpus / "role-100.md").write_text(tiny_guide(100))
    report = store.build()
    print("after adding one guide:", report.summary())
    assert (report.added, report.updated, report.removed, report.unchanged) == (3, 0, 0, 300)
    assert report.embedded == 3 + 3 + 2 + 2 + 1  # its 3 sections and their titles + units only
    after = {c.id: c.section for c in store.load_chunks()}
    assert all(after[i] == s for i, s in ids_before.items())  # citation ids of the others stay

    text = (corpus / "role-007.md").read_text().replace("every morning", "every evening")
    (corpus / "role-007.md").write_text(text)
    (corpus / "role-050.md").unlink()
    report = store.build()
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 3, 299)
    assert store.build().embedded == 0 and store.is_fresh()  # nothing left to do
    units = store.snapshot().units
    assert not any(k.startswith("role-050") for k in units)  # deleted guide's vectors are gone


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real `chroma run` server from the installed chromadb package, on a free port."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_server_mode_indexes_and_answers(
    tmp_path: Path, fixture_corpus: Path, embedder: Embedder, chroma_server: str
) -> None:
    from careerbot.engine import Engine

    settings = Settings.from_env(
        {"CAREERBOT_CHROMA_URL": chroma_server}, corpus_dir=fixture_corpus, index_dir=tmp_path / "local"
    )
    store = Store(settings, embedder)
    report = store.build()
    assert report.chunks > 0 and store.is_fresh()
    assert not (tmp_path / "local" / "chroma.sqlite3").exists()  # vectors live on the server

    # A second process pointing at the same server sees the same, fresh index.
    other_settings = Settings.from_env(
        {"CAREERBOT_CHROMA_URL": chroma_server}, corpus_dir=fixture_corpus, index_dir=tmp_path / "other"
    )
    other = Engine(other_settings, Store(other_settings, embedder))
    a = other.ask("Is climbing required?")
    assert not a.refused and a.sources[0].section.endswith("Is climbing required?")
    assert other.last_build is None  # nothing rebuilt: the server's index was up to date
