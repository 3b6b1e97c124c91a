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
    # Each question as asked, without the story a topic-less one borrows ("is that true?"):
    # the story gives the topic, but its names and words are the person's life, not the question.
    own: tuple[str, ...] = ()

    def own_words(self, i: int) -> str:
        """What the ``i``-th question itself says (for judging whether the guides cover it)."""
        return self.own[i] if i < len(self.own) else self.questions[i]


_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][)\]])\s+|\n+")  # "…last week (!!) any advice"
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
# Talk to me rather than about a career: answered in kind, never looked up in a guide.
_SMALL_TALK = (
    (
        "about me",
        re.compile(
            r"\b(?:who|what) (?:are|r) (?:you|u)\b|\bare (?:you|u) (?:a |an )?(?:bot|robot|human|real|"
            r"person|ai|machine|chatbot)\b|\bwhat can (?:you|u) (?:do|help)|\bhow do (?:you|u) work\b|"
            r"\bwhat(?:'s| is) your name\b",
            re.I,
        ),
    ),
    (
        "how are you",
        re.compile(
            r"\bhow(?:'s|s| is| are| r)? (?:you|u|ya|your day|ur day|it going|things|life)\b|"
            r"\bwhat'?s up\b|\bhow have you been\b|\bhope you'?re (?:well|good)\b",
            re.I,
        ),
    ),
    ("thanks", re.compile(r"\b(?:thanks?|thank (?:you|u)|thx|ty|cheers|appreciate it)\b", re.I)),
    ("bye", re.compile(r"\b(?:bye|goodbye|see (?:you|ya|u)|later|good ?night|take care)\b", re.I)),
    (
        "greeting",
        re.compile(r"\b(?:hi|hey|hello|hiya|yo|howdy|greetings|good (?:morning|afternoon|evening))\b", re.I),
    ),
)
# Words that may go with small talk ("ok cool thanks so much!") without asking anything.
_CHATTER = frozenset(
    """ok okay cool great awesome nice lol haha so much very really again there all everyone guys
    bot day today doing well good morning afternoon evening going lot""".split()
)


def small_talk(text: str) -> str | None:
    """The kind of small talk a message is ("greeting", "thanks", "how are you", "about me",
    "bye"), or None when it asks anything else."""
    kinds = [kind for kind, pattern in _SMALL_TALK if pattern.search(text)]
    if not kinds:
        return None
    rest = text
    for _, pattern in _SMALL_TALK:
        rest = pattern.sub(" ", rest)
    if [w for w in lexicon.content_words(rest) if w not in _CHATTER]:
        return None  # "hi! what do plumbers earn?"
    return kinds[0]


# "… and how fast is it growing": a second question joined to the first.
_JOINED = re.compile(
    r"(?:,\s*|\s+)(?:and|also|plus|&)\s+(?=(?:what|what's|whats|how|is|are|do|does|can|could|will|would|"
    r"should|where|when|which|who|any)\b)",
    re.I,
)
MAX_QUESTIONS = 3
# A sentence that says more about the question before it ("like, are there more jobs?").
# "was gonna do solar…", "was looking at PA school…": a story with its subject left out (a question
# puts its subject after the verb: "was it worth it")
# ("was wondering how much welders make" asks: a question word follows)
_TOLD = re.compile(r"^\W*(?:was|were|am)\s+(?:gonna|\w+ing)\b", re.I)
_WH = re.compile(r"\b(?:how|what|whats|what's|which|who|where|when|why|if|whether)\b", re.I)
# A short sentence after a question that tells rather than clarifies is story: someone doing or
# saying something ("everyone says programmers are getting replaced", "my son is a vet tech"),
# or the asker weighing ("trying to decide if it's worth it"); "median pay i mean" clarifies.
_TELLS = re.compile(
    r"^\W*(?:(?:i|we|he|she|they|everyone|everybody|people|someone|somebody)\b(?!\s+mean\b)|"
    r"(?:i'm|im|i've|ive|i'd|we're|he's|she's|they're|my|our|his|her|their)\b|"
    # "a friend of mine is a hydrologist", "a buddy of mine says…"
    r"(?:an?|one)\s+\w+\s+of\s+(?:mine|ours)\b|"
    # "currently do insulation", "right now i'm…"
    r"(?:currently|presently|right now)\b|"
    r"(?:(?:just|still|really|kinda|been)\s+)?(?:trying|thinking|hoping|planning|considering|deciding|"
    r"debating|weighing)\b)",
    re.I,
)
_CLARIFIES = re.compile(r"^\W*(?:like|i mean|as in|e\.?g\.?|especially|specifically|for example|say)\b", re.I)


def _needs_story(question: str) -> bool:
    """Whether a question has no topic of its own ("is that true?", "would it suit me?").

    "What schooling is recommended for this?" has one ("schooling"): the story around it
    ("I'm 17 and graduate in June") would only blur what it asks.
    """
    return not [w for w in lexicon.content_words(question) if w not in _VERDICT]


# Words that judge something said before rather than name a topic ("is that true?").
_VERDICT = frozenset(
    """true right wrong real correct accurate possible normal worth worthwhile good bad better
    smart wise realistic fair enough ok okay legit suit suits fit fits idea sense mistake choice
    option move recommended recommend advice advise thoughts think really actually""".split()
)


def read_message(text: str) -> Reading:
    """The questions a message asks, apart from its greetings and backstory.

    "I'm 34, been a mechanic 10 years. What do plumbers make? and is it growing?" asks two
    questions; the rest is story (kept: it may name the occupation the questions are about).
    """
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    questions: list[str] = []
    story: list[str] = []
    for s in sentences:
        if _SOCIAL.match(s) or small_talk(s):
            continue
        if questions and len(s.split()) == 1:  # "…going away? outlook?": one word says more
            questions[-1] = f"{questions[-1].rstrip('?')}, {s.rstrip('.!?')}"
        elif s.endswith("?") or (_ASKS.match(s) and not (_TOLD.match(s) and not _WH.search(s))):
            questions.extend(p.strip(" ,") for p in _JOINED.split(s) if len(p.split()) >= 2)
        elif questions and ((len(s.split()) <= 10 and not _TELLS.match(s)) or _CLARIFIES.match(s)):
            questions[-1] = (
                f"{questions[-1].rstrip('?')}, {_mid_sentence(s.rstrip('.!'))}"  # "…earn? median pay i mean"
            )
        else:
            story.append(s)
    if not questions:  # no question form at all ("medical assistant salary pls"): the whole text asks
        kept = [s for s in sentences if not (_SOCIAL.match(s) or small_talk(s))]
        return Reading((" ".join(kept) or text,), asked=False)
    if story:
        # "My parents say I need a degree. Is that true?": a question with no topic of its own
        # is about the story.
        told = " ".join(story)
        own = _capped(questions)
        questions = [f"{told} {q}" if _needs_story(q) else q for q in questions]
        return Reading(tuple(_capped(questions)), told, own=tuple(own))
    return Reading(tuple(_capped(questions)))


def _mid_sentence(sentence: str) -> str:
    """A sentence joined to the one before: its capital goes when it only opens the sentence
    ("Like what are…"), not when it names something ("Texas specifically")."""
    first = sentence.split(maxsplit=1)[0] if sentence.strip() else ""
    if first[:1].isupper() and first[1:].islower() and first.lower() in lexicon.STOPWORDS:
        return sentence[:1].lower() + sentence[1:]
    return sentence


def _capped(questions: list[str]) -> list[str]:
    """At most ``MAX_QUESTIONS``: the rest asked as one."""
    if len(questions) <= MAX_QUESTIONS:
        return questions
    return [*questions[: MAX_QUESTIONS - 1], " ".join(questions[MAX_QUESTIONS - 1 :])]


# "Write me a cover letter": a task, not a question the guides answer.
_TASK = re.compile(
    r"\b(?:write|draft|compose|create|generate|make|build|design|prepare|edit|proofread|rewrite|code)\s+"
    r"(?:me\s+|us\s+|for me\s+)?(?:a|an|my|the|some)?\s*(?:[\w-]+\s+){0,3}?"
    r"(?P<thing>resume|résumé|cv|cover letter|letter|e-?mail|schedule|study plan|essay|post|poem|story|"
    r"code|script|function|program|linkedin|bio|message|template|spreadsheet|speech|joke|song|riddle)s?\b",
    re.I,
)


# "Draft a 30-60-90 day plan": with a writing verb, any document is a task ("make me a plan"
# still asks for the guide's steps: the personal plan).
_WRITE = re.compile(
    r"(?:^|\b(?:please|pls|plz|can|could|would|will|u|you|me|to)\s+)(?:write|draft|compose)\s+"
    r"(?:me\s+|us\s+|for me\s+)?(?:a|an|my|the|some)\s+"
    r"(?:[\w-]+\s+){0,3}?(?P<thing>plan|proposal|report|summary|outline|agenda|pitch|introduction|intro|"
    r"note|statement|description|reply|response|review|post)s?\b",
    re.I,
)


_JOKE = re.compile(
    r"\btell\s+(?:me\s+|us\s+)?(?:a|an|some|another)\s+(?:[\w-]+\s+){0,2}?(?P<thing>joke|riddle)s?\b", re.I
)


_TRANSLATE = re.compile(r"\btranslat(?:e|ed|ing|ion)\b", re.I)


def requested_task(text: str) -> str | None:
    """What the message asks me to write ("cover letter"), if it asks for writing, not answers."""
    m = _TASK.search(text) or _WRITE.search(text) or _JOKE.search(text)
    if m:
        return m.group("thing").lower()
    return "translation" if _TRANSLATE.search(text) else None
