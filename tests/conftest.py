"""Shared fixtures: fixture guides, a real index built once per session, no outbound network."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# The machine-wide cache (the exported question encoder) goes to a folder of this session, never
# the user's ~/.cache/careerbot: CAREERBOT_CACHE_DIR for every process the tests start, and the
# default of ``Settings`` (read from XDG_CACHE_HOME when careerbot.config is imported, which
# happens here first; the variable is put back at once so no other library's cache moves).
CACHE = Path(tempfile.mkdtemp(prefix="careerbot-test-cache-"))
atexit.register(shutil.rmtree, CACHE, ignore_errors=True)
os.environ["CAREERBOT_CACHE_DIR"] = str(CACHE / "careerbot")
_xdg = os.environ.get("XDG_CACHE_HOME")
os.environ["XDG_CACHE_HOME"] = str(CACHE)
from careerbot.config import Settings  # noqa: E402

if _xdg is None:
    del os.environ["XDG_CACHE_HOME"]
else:
    os.environ["XDG_CACHE_HOME"] = _xdg

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True, scope="session")
def _cache_in_session_folder() -> None:
    """Every Settings a test makes caches in this session's folder (checked, not assumed)."""
    assert Settings.from_env({}).cache_dir.is_relative_to(CACHE)
    assert Settings.from_env().cache_dir.is_relative_to(CACHE)


@pytest.fixture(autouse=True)
def _no_outbound_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection beyond loopback fails loudly, so a hidden hub download cannot pass."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not host.startswith("/")
        ):
            raise OSError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over the shipped corpus with an index in a temporary folder."""
    index_dir = tmp_path_factory.mktemp("index")
    return Settings.from_env({}, corpus_dir=ROOT / "corpus", index_dir=index_dir)


@pytest.fixture(scope="session")
def engine(real_settings: Settings):  # type: ignore[no-untyped-def]
    """One real engine (real model, real Chroma index) shared by the slow tests."""
    from careerbot.engine import Engine

    eng = Engine(real_settings)
    eng.searcher()
    return eng


@pytest.fixture
def fixture_corpus(tmp_path: Path) -> Iterator[Path]:
    """A writable corpus folder holding the small fixture guides."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("mini-guide.md", "baker.txt"):
        shutil.copy(DATA / name, corpus / name)
    yield corpus
