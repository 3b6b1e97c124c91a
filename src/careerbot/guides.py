"""The guides of a snapshot by name: titles, slugs and roles for ``guide=``, the occupations each
guide names itself by, and which of them a question names (by words, spelling or meaning)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence

import inflection
import numpy as np

from . import lexicon
from .encoder import Encoder
from .errors import QuestionError
from .facts import similar_occupations
from .ingest import PATH_SEP, Chunk
from .ingest import role_of as _role_of
from .known import other_titles, titles_of_guides
from .occupations import (
    SET_ASIDE,
    Mention,
    OccupationIndex,
    asked_phrases,
    asks,
    is_person_noun,
    name_tokens,
    singular,
)

ROLE_STAND_IN = "someone in this job"
# An occupation named in other words is a guide's when its name means the same: "loggers" and
# Logging Workers 0.74, "waiter" and Waiters and Waitresses 0.80; "zookeeper" and Zoologists 0.65
# and "sommelier" and Bartenders 0.39 are other occupations (all-MiniLM-L6-v2 cosine).
SAME_OCCUPATION = 0.70
SAME_OCCUPATION_SHARED_HEAD = 0.80
# The guide named as the closest to an occupation without one: by meaning when some guide's
# names come this near ("sommelier" 0.39 Bartenders), else by shared name words.
CLOSEST_FLOOR = 0.35


def _name_regex(phrase: str) -> str:
    """An occupation name as a pattern: any plural, and a multiword name's last word shortened
    ("lead tech" for "lead technician")."""
    words = phrase.split()
    last = re.escape(words[-1])
    if len(words) > 1 and len(words[-1]) > 6:
        last = f"(?:{last}|{re.escape(words[-1][:4])})"
    return r"\W+(?:and\W+|or\W+)?".join([*(re.escape(w) for w in words[:-1]), last + r"(?:e?s)?"])


# "…? not the engineers", ", not heavy equipment": what follows a "not" that starts a clause,
# up to the clause's end; "not a nurse yet" tells of the person
_RULED_OUT = re.compile(
    r"(?:^|[,.;:?!(\u2014\u2013]|\s-)\s*not\s+(?!an?\s)(?:the\s+|just\s+|for\s+)?"
    r"([a-z][a-z /&'-]{1,40}?)\s*(?=[.,;:?!)]|\bbut\b|\bor\b|$)",
    re.I,
)
_LEVELS = frozenset("lead senior junior entry mid level head chief principal staff".split())
_INITIALS = re.compile(r"\b([A-Z]{2,5})s?\b")  # "RN", "LPNs": a short form as typed
# what a story says the person aims to become ("…but want to be an EMT/paramedic", "thinking of
# switching to x-ray tech", "says I'd make a great hygienist"), up to the end of its clause
_AIM = re.compile(
    r"\b(?:(?:want(?:s|ed)?|wanna|trying|try|plan(?:s|ning)?|hop(?:e|es|ing)|going|gonna|decided)\s+"
    r"(?:to\s+)?(?:be|become)|should\s+(?:be|become)|becoming|switch(?:ing)?\s+(?:over\s+)?to|"
    r"mov(?:e|ing)\s+(?:up\s+)?(?:in)?to|transition(?:ing)?\s+(?:in)?to|make\s+an?\s+(?:great|good)|"
    r"train(?:ing)?\s+(?:to\s+be|as)|study(?:ing)?\s+to\s+be|"
    # "go back to school to be a dietitian", "to become one", "start out as a pharmacy tech"
    r"(?:school|college|classes|training|program)\s+to\s+(?:be|become)|to\s+become|"
    r"start(?:ing)?\s+(?:out\s+|off\s+)?as)\s+(?:an?\s+|the\s+)?",
    re.I,
)
# a clause telling of someone's job as it is ("i'm a", "i work as", "my son is a", "been a")
_PRESENT_JOB = re.compile(
    r"\b(?:i'?m|i am|im|i work|work(?:ing|s)? as|been|(?:my|his|her|our) \w+(?: \w+)? (?:is|was)|"
    r"(?:he|she)(?:'s| is| was))\b",
    re.I,
)
_PLACE_WORD = re.compile(r"^\s*(?:in|at|on|out|off|with|around|near|by|from|back|into|under|over)\b", re.I)
_AIM_END = re.compile(r"[.,;:!?]|\s(?:but|and|because|cuz|so|lol|since|or|someday|eventually)\b", re.I)


class GuideNames:
    """Names of the guides in ``chunks``; ``encoder`` finds an occupation named in other words."""

    def __init__(self, chunks: Sequence[Chunk], encoder: Encoder, off: Callable[[str], bool]) -> None:
        self.encoder = encoder
        self.off = off
        self.guides = sorted({c.guide for c in chunks})
        rows: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            rows.setdefault(c.slug, []).append(i)
        self.guide_rows = {slug: np.asarray(r) for slug, r in rows.items()}  # slug → rows in chunks
        self.guide_title = {c.slug: c.guide for c in chunks}
        # guide title, slug and role → slug, for ask(guide=...)
        self.guide_names: dict[str, str] = {}
        for c in chunks:
            for name in (c.guide, c.slug, _role_of(c.guide)):
                self.guide_names[name.lower()] = c.slug
        # The occupations each guide names itself by (title, "How to Become a …", "(LPNs)", …).
        texts: dict[str, list[str]] = {}
        sections: dict[str, list[tuple[str, str]]] = {}
        for c in chunks:
            texts.setdefault(c.slug, []).append(f"{c.title}\n{c.text}")
            sections.setdefault(c.slug, []).append((c.section, c.text))
        self.occupations = OccupationIndex(
            [(slug, self.guide_title[slug], "\n".join(parts)) for slug, parts in texts.items()],
            meaning=None if off("modifier-meaning") else self.closeness,
            alike=None if off("modifier-meaning") else self.alike,
            listed=()
            if off("gate-listed")
            else [n for part in sections.values() for n in similar_occupations(part)],
            known=() if off("gate-known") else other_titles(self.guide_title.values()),
        )
        self.role_words = self._role_words(chunks)
        phrases = sorted(
            {" ".join(p) for names in self.occupations.phrases.values() for p in names}, key=len, reverse=True
        )
        self.role_pattern = (
            re.compile(r"\b(?:" + "|".join(_name_regex(p) for p in phrases) + r")\b", re.I)
            if phrases
            else None
        )
        # A guide's own name words are in every one of its sections; they say nothing about which one.
        self.name_stems = {
            slug: {lexicon.stem(w) for n in names for w in n} - {"senior", "junior"}
            for slug, names in self.occupations.phrases.items()
        }
        self._lock = threading.Lock()
        # the guides' occupation names as vectors, built on first need (see guide_by_meaning)
        self._name_vectors: tuple[list[str], np.ndarray] | None = None
        self._by_meaning: dict[tuple[str, float], str | None] = {}
        self._alike: dict[tuple[str, str], float] = {}  # (text, text) → cosine, as asked
        self._titles: dict[tuple[str, ...], str] | None = None  # see _index_titles

    def _role_words(self, chunks: Sequence[Chunk]) -> set[str]:
        # Words naming the guides' occupations and their ladder steps ("lead", "technician", ...).
        names = {c.guide for c in chunks}
        names |= {" ".join(p) for ps in self.occupations.phrases.values() for p in ps}
        for c in chunks:
            parts = c.section.split(PATH_SEP)
            if len(parts) > 1 and re.search(r"\b(?:career|ladder|tiers?|levels?|path)\b", parts[0], re.I):
                names.add(parts[-1])  # a step of the guide's career ladder ("Senior Technician")
        out = {w for n in names for w in lexicon.words(n)} - {"career", "path", "guide"}
        return out | {w + "s" for w in out}

    def neutral(self, text: str) -> str:
        """The question with the guides' role name replaced by a neutral word.

        Every section talks about the role, so "lead technician" in a question pulls the
        vector towards whichever sentence names the role most, not the one that answers.
        """
        return self.role_pattern.sub(ROLE_STAND_IN, text) if self.role_pattern else text

    def unnamed(self, text: str) -> str:
        """The question without the guides' role names (they are in all of a guide's sections)."""
        return self.role_pattern.sub(" ", text) if self.role_pattern else text

    def own_name_stems(self, guides: frozenset[str] | None) -> set[str]:
        """Name words of the guides searched: in all their sections, so no help in ranking them."""
        if guides:
            return set().union(*(self.name_stems.get(g, set()) for g in guides))
        if len(self.guide_rows) == 1:
            return next(iter(self.name_stems.values()), set())
        return set()

    def resolve_guide(self, name: str) -> str:
        """A guide's slug from its title, slug or role name (case-insensitive)."""
        slug = self.guide_names.get(name.strip().lower())
        if slug is None:
            raise QuestionError(f"No guide called {name!r}; choose one of: {', '.join(self.guides)}.")
        return slug

    def guides_named(self, question: str) -> frozenset[str]:
        """Guides whose occupation the question names ("what does a plumber earn?")."""
        if len(self.guide_rows) < 2 or self.off("occupation-routing"):
            return frozenset()
        mention = self.mention(question)
        return mention.slugs if mention else frozenset()

    def mention(self, question: str) -> Mention | None:
        """The occupation a question names. One that no guide's own words name is looked up by
        meaning among the guides' names ("loggers" is Logging Workers, "bank teller" Tellers),
        so another word for a covered occupation is not declined as an uncovered one."""
        mention = self.occupations.mention(question)
        other = self._listed_other(question, mention)
        if other is not None:
            return other
        if mention is not None and mention.slugs and not self.off("asked-first"):
            # the occupation in the place of the asked subject wins over one named after it
            # ("what degree do dietitians need? i'm a nurse"; "elevator mechanic salary? heard
            # they make more than millwrights"), unless an occupation without a guide means much
            # the same ("parks and rec director pay? like a recreation manager")
            asked = self.occupations.asked_subject(question)
            if asked is not None and (
                asked.slugs
                or asked.against
                or not self._means(asked.phrase, mention.slugs)
                # (the index files its kind of worker under another occupation: "videographer
                # jobs? photography feels saturated")
                or self.occupations.filed_elsewhere(asked.phrase, mention.slugs)
            ):
                return asked
        if mention is None and not self.off("index-titles"):
            # a title the index files under a guide, in the place of the subject though no
            # ending says it is a kind of worker ("lumberjack jobs - growing?")
            for _, words in asked_phrases(question):
                slug = self._index_titles().get(name_tokens(" ".join(words)))
                if slug is not None:
                    return Mention(" ".join(words), frozenset({slug}))
        if mention is None or mention.slugs or not mention.phrase:
            return mention
        # the handbook's index files the phrase under a guide's occupation ("forklift driver")
        slug = None if self.off("index-titles") else self._index_titles().get(name_tokens(mention.phrase))
        if slug is not None:
            return Mention(mention.phrase, frozenset({slug}))
        if self.off("occupation-meaning"):
            return mention
        # A phrase whose head word heads a guide's name differs from it by its other words: it
        # must mean nearly the same ("cyber security analysts" 0.89 Information Security
        # Analysts; "tattoo artist" 0.71 graphic artist and "corporate trainer" 0.78 athletic
        # trainer are other occupations).
        shared = self.occupations.heads_a_name(mention.phrase)
        threshold = SAME_OCCUPATION_SHARED_HEAD if shared else SAME_OCCUPATION
        # "truckers" 0.63 but "trucker" 0.72 to Heavy and Tractor-trailer Truck Drivers
        singular = " ".join(name_tokens(mention.phrase))
        # ("logger" 0.59 but "loggers" 0.62 to Logging Workers: a name of one word in both forms)
        plural = inflection.pluralize(singular) if " " not in singular else singular
        slug = next(
            (
                found
                for form in dict.fromkeys((mention.phrase.lower(), singular, plural))
                if (found := self.guide_by_meaning(form, threshold))
            ),
            None,
        )
        # another kind of worker in the same field must mean nearly the same ("teacher aides"
        # Teacher Assistants); "credit analyst" 0.70 Credit Counselors is their neighbour
        if (
            slug
            and not self.off("modifier-meaning")
            and self.occupations.neighbour(mention.phrase, slug)
            and self.closeness(singular, slug) < SAME_OCCUPATION_SHARED_HEAD
        ):
            return mention
        return Mention(mention.phrase, frozenset({slug})) if slug else mention

    def _index_titles(self) -> dict[tuple[str, ...], str]:
        """The handbook index's titles of the guides' occupations, as name tokens → guide
        (built on first need: most questions name a guide in its own words)."""
        with self._lock:
            if self._titles is None:
                titles = titles_of_guides(self.guide_title)
                self._titles = {name_tokens(title): slug for title, slug in titles.items()}
            return self._titles

    def _listed_other(self, question: str, mention: Mention | None) -> Mention | None:
        """An occupation a guide lists as another one ("Physician Assistants" in Physicians and
        Surgeons' Similar Occupations), when the question asks about it: the guide the question
        names is found only within its words ("physician" of "physician assistant"), or only in
        a story told around the question, or no guide is named besides it. None otherwise."""
        other = self.occupations.listed_other(question, skip=lambda i, j: self._teller_job(question, (i, j)))
        if other is None:
            return None
        entry, start, end = other
        slugs, span = self.occupations.named(question)
        if self._set_aside(question, span):
            if mention is not None and mention.slugs == slugs:
                mention = None  # the guide it names is set aside ("an architect? Not a nurse")
            slugs, span = frozenset(), None
        if slugs and span is not None:
            if entry in self.occupations.known and span[0] <= start and end <= span[1]:
                return None  # the guides' own names first ("rad techs": radiologic technologists)
            inside = start <= span[0] and span[1] <= end
            # the guide named in words of its own, in the question or with the listed one in a
            # story ("My brother is a fire inspector. What's the outlook for EMTs?": EMTs; "pay
            # for an accountant, i'm a bookkeeper now": accountants)
            told = not self.occupations.in_question(question, span) or self.occupations.told_after(
                question, (start, end), span
            )
            if not inside and (not told or not self.occupations.in_question(question, (start, end))):
                return None
        elif self._names_besides(question, start, end) or (
            # a guide found otherwise (its initials, by meaning) for a phrase apart from the
            # listed one ("CHW" beside a story's "medical assistant")
            mention is not None
            and mention.slugs
            and (not mention.phrase or not set(name_tokens(mention.phrase)) & set(name_tokens(entry)))
        ):
            return None
        if entry in self.occupations.known:
            # a title of the handbook's index in the person's words when they are found again
            # ("firefighter", not "Firefighters")
            typed = re.search(_typed_span(name_tokens(question)[start:end]), question)
            entry = typed.group(0).lower() if typed else entry
        return Mention(entry, frozenset())

    @staticmethod
    def _set_aside(text: str, span: tuple[int, int] | None) -> bool:
        """Whether the name at tokens ``span`` of ``text`` follows "not" ("an architect? Not a
        nurse": no question about nurses)."""
        return span is not None and bool(
            SET_ASIDE.intersection(name_tokens(text)[max(0, span[0] - 2) : span[0]])
        )

    def _teller_job(self, question: str, span: tuple[int, int]) -> bool:
        """Whether tokens ``span`` stand in a clause that tells of someone's present job and
        neither asks nor aims ("I'm a cashier at Target, would I make more…", "my son is a vet
        tech"; not "i'd like to be a vet tech")."""
        clause = self.occupations.clause_of(question, span)
        return bool(_PRESENT_JOB.search(clause)) and not asks(clause) and not _AIM.search(clause)

    def _names_besides(self, question: str, start: int, end: int) -> bool:
        """Whether ``question`` names a guide's occupation outside name tokens ``start:end``: by
        name, initials or as another kind of worker that heads a guide's names ("be a lawyer
        first to become a judge?", "respiratory therapist or RN?")."""
        words = name_tokens(question)
        listed = re.compile(_typed_span(words[start:end]), re.I)
        rest = listed.sub(" ", question, count=1)
        mention = self.occupations.mention(rest)
        if mention is not None and mention.slugs:
            slugs, span = self.occupations.named(rest)
            if not (mention.slugs == slugs and self._set_aside(rest, span)):
                return True
        if any(self.occupations.by_initials(m.lower()) for m in _INITIALS.findall(rest)):
            return True
        # (a kind of worker set aside is not named: "an architect? Not a manager")
        return any(
            self.occupations.heads_a_name(w) and is_person_noun(w)
            for i, w in enumerate(words)
            if not start <= i < end and not SET_ASIDE.intersection(words[max(0, i - 2) : i])
        )

    def aimed(self, story: str) -> Mention | None:
        """The occupation a story says the person aims at, the last one named: the guides that
        cover it, or its name when none does (a kind of worker, not a field: "move into
        management" names nobody)."""
        found = None
        for m in _AIM.finditer(story):
            target = _AIM_END.split(story[m.end() :], maxsplit=1)[0]
            if _PLACE_WORD.match(target):
                continue  # "i dont wanna be in school forever": somewhere to be, no one to become
            # "x-ray tech (radiologic technologist)", "nutritonist/dietitian": a name or another,
            # best one a guide or the index knows
            said = [f"become a {n.strip()}" for n in re.split(r"[()/]", target) if n.strip()]
            hits = [(text, hit) for text in said if (hit := self._occupation_in(text)) is not None]
            if hits:
                known = (hit for text, hit in hits if hit.slugs or self.occupations.listed_other(text))
                found = next(known, hits[0][1])
        return found

    def last_named(self, story: str) -> Mention | None:
        """Of several occupations a story names clause by clause, the last ("my cousin is a
        pharmacist and says i should start out as a pharmacy tech": the pharmacy tech), which a
        question leaning back ("is that job growing?") points at; None when it names one alone."""
        # (a clause naming someone: by a kind of worker or initials, not by a field or the work
        # alone: "want to get into marine engineering, like designing ship systems")
        clauses = [
            c
            for c in _AIM_END.split(story)
            if c and (_INITIALS.search(c) or any(is_person_noun(w) for w in lexicon.words(c)))
        ]
        found = [m for c in clauses if (m := self._occupation_in(c))]
        return found[-1] if len(set(found)) > 1 else None

    def _occupation_in(self, text: str) -> Mention | None:
        """The occupation ``text`` names: a guide's, or one without a guide that is asked as a
        kind of worker or listed by name (a field alone names nobody: "move into management")."""
        mention = self.mention(text)
        o = self.occupations
        if mention is None or not (mention.slugs or mention.phrase):
            # a guide's initials wherever they stand ("says CHWs are in demand")
            found = frozenset().union(*(o.by_initials(a.lower()) for a in _INITIALS.findall(text)))
            return Mention("", found) if len(found) == 1 else None
        return mention if mention.slugs or o.someone_asked(text) or o.listed_other(text) else None

    def ruled_out(self, message: str, slug: str) -> str | None:
        """The words by which ``message`` rules guide ``slug``'s occupation out ("…? not the
        engineers" of Health and Safety Engineers, ", not heavy equipment"): words of the guide's
        names after a "not" that the message uses nowhere else; None when it does not."""
        own = self.name_stems.get(slug, set())
        heads = {lexicon.stem(p[-1]) for p in self.occupations.phrases.get(slug, ())}
        for m in _RULED_OUT.finditer(message):
            words = [w for w in lexicon.words(m.group(1)) if w not in lexicon.STOPWORDS]
            if words and all(w in _LEVELS for w in words):
                continue  # "a senior tech (not lead, just senior)": a step of the job, not the job
            rest = message[: m.start()] + " " + message[m.end() :]
            if self._names_in_full(rest, slug):
                continue  # "what do LPNs make? not registered nurses": the guide asked for
            elsewhere = {lexicon.stem(singular(w)) for w in lexicon.words(rest)}
            hit = [w for w in words if lexicon.stem(singular(w)) in own - elsewhere]
            people = [w for w in words if is_person_noun(w)]
            # people set aside must be the guide's own kind ("not the engineers" is no word
            # against Aerospace Engineering … Technicians); things by any word of its names
            if hit and (not people or any(lexicon.stem(singular(w)) in heads for w in people)):
                return m.group(1).strip()
        return None

    def _names_in_full(self, text: str, slug: str) -> bool:
        """Whether ``text`` names guide ``slug``'s occupation by one of its whole names ("plumbers",
        "licensed practical nurse") or its initials ("LPNs"), not by a head word alone."""
        if any(slug in self.occupations.by_initials(a.lower()) for a in _INITIALS.findall(text)):
            return True
        words = name_tokens(text)
        return any(
            list(words[i : i + len(p)]) == list(p)
            for p in self.occupations.phrases.get(slug, ())
            for i in range(len(words) - len(p) + 1)
        )

    def _means(self, phrase: str, slugs: frozenset[str]) -> bool:
        """Whether ``phrase`` (short forms spelled out) means much the same as one of ``slugs``."""
        spelled = " ".join(name_tokens(phrase))
        return any(self.closeness(spelled, slug) >= SAME_OCCUPATION for slug in slugs)

    def other_occupation(self, query: str) -> str | None:
        """The occupation a question asks about when no guide covers it ("sommeliers")."""
        if self.off("gate-occupation"):
            return None
        mention = self.mention(query)
        if mention is None or mention.slugs or not mention.phrase:
            return None
        return mention.phrase

    def closeness(self, phrase: str, slug: str) -> float:
        """How near ``phrase`` means to guide ``slug``'s occupation: the best cosine between it and
        the guide's title or names of several words."""
        slugs, matrix = self._names_matrix()
        rows = [i for i, g in enumerate(slugs) if g == slug]
        if not rows:
            return 0.0
        return float(np.max(matrix[rows] @ self.encoder.encode([phrase])[0]))

    def alike(self, a: str, b: str) -> float:
        """How near two short texts mean (cosine of their vectors); each pair encoded once (the
        occupation lookup asks again for every message that names it)."""
        with self._lock:
            if (a, b) in self._alike:
                return self._alike[(a, b)]
        va, vb = self.encoder.encode([a, b])
        with self._lock:
            self._alike[(a, b)] = float(va @ vb)
            return self._alike[(a, b)]

    def _names_matrix(self) -> tuple[list[str], np.ndarray]:
        with self._lock:
            if self._name_vectors is None:
                # every guide's title and the names of several words read from it, encoded once
                # per loaded index (~0.5 s at 300 guides); one word alone ("agent") means too
                # little to stand for a guide, and the words themselves are matched already
                slugs, names = [], []
                for slug, title in self.guide_title.items():
                    several = (" ".join(n) for n in self.occupations.phrases.get(slug, ()) if len(n) > 1)
                    for name in {title, *several}:
                        slugs.append(slug)
                        names.append(name)
                vectors = [self.encoder.encode(names[i : i + 64]) for i in range(0, len(names), 64)]
                self._name_vectors = (slugs, np.concatenate(vectors) if vectors else np.zeros((0, 1)))
            return self._name_vectors

    def closest(self, phrase: str) -> str | None:
        """The guide nearest in meaning to an occupation no guide covers ("dialysis technician":
        a health care guide, not the one that shares the word "technician"), else the one whose
        names share most words with it."""
        return self.guide_by_meaning(phrase, CLOSEST_FLOOR) or self.occupations.closest(phrase)

    def guide_by_meaning(self, phrase: str, threshold: float) -> str | None:
        """The guide whose title or several-word name means ``phrase`` at cosine ≥ ``threshold``."""
        key = (phrase, threshold)
        with self._lock:
            if key in self._by_meaning:
                return self._by_meaning[key]
        slugs, matrix = self._names_matrix()
        sims = matrix @ self.encoder.encode([phrase])[0]
        best = int(np.argmax(sims)) if len(sims) else -1
        found = slugs[best] if best >= 0 and sims[best] >= threshold else None
        with self._lock:
            self._by_meaning[key] = found
        return found


def _typed_span(words: Sequence[str]) -> str:
    """A pattern for name tokens as typed in the question ("therapist" of "therapists")."""
    return "(?i)" + r"\W+".join(re.escape(w) + r"\w*" for w in words)
