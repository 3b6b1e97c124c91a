"""The answer engine: loads the index once, routes a message and returns an ``Answer``.

One answer path, in plain functions: clean → route (a plan, small talk, or the message's
questions) → retrieve → compose → the optional LLM step, which checks the model's text. Each
question's ``Retrieval`` is what the composer and the LLM step are given; ``ask`` and ``stream``
are the two ways of calling the path and differ only in how the LLM step is called.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import lexicon
from .answer import (
    QUICK_LABELS,
    Answer,
    Source,
    add_lines,
    compose,
    expected_figure,
    has_figure,
    join_words,
    merge_answers,
    named_facts_asked,
    quick_facts_asked,
    refusal_text,
    small_talk_text,
    suggest_questions,
)
from .chat import Message, Reading, is_follow_up, read_message, small_talk, user_questions
from .config import Settings
from .errors import IndexNotReadyError, QuestionError
from .guidance import asked_tier
from .guides import SAME_OCCUPATION
from .index import BuildReport, Store
from .ingest import PATH_SEP
from .lexicon import plain_words
from .occupations import asked_phrases, asks, is_person_noun, singular, tells
from .ranking import figure_asked
from .retrieve import GuideRetriever, Hit, Retrieval, Searcher

if TYPE_CHECKING:  # imported where used: plans and the LLM step load on first use
    from .explore import Comparison, Filters, Found, Occupation
    from .facts import GuideFacts
    from .guidance import CareerPlan
    from .llm import LLMAnswerer

log = logging.getLogger(__name__)

# A question asked after another one: its own scores lightly mixed with the pair's.
CONTEXT_WEIGHT = 0.25
# A follow-up: the pair's score multiplies its own, so a section must fit both.
CONTEXT_FLOOR = 0.4
OWN_UNIT_WEIGHT = 0.65
# A question's backstory ("I'm 19 and considering medical assisting") mixed in like a turn before.
STORY_WEIGHT = 0.25
SUBJECT_NEAR = 0.45  # a pay or outlook question's subject and the answering guide's names, cosine
MAX_HISTORY = 40  # messages of a conversation that are read (the most recent ones)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


# What CAREERBOT_ABLATE can switch off, one family of rules at a time (docs/evaluation.md).
RULE_FAMILIES = (
    "lexicon",  # everyday words → guide words for the lexical search
    "gate-similarity",  # scope: nothing similar enough in the guides
    "gate-unknown",  # scope: most topic words unknown to the guides
    "gate-names",  # scope: a capitalised name the guides never use
    "gate-place",  # scope: pay "in germany", employers "in houston", "which state…": places the guides lack
    "gate-occupation",  # scope: an occupation no guide covers
    "gate-answer-type",  # scope: asks for a figure the best section does not hold
    "gate-task",  # scope: asks me to write something (a resume, a cover letter)
    "gate-perk",  # scope: asks whether the job comes with something no guide names (a pension)
    "gate-extras",  # scope: overtime rates, bonuses, 401k, unions… that the guides never mention or figure
    "follow-up",  # blending a follow-up with the question before it
    "unit-bonus",  # lexical bonuses of single sentences
    "figure-intent",  # pay and growth questions prefer sections and sentences with the figure
    "faq-title",  # a question like an FAQ entry's own question ranks that entry
    "section-priors",  # site boilerplate and lists of other occupations weigh less
    "occupation-routing",  # the occupation a question names picks its guide
    "occupation-meaning",  # an occupation named in other words found by meaning ("loggers")
    "shorthand",  # chat shorthand spelled out ("u", "w/", "ngl")
    "runner-up",  # quoting a second section when it scores close
    "figure-line",  # the asked pay or growth figure's line from a close section of the same guide
    "quick-facts",  # the headline fact asked for (education, median pay, jobs) that quoted text lacks
    "plan-routing",  # a personal plan for "here is where I stand" messages
    "split",  # two questions in one message answered one by one
    "story",  # the backstory around a question read as its context
    "ladder",  # "which level do 6 years make?": the guide's ladder step first
    "gate-subject",  # scope: a pay or outlook question about something no guide's name holds
    "explore",  # comparisons and "which jobs…" questions answered from every guide's facts
    "lean-back",  # "…and how much does it run?" after a question the guides don't cover: declined too
    "asked-first",  # "elevator mechanic pay? heard they beat millwrights": the asked subject wins
    "modifier-meaning",  # "data scientist" is no environmental scientist: a modifier used only elsewhere
    "gate-listed",  # scope: an occupation a guide lists among its Similar Occupations, none covers
    "gate-known",  # scope: a job title of the handbook's A–Z index whose occupation no guide covers
    "index-titles",  # "forklift driver": a title the A–Z index files under a guide's occupation is its
    "gate-ruled-out",  # scope: the guide found is one the message rules out ("…not the engineers")
    "gate-own-job",  # scope: a guide named only as the teller's job, beside an uncovered occupation asked
    "aim",  # "…want to be an EMT. is that field growing?": the occupation the story aims at is asked
    "last-named",  # "my cousin is a pharmacist… i could start as a pharmacy tech. is it growing?"
)


@dataclass(frozen=True)
class Draft:
    """A message's answer before the optional LLM step, and what it was composed from."""

    question: str  # the message, cleaned
    history: list[dict[str, Any]]  # the conversation before it, cleaned
    answer: Answer  # grounded, a refusal, small talk or a plan
    found: tuple[Retrieval, ...] = ()  # the retrieval of each question the answer answers


class Engine:
    """Thread-safe; everything heavy is built on first use and then shared."""

    def __init__(self, settings: Settings | None = None, store: Store | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.store = store or Store(self.settings)
        self._searcher: Searcher | None = None
        self._lock = threading.RLock()
        self._loading = threading.Lock()  # held by the one thread loading a newer build
        self._failed_token: str | None = None  # a build that could not be loaded (not retried)
        self._missing_noted = False  # the "index missing" warning was logged
        self.last_build: BuildReport | None = None
        self._llm: LLMAnswerer | None = None  # when CAREERBOT_LLM is set; built on first use
        self._topics: tuple[Searcher, dict[str | None, list[str]]] | None = None
        # the occupations of a snapshot, in guide order and by slug
        self._occupations: tuple[Searcher, list[Occupation], dict[str, Occupation]] | None = None

    # -- lifecycle ------------------------------------------------------------------
    def searcher(self) -> Searcher:
        """The loaded snapshot of the index (built first when missing or stale); a build finished
        by another process is swapped in without a restart.

        Every answer reads one whole in-memory snapshot: sections, their vectors, the facts and the
        question encoder. A build elsewhere (`careerbot index --rebuild`, which removes the folder,
        or an update in place) therefore never interrupts answers: until it writes its marker the
        last complete snapshot answers; the first question after that loads the new one while
        other threads keep answering from the old, and then it is used.

        Deliberate choice: an index removed for good (folder deleted, no build running) is
        treated the same way. The snapshot is complete and needs nothing from disk, so it keeps
        answering, and the log says once to run `careerbot index`; the next build is picked up as
        usual. Only with no snapshot at all is there an ``IndexNotReadyError``, naming the fix.
        """
        current = self._searcher
        token = self.store.build_token()
        if current is not None and token in (current.token, self._failed_token, None):
            self._note_missing(token is None)
            return current
        if current is None:
            with self._lock:  # the first load: every caller waits for it
                if self._searcher is None:
                    self._searcher = self._first_load()
                return self._searcher
        # One thread loads the new build; the others keep answering from the current snapshot.
        if not self._loading.acquire(blocking=False):
            return current
        try:
            return self._swap(current)
        finally:
            self._loading.release()

    def _first_load(self) -> Searcher:
        # A first question on a new machine builds the index; show that it is working.
        self.last_build = self.store.ensure(progress=sys.stderr.isatty())
        before = self.store.build_token()
        try:
            fresh: Searcher | None = Searcher.from_store(self.store)
        except IndexNotReadyError:
            raise  # damaged or empty: its message names the fix
        except Exception:
            if before is not None and self.store.build_token() == before:
                raise  # not a build underway: a fault to see in full
            fresh = None  # read while another build started
        if fresh is None or fresh.token is None or self.store.build_token() != fresh.token:
            raise IndexNotReadyError(
                f"The index at {self.store.where} changed while it was being read: another "
                "`careerbot index` is running. Ask again when it has finished (run `careerbot index` "
                "if none is running)."
            )
        return fresh

    def _swap(self, current: Searcher) -> Searcher:
        """Load the build now on disk; keep ``current`` if it cannot be read whole."""
        if self._searcher is not current:  # another thread swapped meanwhile
            return self._searcher or current
        self.store.reconnect()  # another process rebuilt it: read the new one
        before = self.store.build_token()
        try:
            fresh: Searcher | None = Searcher.from_store(self.store)
        except Exception as exc:  # read while yet another build started, or a broken build
            log.warning("Could not load the updated index (%s); answering from the loaded one.", exc)
            fresh = None
        token = self.store.build_token()
        if fresh is None or fresh.token is None or token != fresh.token:
            if fresh is None and token is not None and token == before:
                # The same finished build failed to load: not again for every question; the
                # next build is tried as usual.
                self._failed_token = token
            return current  # keep answering from the last whole snapshot
        self._searcher, self._failed_token = fresh, None
        self._note_missing(False)
        return fresh

    def _note_missing(self, missing: bool) -> None:
        """Say once per occurrence that the index is gone from disk while answers go on."""
        if missing and not self._missing_noted:
            log.warning(
                "The index at %s is missing or being rebuilt; answering from the copy in memory until "
                "a build finishes (run `careerbot index` if none is running).",
                self.store.where,
            )
        self._missing_noted = missing

    def as_retriever(self, k: int = 4) -> GuideRetriever:
        """The same hybrid search as a LangChain retriever, for chains that add an LLM."""
        return GuideRetriever(searcher=self.searcher(), k=k)

    def facts(self) -> list[GuideFacts]:
        """Structured facts per guide (salary levels, tiers, outlook...), extracted at ingest."""
        return self.searcher().facts

    def _guide_facts(self, title: str) -> GuideFacts | None:
        """The facts of the guide titled ``title`` (the title a chunk carries)."""
        return next((f for f in self.facts() if f.guide == title), None)

    def _facts_for(self, text: str, guide: str | None) -> GuideFacts | None:
        s = self.searcher()
        slugs = {s.resolve_guide(guide)} if guide else set(s.guides_named(text))
        facts = self.facts()
        if not facts:
            return None
        titles = {s.guide_title[slug] for slug in slugs}
        return next((f for f in facts if f.guide in titles), facts[0])

    def plan(self, profile: str, guide: str | None = None) -> CareerPlan:
        """A cited, step-by-step plan for the person described in ``profile`` (a ``CareerPlan``).

        A guide with a career ladder places the person on it; any other guide gives the steps its
        own sections describe (education, training, licenses, qualities, advancement).
        """
        from .guidance import make_plan, make_steps_plan

        text = self.clean_question(profile)
        guide = self._check_guide(guide)
        facts = self._facts_for(text, guide)
        if facts is None:
            raise QuestionError("There is no guide to plan with yet; add one to the corpus.")
        if facts.tiers:
            return make_plan(text, facts)
        s = self.searcher()
        slug = next((k for k, v in s.guide_title.items() if v == facts.guide), None)
        rows: Iterable[int] = s.guide_rows.get(slug, []) if slug else []
        return make_steps_plan(text, facts.guide, [(s.chunks[i].section, s.chunks[i].text) for i in rows])

    # -- the explorer: comparisons and lists of occupations from every guide's facts ------
    def occupations(self) -> list[Occupation]:
        """Every guide's occupation with its headline facts (guides that give none are left out)."""
        return self._occupation_table()[0]

    def _occupation_table(self) -> tuple[list[Occupation], dict[str, Occupation]]:
        from .explore import Occupation
        from .facts import quick_figures

        s = self.searcher()
        with self._lock:
            if self._occupations is not None and self._occupations[0] is s:
                return self._occupations[1], self._occupations[2]
        slug_of = {title: slug for slug, title in s.guide_title.items()}
        found: list[Occupation] = []
        for f in s.facts:
            slug = slug_of.get(f.guide)
            where = next((f.sources[k] for k in sorted(f.sources) if k.startswith("quick.")), None)
            if slug is None or where is None:
                continue
            found.append(Occupation(f.guide, slug, quick_figures(f), where, f.similar))
        by_slug = {o.slug: o for o in found}
        with self._lock:
            self._occupations = (s, found, by_slug)
        return found, by_slug

    def _occupation_source(self, o: Occupation) -> Source | None:
        return self.searcher().quick_source(o.slug, o.section)

    def _occupation_named(self, name: str) -> tuple[Occupation | None, str | None]:
        """(the occupation ``name`` names, or None and the name as no guide covers it).

        A bare name in a list ("RN", "cop", "semi truck drivers") is read as the subject of a pay
        question, where short forms and everyday names are known, and by meaning among the
        guides' names; several guides fitting equally ("nurse") go to the one meant most nearly.
        """
        s = self.searcher()
        by_slug = self._occupation_table()[1]
        try:
            slug: str | None = s.resolve_guide(name)
        except QuestionError:
            slug = None
        bare = _bare_words(name) if slug is None else ""
        if slug is None and bare:
            slug = s.names.guide_by_meaning(bare, SAME_OCCUPATION)
        if slug is None:
            mention = s.mention(name)
            if (mention is None or not mention.slugs) and bare:
                framed = s.mention(f"what do {bare}{'' if bare.endswith('s') else 's'} make")
                mention = framed if framed is not None and framed.slugs else mention
            if mention is not None and mention.slugs:
                slug = _likeliest(mention.slugs, by_slug)
            elif mention is not None and mention.phrase:
                return None, mention.phrase
            else:
                other = _bare_occupation(name)
                # "a senior technician" heads no guide but names a step of one: not missing
                return None, None if other is None or s.occupations.heads_a_name(other) else other
        return by_slug.get(slug), None if slug in by_slug else name

    def compare(
        self, occupations: Sequence[str], metric: str | None = None, question: str = ""
    ) -> Comparison:
        """2–4 occupations side by side from their guides' headline facts, every cell cited.

        ``occupations``: names as people write them ("electricians", "a plumber", a guide's
        title or slug); ``metric`` ("pay", "outlook", "education", "jobs") picks what decides
        the winner (None: pay and outlook both told). An occupation no guide covers is named
        in ``Comparison.missing``, never filled in.
        """
        if not 1 <= len(occupations) <= 4:
            raise QuestionError(
                "Compare one to four occupations, e.g. compare(['electricians', 'plumbers'])."
            )
        if metric is not None and metric not in ("pay", "outlook", "education", "jobs"):
            raise QuestionError(f"Unknown metric {metric!r}; use pay, outlook, education or jobs.")
        found: list[Occupation] = []
        missing: list[str] = []
        for name in occupations:
            occ, other = self._occupation_named(self.clean_question(name))
            if occ is not None and occ not in found:
                found.append(occ)
            elif occ is None:
                missing.append(other or name.strip())
        return self._comparison(found, missing, metric, question or " vs ".join(occupations))

    def _comparison(
        self, found: Sequence[Occupation], missing: Sequence[str], metric: str | None, question: str
    ) -> Comparison:
        from . import explore

        sources = [self._occupation_source(o) for o in found]
        kept = [o for o, src in zip(found, sources, strict=True) if src is not None]
        cited = [src for src in sources if src is not None]
        return explore.compare(kept, cited, missing, metric, question)  # type: ignore[arg-type]

    def find(self, filters: Filters | None = None, question: str = "", **limits: Any) -> Found:
        """Occupations that pass ``filters`` (or the same fields as keywords: ``min_pay=55000,
        max_education="high school"``), sorted as asked, each with its figures and a citation.
        No match says so and which limit emptied the list; nothing is relaxed."""
        from . import explore

        if filters is None:
            try:
                filters = explore.Filters(**limits)
            except TypeError as e:
                raise QuestionError(
                    f"{e}; the filters are the fields of careerbot.explore.Filters."
                ) from None
        elif limits:
            filters = replace(filters, **limits)
        for name in (filters.min_education, filters.max_education):
            if name is not None and explore.education_level(name) is None:
                raise QuestionError(
                    f"Unknown education level {name!r}; use one of: "
                    + ", ".join(level for level, _ in explore.EDUCATION_LEVELS)
                    + "."
                )
        return explore.find(self.occupations(), filters, self._occupation_source, question)

    def _explore(self, plain: str, text: str) -> Answer | None:
        """A comparison or a list of occupations when the message asks for one, else None."""
        from . import explore

        occupations = self.occupations()
        if len(occupations) < 2:
            return None
        s = self.searcher()
        similar = explore.similar_asked(plain)
        comparing = explore.asks_comparison(plain)
        filters = explore.read_find(plain)
        if not (similar or comparing or filters):
            return None
        named: list[Occupation] = []
        missing: list[str] = []
        examples = False  # the message lists workers of one guide ("jobs like hosts, bussers…")
        # occupations compared stand in one sentence ("who earns more, a welder or a baker?"),
        # not one in a story and another in the question
        sentences = [x for x in re.split(r"(?<=[.?!])\s+", plain) if x.strip()]
        if (
            (comparing or similar)
            and len(sentences) > 1
            and any(asks(x) and s.names.mention(x) for x in sentences)
        ):
            # beside a question naming its occupation, a story that tells of someone compares
            # nothing asked ("how much do plumbers make? my cousin is an electrician and swears
            # plumbers make more lol"); one that names what "which job…?" weighs does
            sentences = [x for x in sentences if asks(x) or not tells(x)]
        elif comparing and len(sentences) > 1 and not self.settings.off("story"):
            # a story that tells of two jobs compares nothing unless it weighs them ("been a
            # cashier 3 yrs, thinking about applying to be a mail carrier. … are they hiring
            # more?"; not "I'm torn between welding and baking. which pays better?")
            sentences = [x for x in sentences if asks(x) or explore.asks_comparison(x) or _CHOICE.search(x)]
        for sentence in sentences if comparing or similar else ():
            parts = explore.name_parts(sentence)
            if len(parts) < 2 and not similar:
                continue  # one item compares nothing: no names looked up for it
            here: list[Occupation] = []
            gone: list[str] = []
            again = False  # a part naming an occupation named before in the sentence
            for part in parts:
                occ, other = self._occupation_named(part)
                again = again or (occ is not None and occ in here)
                if occ is not None and occ not in here:
                    here.append(occ)
                elif other and other not in gone:
                    gone.append(other)
            if len(here) + len(gone) > len(named) + len(missing):
                named, missing, examples = here, gone, again
        if (
            filters is not None
            and not s.guides_named(explore.without_filters(plain))
            and not any(s.occupations.heads_a_name(w) for w in explore.jobs_for(plain))
        ):
            return explore.find(occupations, filters, self._occupation_source, text).answer
        if named and missing:  # "hosts, bussers and counter staff": words of the named guide
            slugs = [o.slug for o in named]
            kept = [m for m in missing if not s.occupations.uses(m.split()[-1], slugs)]
            examples, missing = examples or len(kept) < len(missing), kept
        if similar is not None and len(named) == 1 and not missing and not examples:
            base = named[0]
            among = self._similar_slugs(base)
            if among:
                rel = replace(explore.relative_to(similar, base), among=among)
                within = f"occupations the {base.guide} guide lists as similar"
                return explore.find(occupations, rel, self._occupation_source, text, within).answer
        if comparing and 2 <= len(named) + len(missing) <= 4 and (named or len(missing) >= 2):
            if not named:
                return self._decline(
                    text, "no guide for any occupation compared", {}, join_words(missing, "or")
                )
            return self._comparison(named, missing, explore.comparison_metric(plain), text).answer
        return None

    def _similar_slugs(self, base: Occupation) -> tuple[str, ...]:
        """The guides of the occupations ``base``'s guide lists as similar."""
        slugs: list[str] = []
        for name in base.similar:
            occ, _ = self._occupation_named(name)
            if occ is not None and occ.slug != base.slug and occ.slug not in slugs:
                slugs.append(occ.slug)
        return tuple(slugs)

    def _personal_plan(self, text: str, plain: str, guide: str | None) -> Answer | None:
        """A plan as the answer when the person asks about their own standing or next steps
        (``plain``: the message with chat shorthand spelled out)."""
        from .guidance import asks_for_plan, read_profile

        if self.settings.off("plan-routing") or not asks_for_plan(text):
            return None
        facts = self._facts_for(text, guide)
        if facts is None or not facts.tiers:
            return None
        if not guide and any(self.searcher().other_occupation(q) for q in read_message(plain).questions):
            # "been a nurse 15 yrs… how do i become a dental hygienist?": no guide's ladder
            return None
        profile = read_profile(text, facts)
        # Only when they told us something about themselves: "what should I avoid when I'm new?"
        # is a question for the guide, "I have 3 years and an associate degree" is a profile.
        if profile.years is None and not (profile.education or profile.skills or profile.certifications):
            return None
        plan = self.plan(text, guide)
        return Answer(plan.text, plan.sources, False, mode="plan", question=text)

    def related_questions(self, question: str, answer: Answer, n: int = 3) -> list[str]:
        """Follow-up questions the guides can answer, from the sections next in line: the
        question retrieved again on its own, within the guide that answered it. None for a
        comparison or a list of occupations: their sources are headline facts, not topics."""
        if answer.mode in ("compare", "find"):
            return []
        guides = {s.slug for s in answer.sources if s.slug}
        text = plain_words(self.clean_question(question))
        only = next(iter(guides)) if len(guides) == 1 else None
        return suggest_questions(self._retrieve(text, guide=only, message=text), answer, question, n)

    def warm_up(self) -> None:
        """Load everything and run one query so the first user does not wait."""
        self.ask("What does this role earn in the US?")  # (loads the place names too)

    # -- asking ---------------------------------------------------------------------
    def clean_question(self, question: object) -> str:
        if not isinstance(question, str):
            raise QuestionError("The question must be text.")
        text = _CONTROL.sub("", question.encode("utf-8", "replace").decode("utf-8")).strip()
        if not text:
            raise QuestionError("Please type a question about the career guide.")
        if len(text) > self.settings.max_question_chars:
            raise QuestionError(
                f"That message is {len(text):,} characters long; please keep questions under "
                f"{self.settings.max_question_chars:,} characters."
            )
        return text

    def clean_history(self, history: object) -> list[dict[str, Any]]:
        """The conversation so far, checked and bounded: the most recent ``MAX_HISTORY`` messages,
        each as ``{"role", "content": str}`` cut to the question length limit, invalid Unicode
        replaced. A 4 MB history costs what its last turns cost."""
        if history is None:
            return []
        if not isinstance(history, list | tuple):
            raise QuestionError(
                'history must be a list of {"role": "user"|"assistant", "content": str} messages.'
            )
        out: list[dict[str, Any]] = []
        for msg in history[-MAX_HISTORY:]:
            if not isinstance(msg, Mapping):
                raise QuestionError(
                    'history must be a list of {"role": "user"|"assistant", "content": str} messages.'
                )
            content = msg.get("content")
            if isinstance(content, list | tuple):  # Gradio may send content parts
                content = " ".join(
                    p["text"] for p in content if isinstance(p, Mapping) and isinstance(p.get("text"), str)
                )
            if not isinstance(content, str):
                content = ""
            content = _CONTROL.sub("", content.encode("utf-8", "replace").decode("utf-8"))
            out.append({"role": msg.get("role"), "content": content[: self.settings.max_question_chars]})
        return out

    @staticmethod
    def _check_guide(guide: object) -> str | None:
        if guide is not None and not isinstance(guide, str):
            raise QuestionError("guide must be a guide's title, slug or role, as text (or None for all).")
        return guide or None

    def llm(self) -> LLMAnswerer | None:
        """The optional LLM answerer (None unless ``CAREERBOT_LLM`` is set)."""
        if self.settings.llm and self._llm is None:
            with self._lock:
                if self._llm is None:
                    from .llm import LLMAnswerer, make_chat_model

                    model = make_chat_model(self.settings.llm, self.settings.llm_timeout)
                    self._llm = LLMAnswerer(model, self.settings.llm_timeout)
        return self._llm

    # -- the answer path ------------------------------------------------------------
    def ask(
        self, question: str, history: Sequence[Message] | None = None, guide: str | None = None
    ) -> Answer:
        """Answer one message; ``history`` is the conversation so far (Gradio messages format).

        ``guide`` (title, slug or role) restricts the answer to one guide; by default all guides
        are searched, preferring the one whose occupation the message names. A message that
        asks two things gets both answered, each with its own citations.
        """
        started = time.perf_counter()
        draft = self._draft(question, history, guide)
        llm = self._llm_for(draft)
        answer = draft.answer
        if llm is not None:
            answer = llm.answer(draft.question, draft.history, draft.found, answer)
        return replace(answer, debug={**answer.debug, "seconds": time.perf_counter() - started})

    def stream(
        self, question: str, history: Sequence[Message] | None = None, guide: str | None = None
    ) -> Iterator[str | Answer]:
        """Text as it is written, then the final ``Answer`` (always last).

        Grounded answers are ready at once, so only the final ``Answer`` comes; with an LLM
        the model's text streams first. Whatever was shown is replaced by the final answer,
        which may be the grounded one with a notice if the model failed its checks.
        """
        draft = self._draft(question, history, guide)
        llm = self._llm_for(draft)
        if llm is None:
            yield draft.answer
            return
        yield from llm.stream(draft.question, draft.history, draft.found, draft.answer)

    def _draft(self, question: object, history: object, guide: object) -> Draft:
        """Clean → route → retrieve → compose: the answer before the optional LLM step.

        A message about the person's own standing gets a plan, small talk a reply in kind;
        otherwise each question of the message is retrieved and composed on its own, and the
        answers are merged.
        """
        text = self.clean_question(question)
        history, guide = self.clean_history(history), self._check_guide(guide)
        plain = text if self.settings.off("shorthand") else (plain_words(text) or text)
        personal = self._personal_plan(text, plain, guide)
        if personal is not None:
            return Draft(text, history, personal)
        explored = None if guide or self.settings.off("explore") else self._explore(plain, text)
        if explored is not None:
            return Draft(text, history, explored)
        chatter = small_talk(plain)
        if chatter:  # "thanks!", "who are you?": answered in kind, nothing looked up
            s = self.searcher()
            named = s.guides_named(" ".join(user_questions(history)[-1:]))
            reply = small_talk_text(chatter, s.guides, self.topics(next(iter(named), None)))
            return Draft(
                text,
                history,
                Answer(reply, (), True, question=text, debug={"reason": f"small talk ({chatter})"}),
            )
        reading = Reading((plain,)) if self.settings.off("split") else read_message(plain)
        parts: list[Answer] = []
        found: list[Retrieval] = []
        other = None  # an occupation without a guide that a question of the message asked about
        declined: Retrieval | None = None  # the question just before, when the guides don't cover it
        for i, q in enumerate(reading.questions):
            own = reading.own_words(i)
            if other and not guide and _leans_back(q) and not self.searcher().guides_named(_untold(q)):
                # "ultrasound tech job outlook? is it growing": "it" is the ultrasound tech too
                # (whatever the asker tells of beside it: "is it growing, i'm choosing between
                # that and financial analyst")
                retrieval = Retrieval(q, (), False, f"asks about another occupation ({other})", other=other)
            elif _OWN_CHOICE.search(own) and _OFFERS.search(plain):
                # "I have two offers, one at Tesla and one at GE… which should I take?": the
                # guides know the job, not the person's employers
                retrieval = Retrieval(q, (), False, "asks me to choose between the person's own offers")
            elif declined and _ALTERNATIVE.match(q):
                # "dialysis tech pay? or should i just be a nurse": a choice against what the
                # guides don't cover, which they cannot weigh
                reason = f"weighs an alternative against an uncovered question ({declined.query})"
                retrieval = Retrieval(q, (), False, reason)
            elif declined and _PRONOUN.search(q) and _no_topic(q) and not self.searcher().guides_named(q):
                # "how long does the OSHA 30 course take and how much does it run": "it" is what
                # the guides don't cover, not the job
                reason = f"points back at an uncovered question ({declined.query})"
                retrieval = Retrieval(q, (), False, reason)
            else:
                retrieval = self._retrieve(
                    q,
                    history,
                    guide,
                    message=plain,
                    own=own,
                    # a question with its own topic still reads its story as context ("I'm 19 and
                    # considering medical assisting. Is it a field that's growing?")
                    story=reading.story if own == q else "",
                    parts=reading.questions,
                )
            other = other or (None if retrieval.in_scope else retrieval.other)
            answer = self._compose(retrieval)
            declined = retrieval if answer.refused and not self.settings.off("lean-back") else None
            parts.append(answer)
            found.append(retrieval)
        if other and not guide and not self.settings.off("gate-own-job"):
            # "been a glazier 5 yrs, roofing pays more right? whats median pay for roofers": the
            # glaziers are the teller's own job, the question beside them weighs the roofers
            s = self.searcher()
            for i, (answer, retrieval) in enumerate(zip(parts, found, strict=True)):
                if not answer.refused and _own_job_only(retrieval.asked or retrieval.query, s):
                    reason = f"asks about another occupation ({other})"
                    found[i] = Retrieval(retrieval.query, (), False, reason, other=other)
                    parts[i] = self._compose(found[i])
        # the LLM step reads the passages of the questions answered
        kept = tuple(r for a, r in zip(parts, found, strict=True) if not a.refused)
        return Draft(text, history, merge_answers(parts, question=text), kept)

    def _llm_for(self, draft: Draft) -> LLMAnswerer | None:
        """The LLM answerer when one is set and the draft is a grounded answer (plans are not
        rewritten); the answerer itself passes refusals through unchanged."""
        return self.llm() if draft.answer.mode == "grounded" else None

    def retrieve(self, question: str, history: Sequence[Message] | None = None) -> Retrieval:
        """The retrieval step alone (for evaluation and debugging)."""
        text = plain_words(self.clean_question(question))
        return self._retrieve(text, list(history or []), message=text)

    # -- steps ----------------------------------------------------------------------
    def _retrieve(
        self,
        raw: str,
        history: Sequence[Message] = (),
        guide: str | None = None,
        *,
        message: str = "",
        own: str | None = None,
        story: str = "",
        parts: Sequence[str] = (),
    ) -> Retrieval:
        """Ranked sections for one question ``raw`` of ``message`` (its other questions are
        ``parts``, ``own`` its own words, ``story`` the backstory around it), read after
        ``history`` and within ``guide`` when given; and whether the guides cover it."""
        s = self.searcher()
        previous = [] if self.settings.off("follow-up") else user_questions(history)
        before_raw = plain_words(previous[-1]) if previous else ""
        other = s.other_occupation(raw)
        named_raw = s.guides_named(raw)
        if not other and not guide and not named_raw and _leans_back(raw):
            # "do sommeliers make good money? is it growing?": "it" is the sommelier, in another
            # question of the message or the one asked just before.
            for earlier in [*parts, before_raw]:
                if earlier and earlier != raw and not s.guides_named(earlier):
                    other = s.other_occupation(earlier)
                    if other:
                        break
        # "I work as a security guard but want to be an EMT. is that field growing?": a question
        # naming no guide asks about the occupation its story aims at
        aim = None
        if not other and not guide and not named_raw and story and not self.settings.off("aim"):
            aim = s.names.aimed(story)
            if aim is None and _leans_back(raw) and not self.settings.off("last-named"):
                # "my cousin is a pharmacist and says i should start out as a pharmacy tech. is
                # that job growing?": the occupation the story names last is the one pointed at
                aim = s.names.last_named(story)
            other = aim.phrase if aim is not None and not aim.slugs else None
        if other:
            return Retrieval(raw, (), False, f"asks about another occupation ({other})", other=other)
        question = raw
        llm = self.llm()
        if llm is not None and history and is_follow_up(question):
            from .llm import rewrite_follow_up

            question = rewrite_follow_up(question, history, llm.model)
        # The guide(s) asked about: named in this question, else elsewhere in the message, else in
        # the question before ("what do plumbers make?" … "do they work weekends?").
        if guide:
            guides = frozenset({s.resolve_guide(guide)})
        else:
            named = named_raw if question == raw else s.guides_named(question)
            guides = named or (aim.slugs if aim is not None else frozenset()) or s.guides_named(message)
            if not guides and before_raw and _leans_back(raw):
                guides = s.guides_named(before_raw)
        # a question that names its own occupation and topic needs no story ("my daughter is 14.
        # is there demand for vets?"); one that leans on it does ("…medical assisting. Is it growing?")
        story = story if not self.settings.off("story") and not named_raw else ""
        told_hits: list[Hit] = []
        guessed = False  # the guide is the one the story reads like; it names no occupation
        if story:
            # the person's years and age say who asks, not what about: "I'm 41, was in the navy 6
            # years… is it physical work?" is no question about the ladder's 5-8 years step
            # (unless the question is about the ladder: "what's the next rung? … a lead for 11 years")
            told = f"{story if _LADDER.search(question) else _without_counts(story)} {question}"
            told_hits = s.search(told, s.embed(told), guides=guides or None)
            if not guides and told_hits and len(s.guide_rows) > 1 and _leans_back(raw):
                # "I'm 19 and considering medical assisting. Is it growing?": "it" is the story's
                guides = frozenset({told_hits[0].chunk.slug})
                told_hits = [h for h in told_hits if h.chunk.slug in guides]
                guessed = not _speaks_of_workers(story)
        hits = s.search(question, s.embed(question), guides=guides or None)
        if told_hits:
            hits = _blend(hits, told_hits, 1 - STORY_WEIGHT)
        in_scope, reason, feats = s.scope(question, hits, own=own, told=told_hits)
        if in_scope and hits and not previous and not self.settings.off("gate-subject"):
            # (or the guide is only the story's: "whats the outlook for doulas? ive been a home
            # health aide": the question asks about what it names, not about the teller's job)
            borrowed = (
                bool(guides) and not guide and not named_raw and not any(s.guides_named(p) for p in parts)
            )
            # (a guide only guessed from the story's words is no guide the story names: "are
            # doulas in demand? thinking of getting certified" asks about doulas)
            subject = (
                _unnamed_subject(raw, s, hits[0], borrowed and not guessed)
                if not guides or borrowed
                else None
            )
            if subject:
                return Retrieval(raw, (), False, f"asks about {subject}, which no guide names", other=subject)
        if in_scope and hits and not guide and not self.settings.off("gate-ruled-out"):
            # "biomedical engineer salary? …not the repair techs": the guide found is the one the
            # person set aside
            # (no occupation without a guide is named here: that returned at the top)
            ruled = s.names.ruled_out(message or raw, hits[0].chunk.slug)
            if ruled:
                return Retrieval(raw, (), False, f"rules out {ruled}", other=_ruled_out_subject(raw, s))
        # With a chat model, a rewritten follow-up may name an occupation the scope gate declines
        # (only then: the question as asked named none, or it was declined above).
        other = s.other_occupation(question) if question != raw else None
        if previous and not other:
            before = before_raw
            guides = guides or s.guides_named(before)  # "and seniors?" stays with the guide asked about
            prev_hits = s.search(
                before, s.embed(before), guides=guides or None
            )  # vector cached from last turn
            if _topicless(question) or not in_scope:
                if s.scope(before, prev_hits)[0]:
                    # "And at the senior level?" after a salary question: sections must fit both.
                    hits = _gate_by_context(hits, prev_hits)
                    in_scope, reason, feats = s.scope(question, hits, lenient=True)
                    question = f"{before} {question}"
            else:
                hits = _blend(hits, prev_hits, 1 - CONTEXT_WEIGHT)
        if in_scope and hits and not self.settings.off("ladder"):
            hits = self._tier_first(raw, message or raw, hits)
        context = " ".join(p for p in parts if p != raw)
        return Retrieval(
            question,
            tuple(hits),
            in_scope,
            reason,
            feats,
            s.rare_terms(question),
            context,
            None if in_scope else other,
            raw,
        )

    def _tier_first(self, question: str, message: str, hits: list[Hit]) -> list[Hit]:
        """The answering guide's ladder step first, when the question asks which step some years
        make or how many years a step takes ("which level does 6 years line up with?")."""
        facts = self._guide_facts(hits[0].chunk.guide)
        tier = asked_tier(question, message, facts.tiers) if facts is not None else None
        if tier is None:
            return hits
        at = next((i for i, h in enumerate(hits) if h.chunk.section == tier.section), None)
        if not at:  # not among the candidates, or first already
            return hits
        top = hits[at]
        return [replace(top, score=max(top.score, hits[0].score + 1e-3)), *hits[:at], *hits[at + 1 :]]

    def _compose(self, retrieval: Retrieval) -> Answer:
        if not retrieval.in_scope or not retrieval.hits:
            return self._decline(retrieval.query, retrieval.reason, retrieval.features, retrieval.other)
        text, sources = compose(
            retrieval.query,
            retrieval.hits,
            retrieval.rare_terms,
            # how many of the top sections the answer may quote from (the best one only when
            # the runner-up rule is switched off)
            top_k=1 if self.settings.off("runner-up") else self.settings.top_k,
            figure=self.searcher().figure_of(retrieval.asked or retrieval.query),
        )
        if not self.settings.off("quick-facts"):
            text, sources = self._quick_facts(retrieval, text, sources)
        wanted = expected_figure(retrieval.query)
        if (
            wanted
            and not self.settings.off("gate-answer-type")
            and not has_figure(text, wanted, self.searcher().neutral(retrieval.query), retrieval.context)
        ):
            # "How much does the exam cost?" answered by a section that never gives a cost.
            return self._decline(retrieval.query, f"asks for a {wanted} the guide does not give", {})
        return Answer(text, sources, False, question=retrieval.query, debug=dict(retrieval.features))

    def _quick_facts(
        self, retrieval: Retrieval, text: str, sources: tuple[Source, ...]
    ) -> tuple[str, tuple[Source, ...]]:
        """``text`` with the headline facts of the answer's guide that the question asks for
        and the quoted sections lack ("do I need a degree?" → its entry-level education)."""
        s = self.searcher()
        top = retrieval.hits[0].chunk
        facts = self._guide_facts(top.guide)
        if facts is None:
            return text, sources
        # what the question itself asks ("do they need a license?" after a pay question asks no
        # pay), the occupation's own name aside ("high school teachers" ask about no schooling)
        question = retrieval.asked or retrieval.query
        own = {w for name in s.occupations.phrases.get(top.slug, ()) for w in name}
        asked = " ".join(w for w in question.split() if singular(w.lower().strip("?,.!")) not in own)
        kind = s.figure_kind(asked)
        lines = []
        for key in quick_facts_asked(asked, text, facts.quick, kind == "money", kind == "percent"):
            source = s.quick_source(top.slug, facts.sources.get(f"quick.{key}", ""))
            if source is not None:
                lines.append((f"{QUICK_LABELS[key]} for {facts.guide}: {facts.quick[key]}.", source))
        # one guide: every question is about its occupation ("where do people go after that?");
        # the occupation lookup only for a guide that names next steps at all (most do not)
        names_guide = len(s.guide_rows) == 1 or (
            bool(facts.progression_roles) and top.slug in s.occupations.named(question)[0]
        )
        top_step = facts.tiers[-1].name.split()[0] if facts.tiers and facts.tiers[-1].name else ""
        for key in named_facts_asked(
            question, text, facts.certifications, facts.progression_roles, names_guide, top_step
        ):
            source = s.quick_source(top.slug, facts.sources.get(key, ""))
            if source is not None:
                items = join_words(list(getattr(facts, key)), "or")
                lines.append((f"{QUICK_LABELS[key]}: {items}.", source))
        return add_lines(text, sources, lines)

    def _decline(
        self, query: str, reason: str, features: dict[str, float], other: str | None = None
    ) -> Answer:
        """A refusal that says what the guides cover; ``other`` is an occupation none covers."""
        s = self.searcher()
        named = s.guides_named(query)
        closest = s.names.closest(other) if other else None
        topics = self.topics(next(iter(named)) if len(named) == 1 else closest)
        other = _as_typed(other, query) if other else None
        text = refusal_text(s.guides, topics, other=other, closest=s.guide_title.get(closest or ""))
        return Answer(text, (), True, question=query, debug={"reason": reason, **features})

    def topics(self, slug: str | None = None) -> list[str]:
        """A few top-level sections of a guide (the first by default) to suggest instead."""
        s = self.searcher()
        slug = slug if slug in s.guide_rows else min(s.guide_rows, default=None)
        cached = self._topics[1].get(slug) if self._topics and self._topics[0] is s else None
        if cached is not None:
            return cached
        names: list[str] = []
        rows: Iterable[int] = s.guide_rows.get(slug, []) if slug else []
        for top in dict.fromkeys(s.chunks[i].section.split(PATH_SEP)[0] for i in rows):
            clean = re.sub(r"\s*\(.*?\)|:.*$", "", top).strip().lower()
            words = len(clean.split())
            if clean and clean not in names and 1 <= words <= 4 and clean not in _NOT_TOPICS:
                names.append(clean)
        topics = names[:6] or ["what the guides cover"]
        if self._topics is None or self._topics[0] is not s:
            self._topics = (s, {})
        self._topics[1][slug] = topics  # per loaded index: the loop is over a guide's sections
        return topics


_PAY_WORDS = re.compile(
    r"\b(?:pay|pays|paid|paying|salary|salaries|salery|earn\w*|wages?|income|paycheck|make|makes|making|"
    r"union|benefits?|raise)\b",
    re.I,
)
_GROWTH_WORDS = re.compile(
    r"\b(?:grow\w*|growth|outlook|demand|prospects?|future|projected|projection|shrink\w*|declin\w*|dying|die|"
    r"dead|openings?|disappear\w*|going away|replaced|automated|ai|hype|viable|steady|stable|security|"
    r"forecast\w*)\b",
    re.I,
)
_DETERMINERS = frozenset("a an the my our your being becoming become be as".split())


def _bare_words(part: str) -> str:
    """A list item's words without question words and articles ("who earns more, an RN" → "RN")."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", part) if w.lower() not in _DETERMINERS]
    while words and (words[0].lower() in lexicon.STOPWORDS or words[0].lower() in _LEAD_WORDS):
        words.pop(0)
    return " ".join(words) if 1 <= len(words) <= 4 else ""


_LEAD_WORDS = frozenset("who which whose earns earn makes make pays pay paid more better".split())


def _bare_occupation(part: str) -> str | None:
    """An occupation named bare in a list ("an electrician" of "electrician or plumber?")."""
    from .occupations import GENERIC_PEOPLE, is_person_noun

    words = [w for w in lexicon.words(part) if w not in _DETERMINERS and "-" not in w]
    if not 1 <= len(words) <= 3 or not all(w.isalpha() and w not in lexicon.STOPWORDS for w in words):
        return None
    head = words[-1]
    if head in GENERIC_PEOPLE or singular(head) in GENERIC_PEOPLE or not is_person_noun(head):
        return None
    return " ".join(words)


_ASKING = re.compile(
    r"\b(?:how much|what|typical|typically|average|median|per|a|an|the|year|yearly|annual|annually|"
    r"hour|hourly|"
    r"month|monthly|week|weekly|starting|start|entry|level|money|cash|good|bad|decent|really|actually|still|"
    r"real|worth|career|careers|field|fields|industry|trade|trades|line|work|serious|question|right now|now|"
    r"these|days|next|years?|ten|10|us|u\.s\.|usa|united states|america|in|at|like|people|folks|someone|"
    r"living|thinking|getting|into)\b",
    re.I,
)


def _unnamed_subject(question: str, s: Searcher, top: Hit, borrowed: bool = False) -> str | None:
    """What a pay or outlook question asks about when it names no guide and the best guide does
    not speak of it ("chimney sweep salary?" answered by the lead technician's pay would be
    another occupation's figure); None when the guide fits or nothing is asked. ``borrowed``:
    the guide is the story's, so only a phrase in the place of a subject counts."""
    if figure_asked(question) is None:
        return None
    phrase = _asked_subject(question)
    if borrowed:
        # a kind of worker in the place of the asked subject ("doulas"), not people in general
        # ("the pay like for beginners?" of the teller's own job) nor other words ("kinda flat")
        someone = s.occupations.someone_asked(question)
        if someone is None or not someone.phrase or someone.slugs:
            return None
        phrase = someone.phrase.split()
    slug = top.chunk.slug
    own = s.names.name_stems.get(slug, set())
    found = lexicon.terms(f"{top.chunk.section} {top.chunk.text}")

    def named(w: str) -> bool:
        return bool({lexicon.stem(w), lexicon.stem(singular(w))} & own)

    def spoken(w: str) -> bool:
        # in the guide's names, its headings and opening words ("also called exterminators"),
        # or the section found
        return named(w) or lexicon.stem(w) in found or s.occupations.uses(w, [slug])

    if len(s.guide_rows) < 2:
        # One guide answers everything asked; only someone else's pay is another's figure
        # ("what's a maintenance manager's salary?" of a guide that names the role as a next
        # step, never its pay): a kind of worker neither its names nor the section found say.
        if not phrase or not _someone(phrase) or s.occupations.named(question)[0]:
            return None
        if all(named(w) for w in phrase) or _in_order(phrase, found):
            return None
        words = phrase
    elif phrase is None:
        # nothing in the place of a subject: some word of the question the guide speaks of will do
        words = _subject_words(question)
        if not words or any(spoken(w) for w in words):
            return None
    else:
        # the phrase as a whole: "interior design" is not the animators' "design", nor "court
        # reporting" the police's court and reports
        words = phrase
        if len(words) == 1 and spoken(words[0]):
            return None
        if len(words) > 1 and (
            all(named(w) for w in words)
            or s.occupations.says(" ".join(words), slug)
            or _in_order(words, found)
        ):
            return None
    subject = " ".join(words)
    # or it means much the same in other words ("foot doctor" 0.58 Podiatrists, "sped teachers"
    # 0.55 Special Education Teachers; "chimney sweep" 0.15 to the lead technician guide, "travel
    # agents" 0.36 Police and Detectives, "meter maid" 0.38 Correctional Officers)
    return None if s.names.closeness(subject, slug) >= SUBJECT_NEAR else subject


def _ruled_out_subject(question: str, s: Searcher) -> str:
    """What a question asks about that its "not …" sets apart from the guide found: the kind of
    worker asked, else the words in the asked place ("occupational health and safety specialists
    … not the engineers")."""
    asked = s.occupations.someone_asked(question)
    if asked is not None and asked.phrase:
        return asked.phrase
    first = re.split(r"[?.!]\s|[,;(]\s*not\b", question)[0]
    subject = _subject_words(first)
    return _as_typed(" ".join(subject), question) if subject else "that occupation"


def _asked_subject(question: str) -> list[str] | None:
    """The words in the place a question names what it asks about ("interior design" of "the
    outlook for interior design"), else those of its first sentence beyond asking for pay or
    growth ("whats the job outlook in fashion design" → fashion design); None without any."""
    for _, words in asked_phrases(question):
        subject = _subject_words(" ".join(words))
        if subject:
            return subject
    return _subject_words(re.split(r"[?.!]\s", question)[0]) or None


def _as_typed(phrase: str, question: str) -> str:
    """``phrase`` as the question writes it ("hr manager" → "HR manager")."""
    m = re.search(r"\W+".join(re.escape(w) for w in phrase.split()), question, re.I)
    return m.group(0) if m else phrase


def _someone(words: Sequence[str]) -> bool:
    """Whether a phrase names a kind of worker ("maintenance manager"), not people in general."""
    from .occupations import GENERIC_PEOPLE, is_person_noun

    return is_person_noun(words[-1]) and singular(words[-1]) not in GENERIC_PEOPLE


def _in_order(words: Sequence[str], terms: Sequence[str]) -> bool:
    """Whether ``words`` stand one after another in ``terms`` (a text's stemmed terms)."""
    stems = [lexicon.stem(w) for w in words]
    n = len(stems)
    return any(list(terms[i : i + n]) == stems for i in range(len(terms) - n + 1))


def _subject_words(text: str) -> list[str]:
    """The words of ``text`` beyond asking for pay or growth ("sommelier" of "a sommelier's salary")."""
    rest = _ASKING.sub(" ", _PAY_WORDS.sub(" ", _GROWTH_WORDS.sub(" ", text)))
    words = [w.removesuffix("'s") for w in lexicon.content_words(rest)]
    return [w for w in words if w.isalpha() and len(w) > 2]


def _likeliest(slugs: frozenset[str], by_slug: Mapping[str, Occupation]) -> str:
    """One guide of several a name fits equally ("nurse"): the occupation with the most jobs."""
    return max(sorted(slugs), key=lambda g: by_slug[g].figures.jobs or 0 if g in by_slug else -1)


def _topicless(question: str) -> bool:
    """A follow-up that keeps the previous topic ("and seniors?", "how long does that take?"), not
    one that asks something new about the same people ("do they work weekends?")."""
    return bool(_LEADING_WORD.match(question)) or _no_topic(question)


def _no_topic(question: str) -> bool:
    """Whether a question has no topic of its own ("how much does it run?", "what do they pay?")."""
    return len(lexicon.content_words(question)) <= 2


_LEADING_WORD = re.compile(r"^\s*(?:and|but|so|also|then|what about|how about|same for)\b", re.I)


_COUNTS = re.compile(
    r"\b\d+(?:\.\d+)?\s*\+?\s*(?:years?|yrs?|months?|weeks?)(?:\s+old)?\b"
    r"|\b(?:i'?m|i am|age[d]?|turning|turned)\s+\d{2}\b",
    re.I,
)


_LADDER = re.compile(
    r"\b(?:levels?|tiers?|rungs?|steps?|ladder|promot\w*|advanc\w*|next|move up|climb\w*)\b", re.I
)


def _without_counts(story: str) -> str:
    """A backstory without its counts of years and age ("I'm 41, 6 years in the navy" → "in the navy")."""
    return _COUNTS.sub(" ", story)


# a clause of its own within a question ("been a glazier 5 yrs, roofing pays more right?")
_CLAUSE = re.compile(r",\s|[.;:!?]\s|\s[—–-]+\s")


def _own_job_only(question: str, s: Searcher) -> bool:
    """Whether the clauses of ``question`` before the one that asks tell of the asker or name a
    guide, and the one that asks names none and points back at nobody ("im in ad sales rn, would
    PR be better?"; not "I'm a nurse, is it stressful?")."""
    *told, asking = [c for c in _CLAUSE.split(question) if c.strip()] or [""]
    return (
        bool(told)
        and not s.guides_named(asking)
        and not _BACK.search(asking)
        and any(tells(t) or s.guides_named(t) for t in told)
    )


def _untold(question: str) -> str:
    """``question`` without the clauses that tell of the asker or someone they know (whole
    when every clause does: "is it more than i would make as a nurse?")."""
    return ", ".join(c for c in _CLAUSE.split(question) if c.strip() and not tells(c)) or question


def _speaks_of_workers(text: str) -> bool:
    """Whether ``text`` names some kind of worker ("…a host at a restaurant", "(electromechanical
    technician)"), by its ending or as a word heading titles of the handbook's index."""
    from .known import title_heads

    heads = title_heads()
    return any(is_person_noun(w) or singular(w) in heads for w in lexicon.words(text))


# a story that weighs a choice ("torn between", "choosing", "deciding")
_CHOICE = re.compile(r"\b(?:between|torn|choos(?:e|ing)|decid(?:e|ing)|either)\b", re.I)


def _leans_back(question: str) -> bool:
    """Whether a question points back at someone named before ("do they…", "is it…", "and…")."""
    return is_follow_up(question) or bool(_BACK.search(question))


_PRONOUNS = "they|them|their|it|its"
_BACK = re.compile(rf"\b(?:{_PRONOUNS}|that job|this job|those|these)\b", re.I)
# "it", "they", and "that"/"this" standing for a thing ("is that higher than for the CCT?",
# "how much is that?"), not pointing at a noun ("that job")
_PRONOUN = re.compile(
    rf"\b(?:{_PRONOUNS})\b|\b(?:is|was|does|did|will|would|can|could)\s+(?:that|this)\b"
    r"(?!\s+(?:job|role|field|career|work|trade|line|position|occupation|industry)\b|\s+[a-z]+\s+(?:is|was|pays?|takes?))"
    r"|\b(?:that|this)(?:'s|’s)?(?=\s*(?:$|[?.!,]))"
    # "which one pays more?", "will my employer cover that for me?"
    r"|\bwhich (?:one|ones)\b|\b(?:cover|covers|pay for|pays for|reimburse|afford|renew)\s+(?:that|this)\b",
    re.I,
)

_OWN_CHOICE = re.compile(
    r"\bwhich(?:\s+(?:one|ones|of (?:them|these|those|the two)|offer|job|company|place))?\s+"
    r"(?:should|would|do)\s+(?:i|u|you)\s+(?:take|pick|choose|accept|go (?:with|for))\b",
    re.I,
)
_OFFERS = re.compile(
    r"\b(?:two|2|three|3|both|multiple|several|competing)\s+(?:job\s+)?offers\b|\boffers? from\b", re.I
)
# "or should i just be a nurse", "or would I be better off as a phlebotomist"
_ALTERNATIVE = re.compile(r"^\W*or\s+(?:should|would|could|shall|is it better|do i|maybe)\b", re.I)

_NOT_TOPICS = {"overview", "summary", "sources & references", "sources and references", "more info"}


def _gate_by_context(own: Sequence[Hit], context: Sequence[Hit]) -> list[Hit]:
    """Follow-up ranking: ``own · (floor + context)``; unit scores averaged."""
    ctx = {h.chunk.id: h for h in context}
    lowest = min((h.score for h in context), default=0.0)  # what an unranked section gets
    ranked: list[Hit] = []
    for h in own:
        c = ctx.get(h.chunk.id)
        if c is None:
            ranked.append(replace(h, score=h.score * (CONTEXT_FLOOR + lowest)))
            continue
        # Which sentence answers is mostly the follow-up's own business ("asia?").
        units = tuple(
            OWN_UNIT_WEIGHT * a + (1 - OWN_UNIT_WEIGHT) * b
            for a, b in zip(h.unit_scores, c.unit_scores, strict=True)
        )
        ranked.append(replace(h, score=h.score * (CONTEXT_FLOOR + c.score), unit_scores=units))
    ranked.sort(key=lambda h: -h.score)
    return ranked


def _blend(primary: Sequence[Hit], secondary: Sequence[Hit], weight: float) -> list[Hit]:
    """Scores, and unit scores, mixed as ``weight·primary + (1-weight)·secondary``."""
    other = {h.chunk.id: h for h in secondary}
    blended: list[Hit] = []
    for h in primary:
        o = other.get(h.chunk.id)
        if o is None:
            blended.append(replace(h, score=weight * h.score))
            continue
        units = tuple(
            weight * a + (1 - weight) * b for a, b in zip(h.unit_scores, o.unit_scores, strict=True)
        )
        blended.append(replace(h, score=weight * h.score + (1 - weight) * o.score, unit_scores=units))
    blended.sort(key=lambda h: -h.score)
    return blended
