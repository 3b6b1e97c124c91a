"""careerbot: ask a career guide a question, get a short answer that cites its sections.

>>> from careerbot import ask
>>> a = ask("What does a lead technician earn?")   # doctest: +SKIP
>>> a.text, [s.section for s in a.sources]          # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .answer import Answer, Source
from .config import Settings
from .errors import CareerbotError, ConfigError, CorpusError, IndexNotReadyError, QuestionError

if TYPE_CHECKING:
    from .engine import Engine
    from .guidance import CareerPlan

__all__ = [
    "Answer",
    "CareerbotError",
    "ConfigError",
    "CorpusError",
    "Engine",
    "IndexNotReadyError",
    "QuestionError",
    "Settings",
    "Source",
    "ask",
    "get_engine",
    "plan",
]

_engine: Engine | None = None
_engine_lock = threading.Lock()


def get_engine() -> Engine:
    """The process-wide engine built from ``CAREERBOT_*`` settings (created on first use)."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                from .engine import Engine

                _engine = Engine(Settings.from_env())
    return _engine


def ask(
    question: str, history: Sequence[Mapping[str, Any]] | None = None, guide: str | None = None
) -> Answer:
    """Answer ``question`` from the guides; ``history`` is ``[{"role": ..., "content": ...}, ...]``.

    ``guide`` (a guide's title, slug or role) restricts the answer to that guide.
    """
    return get_engine().ask(question, history, guide)


def plan(profile: str, guide: str | None = None) -> CareerPlan:
    """A cited career plan (``careerbot.guidance.CareerPlan``) for "here is where I stand" text."""
    return get_engine().plan(profile, guide)


def __getattr__(name: str) -> Any:
    if name == "Engine":
        from .engine import Engine

        return Engine
    raise AttributeError(name)
