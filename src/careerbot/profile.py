"""Reading a person: what they say about themselves, and what they ask about a guide's ladder.

``read_profile`` reads a self-description ("I've been a technician for about 6 years, did a
vocational program, I know PLCs but never led a team"): years of experience, education, the
guide's skills and certifications they have, and what they aim for. Anything not said stays
unknown; nothing is guessed. ``looks_personal`` and ``asks_for_plan`` tell a self-description
from a general question; ``asked_tier`` names the ladder step a question asks about;
``tier_index`` places years on a ladder. Rules only, no model. ``careerbot.guidance`` writes
the plan from what is read here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import lexicon
from .facts import GuideFacts, Tier

__all__ = [
    "GENERIC_STEMS",
    "Profile",
    "asked_tier",
    "asks_for_plan",
    "format_years",
    "looks_personal",
    "read_profile",
    "skill_stems",
    "tier_index",
]

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


def format_years(value: float) -> str:
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
    return f'"{phrase}"' if mention[2] == 0 else format_years(mention[2])


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
# Stems so common across a guide's skills that sharing one says little (also for the plan's mistakes).
GENERIC_STEMS = frozenset(
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


def skill_stems(text: str, acronyms: frozenset[str] = frozenset()) -> list[str]:
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
        self.items = {i: set(skill_stems(i, self.acronyms)) for i in items}
        df: dict[str, int] = {}
        for stems in self.items.values():
            for s in stems:
                df[s] = df.get(s, 0) + 1
        self.strong = {s for s, n in df.items() if n <= 2 and s not in GENERIC_STEMS}

    def claimed(self, text: str) -> list[str]:
        said = set(skill_stems(text, self.acronyms))
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
_ORDINALS = {
    "first": 0, "bottom": 0, "lowest": 0, "entry": 0, "second": 1, "third": 2, "fourth": 3,
    "last": -1, "top": -1, "highest": -1,
}  # fmt: skip
_ORDINAL_STEP = re.compile(
    rf"\b(?:the|that)\s+({'|'.join(_ORDINALS)})\s+(?:one|level|tier|step|stage|rung)\b", re.I
)
_HOW_MANY_YEARS = re.compile(r"\bhow\s+(?:many\s+(?:years?|yrs?)|long)\b", re.I)
_YEARS_SAID = re.compile(r"\b(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)\b", re.I)
_GOAL = re.compile(
    r"\b(?:be|become|becoming|considered|count(?:ed)?\s+as|make|reach|get\s+to|promoted\s+to|"
    r"move\s+up\s+to|step\s+up\s+to"
    # "before someone's usually a lead", "before you're a senior"
    r"|(?:'s|'re|\bis|\bare|\bur)(?:\s+(?:usually|typically|normally|generally|considered|counted\s+as))?"
    r")\s+(?:an?\s+)?(?:actual\s+|real\s+|full\s+|proper\s+)?([a-z][a-z-]*)",
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
            idx = tier_index(tiers, float(said[-1]))
            return tiers[idx] if idx is not None else None
    if _HOW_MANY_YEARS.search(question):
        goals = [g.group(1).lower() for g in _GOAL.finditer(question)]
        if goals:
            # the first goal that is a step ("before they're actually considered a lead": lead)
            named = (
                t for w in goals for t in tiers if _tier_word(t) == w or _tier_word(t).startswith(w + "-")
            )
            return next(named, None)
    # "how long do people stay at the first one?" after the ladder was listed
    ordinal = _ORDINAL_STEP.search(question) if _HOW_MANY_YEARS.search(question) else None
    if ordinal:
        at = _ORDINALS[ordinal.group(1).lower()]
        return tiers[at] if -len(tiers) <= at < len(tiers) else None
    return None


def _tier_word(tier: Tier) -> str:
    """A step's own first word ("senior" of "Senior Technician", "mid-level" of "Mid-Level …")."""
    return tier.name.split()[0].lower() if tier.name.split() else ""


# --------------------------------------------------------------------------- ladder placement


def tier_index(tiers: tuple[Tier, ...], years: float) -> int | None:
    """The ladder step for ``years``; a boundary year belongs to the higher step."""
    placed = [i for i, t in enumerate(tiers) if t.min_years is not None and t.min_years <= years]
    if placed:
        return placed[-1]
    return 0 if tiers else None
