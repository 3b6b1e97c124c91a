"""A personal career plan from a short self-description, built only from a guide's facts.

``read_profile`` reads what a person says about themselves ("I've been a technician for about
6 years, did a vocational program, I know PLCs but never led a team"): years of experience,
education, the guide's skills and certifications they have, and what they aim for. Anything
not said stays unknown; nothing is guessed. ``make_plan`` places the person on the guide's
ladder and writes a short Markdown plan in which every statement cites the guide section it
comes from with an ``[n]`` marker. Rules only, no model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import lexicon
from .answer import Source, join_words
from .facts import PATH_SEP, GuideFacts, SalaryLevel, Tier

__all__ = [
    "TELL_YEARS",
    "CareerPlan",
    "Profile",
    "looks_personal",
    "make_plan",
    "read_profile",
]

TELL_YEARS = "Tell me roughly how many years of experience you have and I can place you on the ladder"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Profile:
    """What a person said about themselves; ``None``/empty where they did not say."""

    years: float | None = None
    education: str | None = None
    skills: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    aims: tuple[str, ...] = ()  # "lead", "management", "salary"
    contradictions: tuple[str, ...] = ()


@dataclass(frozen=True)
class CareerPlan:
    """A plan: where the person stands, what comes next, and the cited Markdown text.

    ``salary`` holds the figures the text quotes: the current tier's and the next tier's
    (just the current one at the top of the ladder; the ladder's lowest and highest figure
    when the years are unknown). ``steps`` are the action bullets of ``text``, markers kept.
    """

    tier: Tier | None
    next_tier: Tier | None
    steps: tuple[str, ...]
    skill_gaps: tuple[str, ...]
    certifications: tuple[str, ...]
    salary: tuple[SalaryLevel, ...]
    sources: tuple[Source, ...]
    text: str
    needs_years: bool
    profile: Profile


# --------------------------------------------------------------------------- clauses

# A clause ends at sentence punctuation, at "but"/"though", and at a comma or "and" that
# starts a new statement ("..., I know PLCs", "... and want to lead").
_CLAUSE_SPLIT = re.compile(
    r"[.;!?\n]+|\s[—–-]\s|\b(?:but|however|though|although|whereas)\b"
    r"|,\s*(?=(?:and\s+|so\s+)?(?:\d|i\b|i'|my\b|did\b|have\b|had\b|know\b|want\b|worked\b|been\b|am\b|also\b|"
    r"currently\b|now\b|never\b|no\b|not\b|what\b|how\b|which\b|where\b|should\b|can\b|could\b))"
    r"|\band\s+(?=(?:i\b|i'|my\b|want|would|hope|plan|am\b|have\b|had\b|did\b|never\b|no\b|not\b|"
    r"know\b|also\b|now\b|currently\b))"
)
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|lack\w*|none|zero|neither|nor|cannot|limited|barely|hardly)\b|n't\b"
)
_ASPIRATION = re.compile(
    r"\b(?:want\w*|wanna|would like|'d like|hop(?:e|es|ing)|aim(?:s|ing)?|plan(?:s|ning)?|looking to|"
    r"trying to|try to|goals?|dream\w*|aspir\w*|becom(?:e|es|ing)|learn(?:ing)?|get into|getting into|"
    r"mov(?:e|ing) (?:into|up|on)|step up|promot\w*|someday|one day|eventually|next step|working toward\w*|"
    r"work toward\w*|study(?:ing)? for|thinking about|consider\w*|interested in|need to)\b"
)
_QUESTION = re.compile(
    r"\b(?:what|which|how|why|where|should i|can i|could i|do i|does|is it|are there|worth)\b"
)


def _norm(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def _segments(text: str) -> list[tuple[str, str]]:
    """(kind, fragment) pieces: "has" (said as fact), "not" (negated), "aim" (wished), "ask" (asked).

    A negation, an aspiration or a question word covers its clause from the cue onwards; what
    comes before the cue in the same clause still counts as said.
    """
    out: list[tuple[str, str]] = []
    for clause in _CLAUSE_SPLIT.split(_norm(text)):
        clause = clause.strip(" ,")
        if not clause:
            continue
        neg = _NEGATION.search(clause)
        asp = _ASPIRATION.search(clause)
        ask = _QUESTION.search(clause)
        cues = [(m.start(), kind) for m, kind in ((neg, "not"), (asp, "aim"), (ask, "ask")) if m]
        if not cues:
            out.append(("has", clause))
            continue
        start, kind = min(cues)
        if clause[:start].strip():
            out.append(("has", clause[:start]))
        out.append((kind, clause[start:]))
    return out


# --------------------------------------------------------------------------- years

_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
}
_N = (
    r"(?:\d+(?:\.\d+)?|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|few|an|a|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"twenty|thirty)"
)
_UNIT = r"(?P<unit>years?|yrs?|months?|mos|decades?)\b"
_HALF = r"(?P<half>\s+and\s+a\s+half)?"
_YEAR_RANGE = re.compile(rf"\b(?P<a>{_N})\s*(?:-|–|—|to|or)\s*(?P<b>{_N})\s*\+?\s*{_UNIT}")
# "-5 years" is no amount of experience: a minus sign before the number rules it out.
_YEAR_ONE = re.compile(
    rf"(?<![-−–\d])\b(?P<a>{_N}){_HALF}\s*\+?\s*(?:-\s*)?{_UNIT}(?P<half2>\s+and\s+a\s+half)?"
)
_HALF_YEAR = re.compile(r"\bhalf\s+a\s+year\b")
_ZERO = re.compile(
    r"\bfresh(?:ly)? out of (?:school|college|uni\w*|high school|trade school|training|my \w+)"
    r"|\bjust (?:graduated|finished (?:school|college|my \w+)|got out of school|out of school)"
    r"|\brecent(?:ly)? grad\w*|\bnew grad\w*"
    r"|\b(?:no|zero|without any|without) (?:(?:real|prior|professional|work|field|industry|hands-on|"
    r"relevant|previous|practical|actual|paid|job) )?experience"
    r"(?!\s+(?:with|in|on|of|at|using|doing|as (?:an? )?(?:lead|manager|supervisor|senior|team))\b"
    r"|\s+\w+ing\b)"
    r"|\bentry[- ]level\b|\bnew to the (?:field|trade|industry|job)\b|\bjust (?:starting|started) out\b"
    r"|\bnever worked\b"
    r"|\b(?:just|recently) (?:started|began|landed|got|took)\b(?: (?:my|a|an|the) (?:first|new)?)?"
    r"|\bmy first (?:\w+ )?(?:job|role|position|week|month|day)\b|\bfirst (?:\w+ )?job\b"
    r"|\bstarted (?:\w+ ){0,3}(?:last|this) (?:week|month)\b"
    r"|\bjust finished (?:a|an|my|the) (?:\w+ )?(?:program|course|training|apprenticeship|degree)\b"
)
# Figures that are not the person's experience: ages, school years, goals, pay periods.
_NOT_EXPERIENCE_AFTER = re.compile(
    r"\s*(?:old\b|of age\b|from now\b|time\b|ago\b(?=.*\bstart)|"
    r"(?:of\s+)?(?:college|university|uni|school|high school|study|studies|studying)\b|"
    r"(?:associate'?s?\s+|bachelor'?s?\s+)?(?:degree|program|programme|course|diploma|apprenticeship)\b)"
)
_NOT_EXPERIENCE_BEFORE = re.compile(
    r"(?:\b(?:in|within|next|another|over the next|for the next|per|each|every|once|twice|times)\s+"
    r"|\d[\d,.]*\s*k?\s+|/\s*)$"
)


def _number(word: str) -> float:
    word = re.sub(r"\s+", " ", word)
    return float(word) if word[0].isdigit() else float(_WORD_NUMBERS[word])


def _scale(unit: str) -> float:
    unit = unit.lower()
    if unit.startswith("decade"):
        return 10.0
    if unit.startswith("mo"):
        return 1 / 12
    return 1.0


def _year_mentions(text: str) -> list[tuple[int, str, float]]:
    """(position, phrase, years) of every experience figure in ``text``."""
    low = _norm(text)
    found: list[tuple[int, str, float]] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(s < m.end() and m.start() < e for s, e in taken)

    def context_ok(m: re.Match[str]) -> bool:
        return not _NOT_EXPERIENCE_AFTER.match(low, m.end()) and not _NOT_EXPERIENCE_BEFORE.search(
            low[max(0, m.start() - 24) : m.start()]
        )

    for m in _YEAR_RANGE.finditer(low):
        taken.append(m.span())
        if context_ok(m):
            value = (_number(m.group("a")) + _number(m.group("b"))) / 2 * _scale(m.group("unit"))
            found.append((m.start(), m.group(0).strip(), value))
    for m in _HALF_YEAR.finditer(low):
        taken.append(m.span())
        if context_ok(m):
            found.append((m.start(), m.group(0), 0.5))
    for m in _YEAR_ONE.finditer(low):
        if not free(m):
            continue
        taken.append(m.span())
        if context_ok(m):
            value = _number(m.group("a")) + (0.5 if m.group("half") or m.group("half2") else 0.0)
            found.append((m.start(), m.group(0).strip(), value * _scale(m.group("unit"))))
    for m in _ZERO.finditer(low):
        found.append((m.start(), m.group(0).strip(), 0.0))
    return sorted(found)


def _fmt_years(value: float) -> str:
    if value == 0:
        return "no experience"
    if value < 1:
        months = round(value * 12)
        return f"{months} month" + ("s" if months != 1 else "")
    text = f"{round(value, 1):g}"
    return f"{text} year" + ("" if text == "1" else "s")


def _read_years(text: str) -> tuple[float | None, list[str]]:
    """The years of experience and, when figures disagree by more than a year, the conflict."""
    mentions = _year_mentions(text)
    if not mentions:
        return None, []
    values = [v for _, _, v in mentions]
    if max(values) - min(values) > 1:
        low = min(mentions, key=lambda m: m[2])
        high = max(mentions, key=lambda m: m[2])
        return None, [f"both {_describe(low)} and {_describe(high)}"]
    return max(values), []


def _describe(mention: tuple[int, str, float]) -> str:
    phrase = mention[1]
    return f'"{phrase}"' if mention[2] == 0 else _fmt_years(mention[2])


# --------------------------------------------------------------------------- education

_EDUCATION: tuple[tuple[int, str, re.Pattern[str]], ...] = (
    (6, "doctorate", re.compile(r"\b(?:phd|ph\.d|doctorate|doctoral)\b")),
    (5, "master's degree", re.compile(r"\b(?:master'?s|msc|mba|m\.s\.)\b")),
    (
        4,
        "bachelor's degree",
        re.compile(
            r"\b(?:bachelor'?s?|bsc|b\.s\.|b\.a\.|undergrad\w*|four[- ]year degree|4[- ]year degree)\b"
        ),
    ),
    (
        3,
        "associate degree",
        re.compile(
            r"\b(?:associate'?s?\s+(?:degree|of|in)|associate'?s\b|aas|two[- ]year degree|2[- ]year degree)"
        ),
    ),
    (3, "community college", re.compile(r"\bcommunity college\b")),
    (3, "college", re.compile(r"\b(?:college|university)\b")),
    (
        2,
        "vocational/trade school",
        re.compile(
            r"\b(?:vocational|trade school|trades? program|technical (?:school|college|institute|program)|"
            r"vo-?tech|certificate program)\b"
        ),
    ),
    (2, "apprenticeship", re.compile(r"\bapprentice(?:ship)?s?\b")),
    (1, "high school/GED", re.compile(r"\b(?:high[- ]school|ged|hs diploma)\b")),
    (1, "degree", re.compile(r"\b(?:degree|diploma)\b")),
)


def _read_education(segments: Iterable[tuple[str, str]]) -> str | None:
    best: tuple[int, int, str] | None = None  # (-level, position, label)
    offset = 0
    for kind, fragment in segments:
        if kind == "has":
            for level, label, pattern in _EDUCATION:
                m = pattern.search(fragment)
                if m and (best is None or (-level, offset + m.start()) < best[:2]):
                    best = (-level, offset + m.start(), label)
        offset += len(fragment) + 1
    return best[2] if best else None


# --------------------------------------------------------------------------- skills

# Words too common in a self-description to name one skill on their own.
_SKILL_STOP = frozenset(
    "a an and of for the to in with on use basic effective system systems procedure procedures technique "
    "techniques understanding skill skills".split()
)
_GENERIC = frozenset(
    lexicon.stem(w)[:6]
    for w in (
        "team project time data equipment program problem thinking detail training report "
        "reporting technical repair repairs resource industrial efficiency operational quality "
        "control management maintenance maintain troubleshooting diagnostics diagnostic testing power hand "
        "critical assessment risk remote monitoring"
    ).split()
)
# Everyday words and tool names → the guide word they stand for.
_ALIASES = {
    "led": "lead",
    "leading": "lead",
    "leads": "lead",
    "leader": "lead",
    "leaders": "lead",
    "leadership": "lead",
    "supervise": "lead",
    "supervised": "lead",
    "supervising": "lead",
    "supervisor": "lead",
    "analyze": "analysis",
    "analyzing": "analysis",
    "analyse": "analysis",
    "analytics": "analysis",
    "analytical": "analysis",
    "comms": "communication",
    "communicator": "communication",
    "docs": "documentation",
    "mentored": "mentor",
    "mentorship": "mentor",
}
_WORD = re.compile(r"[a-z0-9]+")


def _stems(text: str, acronyms: frozenset[str] = frozenset()) -> list[str]:
    out: list[str] = []
    for word in _WORD.findall(_norm(text)):
        if word in _SKILL_STOP:
            continue
        if word.endswith("s") and word[:-1] in acronyms:  # "PLCs" → "plc"
            word = word[:-1]
        word = _ALIASES.get(word, word)
        out.append(lexicon.stem(word)[:6])
    return out


def _skill_catalog(facts: GuideFacts) -> list[str]:
    items = [i for group in facts.skill_map.values() for i in group]
    return list(dict.fromkeys([*items, *facts.tech_skills, *facts.soft_skills]))


class _SkillMatcher:
    """Which of the guide's skill items a piece of text claims.

    An item is claimed when the text names its acronym or a word few items share ("PLC",
    "networking", "SCADA"), or most of its words ("preventive maintenance").
    """

    def __init__(self, items: list[str]) -> None:
        self.acronyms = frozenset(a.lower() for i in items for a in re.findall(r"\b[A-Z]{2,}\b", i))
        self.items = {i: set(_stems(i, self.acronyms)) for i in items}
        df: dict[str, int] = {}
        for stems in self.items.values():
            for s in stems:
                df[s] = df.get(s, 0) + 1
        self.strong = {s for s, n in df.items() if n <= 2 and s not in _GENERIC}

    def claimed(self, text: str) -> list[str]:
        said = set(_stems(text, self.acronyms))
        out = []
        for item, stems in self.items.items():
            hits = stems & said
            if not hits:
                continue
            most = len(hits) >= 2 and len(hits) >= math.ceil(len(stems) / 2)
            if hits & self.strong or most or len(stems) == 1:
                out.append(item)
        return out


# --------------------------------------------------------------------------- certifications


def _cert_keys(name: str) -> tuple[set[str], set[str]]:
    """(acronyms, name words) by which a certification can be recognised."""
    acronyms = {a.lower() for a in re.findall(r"\(([A-Z][A-Za-z0-9+&/-]{1,11})\)", name)}
    if re.fullmatch(r"[A-Z][A-Z0-9+&/-]{1,11}", name):
        acronyms.add(name.lower())
    bare = re.sub(r"\([^)]*\)", " ", name)
    words = {
        w
        for w in re.findall(r"[a-z0-9][a-z0-9+]*", bare.lower())
        if w not in {"and", "of", "for", "the", "training", "certified", "certification", "certificate"}
    }
    for w in list(words):
        if re.fullmatch(r"[a-z]{2,6}", w) and re.search(rf"\b{w.upper()}\b", name):
            acronyms.add(w)  # "OSHA training": OSHA names it alone
        if w.endswith("+"):
            acronyms.add(w)  # "Network+"
    return acronyms, words


_CERT_TOKEN = re.compile(r"\b[a-z0-9]+\+")


def _certs_in(text: str, certs: Iterable[str]) -> list[str]:
    low = _norm(text)
    tokens = set(re.findall(r"[a-z0-9][a-z0-9+]*", low))
    out = []
    for cert in certs:
        acronyms, words = _cert_keys(cert)
        if acronyms & tokens or (words and words <= tokens):
            out.append(cert)
    return out


# --------------------------------------------------------------------------- aims

_AIMS = (
    (
        "lead",
        re.compile(
            r"\blead(?:er|ing|ership)?\b|\brun (?:a|the|my|our|his|her) (?:team|crew|shift)\b|\bsupervis\w*"
            r"|\bin charge\b|\bforeman\b"
            r"|\bmanag(?:e|ing) (?:a |the |my )?(?:team|crew|people|staff|workers)\b"
        ),
    ),
    ("management", re.compile(r"\bmanager\b|\bmanagement\b|\bmanagerial\b|\bdirector\b")),
    (
        "salary",
        re.compile(
            r"\bearn(?:ing)? more\b|\bmore money\b|\b(?:better|higher|more) (?:pay|salary|wages?|income)\b"
            r"|\b(?:pay )?raise\b|\bpaid more\b|\bmake more\b|\bincrease (?:my )?(?:pay|salary|income)\b"
        ),
    ),
)


def _read_aims(segments: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    found: list[str] = []
    for kind, fragment in segments:
        # a question names an aim only when it also says "become", "move into", "want" ...
        if kind == "not" or (kind == "ask" and not _ASPIRATION.search(fragment)) or kind == "has":
            continue
        for name, pattern in _AIMS:
            if name not in found and pattern.search(fragment):
                found.append(name)
    return tuple(n for n, _ in _AIMS if n in found)


# --------------------------------------------------------------------------- public: profile


def read_profile(text: str, facts: GuideFacts) -> Profile:
    """What ``text`` says about the person, matched against ``facts``; unknowns stay empty."""
    for example, item in facts.examples.items():  # "I know Wireshark": a network diagnostic tool
        text = re.sub(rf"\b{re.escape(example)}\b", f"{example} ({item})", text, flags=re.I)
    segments = _segments(text)
    years, contradictions = _read_years(text)
    matcher = _SkillMatcher(_skill_catalog(facts))
    have: list[str] = []
    lacking: set[str] = set()
    for kind, fragment in segments:
        fragment = _CERT_TOKEN.sub(" ", fragment)  # "Network+" names a certification, not a skill
        if kind == "has":
            have.extend(s for s in matcher.claimed(fragment) if s not in have)
        elif kind == "not":
            lacking.update(matcher.claimed(fragment))
    for skill in have:
        if skill in lacking:
            contradictions.append(f"both having and not having {skill}")
    skills = tuple(s for s in have if s not in lacking)
    certs: list[str] = []
    for kind, fragment in segments:
        if kind == "has":
            certs.extend(c for c in _certs_in(fragment, facts.certifications) if c not in certs)
    return Profile(
        years=years,
        education=_read_education(segments),
        skills=skills,
        certifications=tuple(certs),
        aims=_read_aims(segments),
        contradictions=tuple(contradictions),
    )


_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|my|me|myself)\b")
_SELF_STATEMENT = re.compile(
    r"\b(?:i'm|im|i am) (?:\d+|a|an|currently|working|employed|in|at|still|already|now|just|fresh|new|junior|"
    r"senior|mid|entry|self|the|certified|trained|qualified|good|skilled|experienced)\b"
    r"|\b(?:i've|ive|i have) (?:been|worked|done|had|got|gotten|earned|completed|finished|led|used|spent)\b"
    r"|\bi (?:have|hold|had)\b(?! to\b)"
    r"|\bi (?:already |currently |also |still |now |really )?"
    r"(?:was|work|worked|did|know|studied|graduated|finished|completed|got|earned|just|started|spent|"
    r"run|led|use|used|maintain|fix|repair|make|earn|supervise|manage|lead|hold)\b"
    r"|\bmy (?:experience|background|degree|diploma|job|current|role|skills|goal|plan|training|education|"
    r"certifications?|career|position)\b"
    r"|\bi(?:'d| would) like to (?!know\b|ask\b|understand\b|find out\b|hear\b|see\b|learn about\b)"
    r"|\bi (?:want|wanna|hope|plan|aim|aspire|dream)\b(?! to (?:know|ask|understand|find out|hear|see)\b)"
    r"|\bi'm (?:planning|hoping|trying|looking to|aiming)\b"
)
_QUESTION_AUX = re.compile(r"\b(?:do|does|did|can|could|should|would|will|shall|may|might|must|am)\s+$")


# A message that opens without a subject: "Been a tech for 4 years", "Just graduated, ...".
_NO_SUBJECT_OPENER = re.compile(
    r"^\W*(?:been|just|fresh\w*|recent\w*|currently|over|about|almost|nearly|around|roughly|spent|worked|"
    r"working|did|done|finished|graduated|entry|new|half|\d|a couple|a few|couple|few|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\b"
)
_OPENS_AS_QUESTION = re.compile(
    r"^\W*(?:what|which|how|why|where|when|who|is|are|am|was|were|do|does|did|can|could|should|would|will|"
    r"shall|may|might|must)\b"
)


# A question about the asker's own standing, next steps or readiness.
_ASKS_PLAN = re.compile(
    r"\bwhere (?:do|would|should|does that (?:put|leave)) (?:i|me)\b|\bwhere am i\b"
    r"|\bwhat (?:level|tier|stage|step) (?:am i|would i be|does that put me)\b"
    r"|\bwhich (?:level|tier|stage) am i\b"
    r"|\bwhat (?:should|do|can|could) i (?:do|focus|learn|work on|study|take|get|aim)\b"
    r"|\b(?:my|the) next (?:step|steps|move)\b|\bnext steps? for me\b|\bwhat(?:'s| is) next\b"
    r"|\bam i (?:ready|qualified|eligible|on track|good enough|experienced enough)\b"
    r"|\bhow (?:do|can|could|should|would) i "
    r"(?:get|move|become|reach|advance|go|step|climb|progress|make it|start)\b"
    r"|\b(?:plan|roadmap|path) for me\b|\b(?:make|give|build) me a (?:plan|roadmap)\b"
    r"|\bcan i (?:become|move up|get promoted|make lead|be a lead)\b"
    r"|\bhow (?:long|far) (?:until|till|before|am) i\b",
    re.I,
)


def asks_for_plan(text: str) -> bool:
    """Whether a message asks for the writer's own plan: their standing, next step or readiness.

    A question about themselves ("where do I stand?", "how do I get to lead from here?") asks;
    so does a bare self-description ("6 years as a tech, want to lead"). A story around a
    question for the guide ("my dad did this 30 years, is it still a good trade?") does not.
    """
    from .chat import read_message, requested_task
    from .lexicon import plain_words

    if requested_task(text):
        return False  # "I'm 35, make me a study schedule": a task, not a plan request
    reading = read_message(plain_words(text))
    if reading.asked:
        return any(_ASKS_PLAN.search(_norm(q)) for q in reading.questions) and looks_personal(text)
    return looks_personal(text)


def looks_personal(text: str) -> bool:
    """Whether ``text`` describes the writer's own situation (to plan from), not a general question."""
    low = _norm(text).strip()
    first_person = bool(_FIRST_PERSON.search(low))
    if first_person:
        for m in _SELF_STATEMENT.finditer(low):
            if not _QUESTION_AUX.search(low[max(0, m.start() - 12) : m.start()]):
                return True
    # A stated amount of experience ("Seven years as a senior tech, ...", "fresh out of school")
    # from someone speaking of themselves; "How much does a tech with 5 years earn?" is a question.
    if not _year_mentions(low) or _OPENS_AS_QUESTION.match(low):
        return False
    return first_person or bool(_NO_SUBJECT_OPENER.match(low))


# --------------------------------------------------------------------------- the ladder asked about

_ASKS_LEVEL = re.compile(
    r"\b(?:what|which)\s+(?:experience\s+|career\s+)?(?:level|tier|stage|rank|step)\b|\bcounts?\s+as\b"
    r"|\bline[sd]?\s+up\s+with\b|\bwhere\s+(?:does|would|do)\s+(?:that|this|it|\d+\s*(?:years?|yrs?))\s+"
    r"(?:put|place|land|leave)\b",
    re.I,
)
_HOW_MANY_YEARS = re.compile(r"\bhow\s+(?:many\s+(?:years?|yrs?)|long)\b", re.I)
_YEARS_SAID = re.compile(r"\b(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)\b", re.I)
_GOAL = re.compile(
    r"\b(?:be|become|becoming|considered|count(?:ed)?\s+as|make|reach|get\s+to|promoted\s+to|"
    r"move\s+up\s+to|step\s+up\s+to)\s+(?:an?\s+)?(?:actual\s+|real\s+|full\s+|proper\s+)?([a-z][a-z-]*)",
    re.I,
)


def asked_tier(question: str, context: str, tiers: tuple[Tier, ...]) -> Tier | None:
    """The step of a guide's ladder a question asks about, when it asks about one.

    "Which level does 6 years line up with?" (or "3 years now. What level would that count
    as?", the years told in ``context``) places the years on the ladder; "how many years before
    you count as a lead?" asks for the step named as the goal.
    """
    if not tiers:
        return None
    if _ASKS_LEVEL.search(question):
        said = _YEARS_SAID.findall(question) or _YEARS_SAID.findall(context)
        if said:
            idx = _tier_index(tiers, float(said[-1]))
            return tiers[idx] if idx is not None else None
    if _HOW_MANY_YEARS.search(question):
        goal = _GOAL.search(question)
        if goal:
            word = goal.group(1).lower()
            named = (t for t in tiers if _tier_word(t) == word or _tier_word(t).startswith(word + "-"))
            return next(named, None)
    return None


def _tier_word(tier: Tier) -> str:
    """A step's own first word ("senior" of "Senior Technician", "mid-level" of "Mid-Level …")."""
    return tier.name.split()[0].lower() if tier.name.split() else ""


# --------------------------------------------------------------------------- plan helpers


def _tier_index(tiers: tuple[Tier, ...], years: float) -> int | None:
    """The ladder step for ``years``; a boundary year belongs to the higher step."""
    placed = [i for i, t in enumerate(tiers) if t.min_years is not None and t.min_years <= years]
    if placed:
        return placed[-1]
    return 0 if tiers else None


def _tier_salaries(facts: GuideFacts) -> dict[int, SalaryLevel]:
    """Salary figure per tier index: Entry, Mid, Senior by position; the top tier the best rest."""
    levels = [
        s for s in facts.salary if not re.search(r"median|average|mean|range|bottom|lower|low", s.label, re.I)
    ]
    by_tier: dict[int, SalaryLevel] = {}
    keys = (r"entry|junior|starting|begin", r"\bmid", r"senior")
    for i, key in enumerate(keys[: len(facts.tiers)]):
        level = next((s for s in levels if re.search(key, s.label, re.I)), None)
        if level is not None:
            by_tier[i] = level
    top = len(facts.tiers) - 1
    if top >= len(keys):
        used = {s.label for s in by_tier.values()}
        floor = max((s.amount for s in by_tier.values()), default=0)
        rest = [s for s in levels if s.label not in used and s.amount >= floor]
        if rest:
            by_tier[top] = max(rest, key=lambda s: s.amount)
    return by_tier


def _group_kind(name: str) -> str:
    if re.search(r"found|basic|core|essential|fundament|entry|begin", name, re.I):
        return "foundational"
    if re.search(r"lead|manag|professional|soft|people|interpersonal|business", name, re.I):
        return "leadership"
    return "technical"


def _skill_groups(facts: GuideFacts) -> list[tuple[str, str, tuple[str, ...]]]:
    """(kind, section, items) of the skill map, else the tech and soft skill lists."""
    if facts.skill_map:
        first = facts.sources.get("skill_map", "")
        parts = first.split(PATH_SEP)
        parent = PATH_SEP.join(parts[:-1]) if len(parts) > 1 else ""
        return [
            (_group_kind(name), f"{parent}{PATH_SEP}{name}" if parent else name, items)
            for name, items in facts.skill_map.items()
        ]
    out = []
    if facts.tech_skills:
        out.append(("technical", facts.sources.get("tech_skills", ""), facts.tech_skills))
    if facts.soft_skills:
        out.append(("leadership", facts.sources.get("soft_skills", ""), facts.soft_skills))
    return out


def _gap_order(beginner: bool, leads: bool, senior: bool) -> tuple[str, ...]:
    if beginner:
        return (
            ("foundational", "leadership", "technical")
            if leads
            else ("foundational", "technical", "leadership")
        )
    if leads or senior:
        return ("leadership", "technical", "foundational")
    return ("technical", "leadership", "foundational")


def _dist(value: float) -> str:
    if value < 0.75:
        return "under a year"
    value = round(value * 2) / 2
    return f"about {value:g} year" + ("" if value == 1 else "s")


class _Citations:
    """Numbered sources in order of first use; the same section and quote share a number."""

    def __init__(self, guide: str) -> None:
        self.guide = guide
        self.sources: list[Source] = []

    def cite(self, section: str, quote: str) -> str:
        for i, s in enumerate(self.sources, 1):
            if s.section == section and s.text == quote:
                return f"[{i}]"
        self.sources.append(Source(section, self.guide, quote, 1.0, ""))
        return f"[{len(self.sources)}]"


def _tier_quote(tier: Tier, with_summary: bool) -> str:
    """The tier's own words: its years ("2-5 years") and, when the text uses it, its summary."""
    return f"{tier.years}\n{tier.summary}" if with_summary and tier.summary else tier.years


def _pick_mistakes(facts: GuideFacts, focus: str, n: int = 2) -> list[str]:
    """The ``n`` mistakes closest to what the plan is about, in the guide's order."""

    def stems(text: str) -> set[str]:
        return set(_stems(re.sub(r"\blead(?:s|ing)? to\b", " ", text, flags=re.I))) - _GENERIC

    want = stems(focus)
    scored = sorted(range(len(facts.mistakes)), key=lambda i: (-len(stems(facts.mistakes[i]) & want), i))
    return [facts.mistakes[i] for i in sorted(scored[:n])]


# --------------------------------------------------------------------------- public: plan


def make_plan(profile_text: str, facts: GuideFacts) -> CareerPlan:
    """A short cited plan for the person ``profile_text`` describes, from ``facts`` alone."""
    profile = read_profile(profile_text, facts)
    cites = _Citations(facts.guide)
    tiers = facts.tiers
    years = profile.years
    idx = _tier_index(tiers, years) if years is not None else None
    tier = tiers[idx] if idx is not None else None
    next_tier = tiers[idx + 1] if idx is not None and idx + 1 < len(tiers) else None
    top = tiers[-1] if tiers else None
    leads = "lead" in profile.aims or "management" in profile.aims
    pay = _tier_salaries(facts)
    salary_src = facts.sources.get("salary", "")

    lines: list[str] = []
    steps: list[str] = []
    salary: tuple[SalaryLevel, ...] = ()

    # Where the person stands ------------------------------------------------------------
    if tier is not None and years is not None:
        said = "Starting out" if years == 0 else f"With about {_fmt_years(years)}"
        where = "at the top of the guide's ladder: " if next_tier is None else "at "
        marker = cites.cite(tier.section, _tier_quote(tier, False))
        lines.append(f"{said}, you're {where}**{tier.name}** ({tier.years}) {marker}.")
    elif tiers:
        note = ""
        conflicts = [c for c in profile.contradictions if not c.startswith("both having")]
        if conflicts:
            note = f" (you mentioned {'; '.join(conflicts)}, so I won't guess)"
        ladder = " → ".join(
            f"{t.name} ({t.years}) {cites.cite(t.section, _tier_quote(t, False))}" for t in tiers
        )
        lines.append(f"{TELL_YEARS}{note}: {ladder}.")
    elif years is None:
        lines.append(f"{TELL_YEARS}.")
    else:  # nothing in the guide to cite: say so rather than invent a ladder
        said = _fmt_years(years)
        lines.append(f"The guide gives no career ladder with years, so I can't place you ({said}) on one.")

    # Pay --------------------------------------------------------------------------------
    if idx is not None:
        now, then = pay.get(idx), pay.get(idx + 1) if next_tier is not None else None
        if now and then:
            salary = (now, then)
            quote = f"{now.label}: {now.text}\n{then.label}: {then.text}"
            lines.append(
                f"**Pay:** {now.label} {now.text} now → {then.label} {then.text} at the next tier "
                f"{cites.cite(salary_src, quote)}."
            )
        elif now:
            salary = (now,)
            lines.append(
                f"**Pay:** {now.label} {now.text} {cites.cite(salary_src, f'{now.label}: {now.text}')}."
            )
        elif then:
            salary = (then,)
            lines.append(
                f"**Pay at the next tier:** {then.label} {then.text} "
                f"{cites.cite(salary_src, f'{then.label}: {then.text}')}."
            )
    elif pay:
        ordered = [pay[i] for i in sorted(pay)]
        low, high = ordered[0], ordered[-1]
        salary = (low, high) if low != high else (low,)
        quote = "\n".join(dict.fromkeys(f"{s.label}: {s.text}" for s in salary))
        span = (
            f"from {low.label} {low.text} to {high.label} {high.text}"
            if low != high
            else f"{low.label} {low.text}"
        )
        lines.append(f"**Pay** on the ladder runs {span} {cites.cite(salary_src, quote)}.")

    # Next steps -------------------------------------------------------------------------
    if next_tier is not None and years is not None and next_tier.min_years is not None:
        what = f": {next_tier.summary.rstrip('.')}" if next_tier.summary else ""
        steps.append(
            f"Grow into **{next_tier.name}** ({next_tier.years}), {_dist(next_tier.min_years - years)} away"
            f"{what} {cites.cite(next_tier.section, _tier_quote(next_tier, True))}"
        )
    lead_tier = next(
        (t for t in tiers if re.search(r"lead|supervis|manag|head|chief|principal", t.name, re.I)), top
    )
    top_cited = tier is None or next_tier is top  # the top tier is already named with its years
    if leads and lead_tier is not None and lead_tier not in (tier, next_tier):
        away = ""
        if years is not None and lead_tier.min_years is not None:
            away = f", {_dist(lead_tier.min_years - years)} from now"
        marker = cites.cite(lead_tier.section, _tier_quote(lead_tier, False))
        if "lead" in profile.aims or lead_tier is not top:
            steps.append(
                f"Leading a team is the **{lead_tier.name}** tier at {lead_tier.years}{away} {marker}"
            )
        else:
            steps.append(
                f"Management roles come after **{lead_tier.name}** ({lead_tier.years}){away} {marker}"
            )
        top_cited = top_cited or lead_tier is top

    beginner = (idx == 0) or (years is not None and years < 1) or (years is None and not leads)
    senior = idx is not None and idx >= max(len(tiers) - 2, 1)
    order = _gap_order(beginner, leads, senior)
    groups = sorted(_skill_groups(facts), key=lambda g: order.index(g[0]))
    had = set(profile.skills)
    gaps: list[tuple[str, str]] = [
        (item, section) for _, section, items in groups for item in items if item not in had
    ]
    shown = gaps[:3]
    if shown:
        parts: list[str] = []
        for section in dict.fromkeys(s for _, s in shown):
            names = [i for i, s in shown if s == section]
            parts.append(f"{join_words(names)} {cites.cite(section, chr(10).join(names))}")
        aside = ""
        doubtful = [c for c in profile.contradictions if c.startswith("both having")]
        if doubtful:
            aside = f"(You mentioned {'; '.join(doubtful)}, so it counts as a gap.) "
        steps.append(f"{aside}Build {'; '.join(parts)}")
    held = set(profile.certifications)
    certs = tuple(c for c in facts.certifications if c not in held)
    if certs:
        listed = list(certs[:5])
        steps.append(
            f"Certifications the guide recommends: {join_words(listed, 'or')} "
            f"{cites.cite(facts.sources.get('certifications', ''), chr(10).join(listed))}"
        )
    if steps:
        lines.append("**Next steps**\n" + "\n".join(f"- {s}." for s in steps))

    # Mistakes ---------------------------------------------------------------------------
    if facts.mistakes:
        focus = " ".join([i for i, _ in shown] + ([next_tier.summary] if next_tier else []))
        picked = _pick_mistakes(facts, focus)
        marker = cites.cite(facts.sources.get("mistakes", ""), "\n".join(picked))
        lines.append("**Avoid**\n" + "\n".join(f"- {m.rstrip('.')} {marker}." for m in picked))

    # Beyond the ladder ------------------------------------------------------------------
    if facts.progression_roles and top is not None:
        roles = list(facts.progression_roles)
        roles_src = facts.sources.get("progression_roles", "")
        if tier is top or top_cited:
            roles_marker = cites.cite(roles_src, "\n".join(roles))
            lines.append(f"Beyond **{top.name}**, the guide names {join_words(roles, 'or')} {roles_marker}.")
        else:
            top_marker = cites.cite(top.section, _tier_quote(top, False))
            roles_marker = cites.cite(roles_src, "\n".join(roles))
            lines.append(
                f"The ladder tops out at **{top.name}** ({top.years}) {top_marker}; "
                f"beyond it the guide names {join_words(roles, 'or')} {roles_marker}."
            )

    return CareerPlan(
        tier=tier,
        next_tier=next_tier,
        steps=tuple(steps),
        skill_gaps=tuple(i for i, _ in gaps),
        certifications=certs,
        salary=salary,
        sources=tuple(cites.sources),
        text="\n\n".join(lines),
        needs_years=years is None,
        profile=profile,
    )


# --------------------------------------------------------------------------- plans without a ladder

# Sections that say how to get in and move up, in the order a plan walks them.
_STEP_SECTIONS = (
    ("Get the education", re.compile(r"\beducation\b|how to become|required education|path to", re.I)),
    ("Train on the job", re.compile(r"\btraining\b|apprentice", re.I)),
    ("Get licensed or certified", re.compile(r"licens|certif|registration", re.I)),
    ("Build the qualities employers look for", re.compile(r"important qualities|skills|qualities", re.I)),
    ("Move up", re.compile(r"advancement|career path|progress", re.I)),
)


def make_steps_plan(profile_text: str, guide: str, sections: Iterable[tuple[str, str]]) -> CareerPlan:
    """A cited plan for a guide without a career ladder (a BLS page): one step per section that
    says how to get in and move up, each quoting that section's opening sentence."""
    from .ingest import split_sentences

    cites = _Citations(guide)
    steps: list[str] = []
    used: set[str] = set()
    pairs = list(sections)
    for label, pattern in _STEP_SECTIONS:
        for name, text in pairs:
            last = name.split(PATH_SEP)[-1]
            if name in used or not pattern.search(last) or name.split(PATH_SEP)[0].lower() == "summary":
                continue
            lines = [ln[2:] if ln.startswith("- ") else ln for ln in text.split("\n") if ln.strip()]
            sentences = split_sentences(lines[0]) if lines else []
            if not sentences:
                continue
            quote = sentences[0]
            used.add(name)
            steps.append(f"- **{label}:** {quote} {cites.cite(name, quote)}")
            break
    if not steps:
        text = f"{guide} has no sections on getting in or moving up, so I can't make a plan from it."
    else:
        text = "**Steps from the guide**\n" + "\n".join(steps)
    profile = read_profile(profile_text, GuideFacts(guide=guide))
    return CareerPlan(None, None, tuple(steps), (), (), (), tuple(cites.sources), text, False, profile)
