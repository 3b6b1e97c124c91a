"""The few errors careerbot raises; each message says what to do next."""

from __future__ import annotations


class CareerbotError(Exception):
    """Base class: every error meant for a user derives from this."""


class ConfigError(CareerbotError):
    """A setting has a value careerbot cannot use."""


class CorpusError(CareerbotError):
    """The guides folder is missing, empty or holds an unreadable guide."""


class IndexNotReadyError(CareerbotError):
    """The vector index is missing or unusable and cannot be built right now."""


class QuestionError(CareerbotError):
    """The question itself cannot be answered as given (empty, too long, ...)."""


class EvalFileError(CareerbotError):
    """A question set for ``careerbot eval`` is missing, not text, or not in the expected format."""


__all__ = [
    "CareerbotError",
    "ConfigError",
    "CorpusError",
    "EvalFileError",
    "IndexNotReadyError",
    "QuestionError",
]
