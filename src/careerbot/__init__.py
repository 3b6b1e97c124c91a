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
    from .explore import Comparison, Filters, Found
    from .guidance import CareerPlan

__all__ = [
    "Answer",
    "CareerbotError",
    "Comparison",
    "ConfigError",
    "CorpusError",
    "Engine",
    "Filters",
    "Found",
    "IndexNotReadyError",
    "QuestionError",
    "Settings",
    "Source",
    "ask",
    "compare",
    "find",
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


def compare(occupations: Sequence[str], metric: str | None = None) -> Comparison:
    """2–4 occupations side by side (``careerbot.explore.Comparison``), every figure cited.

    >>> careerbot.compare(["electricians", "plumbers"], metric="pay")  # doctest: +SKIP
    """
    return get_engine().compare(occupations, metric)


def find(filters: Filters | None = None, **fields: Any) -> Found:
    """Occupations that fit (``careerbot.explore.Found``), sorted as asked, each cited.

    >>> careerbot.find(max_education="high school", min_pay=55_000)  # doctest: +SKIP
    """
    return get_engine().find(filters, **fields)


def __getattr__(name: str) -> Any:
    if name == "Engine":
        from .engine import Engine

        return Engine
    if name in ("Comparison", "Filters", "Found"):
        from . import explore

        return getattr(explore, name)
    raise AttributeError(name)
