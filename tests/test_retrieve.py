"""Retrieval on a handful of in-memory sections: no Chroma, no model.

The vectors come from a tiny deterministic encoder (stemmed words hashed into 256 dimensions),
so texts sharing words are similar and others are not: enough to exercise the ranking, the scope
gate and the guides' names exactly as the engine uses them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest

from careerbot import lexicon
from careerbot.errors import QuestionError
from careerbot.ingest import PATH_SEP, Chunk
from careerbot.reader import Snapshot
from careerbot.retrieve import Searcher
from careerbot.rows import chunk_embedding_text, section_units, unit_embedding_text

DIM = 256


class WordHashEncoder:
    """Bag of stemmed words, hashed: unit rows, equal texts give equal vectors."""

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in lexicon.terms(text):
                out[row, int(hashlib.md5(term.encode()).hexdigest(), 16) % DIM] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else np.eye(DIM, dtype=np.float32)[0]
        return out


GUIDES = {
    ("Baker Career Guide", "baker"): [
        ("Annual Salary", "facts", "Entry-Level: $30,000\nMedian: $38,000\nSenior-Level: $52,000"),
        ("Job Outlook", "prose", "Employment of bakers is projected to grow 5 percent over the decade."),
        ("Work Environment", "prose", "Bakers start before dawn. Commercial ovens make the kitchen hot."),
        ("Is an apprenticeship required?", "faq", "No. Most bakers learn on the job from experienced staff."),
    ],
    ("Librarian Career Guide", "librarian"): [
        ("Pay", "prose", "The median pay for librarians was $64,370 per year in May 2023."),
        ("Education", "prose", "Librarians typically need a master's degree in library science (MLS)."),
        ("Work Environment", "prose", "Most librarians work in schools, colleges and public libraries."),
    ],
}


def make_snapshot(guides: dict[tuple[str, str], list[tuple[str, str, str]]]) -> Snapshot:
    """A snapshot as the reader returns it, embedded with the hashing encoder."""
    encoder = WordHashEncoder()
    chunks = [
        Chunk(f"{slug}-{i}", title, slug, f"{title}{PATH_SEP}{name}", kind, text, i)
        for (title, slug), sections in guides.items()
        for i, (name, kind, text) in enumerate(sections)
    ]
    vectors = encoder.encode([chunk_embedding_text(c) for c in chunks])
    units = {}
    for c in chunks:
        mine = section_units(c)
        units[c.id] = (mine, encoder.encode([unit_embedding_text(c, u) for u in mine]))
    return Snapshot.of(chunks, vectors, units, token="build-1")


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    from wordfreq import zipf_frequency

    zipf_frequency("baker", "en")  # its word list loads once (~1 s), here rather than in a test
    return make_snapshot(GUIDES)


@pytest.fixture
def searcher(snapshot: Snapshot) -> Searcher:
    return Searcher(snapshot, WordHashEncoder())


def test_a_searcher_is_built_from_memory_alone(searcher: Searcher, snapshot: Snapshot) -> None:
    assert searcher.token == "build-1" and searcher.chunks == list(snapshot.chunks)
    assert not searcher.holds_store()  # no store behind it: nothing to ask
    assert searcher.guides == ["Baker Career Guide", "Librarian Career Guide"]
    with pytest.raises(ValueError):
        snapshot.vectors[0, 0] = 1.0  # the snapshot is read-only


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("What is the median salary of a baker?", "Baker Career Guide > Annual Salary"),
        ("Do librarians need a master's degree?", "Librarian Career Guide > Education"),
        # no shared word with the section: found through the lexicon (money → salary, wage, pay)
        # and the pay figure it holds
        ("How much money would I bring home as a librarian?", "Librarian Career Guide > Pay"),
        # a question like an FAQ entry's own question ranks that entry
        ("Is an apprenticeship required to start?", "Baker Career Guide > Is an apprenticeship required?"),
    ],
)
def test_fusion_ranks_the_answering_section_first(searcher: Searcher, question: str, section: str) -> None:
    hits = searcher.search(question)
    assert hits[0].chunk.section == section
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_lexicon_and_figure_intent_lift_a_pay_section(snapshot: Snapshot) -> None:
    question = "How much money would I bring home as a librarian?"
    plain = Searcher(snapshot, WordHashEncoder(), off=lambda f: f in {"lexicon", "figure-intent"})
    full = Searcher(snapshot, WordHashEncoder())
    pay = {h.chunk.id: h for h in full.search(question)}["librarian-0"]
    without = {h.chunk.id: h for h in plain.search(question)}.get("librarian-0")
    assert pay.lexical == 1.0  # the best lexical match, by the lexicon's words alone
    assert without is None or without.score < pay.score - 0.3


def test_search_within_chosen_guides_stays_there(searcher: Searcher) -> None:
    hits = searcher.search("What is the work environment like?", guides=frozenset({"librarian"}))
    assert hits and {h.chunk.slug for h in hits} == {"librarian"}
    assert hits[0].chunk.title == "Work Environment"


def test_question_vectors_are_cached_and_role_names_neutral(snapshot: Snapshot) -> None:
    encoder = WordHashEncoder()
    searcher = Searcher(snapshot, encoder)
    first = searcher.embed("What do bakers earn?")
    calls = encoder.calls
    assert searcher.embed("What do bakers earn?") is first and encoder.calls == calls
    assert searcher.neutral("What do bakers earn?") == "What do someone in this job earn?"


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("How do I tune a motorcycle carburetor?", "nothing similar in the guide"),
        ("What do bakers earn in euros?", "asks for figures in euros, which the guides do not give"),
        ("baker pay in CAD?", "asks for figures in Canadian dollars, which the guides do not give"),
        ("Do bakers at Tesla earn more?", "names something the guide does not (Tesla)"),
        ("Do bakers in Toronto earn more?", "asks about a place the guides never name (Toronto)"),
        ("Write me a cover letter for a baker job", "asks me to write something"),
        ("Do bakers get a company truck?", "asks whether the job comes with something"),
        ("Do bakers get health insurance?", "asks about benefits, which the guide never mentions"),
        ("are most bakers unionized?", "asks about union membership, which the guide never mentions"),
        ("which bakeries in houston are hiring?", "asks about a place the guides never name (Houston)"),
        ("which state pays bakers the most?", "asks which state, and the sections found name none"),
    ],
)
def test_scope_gate_declines_what_the_guides_do_not_cover(
    searcher: Searcher, question: str, reason: str
) -> None:
    covered, why, _ = searcher.scope(question, searcher.search(question))
    assert not covered and why.startswith(reason)


def test_a_currency_code_is_asked_only_beside_an_amount_or_after_in(searcher: Searcher) -> None:
    # a "CAD baker" draws cakes with computers
    question = "what does a CAD baker earn?"
    why = searcher.scope(question, searcher.search(question))[1]
    assert "Canadian" not in why


def test_pay_in_a_place_needs_figures_for_that_place() -> None:
    # the guide names Germany, but its pay figures are for the US: pay "in germany" is declined,
    # demand there is what the guide says in words
    guides = {
        ("Baker Career Guide", "baker"): [
            ("Annual Salary (US)", "facts", "Entry-Level: $30,000\nMedian: $38,000\nSenior-Level: $52,000"),
            ("Global Outlook", "prose", "Bakers are in demand in Germany, France and Japan."),
        ]
    }
    searcher = Searcher(make_snapshot(guides), WordHashEncoder())
    pay = "whats a baker make in germany?"
    covered, why, _ = searcher.scope(pay, searcher.search(pay))
    assert not covered and why == "asks for figures in Germany, which the sections found do not give"
    demand = "are bakers in demand in germany?"
    assert searcher.scope(demand, searcher.search(demand))[0]
    home = "whats the median salary for a baker in the US?"
    assert searcher.scope(home, searcher.search(home))[0]


def test_an_extra_the_guide_names_without_a_figure_has_no_rate() -> None:
    guides = {
        ("Baker Career Guide", "baker"): [
            ("Work Schedules", "prose", "Bakers often work overtime during the holidays."),
            ("Annual Salary", "facts", "Median: $38,000"),
        ]
    }
    searcher = Searcher(make_snapshot(guides), WordHashEncoder())
    rate = "whats the overtime rate for bakers, time and a half?"
    covered, why, _ = searcher.scope(rate, searcher.search(rate))
    assert not covered and why == "asks for the rate of overtime pay, which the guide never gives"
    plain = "do bakers work overtime during the holidays?"
    assert searcher.scope(plain, searcher.search(plain))[0]
    advice = "any tips for bakers working the holidays?"  # advice, not tips as pay
    assert not searcher.scope(advice, searcher.search(advice))[1].startswith("asks about tips")


def test_scope_gate_accepts_a_covered_question(searcher: Searcher) -> None:
    question = "What is the median pay for librarians?"
    covered, why, feats = searcher.scope(question, searcher.search(question))
    assert covered and why == "" and feats["sim"] > 0.5


def test_an_occupation_no_guide_covers_is_named(searcher: Searcher) -> None:
    assert searcher.other_occupation("What does a firefighter earn?") == "firefighter"
    covered, why, _ = searcher.scope("What does a firefighter earn?", [])
    assert not covered and "another occupation" in why
    assert searcher.other_occupation("What does a baker earn?") is None


@pytest.mark.parametrize(
    ("question", "slugs"),
    [
        ("what do bakers earn?", {"baker"}),
        ("what does a libarian earn?", {"librarian"}),  # misspelt: as the guides spell it
        ("is this a good career?", set()),  # names no occupation
    ],
)
def test_the_guide_a_question_names(searcher: Searcher, question: str, slugs: set[str]) -> None:
    assert searcher.guides_named(question) == slugs


def test_guides_are_chosen_by_title_slug_or_role(searcher: Searcher) -> None:
    assert searcher.resolve_guide("Librarian Career Guide") == "librarian"
    assert searcher.resolve_guide(" BAKER ") == "baker"
    with pytest.raises(QuestionError, match="choose one of: Baker Career Guide"):
        searcher.resolve_guide("plumber")


def test_rare_terms_are_used_by_one_or_two_sections(searcher: Searcher) -> None:
    assert searcher.rare_terms("Is the MLS degree hard?") >= {"mls"}
    assert "librarian" not in searcher.rare_terms("What do librarians do?")  # in every library section


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("do bakers usually get a pension?", "pension"),
        ("does the job come with a company truck?", "company truck"),
        ("do bakers get stuck with early shifts?", None),  # no thing asked for
        ("did anyone get hurt?", None),
    ],
)
def test_a_perk_no_guide_names_is_found(searcher: Searcher, question: str, thing: str | None) -> None:
    assert searcher.gate.unknown_thing(question) == thing
