"""Conversation handling: read history, and tell a follow-up from a fresh question."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Reading:
    """A message taken apart: the questions it asks and the story around them."""

    questions: tuple[str, ...]
    story: str = ""
    asked: bool = True  # False: no sentence had a question's form ("3 years in, want to lead")


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_ASKS = re.compile(
    r"^\W*(?:what|what's|whats|which|how|how's|why|where|when|who|whom|whose|is|are|am|was|were|do|does|"
    r"did|can|could|should|would|will|shall|may|might|must|any|tell me|explain|describe|list|give me|"
    r"name|i (?:want|need|would like|'d like) to know|i'm (?:curious|wondering)|i wonder|wondering|"
    r"curious|roughly|so|and|but|also|or)\b",
    re.I,
)
_SOCIAL = re.compile(
    r"^\W*(?:hi|hey|hello|yo|hiya|good (?:morning|afternoon|evening)|thanks?(?: you)?(?: so much)?|thx|"
    r"cheers|ok(?:ay)?|cool|great|awesome|nice|please|sorry|quick question|question)\W*$",
    re.I,
)
# "… and how fast is it growing": a second question joined to the first.
_JOINED = re.compile(
    r"(?:,\s*|\s+)(?:and|also|plus|&)\s+(?=(?:what|what's|whats|how|is|are|do|does|can|could|will|would|"
    r"should|where|when|which|who|any)\b)",
    re.I,
)
MAX_QUESTIONS = 3
# A sentence that says more about the question before it ("like, are there more jobs?").
_CLARIFIES = re.compile(r"^\W*(?:like|i mean|as in|e\.?g\.?|especially|specifically|for example|say)\b", re.I)


def _needs_story(question: str) -> bool:
    """Whether a question has no topic of its own ("is that true?", "would it suit me?")."""
    content = lexicon.content_words(question)
    return len(content) <= 1 or (bool(_PRONOUN.search(question)) and len(content) <= 2)


def read_message(text: str) -> Reading:
    """The questions a message asks, apart from its greetings and backstory.

    "I'm 34, been a mechanic 10 years. What do plumbers make? and is it growing?" asks two
    questions; the rest is story (kept: it may name the occupation the questions are about).
    """
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    questions: list[str] = []
    story: list[str] = []
    for s in sentences:
        if _SOCIAL.match(s):
            continue
        if s.endswith("?") or _ASKS.match(s):
            questions.extend(p.strip(" ,") for p in _JOINED.split(s) if len(p.split()) >= 2)
        elif questions and (len(s.split()) <= 10 or _CLARIFIES.match(s)):
            questions[-1] = f"{questions[-1].rstrip('?')}, {s.rstrip('.!')}"  # "…earn? median pay i mean"
        else:
            story.append(s)
    if not questions:  # no question form at all ("medical assistant salary pls"): the whole text asks
        kept = [s for s in sentences if not _SOCIAL.match(s)]
        return Reading((" ".join(kept) or text,), asked=False)
    if story:
        # "My parents say I need a degree. Is that true?": a question with no topic of its own
        # is about the story.
        told = " ".join(story)
        questions = [f"{told} {q}" if _needs_story(q) else q for q in questions]
    if len(questions) > MAX_QUESTIONS:
        questions = [*questions[: MAX_QUESTIONS - 1], " ".join(questions[MAX_QUESTIONS - 1 :])]
    return Reading(tuple(questions), " ".join(story))


# "Write me a cover letter": a task, not a question the guides answer.
_TASK = re.compile(
    r"\b(?:write|draft|compose|create|generate|make|build|design|prepare|edit|proofread|rewrite|code)\s+"
    r"(?:me\s+|us\s+|for me\s+)?(?:a|an|my|the|some)?\s*(?:[\w-]+\s+){0,3}?"
    r"(?P<thing>resume|résumé|cv|cover letter|letter|e-?mail|schedule|study plan|essay|post|poem|story|"
    r"code|script|function|program|linkedin|bio|message|template|spreadsheet|speech|joke|song|riddle)s?\b",
    re.I,
)


_JOKE = re.compile(
    r"\btell\s+(?:me\s+|us\s+)?(?:a|an|some|another)\s+(?:[\w-]+\s+){0,2}?(?P<thing>joke|riddle)s?\b", re.I
)


def requested_task(text: str) -> str | None:
    """What the message asks me to write ("cover letter"), if it asks for writing, not answers."""
    m = _TASK.search(text) or _JOKE.search(text)
    return m.group("thing").lower() if m else None
