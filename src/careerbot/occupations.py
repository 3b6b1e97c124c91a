"""Which occupation a question is about: the guides' own names for their occupations.

Every name comes from the guides at load time: the title ("Plumbers, Pipefitters, and
Steamfitters" names three occupations), headings such as "How to Become a News Analyst,
Reporter, or Journalist", abbreviations the guide defines ("licensed practical nurses (LPNs)")
and "also called" phrases. A question names a guide when its words contain one of these names,
allowing the shortenings people use ("admin assistant", "rec therapist", "HR manager", "surgical
tech"). A person-noun in a question's subject slot that names no guide ("what do sommeliers
earn?") is another occupation, which the scope gate declines.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import inflection

from . import lexicon

# Short forms people type for words of occupation names (general English, not any one guide).
ABBREVIATIONS = {
    "hr": "human resources",
    "pr": "public relations",
    "admin": "administrative",
    "rep": "representative",
    "reps": "representatives",
    "dev": "developer",
    "devs": "developers",
    "mgr": "manager",
    "asst": "assistant",
    "engr": "engineer",
    "rec": "recreation",
}
# Words before an occupation's name that keep it the same occupation ("a good plumber").
GENERIC_MODIFIERS = frozenset(
    """good great best top bad senior junior experienced new entry level entry-level mid average typical
    certified licensed professional full part time full-time part-time local starting beginning young old
    female male freelance self-employed union nonunion fellow future aspiring would-be wannabe real actual
    first second successful skilled unskilled trained qualified remote hybrid onsite beginner newbie rookie
    veteran intermediate midlevel highest lowest overseas international contract temp seasonal""".split()
)
_PAY_WORDS = frozenset(
    "median average avg mean typical annual yearly hourly monthly starting base total expected job jobs"
    " salary salaries pay wage wages income outlook growth demand career careers field openings"
    "".split()
)
# Person words that name no occupation: who a question is about when it is about "the job".
GENERIC_PEOPLE = frozenset(
    """person people someone somebody one worker workers employee employees professional
    professionals beginner beginners newbie newbies rookie rookies graduate graduates grad grads
    student students intern interns trainee trainees junior juniors senior seniors veteran
    veterans expert experts guy guys man men woman women folk folks starter starters newcomer
    newcomers member members staff lead leads i you he she they we it this that daughter son
    mother father mom dad brother sister wife husband partner friend kid child parent cousin nephew
    niece uncle aunt boyfriend girlfriend buddy neighbor neighbour roommate customer customers
    client clients boss bosses coworker coworkers colleague colleagues manager's owner owners
    applicant applicants candidate candidates changer changers user users reader readers employer
    employers recruiter recruiters interviewer interviewers""".split()
)
# Endings of English agent and person nouns (plumber, sommelier, florist, physician, attendant).
_PERSON_ENDING = re.compile(
    r"(?:er|or|ist|yst|ian|ant|ent|ary|man|men|woman|women|ess|eur|ier|aide|nurse|smith|wright|keeper|"
    r"employee|trainee|retiree|mentee|attendee|referee|enthusiast|gymnast|"
    r"chef|cook|pilot|guide|clerk|coach|scout|judge|model|nanny|doctor|midwife|broker|agent|guard|medic|mechanic|detective|executive|representative)$"
)
_NOT_PERSON = frozenset(
    """other another either neither whether rather together however never ever over under after
    water paper number order matter power center centre career answer summer winter later manner
    letter corner border computer computers printer chapter cancer weather customer major minor
    color colour error factor sector labor labour floor door mirror interior exterior superior
    inferior senior junior junior's senior's per her ever better bigger higher lower longer
    shorter harder easier faster slower greater fewer more less consumer weekend percent current
    recent student students client clients patient patients parent parents resident residents
    bachelor bachelors master masters
    content intent extent event events amount account equipment environment government
    department management development employment investment treatment requirement assignment
    payment statement agreement achievement assessment placement enrollment settlement entertainment
    plant want ant important significant relevant pleasant vacant constant instant distant
    different independent excellent frequent present urgent decent percent talent moment
    element client segment point apprentice median meridian average annual salary library summary
    primary secondary military elementary temporary necessary ordinary monetary january february
    dictionary boundary vocabulary tier earlier busier heavier happier riskier trickier pricier
    healthier wealthier dirtier noisier scarier lonelier steadier sturdier costlier likelier
    cheaper newer older younger smaller larger wider deeper closer sooner further farther
    quicker safer nicer tougher stronger weaker richer poorer cooler warmer hotter colder
    earner""".split()
)
_AKA = re.compile(
    r"\b(?:also|sometimes|often|commonly) (?:known as|called|referred to as|simply called)\s+"
    r"((?:[A-Za-z][\w'-]*\s?){1,4})",
    re.I,
)
_ACRONYM_DEF = re.compile(r"\(([A-Z][A-Za-z]{1,6})\)")
_BECOME = re.compile(r"^how to become (?:a|an) (.+)$", re.I)
_WHAT_DO = re.compile(r"^what (.+?) do$", re.I)
_SPLIT_PARTS = re.compile(r",\s*(?:and|or)\s+|,\s*|\s+(?:and|or)\s+")
_SLOT_BEFORE = re.compile(
    r"\b(?:do|does|did|would|will|can|could|should|are|is)\s+(?:(?:a|an|the)\s+)?((?:[a-z][\w'-]*\s+){0,3}[a-z][\w'-]*)\s+"
    r"(?:make|earn|get paid|take home|bring in|need|do|work|have|usually|typically)\b"
    r"|\b(?:as|become|becoming|be|being)\s+(?:a|an)\s+((?:[a-z][\w'-]*\s+){0,3}[a-z][\w'-]*)"
    r"|\b(?:for|of)\s+(?:(?:a|an)\s+)?((?:[a-z][\w'-]*\s+){0,3}[a-z][\w'-]*)"
    r"|\b(?:a|an)\s+((?:[a-z][\w'-]*\s+){0,2}[a-z][\w'-]*)'?s?\s+(?:salary|pay|wage|income)\b"
    r"|((?:[a-z][\w'-]*\s+){0,2}[a-z][\w'-]*)\s+(?:make|earn|salar(?:y|ies)|pay|wages?|income|jobs?|careers?|"
    r"outlook|growth|demand|openings|employment)\b"
    # "massage therapist - is that field growing?": the topic put first
    r"|^\W*((?:[a-z][\w'-]*\s+){0,3}[a-z][\w'-]*)\s*(?:\s[-–—]|:)\s"
    # "is photography a dying career?": a line of work named by its field
    r"|\b(?:is|are)\s+((?:[a-z][\w'-]*\s+){0,2}[a-z][\w'-]*)\s+(?:still\s+|really\s+)?(?:a|an)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:job|career|trade|field|profession|occupation)\b",
)
# what a question asks "for a …" about ("the pay for a doula", "what degree for a vet tech")
_FOR_TOPICS = frozenset(
    """pay paid salary salaries wage wages income money earnings outlook demand growth future need
    needed degree degrees education training school schooling requirement requirements license
    licensing certification certifications cert certs job jobs hours schedule prospects openings
    market career rate rates growing employment hiring""".split()
)
_SLOT_FIELD = 6  # the slot that names a field, not a person
_SLOT_FOR = 2  # "for a …", "of a …"
_SLOT_NAMED = frozenset({1, 3})  # "become a …", "a …'s salary"
_PAY_FOR = re.compile(r"\b(?:pay|paid|salary|wages?|income|outlook|demand)\s+(?:like\s+)?(?:for|of)\b", re.I)
_SLOT_PEOPLE = frozenset({0, 1, 3, 4})  # slots whose phrase is who earns or does the job
_SLOT_ENDS_PHRASE = frozenset({4})  # slots whose phrase ends at the slot word ("… jobs")


# A field or activity ("drafting", "pharmacy", "dentistry", "economics") and who does it
# ("drafter", "pharmacist", "dentist", "economist"): endings of English derivation.
_FIELD_ENDING = re.compile(r"(?:ing|y|ics|ism|ion|ment|ance|ence|ure)$")
_AGENT_ENDING = re.compile(r"(?:er|or|ist|ian|ant|ent)$")
_KIND_HEADS = frozenset({"worker", "tech"})
_SHORT_PEOPLE = frozenset({"cop", "vet", "doc", "dj", "rep"})  # too short for the ending rule
# "more or fewer director jobs", "is it still a good job": words that count or qualify, not name
_QUANTIFIERS = frozenset(
    "more fewer less most many much few several enough extra new still really actually even now ever".split()
)
# "wondering whether librarian jobs…", "tho": words that join clauses, never part of a name
# (and adverbs that end a name as well: "an electrician instead")
_CLAUSE_WORDS = frozenset(
    "whether though tho although unless since whereas because cuz cause coz bc instead anyway anyways".split()
)
_CLAUSE_BREAK = re.compile(r"(?=\()|[.?!;)]|,\s|\s[—–-]+\s")
_GLOSS = re.compile(r"^\W*(?:i mean|like|aka|as in|meaning|such as|you know|e\.?g|i\.?e)\b", re.I)
SET_ASIDE = frozenset({"not", "except", "besides"})  # before a name the message sets aside
_TELLING = re.compile(r"\b(?:i|i'm|im|i've|ive|my|me|we|our|he|she|his|her)\b", re.I)  # a story's words
_CONTRAST = re.compile(r"(?:not|but not|rather than|instead of)\b", re.I)
_OWN_CLAUSE = re.compile(
    r"\b(?:i|i'm|im|my|me|we|our|he|she|his|her|they|their|than|between|vs|versus|compared?|instead|"
    r"rather|too|also|not)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# where a story ends and the question begins within one sentence ("… lol — how much do …")
_STORY_BREAK = re.compile(
    r"\s[—–-]+\s|;\s|:\s|\.{2,}\s*"
    # "…wants to be a psychologist eventually, how much do psychologists earn?"
    r"|,\s+(?=(?:so\s+|but\s+|and\s+)?(?:how|what|whats|what's|is|are|do|does|will|which|could|can|"
    r"should|would)\b)",
    re.I,
)
_QUESTION = re.compile(
    r"\?\s*$|^\W*(?:what|what's|whats|how|is|are|do|does|did|can|could|should|would|will|which|who)\b", re.I
)
MENTIONS = 2  # times a guide's prose names a kind of worker before it counts as that guide's
# A guide's kind of worker with a modifier the guide uses only elsewhere ("data" scientist of the
# environmental scientists, "foot" doctor of the optometrists) is that guide's only when the
# phrase means much the same as its title or names: "hospital pharmacist" 0.85 Pharmacists, "icu
# nurse" 0.62 Registered Nurses; "data scientist" 0.52 Environmental Scientists, "foot doctor"
# 0.36 Optometrists, "printing press operator" 0.31 Metal and Plastic Machine Workers are not.
MODIFIED_NEAR = 0.55
# ...and a modifier in place of the guide's own before the same head must mean much the same as
# it: "car" 0.69 "automotive", "sports" 0.80 "athletic"; "music" 0.33 "massage", "art" 0.34
# "occupational" name other therapists.
MODIFIER_ALIKE = 0.45
MODIFIED_SURE = 0.70  # near enough as a whole whatever its modifier


def _people_in(text: str) -> dict[str, int]:
    """Kinds of worker a guide's prose is about: person nouns as a sentence's subject (its first
    few words: "Conductors and yardmasters coordinate…"), not in "Name: …" table rows (which
    list other jobs) and not as the object ("…work closely with engineers")."""
    counts: dict[str, int] = {}
    for line in text.split("\n"):
        if _ROW.match(line):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            for w in lexicon.words(sentence)[:4]:
                if w in _PREPOSITIONS:
                    break  # "collaboration with engineers": an object, not who the guide is about
                if "-" not in w and len(w) >= 4 and is_person_noun(w):
                    key = singular(w)
                    counts[key] = counts.get(key, 0) + 1
    return counts


_PREPOSITIONS = frozenset("with to for by from of among between alongside under over like as about".split())
_ROW = re.compile(r"^[^:.]{2,80}:\s")


def _compounds(names: Iterable[tuple[str, ...]], title: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The one-word "-man" names English makes of a title's kind of worker ("lineman" of Line
    Installers, "cameraman" of Camera Operators, "mailman" of mail carriers): a word of the
    title before the worker, joined to "man", when that is an English word."""
    out: set[tuple[str, ...]] = set()
    for n in names:
        if len(n) > 1 and n[-2] in title and n[-2].isalpha() and len(n[-2]) >= 3 and _is_worker(n[-1]):
            word = f"{n[-2]}man"
            if n[-2] not in GENERIC_MODIFIERS and _is_word(word):
                out.add((word,))
    return out


def _folded(parts: list[str], names: list[tuple[str, ...]]) -> tuple[list[str], list[tuple[str, ...]]]:
    """A listing's parts with each lone modifier put in place of the first word of the part after
    it, when that has more words ("Tile and marble setters": tile setter, marble setter)."""
    out_parts, out_names = [], []
    for k, (part, name) in enumerate(zip(parts, names, strict=True)):
        after = names[k + 1] if k + 1 < len(names) else ()
        if len(name) == 1 and len(after) > 1:
            out_parts.append(parts[k + 1])
            out_names.append((name[0], *after[1:]))
        else:
            out_parts.append(part)
            out_names.append(name)
    return out_parts, out_names


def _clauses(question: str) -> list[tuple[int, str]]:
    """The clauses of ``question``, each with the index of its first token (as ``named()``
    counts them)."""
    clauses: list[tuple[int, str]] = []
    at = 0
    for clause in _CLAUSE_BREAK.split(question):
        clauses.append((at, clause))
        at += len(typed_tokens(clause))
    return clauses


def asks(sentence: str) -> bool:
    """Whether a sentence asks ("…?", or it starts as a question: "how much do welders make")."""
    return bool(_QUESTION.search(sentence))


def tells(clause: str) -> bool:
    """Whether a clause tells of the asker or someone they know ("im in ad sales rn")."""
    return bool(_TELLING.search(clause))


def _plural(text: str) -> bool:
    """Whether the last word of ``text`` is a plural ("Surgeons"; not "Maintenance")."""
    words = lexicon.words(text)
    return bool(words) and singular(words[-1]) != words[-1]


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """``word`` in the singular ("plumbers" → "plumber"); the same rule for guides and questions."""
    if len(word) < 4 or word.endswith(("ice", "ss", "us", "is")):
        return word  # "police" is no plural of "polouse", nor "boss" of "bos"
    return str(inflection.singularize(word))


def name_tokens(text: str) -> tuple[str, ...]:
    """Lowercase singular words of a name or question, short forms spelled out."""
    return tuple(token for token, _ in typed_tokens(text))


def typed_tokens(text: str) -> list[tuple[str, str]]:
    """Each name token of ``text`` and the word typed just before it in the same phrase ("" at
    a phrase's start; "hr manager": ("human", ""), ("resource", ""), ("manager", "hr"))."""
    out: list[tuple[str, str]] = []
    for phrase in _PHRASE_BREAK.split(text.replace("&", " and ")):
        before = ""
        for w in lexicon.words(phrase):
            if "-" in w:
                continue  # words() also yields the parts of a hyphenated word
            for part in ABBREVIATIONS.get(w, w).split():
                out.append((singular(part), before))
            before = w
    return out


# "compensation analyst / benefits specialist": "analyst" is no modifier of "benefits specialist"
_PHRASE_BREAK = re.compile(r"[/,;:?!()]|\s[-–—]\s|\.\s")


_NAME_STOP = frozenset({"and", "or", "the", "a", "an", "of", "in", "for", "to", "with", "career"})


def _clean(tokens: Iterable[str]) -> tuple[str, ...]:
    return tuple(t for t in tokens if t not in _NAME_STOP)


# words that say what happens to the jobs, never part of a name ("massage therapists growing")
_TREND_WORDS = frozenset("growing shrinking declining dying booming hiring disappearing expanding".split())
# "how fast is employment…", "whats the growth…": words of the asking, never part of a name
_ASKING_WORDS = frozenset("fast quickly quick whats hows wheres".split())


def _run(tokens: Sequence[str]) -> list[str]:
    """The first run of naming words ("firefighters over the next 10 years" → firefighters)."""
    words: list[str] = []
    for w in tokens:
        stop = w in lexicon.STOPWORDS or w in lexicon.GENERIC or w in _QUANTIFIERS or w in _CLAUSE_WORDS
        stop = stop or w in _ASKING_WORDS  # "how fast is employment…"
        if stop or w in _TREND_WORDS:
            if words:
                break
            continue
        words.append(w)
    return words


def _modifies(word: str) -> bool:
    """Whether ``word``, typed before a name, is a word of its own that makes it another name
    ("film" editors), not a word of the sentence ("do", "most", "the")."""
    plain = (lexicon.STOPWORDS, lexicon.GENERIC, _CLAUSE_WORDS, _QUANTIFIERS)
    return bool(word) and _is_word(word) and not any(word in words for words in plain)


def _shared_start(a: str, b: str) -> int:
    """How many letters ``a`` and ``b`` share at their start."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _role_of(title: str) -> str:
    from .ingest import role_of  # ingest imports this module

    return role_of(title)


def _is_word(word: str) -> bool:
    """Whether ``word`` is an English word, not a typo ("senoir techs" are senior techs)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= 2.0


def is_person_noun(word: str) -> bool:
    """Whether ``word`` reads as a person or occupation noun by its ending."""
    w = singular(word.lower())
    if w in _SHORT_PEOPLE:
        return True
    return len(w) >= 4 and w not in _NOT_PERSON and bool(_PERSON_ENDING.search(w))


def _is_worker(word: str) -> bool:
    """Whether ``word`` names a kind of worker ("assistant", "tech")."""
    return word in _KIND_HEADS or is_person_noun(word)


_FIELD_ENDINGS = ("ic", "ics", "ing", "ism", "ogy", "ry")
_EVERYDAY = 3.0  # zipf frequency of words too common to be a clipped name ("photo" 4.6; "photog" 2.1)
# words of degree that stand where a noun might ("are super in demand", "is hella busy")
_DEGREE_WORDS = frozenset({"super", "pretty", "really", "very", "quite", "hella", "mega", "totally", "kinda"})


def split_names(title: str) -> list[tuple[str, ...]]:
    """The occupations a coordinated title names, each as name tokens.

    "Plumbers, Pipefitters, and Steamfitters" → plumber | pipefitter | steamfitter;
    "Securities, Commodities, and Financial Services Sales Agents" → the last part's head noun
    completes the others ("securities agent").
    """
    parts = [p.strip() for p in _SPLIT_PARTS.split(title) if p.strip()]
    names = [_clean(name_tokens(p)) for p in parts]
    names = [n for n in names if n]
    if not names:
        return []
    head = names[-1][-1]
    out: list[tuple[str, ...]] = []
    for n in names:
        if is_person_noun(n[-1]):
            out.append(n)
        else:
            out.append((*n, head))
    return out


def asked_phrases(question: str) -> Iterator[tuple[int, list[str]]]:
    """Each phrase in a slot where questions name who or what they ask about, and the slot
    ("interior design" of "the outlook for interior design"; "mason" of "does a mason make")."""
    text = question.lower()
    for m in _SLOT_BEFORE.finditer(text):
        slot = next(i for i, g in enumerate(m.groups()) if g)
        if slot == _SLOT_FOR and not set(lexicon.words(text[: m.start()])[-4:]) & _FOR_TOPICS:
            continue  # "design furniture for manufacturers": whom the work is for, not who is asked
        # "a sommelier's salary": the sommelier
        tokens = [w.removesuffix("'s") for w in lexicon.words(m.group(slot + 1)) if "-" not in w]
        # "how fast are actuary jobs growing": the words just before "jobs"; "is veterinarian
        # a growing career": the first ones
        runs = [_run(tokens[::-1])[::-1], _run(tokens)] if slot in _SLOT_ENDS_PHRASE else [_run(tokens)]
        for words in runs:
            while words and words[-1] in _PAY_WORDS:  # "actuary median salary"
                words.pop()
            if words and words[-1] not in _DEGREE_WORDS:
                yield slot, words


@dataclass(frozen=True)
class Mention:
    """An occupation named in a question and the guides it names (none: no guide covers it)."""

    phrase: str
    slugs: frozenset[str]
    # set against a guide's own kind in so many words ("court reporters? not news reporters")
    against: bool = False


class OccupationIndex:
    """Names of the guides' occupations and lookup of the ones a question names."""

    def __init__(
        self,
        guides: Sequence[tuple[str, str, str]],
        meaning: Callable[[str, str], float] | None = None,
        alike: Callable[[str, str], float] | None = None,
        listed: Iterable[str] = (),
        known: Iterable[str] = (),
    ) -> None:
        """``guides``: (slug, title, text of headings and opening paragraphs) per guide;
        ``meaning(phrase, slug)``: how near a phrase means to a guide's names (cosine), if known;
        ``alike(a, b)``: how near two words mean (cosine), if known; ``listed``: occupations the
        guides name as other than theirs (their "Similar Occupations"); ``known``: job titles of
        occupations the world knows that are none of the guides' (see ``known.py``)."""
        self.meaning = meaning
        self.alike = alike
        self.names: dict[str, set[tuple[str, ...]]] = {}  # stemmed, for matching
        self.phrases: dict[str, set[tuple[str, ...]]] = {}  # as written (singular), for display
        self.heads: dict[str, set[str]] = {}
        self.vocab: dict[str, frozenset[str]] = {}  # each guide's words, singular
        self.people: dict[str, dict[str, int]] = {}  # person nouns of each guide's prose → count
        self.whole: dict[str, tuple[str, ...]] = {}  # each title's name as one phrase
        self.prose: dict[str, str] = {}  # each guide's words, singular, in order (for phrases)
        for slug, title, text in guides:
            tokens = [w for w in lexicon.words(text.replace("&", " and ")) if "-" not in w]
            self.vocab[slug] = frozenset(singular(w) for w in set(tokens))
            # as name_tokens() reads it, in one pass (~0.5 s less to load 300 guides)
            self.prose[slug] = (
                f" {' '.join(singular(p) for w in tokens for p in ABBREVIATIONS.get(w, w).split())} "
            )
            self.whole[slug] = _clean(name_tokens(_role_of(title)))
            self.people[slug] = _people_in(text)
            self.phrases[slug] = set(self._names(title, text, slug))
        # "lineman": unless another guide's own word begins the same ("fireman" beside firefighters)
        words = {w for ps in self.phrases.values() for p in ps for w in p}
        for slug, ps in self.phrases.items():
            for (word,) in _compounds(ps, self.whole[slug]):
                stem = word.removesuffix("man")
                if not any(w.startswith(stem) and w != stem and w not in self.whole[slug] for w in words):
                    ps.add((word,))
        for slug, ps in self.phrases.items():
            self.names[slug] = {tuple(lexicon.stem(w) for w in n) for n in ps}
        for slug, names in self.names.items():
            for n in names:
                self.heads.setdefault(n[-1], set()).add(slug)
        for slug, names in self.names.items():
            # a lone word that heads other guides' names too ("technician") names none of them
            self.names[slug] = {n for n in names if len(n) > 1 or len(self.heads[n[-1]]) == 1}
            self.phrases[slug] = {
                p for p in self.phrases[slug] if len(p) > 1 or len(self.heads[lexicon.stem(p[-1])]) == 1
            }
        self.by_word: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # name word → (guide, name)
        for slug, names in self.names.items():
            for n in names:
                for w in set(n):
                    self.by_word.setdefault(w, []).append((slug, n))
        self.head_words = sorted({n[-1] for names in self.names.values() for n in names})
        self.all_words: frozenset[str] = frozenset().union(*self.vocab.values())  # any guide's
        self.raw_heads = sorted({p[-1] for ps in self.phrases.values() for p in ps}, key=len, reverse=True)
        self._sorted_heads = sorted(self.raw_heads)
        self.guide_count = max(1, len(self.names))
        self.name_words = sorted({w for ps in self.phrases.values() for p in ps for w in p})
        self._name_word_set = frozenset(self.name_words)
        self._before_name_word: dict[str, set[tuple[str, ...]]] = {}  # word → the words before it
        for ps in self.phrases.values():
            for p in ps:
                for k, w in enumerate(p):
                    self._before_name_word.setdefault(w, set()).add(p[:k])
        self._heads_by_start: dict[str, list[str]] = {}  # a head's first four letters → heads
        for h in self.raw_heads:
            if _AGENT_ENDING.search(h):
                self._heads_by_start.setdefault(h[:4], []).append(h)
        counts: dict[str, int] = {}
        for names in self.names.values():
            for w in {w for n in names for w in n}:
                counts[w] = counts.get(w, 0) + 1
        self.name_guides = counts  # name word (stemmed) → how many guides' names use it
        self.idf = {w: math.log(1 + self.guide_count / c) for w, c in counts.items()}
        self._title_stems = [frozenset(lexicon.stem(w) for w in words) for words in self.whole.values()]
        self.others = self._others(listed)
        # the titles of ``known`` kept, as written (a title the guides list too stays theirs:
        # "Lawyers" of a Similar Occupations table), and by their first three letters
        listed_entries = {e for more in self.others.values() for e in more.values()}
        self.known: set[str] = set()
        self._known_by_start: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for first, more in self._others(known, known=True).items():
            for name, entry in more.items():
                if entry not in listed_entries and name not in self.others.get(first, {}):
                    self.others.setdefault(first, {})[name] = entry
                    self.known.add(entry)
                    self._known_by_start.setdefault(first[:3], []).append((name, entry))
        self.other_words = sorted({w for names in self.others.values() for n in names for w in n})

    @staticmethod
    def _names(title: str, text: str, slug: str = "") -> Iterable[tuple[str, ...]]:
        role = _role_of(title)
        yield from split_names(role)
        if slug:  # the file name is a name its owner gave the guide ("adult-literacy-and-ged-teachers")
            yield from (n for n in split_names(_role_of(slug.replace("-", " "))) if is_person_noun(n[-1]))
        whole = _clean(name_tokens(role))
        if whole:
            yield whole
        title_words = set(whole)
        for line in text.split("\n"):
            line = line.strip().rstrip("?.:")
            for part in line.split(": "):
                m = _BECOME.match(part) or _WHAT_DO.match(part)
                if m and not m.group(1).lower().startswith("they"):
                    yield from split_names(m.group(1))
        for m in _AKA.finditer(text):
            for words in split_names(m.group(1)):
                while words and not is_person_noun(words[-1]):
                    words = words[:-1]
                if words:
                    yield words
        for m in _ACRONYM_DEF.finditer(text):
            # the words just before "(LPNs)" spell it out: "licensed practical nurses (LPNs)"
            acronym = m.group(1)
            letters = acronym.rstrip("s").lower()
            if letters in lexicon.STOPWORDS:
                continue  # "health information technology (IT)": typed lowercase, "it" is no name
            before = [w for w in lexicon.words(text[max(0, m.start() - 120) : m.start()]) if "-" not in w]
            tail = before[-len(letters) :] if len(before) >= len(letters) else []
            if [w[0] for w in tail] != list(letters):
                continue
            expanded = _clean(singular(w) for w in tail)
            if title_words and len(set(expanded) & title_words) * 2 >= len(expanded):
                yield (singular(acronym.lower()),)

    def _others(self, listed: Iterable[str], known: bool = False) -> dict[str, dict[tuple[str, ...], str]]:
        """The occupations the guides list as others that no guide names as its own, as name
        tokens by their first word → as written ("Physician Assistants"). ``known``: titles
        from outside the guides, where a title all of whose words one guide's name has is that
        guide's ("truck driver" of Heavy and Tractor-trailer Truck Drivers)."""
        own = {n for names in self.phrases.values() for n in names}
        titles = set(self.whole.values())
        out: dict[str, dict[tuple[str, ...], str]] = {}
        from .known import lone_kinds, title_heads

        # of titles from outside the guides, a word that heads several of the index's titles is
        # a kind of worker whatever its ending ("architect", "surgeon"), and so is one that
        # stands alone first in an occupation's listing ("paralegals")
        heads = title_heads() | lone_kinds() if known else frozenset()

        def worker(word: str) -> bool:
            return _is_worker(word) or word in heads

        for entry in dict.fromkeys(listed):
            parts = [p for p in _SPLIT_PARTS.split(entry) if _clean(name_tokens(p))]
            if _clean(name_tokens(_role_of(entry))) in titles:
                continue  # a guide of the corpus ("Paralegals and Legal Assistants")
            names = [_clean(name_tokens(p)) for p in parts]
            if known and not all(n and worker(n[-1]) for n in names):
                # a modifier alone goes with the words after the next part's first ("Dental and
                # ophthalmic laboratory technicians…": dental laboratory technician); else it is
                # one title, not a listing ("Elevator Repair and Maintenance Technician")
                parts, names = _folded(parts, names)
                if not all(n and worker(n[-1]) for n in names):
                    parts, names = [entry], [_clean(name_tokens(entry))]
            later = zip(names[1:], parts[1:], strict=True)
            if not all(worker(n[-1]) or self._lone_kind(n, p) for n, p in later):
                continue  # a title turned round ("Painters, Construction and Maintenance")
            people = any(worker(n[-1]) for n in names)
            # the first name is one kind of worker alone ("Physicians")
            first = len(names[0]) == 1 and _plural(parts[0]) and worker(names[0][0])
            for k, (part, name) in enumerate(zip(parts, names, strict=True)):
                plural = _plural(part)
                # a kind of worker ("Physician Assistants", "Chefs" of "Chefs and Head Cooks", the
                # "Paralegals" beside "Legal Assistants"); a lone word after the first is a head
                # whose modifier comes once for all ("Veterinary Technologists and Technicians"),
                # unless the first is a lone kind of worker too and no guide's names end in it
                # ("Physicians and Surgeons"; not "Producers and Directors"); one before it no
                # name ("Elevator and Escalator…")
                after = k > 0 and not (first and self._lone_kind(name, part))
                lone = len(name) == 1 and (after or not plural)
                if known and lone and after and len(names[0]) > 1:
                    # of a title from outside the guides, the modifier of the first
                    # ("Veterinary Technologists and Technicians": veterinary technician)
                    name, lone = (*names[0][:-1], *name), False
                if name in own or lone or not (worker(name[-1]) or (plural and people)):
                    continue
                if known and (not worker(name[-1]) or self._within_own(name)):
                    continue
                out.setdefault(name[0], {})[name] = entry
                if known and k > 0 and len(names[0]) > 2 and len(name) > 1:
                    # a first part's modifier of several words goes with a later head too ("Real
                    # estate brokers and sales agents": real estate agent)
                    shared = (*names[0][:-1], name[-1])
                    if shared not in own and not self._within_own(shared):
                        out.setdefault(shared[0], {}).setdefault(shared, entry)
        return out

    def _headed(self, head: str) -> Iterator[tuple[str, ...]]:
        """The guides' names (stemmed) that end in the stem ``head``."""
        return (n for slug in self.heads.get(head, ()) for n in self.names[slug] if n[-1] == head)

    def _own_modifier(self, word: str, head: str) -> bool:
        """Whether a guide's name has ``word`` before a head like ``head``."""
        stem = lexicon.stem(singular(word))
        return any(stem in n[:-1] for n in self._headed(lexicon.stem(head)))

    def _within_own(self, name: tuple[str, ...], titles: bool = False) -> bool:
        """Whether one guide's name ends in the head of ``name`` and has all its words (or, with
        ``titles``, one guide's title has them all: "aircraft mechanic" of Aircraft and Avionics
        Equipment Mechanics and Technicians)."""
        stems = {lexicon.stem(w) for w in name}
        if any(stems <= set(n) for n in self._headed(lexicon.stem(name[-1]))):
            return True
        return titles and any(stems <= title for title in self._title_stems)

    def _lone_kind(self, name: tuple[str, ...], typed: str) -> bool:
        """Whether a listed name is one plural word no guide's names end in ("Surgeons" of
        "Physicians and Surgeons"; not "Directors", "Aides")."""
        word = name[0] if len(name) == 1 else ""
        if not word or word in _KIND_HEADS:
            return False
        return _plural(typed) and lexicon.stem(word) not in self.heads

    def listed_other(
        self, question: str, skip: Callable[[int, int], bool] | None = None
    ) -> tuple[str, int, int] | None:
        """The longest occupation in ``question`` that a guide lists as another's and no guide
        names as its own ("physician assistant" beside Physicians and Surgeons), with its span
        in ``named()``'s tokens. Its head may be shortened ("pharmacy tech"); one word alone
        must stand alone ("chefs", not "film editors" beside a guide listing "Editors").
        ``skip(start, end)``: a title from outside the guides found there does not count."""
        pairs = typed_tokens(question)
        q = [self._listed_spelling(w) for w, _ in pairs]
        best: tuple[str, int, int] | None = None
        for i, tok in enumerate(q):
            for name, entry in self._others_from(tok):
                known = entry in self.known
                n = self._known_span(q, i, name) if known else self._listed_span(q, i, name)
                if not n:
                    continue
                # "film editors"; "not registered nurses" is no question about them (an index
                # title stays one with a modifier: "structural ironworkers")
                if (len(name) == 1 and not known and _modifies(pairs[i][1])) or pairs[i][1] in SET_ASIDE:
                    continue
                if known and i and self._own_modifier(q[i - 1], name[-1]):
                    continue  # "industrial maintenance mechanics": Industrial Machinery Mechanics'
                if known and skip is not None and skip(i, i + n):
                    continue
                if best is None or n > best[2] - best[1]:
                    best = (entry, i, i + n)
        return best

    def _others_from(self, token: str) -> Iterator[tuple[tuple[str, ...], str]]:
        """The listed names that begin with ``token``; of titles from outside the guides, also
        those whose first word it shortens ("vet" of "veterinary technician") or whose first two
        words it joins ("sheetmetal")."""
        yield from self.others.get(token, {}).items()
        if (
            len(token) >= 3
            and token not in lexicon.STOPWORDS  # "for" technicians are no forensic ones
            and token not in lexicon.SYNONYMS
            and token not in ABBREVIATIONS
        ):
            # ("car" is "automotive", no "cardiovascular")
            for name, entry in self._known_by_start.get(token[:3], ()):
                # (or its first two words typed as one: "sheetmetal")
                joined = len(name) > 2 and token == name[0] + name[1]
                if name[0] != token and (name[0].startswith(token) or joined):
                    yield name, entry

    def _listed_span(self, q: Sequence[str], i: int, name: tuple[str, ...]) -> int:
        """How many tokens from ``q[i]`` name ``name`` as written, its head perhaps shortened or
        its field."""
        seg = q[i : i + len(name)]
        if len(seg) < len(name) or seg[:-1] != list(name[:-1]):
            return 0
        last = seg[-1]
        short = len(name) > 1 and len(last) >= 4 and name[-1].startswith(last)
        # (or its field: "construction management" of Construction Managers)
        field = len(name) > 1 and self._field_of(q, i + len(name) - 1, name[-1])
        return len(name) if last == name[-1] or short or field else 0

    def _known_span(self, q: Sequence[str], i: int, name: tuple[str, ...]) -> int:
        """How many tokens from ``q[i]`` name a title from outside the guides: its words, each
        perhaps shortened ("dental lab tech"), or its first word and head alone when no guide's
        name or title has both ("diesel mechanic" of "diesel service mechanic"; not "medical
        assistant" of "medical records assistant") — but not the work its worker does
        ("maintenance work" is no maintenance worker)."""

        def word(typed: str, own: str) -> bool:
            return typed == own or (len(typed) >= 3 and own.startswith(typed))

        def head(typed: str, j: int) -> bool:
            work = name[-1] in (f"{typed}er", f"{typed}r")
            cut = len(name) > 1 and len(typed) >= 4 and name[-1].startswith(typed) and not work
            return typed == name[-1] or cut or (len(name) > 1 and self._field_of(q, j, name[-1]))

        def typed_from(at: int, words: tuple[str, ...]) -> bool:
            # ``words`` typed from ``q[at]`` on, each perhaps shortened, the head as head()
            seg = q[at : at + len(words)]
            return (
                len(seg) == len(words)
                and all(map(word, seg[:-1], words[:-1]))
                and head(seg[-1], at + len(seg) - 1)
            )

        if typed_from(i, name):
            return len(name)
        if len(name) > 2 and q[i] == name[0] + name[1] and typed_from(i + 1, name[2:]):
            return len(name) - 1  # its first two words typed as one ("sheetmetal workers")
        if (
            len(name) > 2
            and i + 1 < len(q)
            and q[i] == name[0]
            # (the whole phrase typed: "junior high teachers" are no high school algebra teachers)
            and (i == 0 or q[i - 1] in lexicon.STOPWORDS)
            and not self._within_own((name[0], name[-1]), titles=True)
        ):
            if head(q[i + 1], i + 1):
                return 2
            # or a title of three words with its middle one in other words, none of a guide's
            # names ("solar panel installer" of "Solar PV Installer"; not "certified nursing
            # assistant" of "Certified Medical Assistant" beside Nursing Assistants)
            middle = q[i + 1] if i + 2 < len(q) else ""
            other = bool(middle) and middle not in lexicon.STOPWORDS and middle not in self._name_word_set
            if len(name) == 3 and other and head(q[i + 2], i + 2):
                return 3
        return 0

    def _field_of(self, q: Sequence[str], j: int, head: str) -> bool:
        """Whether ``q[j]`` is the field that the worker ``head`` works in ("software engineering",
        "construction management"), not another kind of worker's ("engineering technicians") nor
        a field a guide's own name has with the words typed before it, or with words that mean
        much the same ("industrial painting" beside Painting and Coating Workers, "restaurant
        serving" beside Food and Beverage Serving Workers; not "data science" beside
        Environmental Science and Protection Technicians)."""
        word = q[j]
        if len(word) < 5 or not _FIELD_ENDING.search(word) or word == head:
            return False
        if word in lexicon.STOPWORDS or word in lexicon.GENERIC:
            return False  # "training" is no trainer, "working" no worker
        if word in lexicon.SYNONYMS and head not in lexicon.SYNONYMS[word].split():
            return False  # a word of everyday career talk, unless it means the worker ("management")
        if j + 1 < len(q) and _is_worker(q[j + 1]):
            return False
        if _shared_start(word, head) < max(4, len(word) - 4, len(head) - 4):
            return False
        # (last, as it may ask the model how near two words mean)
        typed = q[j - 1] if j and q[j - 1] not in lexicon.STOPWORDS else ""
        for before in self._before_name_word.get(word, ()):
            if set(before) <= set(q[:j]):
                return False
            if typed and self.alike is not None and self.alike(typed, " ".join(before)) >= MODIFIER_ALIKE:
                return False
        return True

    def _listed_spelling(self, word: str) -> str:
        """A misspelt word of a listed occupation ("electricains") as the listing spells it."""
        if not self.other_words or len(word) < 5 or word in self.others or _is_word(word):
            return word
        return lexicon.nearest_spelling(word, self.other_words, long_from=7) or word

    @staticmethod
    def told_after(question: str, asked: tuple[int, int], span: tuple[int, int]) -> bool:
        """Whether tokens ``span`` stand in a clause after that of tokens ``asked`` that tells of
        someone ("what's the pay for an accountant, i'm a bookkeeper now")."""
        clauses = _clauses(question)

        def where(i: int) -> int:
            return max(k for k, (first, _) in enumerate(clauses) if first <= i) if clauses else 0

        k = where(span[0])
        return k > where(asked[0]) and tells(clauses[k][1])

    @staticmethod
    def clause_of(question: str, span: tuple[int, int]) -> str:
        """The clause of ``question`` that tokens ``span`` stand in."""
        return next((clause for first, clause in reversed(_clauses(question)) if first <= span[0]), "")

    @staticmethod
    def in_question(question: str, span: tuple[int, int]) -> bool:
        """Whether tokens ``span`` of ``question`` (as ``named()`` counts them) are in a sentence
        that asks, not in a story told around it ("My brother is a fire inspector.", "I'm a
        receptionist at a law firm, how much do…")."""
        at = 0
        sentences = [p for s in _SENTENCE_END.split(question.strip()) for p in _STORY_BREAK.split(s)]
        for sentence in sentences:
            n = len(typed_tokens(sentence))
            if at <= span[0] < at + n:
                return len(sentences) == 1 or asks(sentence)
            at += n
        return True

    # -- lookup --------------------------------------------------------------------------
    def _score(
        self,
        q: Sequence[str],
        name: tuple[str, ...],
        raw: Sequence[str] = (),
        slug: str = "",
        before: Sequence[str] = (),
        question: str = "",
    ) -> tuple[float, int, int]:
        """Best match of ``name`` in question tokens ``q``: (idf of matched words, start, end).

        The name's head (last word) must be there; its other words may be left out or shortened
        ("computer research scientist", "rec therapist"), but the ones present keep their order.
        A shortened head needs one of them ("lead tech"; "make" is no "maker"). A word just before
        the match that the guide never uses names another occupation ("funeral director").
        """
        head = name[-1]
        best = (0.0, -1, -1)
        for end, tok in enumerate(q):
            shortened = tok != head
            if shortened and not (len(tok) >= 4 and head.startswith(tok)):
                continue
            score = self.idf.get(head, 1.0)
            start = end
            k = len(name) - 2
            i = end - 1
            while i >= 0 and k >= 0 and end - i <= 4:
                t = q[i]
                j = k
                while j >= 0 and not (t == name[j] or (len(t) >= 3 and name[j].startswith(t))):
                    j -= 1
                if j < 0:
                    break
                score += self.idf.get(name[j], 1.0)
                start, k, i = i, j - 1, i - 1
            if start == end and end and len(name) > 2 and self._initials_of(q[end - 1], name[:-1]):
                # the modifiers by their initials, typed as a word ("ot assistant")
                score += sum(self.idf.get(w, 1.0) for w in name[:-1])
                start = end - 1
            if start == end and shortened and not (end < len(raw) and self._clipped(raw[end])):
                continue
            # a lone head word shared by many guides ("manager") names none of them
            if start == end and len(name) > 1 and len(self.heads.get(head, ())) > 1:
                continue
            if before and self._foreign_modifier(before[start], slug, question):
                continue
            # the head alone after a word the guide uses elsewhere but never before it ("music"
            # therapists of the massage therapists' guide, which mentions music): it must mean
            # the same as the guide's own words before that head
            # ("forklift" operators of a guide that keeps talking of forklifts are its own)
            cut = start == end and len(name) > 1 and bool(before) and self._loose(before[start], slug)
            if (
                cut
                and self.prose.get(slug, "").count(f" {singular(before[start])} ") < MENTIONS
                and not self.says(f"{before[start]} {raw[end] if end < len(raw) else head}", slug)
                and self._unlike([before[start]], head, slug)
            ):
                continue
            if score > best[0]:
                best = (score, start, end + 1)
        if best[0] == 0.0 and len(name) > 1:
            # an abbreviation only this guide uses for itself ("HVAC" of "hvac technician")
            for i, tok in enumerate(q):
                if tok in name[:-1] and i < len(raw) and self._rare(tok, raw[i]):
                    best = (self.idf.get(tok, 1.0), i, i + 1)
        if best[0] == 0.0 and len(name) > 2:
            # the field without the person: "pest control", "operations research"
            for i in range(len(q) - 1):
                for j in range(len(name) - 2):
                    if q[i] == name[j] and q[i + 1] == name[j + 1]:
                        score = self.idf.get(name[j], 1.0) + self.idf.get(name[j + 1], 1.0)
                        if score > best[0]:
                            best = (score, i, i + 2)
        return best

    @staticmethod
    def _initials_of(token: str, words: Sequence[str]) -> bool:
        """Whether ``token`` is the initials of ``words`` ("ot": occupational therapy)."""
        return token not in lexicon.STOPWORDS and token == "".join(w[0] for w in words)

    def _clipped(self, typed: str) -> bool:
        """Whether ``typed`` is a guide's head word clipped as people clip it ("photogs",
        "chiros"): five letters or more, no everyday word ("account", "photo", "registered"),
        the start of that head alone."""
        word = singular(typed)
        if len(word) < 5 or word.endswith(_FIELD_ENDINGS):  # "esthetics" is the field, no one
            return False
        from wordfreq import zipf_frequency

        at = bisect.bisect_left(self._sorted_heads, word)
        found = list(itertools.takewhile(lambda h: h.startswith(word), self._sorted_heads[at : at + 2]))
        return len(found) == 1 and found[0] != word and zipf_frequency(word, "en") < _EVERYDAY

    def _foreign_modifier(self, word: str, slug: str, question: str = "") -> bool:
        """Whether ``word`` before an occupation name makes it another one ("dental" technician,
        "auto" mechanic, "TSA" officer)."""
        if not word or word in lexicon.STOPWORDS or word in GENERIC_MODIFIERS or word in GENERIC_PEOPLE:
            return False
        if word in _CLAUSE_WORDS:
            return False
        if not word.isalpha():
            return False
        if word in ABBREVIATIONS:  # "hr": "human resources", as the guide writes it
            return not self.says(word, slug)
        if len(word) <= 3 and word not in lexicon.SYNONYMS:
            # a short form: another occupation's only when typed as one the guide never spells
            # out ("TSA officer"); "PT assistants" has its guide's initials (a short everyday
            # word is read below: "car" mechanic is an automotive one)
            return self._foreign_short(word, question, slug)
        if singular(word) in self.vocab.get(slug, frozenset()):
            return False
        # an everyday word for a word of the guide's own names ("auto" mechanic: automotive)
        expansion = lexicon.SYNONYMS.get(word, "").split()
        return not any(w in p for p in self.phrases.get(slug, ()) for w in expansion)

    def _foreign_short(self, word: str, question: str, slug: str) -> bool:
        """Whether ``word`` (≤ 3 letters), typed as an acronym in ``question``, is a short form that
        guide ``slug`` neither uses nor has as the initials of one of its names."""
        if not re.search(rf"\b{re.escape(word.upper())}s?\b", question):
            return False
        if word in self.vocab.get(slug, frozenset()) or slug in self.by_initials(word):
            return False
        return not any(word in "".join(w[0] for w in p) for p in self.phrases.get(slug, ()))

    def _spell(self, word: str) -> str:
        """A misspelt name word ("libarian") as the guides spell it, a name word's feminine form
        ("actress", "waitress") as the guides' name word; other real words stay as they are."""
        if len(word) < 5 or word in self.name_words:
            return word
        if word.endswith("ess"):
            stem = word[:-3]
            forms = (stem, stem[:-1] + "or", stem[:-1] + "er") if stem.endswith("r") else (stem,)
            found = next((f for f in forms if f in self.name_words), None)
            if found:
                return found
        if _is_word(word):
            return word
        return self._misspelt(word) or word

    def _misspelt(self, word: str) -> str | None:
        """The guides' name word that ``word`` is a misspelling of, if any."""
        return lexicon.nearest_spelling(word, self.name_words, long_from=7)

    def _agent(self, word: str) -> str:
        """The head of a guide's names that does what ``word`` names as a field or activity
        ("drafting": drafter, "pharmacy": pharmacist, "dentistry": dentist); else ``word``."""
        if len(word) < 5 or word in self.name_words or not _FIELD_ENDING.search(word):
            return word
        if word in lexicon.STOPWORDS or word in lexicon.GENERIC or word in lexicon.SYNONYMS:
            return word  # "training" is no trainer, "working" no worker
        best, shared = word, 0
        for head in self._heads_by_start.get(word[:4], ()):
            n = _shared_start(word, head)
            if n >= max(4, len(word) - 4, len(head) - 4) and n > shared:
                best, shared = head, n
        return best

    def _rare(self, token: str, word: str) -> bool:
        """Whether ``token`` (the stem of ``word``) is a rare word only one guide's names use."""
        from wordfreq import zipf_frequency

        # counted once in __init__: a scan of every guide's names here cost a 300-guide index
        # ~15 s at load (section_kinds asks for each row label of every section)
        # a person noun ("tax preparers") names someone, not a word of another's name ("food preparation")
        return (
            self.name_guides.get(token, 0) == 1
            and len(word) >= 3
            and zipf_frequency(word, "en") < 2.5
            and not is_person_noun(word)
        )

    def named(self, question: str) -> tuple[frozenset[str], tuple[int, int] | None]:
        """Guides whose occupation the question names, best match only, and where it stands."""
        pairs = typed_tokens(question)
        before = tuple(b for _, b in pairs)  # the word typed before each token
        spelled = [self._spell(w) for w, _ in pairs]
        # a field alone names who works in it ("is pharmacy a good career"); before a kind of
        # worker it names another one ("pharmacy tech", "nursing assistant")
        raw = tuple(
            w if i + 1 < len(spelled) and _is_worker(spelled[i + 1]) else self._agent(w)
            for i, w in enumerate(spelled)
        )
        # a short form's plural ("RNs"; four letters and more singular as words do: "LPNs")
        raw = tuple(w[:-1] if len(w) == 3 and w[-1] == "s" and w[:-1] in self.by_word else w for w in raw)
        q = tuple(lexicon.stem(w) for w in raw)
        scores: dict[str, tuple[float, int, int]] = {}
        for slug, name in self._candidates(q):
            s = self._score(q, name, raw, slug, before, question)
            if s[0] > scores.get(slug, (0.0, -1, -1))[0]:
                scores[slug] = s
        if not scores:
            return frozenset(), None
        top = max(s[0] for s in scores.values())
        best = {slug for slug, s in scores.items() if s[0] >= top - 1e-9}
        # (of guides named as well at different places, the first place: the same answer
        # whatever order the names were found in)
        span = min(s[1:] for slug, s in scores.items() if slug in best)
        return frozenset(best), span

    def _candidates(self, q: Sequence[str]) -> set[tuple[str, tuple[str, ...]]]:
        """The (guide, name) pairs that share a word with the question (its head, or a shortened
        head), so a question costs what its words cost, not one pass over every guide."""
        found: set[tuple[str, tuple[str, ...]]] = set()
        heads = self.head_words
        for tok in set(q):
            found.update(self.by_word.get(tok, ()))
            if len(tok) >= 4:
                # the heads a token begins are neighbours in sorted order: found by bisection,
                # not by a pass over every head (section_kinds asks ~4,000 times at load)
                at = bisect.bisect_left(heads, tok)
                while at < len(heads) and heads[at].startswith(tok):
                    if heads[at] != tok:
                        found.update(self.by_word.get(heads[at], ()))
                    at += 1
        return found

    def mention(self, question: str) -> Mention | None:
        """The occupation a question asks about, when it names one (a guide's or another)."""
        slugs, _ = self.named(question)
        if slugs:
            return Mention("", slugs)
        return self._asked(question)

    def asked_subject(self, question: str) -> Mention | None:
        """The occupation the first question sentence asks about, when no other guide is named
        before it: the guides its own words name ("dietitians" of "what degree do dietitians
        need, i'm a nurse…"), or, when none does, the phrase alone if a guide is named after it
        in a clause of its own ("elevator mechanic" of "elevator mechanic salary? heard they make
        more than millwrights"). None for an acronym no guide has (explained elsewhere: "BMET
        pay? (biomedical equipment techs)")."""
        sentences = _SENTENCE_END.split(question.strip())
        # (one sentence is the question: "elevator mechanic salary, heard they make more")
        first = next(
            (s for s in sentences if _QUESTION.search(s)), sentences[0] if len(sentences) == 1 else ""
        )
        # the question after a story told in the same sentence asks, not the story ("i work as
        # a cashier at the mall, whats security guard pay like")
        *story, last = _STORY_BREAK.split(first)
        asked = self.someone_asked(last) if story else None
        if asked is None or not asked.phrase:
            story, last = [], first
            asked = self.someone_asked(first) if first else None
        if asked is None or not asked.phrase:
            return None
        at = re.search(r"\W+".join(re.escape(w) for w in asked.phrase.split()), last, re.I)
        if at is None:
            return None
        # a guide named before it keeps the question ("how does military pay work, is there a
        # median salary for soldiers?"), unless in a story told before it ("my massage therapist
        # told me to see an acupuncturist — how much do acupuncturists make?")
        *told, asking = _STORY_BREAK.split(last[: at.start()])
        told = [*story, *told]
        if self.named(asking)[0] or any(_QUESTION.search(t) and self.named(t)[0] for t in told):
            return None
        own = self.named(asked.phrase)[0]
        if not own and (asked.slugs or re.search(rf"\b{re.escape(asked.phrase.upper())}\b", first)):
            return None
        if any(self.named(t)[0] for t in told):
            return Mention("", own) if own else asked
        rest = question[question.find(last) + at.end() :]
        for part in _CLAUSE_BREAK.split(rest):
            other = self.named(part)[0]
            if other:
                # another option in a clause of its own ("my uncle is a plumber", "than
                # millwrights", "not IRS agents"), not a gloss of the phrase ("i mean actual
                # computer programmers", "(animal doctors)", "operator jobs in metal factories")
                bare = part.strip(" (")
                contrast = bool(_CONTRAST.match(bare))
                gloss = not contrast and (part.lstrip().startswith("(") or _GLOSS.match(bare))
                # (a clause of its own, too, when the index files the phrase's kind of worker under
                # another occupation: "videographer jobs? photography feels saturated")
                if gloss or not (_OWN_CLAUSE.search(part) or self.filed_elsewhere(asked.phrase, other)):
                    return None
                if contrast and (not own or (other == own and self._modified(asked.phrase, own))):
                    # "court reporters? not news reporters": a kind the guide's names are not,
                    # however near it means
                    return Mention(asked.phrase, frozenset(), against=True)
                return Mention("", own) if own else asked
        return None

    def _asked(self, question: str) -> Mention | None:
        """The occupation in a place where questions name who or what they ask about."""
        for slot, words in asked_phrases(question):
            head = words[-1]
            # "social worker", "xray tech": a plain head made an occupation by its modifier
            # (when no guide of that kind of worker uses its modifier, in full or joined up:
            # "maintenance tech" may well be a guide's own, "ag tech" or "semi conductor tech" too)
            mods = [w for w in words[:-1] if w not in GENERIC_MODIFIERS]
            kin = self._kin(singular(head))
            kind = (
                singular(head) in _KIND_HEADS
                and bool(mods)
                and all(len(w) > 2 and self._unused(w, kin) and _is_word(w) for w in mods)
                and self._unused("".join(mods), kin)
            )
            if not kind and (head in GENERIC_PEOPLE or singular(head) in GENERIC_PEOPLE):
                continue
            acronym = self._acronym(head, question)
            if acronym:  # "OTs" of occupational therapists; "CNAs" of no guide
                letters = acronym[:-1] if acronym.endswith("s") else acronym
                initials = self.by_initials(letters.lower())
                if initials:  # (in any slot: "the outlook for OTs")
                    return Mention("", initials)
                people = slot in _SLOT_PEOPLE
                if people and self._unused(letters.lower()) and self._unused(head):
                    return Mention(acronym, frozenset())
            if kind or is_person_noun(head):
                return Mention(" ".join(words), self._by_head(words, question))
            if slot == _SLOT_FIELD and all(self._unused(w) and not w.endswith("ly") for w in words):
                # a field no guide's own words name ("journalism"): another line of work
                return Mention(" ".join(words), frozenset())
        return None

    def filed_elsewhere(self, phrase: str, slugs: Iterable[str]) -> bool:
        """Whether the handbook's index files the kind of worker ``phrase`` names under an
        occupation none of guides ``slugs`` covers ("videographer", beside Photographers)."""
        from .known import filed_elsewhere

        words = name_tokens(phrase)
        return bool(words) and filed_elsewhere(words[-1], [" ".join(self.whole[s]) for s in slugs])

    def someone_asked(self, question: str) -> Mention | None:
        """The kind of worker in a place where questions name who they ask about, by its ending
        or as a word no guide uses ("sommeliers", "doulas"); None for people in general."""
        return self._asked(question) or self._unknown_noun(question)

    def _modified(self, phrase: str, slugs: frozenset[str]) -> bool:
        """Whether ``phrase`` has a word before its head that none of ``slugs``' names has."""
        words = name_tokens(phrase)
        names = {w for slug in slugs for p in self.phrases.get(slug, ()) for w in p}
        return any(w not in names and w not in GENERIC_MODIFIERS for w in words[:-1])

    def _unknown_noun(self, question: str) -> Mention | None:
        """A word no guide uses, in a slot of who earns or does the job, or after "pay for a"
        ("the pay for a birth doula"): someone without a guide, though no ending says so."""
        for slot, words in asked_phrases(question):
            head = words[-1]
            # "become a doula", "a doula's salary", "the pay for a doula"; not the words around
            # "… make", "… jobs" ("roughly what's the salary", "kinda flat")
            if slot not in _SLOT_NAMED and not (slot == _SLOT_FOR and _PAY_FOR.search(question)):
                continue
            if (
                len(head) >= 4
                and head.isalpha()
                and not head.endswith("ly")
                and head not in GENERIC_PEOPLE
                and singular(head) not in GENERIC_PEOPLE
                and self._unused(head)
                and _is_word(singular(head))
                # (a word for a guide's name typed wrong is no other occupation: "principle")
                and self._misspelt(singular(head)) is None
            ):
                return Mention(" ".join(words), frozenset())
        return None

    def by_initials(self, letters: str) -> frozenset[str]:
        """Guides with an occupation name of those initials ("ot": Occupational Therapists; a
        whole title before one of the names it lists, "operations technician")."""

        def initials(words: Sequence[str]) -> str:
            return "".join(w[0] for w in words)

        titled = frozenset(slug for slug, words in self.whole.items() if initials(words) == letters)
        return titled or frozenset(
            slug for slug, phrases in self.phrases.items() if any(initials(p) == letters for p in phrases)
        )

    @staticmethod
    def _acronym(word: str, question: str) -> str | None:
        """``word`` as written when the question writes it as an acronym ("CNAs", "an EMT")."""
        m = re.search(rf"\b({re.escape(word)})\b", question, re.I)
        if m is None:
            return None
        written = m.group(1)
        letters = written[:-1] if written.endswith("s") and written[:-1].isupper() else written
        short = 2 <= len(letters) <= 5 and letters.isupper() and letters.lower() not in ABBREVIATIONS
        return written if short else None

    def heads_a_name(self, phrase: str) -> bool:
        """Whether the phrase's last word is the head of some guide's occupation name ("tattoo
        artist" and the graphic artists guide): then its other words tell the occupations apart."""
        words = name_tokens(phrase)
        return bool(words) and lexicon.stem(words[-1]) in self.heads

    def says(self, phrase: str, slug: str) -> bool:
        """Whether guide ``slug``'s names, headings or opening words have ``phrase`` in so many words."""
        return f" {' '.join(name_tokens(phrase))} " in self.prose.get(slug, "")

    def uses(self, word: str, guides: Iterable[str]) -> bool:
        """Whether one of ``guides`` uses ``word`` in its names, headings or opening words."""
        return not self._unused(word, guides)

    def _unused(self, word: str, guides: Iterable[str] | None = None) -> bool:
        """Whether no guide's (or none of ``guides``') names, headings or opening words use ``word``."""
        if guides is None:
            return singular(word) not in self.all_words
        return all(singular(word) not in self.vocab.get(slug, ()) for slug in guides)

    def _kin(self, head: str) -> frozenset[str]:
        """Guides whose occupation names end in ``head`` or a longer form of it ("tech" →
        technician, technologist): the guides a "… tech" or "… worker" could belong to."""
        return frozenset(
            slug
            for slug, phrases in self.phrases.items()
            if any(p[-1] == head or p[-1].startswith(head) for p in phrases)
        )

    def _by_head(self, words: Sequence[str], question: str = "") -> frozenset[str]:
        """Guides whose names end in the phrase's head and whose text uses all its other words
        ("gym trainer": the fitness trainers guide says "gym"; "funeral director": none)."""
        head = singular(words[-1])
        if lexicon.stem(head) not in self.heads:
            # a compound of a known occupation ("biostatistician" of "statistician")
            # (not of a plain kind of worker: an "ironworker" is no food processing worker)
            head = next(
                (
                    h
                    for h in self.raw_heads
                    if len(h) >= 6 and head.endswith(h) and head != h and h not in _KIND_HEADS
                ),
                head,
            )
        found = frozenset(
            slug for slug in self.heads.get(lexicon.stem(head), ()) if self._fits(words, head, slug, question)
        )
        if found:
            return found
        # A kind of worker one guide's own prose keeps talking about ("yardmasters" in the
        # railroad guide): that guide, when it is the only one.
        talking = [
            slug
            for slug, people in self.people.items()
            if people.get(head, 0) >= MENTIONS and self._fits(words, head, slug, question)
        ]
        if len(talking) == 1:  # "locomotive engineer": the one guide that talks of both words
            return frozenset(talking)
        return frozenset()

    def _fits(self, words: Sequence[str], head: str, slug: str, question: str) -> bool:
        """Whether the modifiers of ``words`` (a phrase headed by ``head``) fit guide ``slug``'s
        kind of worker: none is foreign to it, and one it uses only elsewhere in its text (not in
        its names, nor just before the head) leaves the phrase meaning much the same."""
        mods = words[:-1]
        if any(self._foreign_modifier(m, slug, question) for m in mods):
            return False
        own = {w for p in self.phrases.get(slug, ()) for w in p}
        loose = [
            m
            for m in mods
            if m.isalpha()
            and m not in lexicon.STOPWORDS
            and m not in GENERIC_MODIFIERS
            and singular(m) not in own
            and not self.says(f"{m} {head}", slug)
        ]
        if not loose or self.meaning is None:
            return True
        near = self.meaning(" ".join(words), slug)
        # only just near: the modifier must mean what the guide's own does ("music" therapist
        # 0.56 Massage Therapists, but "music" is no "massage")
        # (one modifier of a word: "PR manager", "warehouse forklift operator" are left to meaning)
        alone = len(loose) == 1 and len(words) == 2 and len(loose[0]) > 3
        return near >= MODIFIED_NEAR and (
            near >= MODIFIED_SURE or not alone or not self._unlike(loose, head, slug)
        )

    def _unlike(self, mods: Sequence[str], head: str, slug: str) -> bool:
        """Whether modifiers standing where the guide's own names have theirs before ``head``
        mean something else ("music" for the "massage" of massage therapist)."""
        if self.alike is None:
            return False
        stem = lexicon.stem(singular(head))
        theirs = {
            " ".join(p[:-1])
            for p in self.phrases.get(slug, ())
            if p[:-1] and lexicon.stem(singular(p[-1])) == stem
        } - {""}
        mine = " ".join(mods)
        return (
            bool(theirs) and mine not in theirs and max(self.alike(mine, t) for t in theirs) < MODIFIER_ALIKE
        )

    def _loose(self, word: str, slug: str) -> bool:
        """Whether ``word`` could be a modifier of its own, not the guide's ("music")."""
        return (
            word.isalpha()
            and len(word) > 3  # (not a short form: "OT" assistants, "PR" manager)
            and word not in lexicon.STOPWORDS
            and word not in GENERIC_MODIFIERS
            and word not in GENERIC_PEOPLE
            and word not in _CLAUSE_WORDS
            and singular(word) not in {w for p in self.phrases.get(slug, ()) for w in p}
        )

    def neighbour(self, phrase: str, slug: str) -> bool:
        """Whether ``phrase`` names another kind of worker in guide ``slug``'s field: a word of
        its names before a head none of them has ("credit analyst" of Credit Counselors, "pharmacy
        aide" of Pharmacy Technicians); a plain worker's head names no kind ("plastics machine
        operator" is a metal and plastic machine worker)."""
        words = name_tokens(phrase)
        if len(words) < 2 or not _is_worker(words[-1]):
            return False
        phrases = self.phrases.get(slug, set())
        heads = {p[-1] for p in phrases}
        head = words[-1]
        same = any(h.startswith(head) or lexicon.stem(h) == lexicon.stem(head) for h in heads)
        if same or heads & _KIND_HEADS:
            return False
        field = {w for p in phrases for w in p[:-1]} - _NAME_STOP
        return any(w in field for w in words[:-1])

    def closest(self, phrase: str) -> str | None:
        """The guide whose names share most with ``phrase`` (for "the closest guide is ...")."""
        words = {lexicon.stem(w) for w in name_tokens(phrase)}
        best, best_score = None, 0.0
        for slug, names in self.names.items():
            score = max((sum(self.idf.get(w, 1.0) for w in words & set(n)) for n in names), default=0.0)
            if score > best_score:
                best, best_score = slug, score
        return best
