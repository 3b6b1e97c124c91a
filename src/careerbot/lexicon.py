"""Everyday career vocabulary mapped to the words career guides use.

People ask "what would I make?" where the guide says "salary", and "can I do it from home?"
where it says "remote". These are general career-guide terms, not tied to one guide, and
they only widen the lexical side of retrieval; dense retrieval sees the raw question.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import cache, lru_cache

import snowballstemmer

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having
    he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm
    i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not
    of off on once only or other ought our ours ourselves out over own same shan't she she'd
    she'll she's should shouldn't so some such than that that's the their theirs them themselves
    then there there's these they they'd they'll they're they've this those through to too under
    until up very was wasn't we we'd we'll we're we've were weren't what what's when when's
    where where's which while who who's whom why why's with won't would wouldn't you you'd
    you'll you're you've your yours yourself yourselves also just really much many get got gets
    getting like tell please know want need needs needed thing things kind lot lots sort way
    ways anything something someone somebody typical typically usually generally one ones us say
    says said give go going well actually will shall may might must use used uses using come
    comes came""".split()
)

# Words that name the topic of every question to a role guide; they carry no topical signal.
GENERIC = frozenset(
    """job jobs career careers role roles position work working person guide field profession
    occupation do doing does did be become becoming""".split()
)

# Chat fillers: everyday words that say nothing about the topic ("big deal", "these folks").
FILLERS = frozenset(
    """whats wat wats hey hi hello thanks thank ok okay yeah yes big deal picture right now stuff
    folks sorts sort anyone everyone someone somebody guy guys gig basically honestly kinda
    sorta gonna wanna gotta lol pls plz these days place end bit quite pretty even still ever list
    explain describe mention mentioned nice""".split()
)

# everyday word or phrase → guide vocabulary it stands for
SYNONYMS: dict[str, str] = {
    "earn": "salary earners wage pay",
    "earning": "salary earners wage pay",
    "make": "salary wage pay",
    "pay": "salary wage pay",
    "paid": "salary wage pay",
    "wage": "salary wage pay",
    "income": "salary wage pay",
    "money": "salary wage pay",
    "compensation": "salary wage pay",
    "paycheck": "salary",
    "salary": "salary earners wage pay",
    "much": "",
    "rich": "salary",
    "starting": "entry-level junior",
    "start": "entry-level junior",
    "beginner": "entry-level junior beginners",
    "newbie": "entry-level junior beginners",
    "rookie": "entry-level junior beginners",
    "graduate": "entry-level junior",
    "junior": "junior entry-level",
    "entry": "entry-level junior",
    "intermediate": "mid-level",
    "mid": "mid-level",
    "midlevel": "mid-level",
    "experienced": "senior experience",
    "veteran": "senior",
    "seniors": "senior senior-level",
    "senior": "senior senior-level",
    "top": "top 10%",
    "highest": "top 10%",
    "best": "top",
    "remote": "remote on-site remotely",
    "remotely": "remote on-site",
    "home": "remote on-site remotely",
    "wfh": "remote on-site remotely",
    "hybrid": "remote on-site",
    "office": "on-site setting",
    "degree": "education degree diploma associate",
    "college": "education college associate degree",
    "university": "education degree",
    "school": "education school diploma",
    "study": "education training programs",
    "studies": "education",
    "qualification": "education qualifications certifications",
    "qualifications": "education qualifications certifications",
    "course": "courses training education",
    "courses": "courses training education",
    "certificate": "certification certifications",
    "certificates": "certification certifications",
    "cert": "certification certifications",
    "certs": "certification certifications",
    "credential": "certification certifications credentials",
    "credentials": "certification certifications",
    "license": "certification certifications license licensed licensure",
    "licence": "certification certifications license licensed licensure",
    "tool": "tools tech stack",
    "tools": "tools tech stack",
    "gadgets": "tools tech stack equipment",
    "gear": "tools tech stack equipment",
    "software": "software tech stack systems",
    "equipment": "tools equipment tech stack",
    "technology": "tech stack technologies",
    "tech": "technology technological",
    "hours": "shift schedule balance on-call",
    "schedule": "shift schedules balance",
    "weekend": "shift on-call balance",
    "weekends": "shift on-call balance",
    "night": "shift on-call",
    "nights": "shift on-call",
    "overtime": "overtime shift on-call",
    "stressful": "stress pressure",
    "stress": "stress pressure",
    "pressure": "stress pressure",
    "burnout": "stress balance",
    "hard": "challenges demanding",
    "difficult": "challenges demanding",
    "tough": "challenges demanding",
    "challenge": "challenges",
    "challenges": "challenges",
    "promote": "advance progression advancement",
    "promoted": "advance progression advancement",
    "promotion": "advance progression advancement",
    "advance": "advance progression",
    "climb": "advance progression tiers",
    "beyond": "beyond progression",
    "ladder": "career path tiers",
    "levels": "tiers level",
    "level": "tier level",
    "stage": "tier level",
    "stages": "tiers",
    "demand": "demand market",
    "hiring": "demand market opportunities",
    "prospects": "outlook demand growth",
    "future": "outlook growth trends",
    "outlook": "outlook growth projected employment",
    "growing": "growth rate grow projected employment",
    "growth": "growth rate grow projected employment",
    "abroad": "global international",
    "overseas": "global international",
    "international": "global international",
    "internationally": "global international",
    "worldwide": "global",
    "country": "global countries regions",
    "countries": "global countries regions",
    "daily": "day life morning afternoon",
    "day": "day life",
    "routine": "day life",
    "morning": "morning",
    "afternoon": "afternoon",
    "telecom": "telecommunications",
    "phone": "telecommunications",
    "factory": "manufacturing plant",
    "plant": "plant manufacturing",
    "body": "physical",
    "physical": "physical",
    "physically": "physical",
    "figure": "source data",
    "statistic": "source data",
    "stats": "source data",
    "smoothly": "efficiency",
    "efficient": "efficiency",
    "stale": "updated",
    "date": "updated",
    "updated": "updated",
    "current": "updated",
    "auto": "automotive",
    "car": "automotive",
    "cars": "automotive",
    "move": "advance progression",
    "lunch": "afternoon noon",
    "evening": "evening late afternoon",
    "mistake": "mistakes",
    "mistakes": "mistakes",
    "pitfall": "mistakes",
    "pitfalls": "mistakes",
    "avoid": "mistakes",
    "tip": "advice tips",
    "tips": "advice tips",
    "advice": "advice",
    "succeed": "advice",
    "success": "advice",
    "downside": "cons",
    "downsides": "cons",
    "drawback": "cons",
    "drawbacks": "cons",
    "negatives": "cons",
    "bad": "cons",
    "upside": "pros",
    "upsides": "pros",
    "benefit": "pros",
    "benefits": "pros",
    "perks": "pros",
    "good": "pros",
    "duties": "responsibilities",
    "duty": "responsibilities",
    "tasks": "responsibilities tasks",
    "responsible": "responsibilities",
    "boss": "lead supervise",
    "manage": "lead supervise team management",
    "managing": "lead supervise team management",
    "team": "team",
    "years": "experience years",
    "experience": "experience years",
    "long": "experience years",
    "environment": "work setting",
    "workplace": "work setting",
    "conditions": "work setting",
    "dangerous": "safety hazardous",
    "danger": "safety hazardous",
    "safe": "safety",
    "skills": "skills",
    "abilities": "skills abilities",
    "people": "soft skills communication",
    "portfolio": "portfolio",
    "resume": "portfolio",
    "cv": "portfolio",
    "example": "examples case studies",
    "examples": "examples case studies",
    "story": "case studies examples",
    "stories": "case studies examples",
    "industries": "industries employ",
    "industry": "industries",
    "sectors": "industries",
    "companies": "industries employ",
    "hire": "employ industries",
    "employ": "employ industries",
    "basically": "overview",
    "overview": "overview",
    "summary": "overview",
    "describe": "overview",
    "handle": "responsibilities",
    "expect": "responsibilities",
    "expected": "responsibilities",
    "know-how": "skills",
    "knowhow": "skills",
    "basics": "foundational skills",
    "fundamentals": "foundational skills",
    "harder": "advanced",
    "advanced": "advanced",
    "schooling": "education",
    "education": "education",
    "management": "managerial manager management",
    "manager": "managerial manager",
    "major": "fields study",
    "travel": "travel",
    "crew": "team",
    "stand": "stand",
    "desk": "office setting on-site",
    "trade": "vocational technical",
    "workers": "staff team",
    "staff": "staff",
    "percent": "%",
    "percentage": "%",
    "workday": "day life",
    "scratch": "path entry-level apprenticeships",
    "break": "path entry-level",
    "started": "path entry-level",
    "non-technical": "soft skills",
    "nontechnical": "soft skills",
    "technical": "tech",
    "interpersonal": "soft skills",
    "trends": "trends",
    "heading": "trends future",
    "headed": "trends future",
    "direction": "trends",
    "ai": "automation",
    "robots": "automation robotics",
    "automation": "automation",
    "certified": "certification",
    "learn": "training education learning",
    "learning": "training learning",
    "training": "training",
}


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


_TOKEN = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*%?")


def words(text: str) -> list[str]:
    """Lowercase word tokens, hyphenated words kept whole and also split."""
    out: list[str] = []
    for tok in _TOKEN.findall(text.lower().replace("’", "'")):
        out.append(tok)
        if "-" in tok:
            out.extend(tok.split("-"))
    return out


_stem_lock = threading.Lock()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    with _stem_lock:  # one shared Snowball stemmer; it keeps state while it works
        stemmed: str = _stemmer().stemWord(word)
        return stemmed


def terms(text: str) -> list[str]:
    """Stemmed content terms (stopwords dropped) for lexical matching."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def content_words(text: str) -> list[str]:
    """Words that carry the question's topic: not stopwords, not generic role words."""
    return [
        w
        for w in words(text)
        if w not in STOPWORDS and w not in GENERIC and w not in FILLERS and not any(c.isdigit() for c in w)
    ]


def expand(text: str, synonyms: bool = True) -> list[str]:
    """Stemmed terms of ``text`` plus those of the guide words its everyday words stand for."""
    out = [stem(w) for w in words(text) if w not in STOPWORDS and w not in GENERIC and w not in FILLERS]
    if not synonyms:
        return out
    for w in words(text):
        extra = SYNONYMS.get(w)
        if extra:
            out.extend(terms(extra))
    return out


def known_words() -> frozenset[str]:
    """Everyday words the lexicon understands (for the scope gate)."""
    return frozenset(SYNONYMS)


# Chat shorthand → plain words, applied to a message before anything reads it ("do u need to be
# good w computers" → "do you need to be good with computers"). Empty: a tone word to drop.
CHAT_SHORTHAND: dict[str, str] = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "w": "with",
    "w/": "with",
    "w/o": "without",
    "tho": "though",
    "thru": "through",
    "pls": "please",
    "plz": "please",
    "ppl": "people",
    "yr": "year",
    "yrs": "years",
    "mo": "month",
    "mos": "months",
    "wat": "what",
    "wut": "what",
    "whats": "what is",
    "hows": "how is",
    "bc": "because",
    "cuz": "because",
    "cos": "because",
    "rn": "right now",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "have to",
    "kinda": "kind of",
    "sorta": "sort of",
    "dont": "don't",
    "doesnt": "doesn't",
    "cant": "can't",
    "isnt": "isn't",
    "im": "I'm",
    "ive": "I've",
    "id": "I'd",
    "yea": "yes",
    "yeah": "yes",
    "nah": "no",
    "thx": "thanks",
    "ty": "thanks",
    "abt": "about",
    "b4": "before",
    "2day": "today",
    "smth": "something",
    "sth": "something",
    "ngl": "",
    "tbh": "",
    "tbf": "",
    "lol": "",
    "lmao": "",
    "fr": "",
    "imo": "",
    "drying up": "demand growth",
    "imho": "",
    "idk": "",
    "btw": "",
    "fyi": "",
    "irl": "",
    "omg": "",
    "pretty much": "",
    "real talk": "",
    "be honest": "",
}
_SHORTHAND = re.compile(
    r"(?<![\w/])("
    + "|".join(re.escape(k) for k in sorted(CHAT_SHORTHAND, key=len, reverse=True))
    + r")(?![\w/])",
    re.IGNORECASE,
)


def plain_words(text: str) -> str:
    """``text`` with chat shorthand spelled out and tone words dropped."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(1)
        if len(word) == 1 and (word.isupper() or text[m.end() : m.end() + 1] == "."):
            return word  # "U.S.", "R" (the language): a letter, not shorthand
        if len(word) > 1 and word.isupper() and not text.isupper():
            return word  # "RN" in a typed sentence is an abbreviation ("rn" is "right now")
        return CHAT_SHORTHAND[word.lower()]

    out = _KEY_TYPO.sub(lambda m: respelled(m.group(0)), _SHORTHAND.sub(swap, text))
    out = _ISH.sub(r"\1", out)  # "new-ish", "30-ish": the word itself
    return re.sub(r"\s{2,}", " ", out).strip(" ,")


_ISH = re.compile(r"\b(\w+)-ish\b", re.I)
# The words that say what a question asks for (pay, growth, schooling): a misspelling of one
# ("salery", "outlok") would hide the question's intent. Only these are respelled: correcting
# every word against the guides' vocabulary did not earn its place (docs/evaluation.md).
KEY_WORDS = (
    "salary salaries wage wages income paycheck outlook growth growing demand degree diploma "
    "certificate certification education schooling experience training apprenticeship license"
).split()
_KEY_TYPO = re.compile(r"\b[a-z]{5,}\b", re.I)


@lru_cache(maxsize=4096)
def respelled(word: str) -> str:
    """``word``, or the key word it misspells ("salery" → "salary"); real words stay as typed."""
    from wordfreq import zipf_frequency

    low = word.lower()
    if low in KEY_WORDS or zipf_frequency(low, "en") >= 1.0:
        return word
    return nearest_spelling(low, KEY_WORDS, long_from=8) or word


def nearest_spelling(word: str, choices: Sequence[str], long_from: int) -> str | None:
    """The one of ``choices`` that ``word`` misspells: one edit away (two from ``long_from``
    letters on, transpositions counting one), else None."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = 1 if len(word) < long_from else 2
    match = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
    return match[0] if match else None
