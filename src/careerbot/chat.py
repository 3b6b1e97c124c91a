"""Conversation handling: read history, and tell a follow-up from a fresh question."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from . import lexicon
from .errors import QuestionError

Message = Mapping[str, Any]

_LEADING = re.compile(
    r"^\s*(and|but|so|also|then|ok(ay)?|what about|how about|and what about|what of|same for|"
    r"and for|and the|and at|and in|what if)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"\b(it|its|it's|that|this|they|them|their|those|these|there|he|she|his|her|one)\b", re.I
)


def user_questions(history: Sequence[Message] | None) -> list[str]:
    """The user's earlier messages, oldest first; tolerant of Gradio's message shapes."""
    out: list[str] = []
    for msg in history or ():
        if not isinstance(msg, Mapping):
            raise QuestionError(
                'history must be a list of {"role": "user"|"assistant", "content": str} messages.'
            )
        if msg.get("role") != "user":
            continue
        content = msg.get("content")
        if isinstance(content, list):  # Gradio 6 may send content parts
            content = " ".join(p.get("text", "") if isinstance(p, Mapping) else str(p) for p in content)
        if isinstance(content, str) and content.strip():
            out.append(content.strip())
    return out


def is_follow_up(question: str) -> bool:
    """Whether the question leans on an earlier turn ("and seniors?", "how long does it take?")."""
    if _LEADING.search(question):
        return True
    content = lexicon.content_words(question)
    if len(content) <= 2:
        return True
    return bool(_PRONOUN.search(question)) and len(content) <= 4


def contextual_query(question: str, history: Sequence[Message] | None) -> str | None:
    """The question with the previous user question in front, or None without history."""
    previous = user_questions(history)
    if not previous:
        return None
    return f"{previous[-1]} {question}"
