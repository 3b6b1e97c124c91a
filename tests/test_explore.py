"""The career explorer (careerbot.explore): comparisons and lists from headline facts, cited.

Fast tests on hand-made occupations, plus the whole shared BLS corpus read without an index:
every figure an answer shows stands in the source it cites, in the order asked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from careerbot import explore
from careerbot.answer import Source
from careerbot.explore import Filters, Occupation, comparison_metric, read_find
from careerbot.facts import QuickFigures, extract_facts, quick_figures
from careerbot.ingest import load_guide

ROOT = Path(__file__).resolve().parents[1]
BLS = ROOT.parent / "shared" / "guides" / "bls"


def occupation(
    name: str, pay: int | None, education: str, outlook: str, hourly: float | None = None
) -> Occupation:
    text = {"education": education, "outlook": outlook}
    if pay is not None:
        text["median_pay"] = f"${pay:,} per year" + (f"; ${hourly:.2f} per hour" if hourly else "")
    elif hourly is not None:
        text["median_pay"] = f"${hourly:.2f} per hour"
    m = re.match(r"(-?\d+)% \((.*)\)", outlook)
    figures = QuickFigures(
        pay_year=pay,
        pay_hour=hourly,
        education=education,
        growth_pct=float(m.group(1)) if m else None,
        growth_words=m.group(2) if m else None,
        jobs=1000,
        text=text,
    )
    return Occupation(name, name.lower().replace(" ", "-"), figures, f"Summary > Quick Facts: {name}")


def source(o: Occupation) -> Source:
    lines = [f"{k}: {v}" for k, v in o.figures.text.items()]
    return Source(o.section, o.guide, "\n".join(lines), 1.0, o.slug, o.slug)


WELDERS = occupation("Welders", 51000, "High school diploma or equivalent", "2% (Slower than average)", 24.52)
BAKERS = occupation("Bakers", 36650, "No formal educational credential", "6% (Faster than average)", 17.62)
NURSES = occupation("Registered Nurses", 93600, "Bachelor's degree", "5% (Faster than average)", 45.0)
ACTORS = occupation("Actors", None, "Some college, no degree", "0% (Little or no change)", 23.33)
ALL = [WELDERS, BAKERS, NURSES, ACTORS]


def test_comparison_names_the_better_paid_and_cites_every_cell() -> None:
    c = explore.compare([WELDERS, BAKERS], [source(WELDERS), source(BAKERS)], metric="pay")
    assert c.winner is WELDERS
    assert c.answer.mode == "compare" and not c.answer.refused
    assert "**Welders**" in c.answer.text and "$51,000" in c.answer.text and "$36,650" in c.answer.text
    header, *rows = c.answer.table
    assert header == ("", "Welders", "Bakers")
    for row in rows:  # every cell of both occupations carries its own citation
        assert row[1].endswith("[1]") and row[2].endswith("[2]"), row
    assert explore.markdown_table(c.answer.table) in c.answer.text


@pytest.mark.parametrize(("metric", "winner"), [("pay", NURSES), ("outlook", BAKERS), ("education", BAKERS)])
def test_the_winner_follows_the_metric(metric: str, winner: Occupation) -> None:
    occs = [WELDERS, BAKERS, NURSES]
    c = explore.compare(occs, [source(o) for o in occs], metric=metric)  # type: ignore[arg-type]
    assert c.winner is winner


def test_an_hourly_only_pay_is_never_ranked_against_yearly_figures() -> None:
    yearly_only = occupation("Economists", 115440, "Master's degree", "1% (Slower than average)")
    c = explore.compare([yearly_only, ACTORS], [source(yearly_only), source(ACTORS)], metric="pay")
    assert c.winner is None
    assert "$23.33 an hour" in c.answer.text and "cannot be compared exactly" in c.answer.text
    # both give an hourly figure: compared per hour, shown per hour
    c = explore.compare([WELDERS, ACTORS], [source(WELDERS), source(ACTORS)], metric="pay")
    assert c.winner is WELDERS
    assert "a median of $24.52 an hour [1], against $23.33 an hour for Actors [2]" in c.answer.text


def test_a_missing_occupation_is_named_and_never_filled_in() -> None:
    c = explore.compare([WELDERS], [source(WELDERS)], missing=["sommeliers"], metric="pay")
    assert c.missing == ("sommeliers",)
    assert "no guide for sommeliers" in c.answer.text
    assert len(c.answer.sources) == 1 and c.answer.table[0] == ("", "Welders")


def test_find_filters_sorts_and_cites() -> None:
    f = explore.find(ALL, Filters(max_education="high school", min_pay=30000), source)
    assert [o.guide for o in f.matches] == ["Welders", "Bakers"]
    assert [s.guide for s in f.answer.sources] == ["Welders", "Bakers"]
    assert f.answer.text.startswith("2 of the 4 occupations in the guides need at most a high school diploma")
    assert "Actors" not in f.answer.text  # "some college" is more than high school


def test_find_says_when_a_figure_is_missing_and_which_filter_empties_the_list() -> None:
    f = explore.find(ALL, Filters(max_education="no formal", min_pay=50000), source)
    assert f.matches == () and not f.answer.refused
    assert f.answer.text.startswith("None of the 4 occupations")
    assert f.relaxed == {"education": 2, "pay": 1}
    assert "Without the education limit, 2 would." in f.answer.text
    hourly = explore.find(ALL, Filters(min_pay=20000, max_education="some college"), source)
    assert ACTORS in hourly.left_out and ACTORS not in hourly.matches  # no yearly figure: not guessed


def test_find_shows_the_limit_and_counts_the_rest() -> None:
    f = explore.find(ALL, Filters(sort="growth", limit=2), source)
    assert [o.guide for o in f.matches] == ["Bakers", "Registered Nurses", "Welders", "Actors"]
    assert len(f.answer.sources) == 2 and "…and 2 more." in f.answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "which jobs only need a high school diploma and pay over $55k?",
            {"max_education": "High school diploma or equivalent", "min_pay": 55000, "sort": "pay"},
        ),
        (
            "top 5 fastest growing jobs that don't need a degree",
            {"max_education": "Some college, no degree", "sort": "growth", "limit": 5},
        ),
        ("any careers that pay six figures?", {"min_pay": 100000}),
        ("best paying jobs with a bachelor's degree", {"min_education": "Bachelor's degree", "sort": "pay"}),
        ("jobs paying $25/hr or more with no experience", {"min_hourly": 25.0, "no_experience": True}),
        ("which occupations are declining the fastest?", {"sort": "growth", "descending": False}),
        ("what careers are growing much faster than average", {"min_outlook": "Much faster than average"}),
    ],
)
def test_find_questions_are_read(question: str, expected: dict[str, object]) -> None:
    filters = read_find(question)
    assert filters is not None
    for key, value in expected.items():
        assert getattr(filters, key) == value, key


@pytest.mark.parametrize(
    "question",
    [
        "what does a welder earn?",
        "how do I become a lead technician?",
        "what jobs can a lead tech move into after 10 years?",
        "is the work physical?",
    ],
)
def test_other_questions_are_no_find(question: str) -> None:
    assert read_find(question) is None


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("who earns more, an electrician or a plumber?", "pay"),
        ("nurse vs dental hygienist which has better job prospects", "outlook"),
        ("which needs less school, welder or baker", "education"),
        ("welder or baker?", None),
    ],
)
def test_comparison_metric(question: str, metric: str | None) -> None:
    assert comparison_metric(question) == metric


# --------------------------------------------------------------------------- the 300 real pages


@pytest.fixture(scope="module")
def bls() -> list[tuple[Occupation, Source]]:
    if not BLS.is_dir():
        pytest.skip("../shared/guides/bls is not beside the checkout")
    out = []
    for path in sorted(BLS.glob("*.html")):
        guide = load_guide(path)
        facts = extract_facts(guide.title, [(s.name, s.text) for s in guide.sections])
        where = facts.sources.get("quick.median_pay") or facts.sources.get("quick.education")
        if where is None:
            continue
        text = next(s.text for s in guide.sections if s.name == where)
        o = Occupation(guide.title, guide.slug, quick_figures(facts), where, facts.similar)
        out.append((o, Source(where, guide.title, text, 1.0, guide.slug, guide.slug)))
    return out


def _figures_cited(answer_text: str, sources: tuple[Source, ...]) -> None:
    """Every dollar figure and percentage of each table row stands in the source that row cites."""
    for line in answer_text.splitlines():
        marks = re.findall(r"\[(\d+)\]", line)
        if not line.startswith("|") or not marks:
            continue
        cited = " ".join(sources[int(n) - 1].text for n in marks)
        for figure in re.findall(r"\$[\d,]+(?:\.\d\d)?|-?\d+%", line):
            assert figure in cited, (figure, line)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(max_education="high school", min_pay=55000),
        Filters(max_education="some college", sort="growth", limit=5),
        Filters(min_education="bachelor", max_education="bachelor", sort="pay"),
        Filters(no_experience=True, min_outlook="Faster than average", min_pay=60000),
        Filters(sort="jobs", limit=10),
        Filters(max_growth=-0.01, sort="growth", descending=False),
    ],
)
def test_find_over_every_shared_page_is_ordered_and_cited(
    bls: list[tuple[Occupation, Source]], filters: Filters
) -> None:
    occs = [o for o, _ in bls]
    by_slug = {o.slug: s for o, s in bls}
    found = explore.find(occs, filters, lambda o: by_slug[o.slug])
    assert found.matches, filters
    values = [explore._value_of(filters.sort, o) for o in found.matches]
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=filters.descending)
    _figures_cited(found.answer.text, found.answer.sources)
    assert len(found.answer.sources) == min(filters.limit, len(found.matches))


def test_compare_over_shared_pages_is_cited(bls: list[tuple[Occupation, Source]]) -> None:
    pick = {o.slug: (o, s) for o, s in bls}
    slugs = ["electricians", "plumbers-pipefitters-and-steamfitters", "dental-hygienists"]
    occs = [pick[s][0] for s in slugs]
    c = explore.compare(occs, [pick[s][1] for s in slugs], metric="pay")
    best = max(occs, key=lambda o: o.figures.pay_year or 0)
    assert c.winner is best
    _figures_cited(c.answer.text, c.answer.sources)


# --------------------------------------------------------------------------- through ask()

PAGES = (
    "electricians",
    "plumbers-pipefitters-and-steamfitters",
    "bakers",
    "welders-cutters-solderers-and-brazers",
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The shipped guide and four real pages, indexed for real; the pages stay in ../shared
    (two corpus folders joined, as a user indexes a folder of guides beside the shipped one)."""
    if not BLS.is_dir():
        pytest.skip("../shared/guides/bls is not beside the checkout")
    import os

    from careerbot.config import Settings
    from careerbot.engine import Engine

    pages = tmp_path_factory.mktemp("pages")
    for page in PAGES:
        (pages / f"{page}.html").symlink_to(BLS / f"{page}.html")
    corpus = f"{ROOT / 'corpus'}{os.pathsep}{pages}"
    settings = Settings.from_env({}, corpus_dir=Path(corpus), index_dir=tmp_path_factory.mktemp("index"))
    e = Engine(settings)
    e.searcher()
    return e


@pytest.mark.slow
def test_a_comparison_question_is_answered_from_the_facts(engine) -> None:  # type: ignore[no-untyped-def]
    a = engine.ask("who earns more, an electrician or a plumber?")
    assert a.mode == "compare" and not a.refused
    assert [s.slug for s in a.sources] == ["electricians", "plumbers-pipefitters-and-steamfitters"]
    assert all("Quick Facts" in s.section for s in a.sources)
    assert (
        "Better paid: **Plumbers, Pipefitters, and Steamfitters**, with a median of $62,970 a year [2]"
        in a.text
    )
    assert "$62,350 a year for Electricians [1]" in a.text
    _figures_cited(a.text, a.sources)
    assert engine.related_questions("who earns more, an electrician or a plumber?", a) == []


@pytest.mark.slow
def test_an_occupation_without_a_guide_is_named_not_filled_in(engine) -> None:  # type: ignore[no-untyped-def]
    a = engine.ask("welder vs sommelier, who makes more?")
    assert "no guide for sommelier" in a.text
    assert [s.slug for s in a.sources] == ["welders-cutters-solderers-and-brazers"]
    both = engine.ask("who earns more, a sommelier or a florist?")
    assert both.refused and not both.sources


@pytest.mark.slow
def test_a_find_question_lists_the_guides_that_fit(engine) -> None:  # type: ignore[no-untyped-def]
    a = engine.ask("which jobs only need a high school diploma and pay over $55k?")
    assert a.mode == "find"
    assert [s.slug for s in a.sources] == ["plumbers-pipefitters-and-steamfitters", "electricians"]
    _figures_cited(a.text, a.sources)


@pytest.mark.slow
def test_questions_about_one_occupation_keep_the_section_answer(engine) -> None:  # type: ignore[no-untyped-def]
    for q in (
        "what does a plumber earn?",
        "do welders need a license or certification?",
        "is being a baker a dying career? will there be any jobs left",
    ):
        assert engine.ask(q).mode == "grounded", q


@pytest.mark.slow
def test_the_public_compare_and_find_are_typed(engine) -> None:  # type: ignore[no-untyped-def]
    c = engine.compare(["bakers", "welders"], metric="outlook")
    assert isinstance(c, explore.Comparison) and c.winner is not None and c.winner.slug == "bakers"
    f = engine.find(max_education="high school", sort="growth")
    assert isinstance(f, explore.Found) and f.matches
    assert [o.figures.growth_pct for o in f.matches] == sorted(
        (o.figures.growth_pct for o in f.matches), key=lambda g: -(g or 0.0)
    )
    from careerbot.errors import QuestionError

    with pytest.raises(QuestionError, match="Unknown education level"):
        engine.find(max_education="kindergarten")
    with pytest.raises(QuestionError, match="one to four"):
        engine.compare([])
