"""Real published pages beside the shipped guide: the right guide answers, others are declined."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from careerbot.config import Settings

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
BLS = ROOT.parent / "shared" / "guides" / "bls"
PAGES = (
    "plumbers-pipefitters-and-steamfitters",
    "dental-hygienists",
    "licensed-practical-and-licensed-vocational-nurses",
)


@pytest.fixture(scope="module")
def bls_engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not BLS.is_dir():
        pytest.skip("../shared/guides/bls is not beside the checkout")
    from careerbot.engine import Engine

    corpus = tmp_path_factory.mktemp("bls-corpus")
    shutil.copy(ROOT / "corpus" / "lead-technician.txt", corpus)
    for page in PAGES:
        shutil.copy(BLS / f"{page}.html", corpus)
    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("bls-index"))
    engine = Engine(settings)
    engine.searcher()
    return engine


@pytest.mark.parametrize(
    ("question", "slug", "section", "fact"),
    [
        ("How much does a plumber make?", "plumbers-pipefitters-and-steamfitters", "", "$62,970"),
        ("what do dental hygienists earn?", "dental-hygienists", "", "$94,260"),
        ("how much do LPNs make a year?", "licensed-practical-and-licensed-vocational-nurses", "", "$62,340"),
        ("is plumbing a growing field? how much growth", "plumbers-pipefitters-and-steamfitters", "", "4"),
        ("do you need a license to be a dental hygienist?", "dental-hygienists", "licens", "licens"),
        ("What does a lead technician earn?", "lead-technician", "Salary", "$77,500"),
        # what a message sets aside is no question about it
        (
            "what do LPNs make? not registered nurses",
            "licensed-practical-and-licensed-vocational-nurses",
            "",
            "$62,340",
        ),
        (
            "what do plumbers make? not the pipefitters, just plumbers",
            "plumbers-pipefitters-and-steamfitters",
            "",
            "$62,970",
        ),
        # the occupation asked about, not the one the story names after it
        (
            "what degree do dental hygienists need? i'm a plumber thinking of switching",
            "dental-hygienists",
            "",
            "associate",
        ),
        # another guide set aside beside it
        ("what do plumbers make? not LPNs", "plumbers-pipefitters-and-steamfitters", "", "$62,970"),
        # a title the handbook's index files under the guide's occupation
        (
            "what does a fire sprinkler installer make?",
            "plumbers-pipefitters-and-steamfitters",
            "",
            "$62,970",
        ),
        # the guide a story names last, by its initials
        (
            "my cousin is a plumber and says LPNs are super in demand rn. how much do they make?",
            "licensed-practical-and-licensed-vocational-nurses",
            "",
            "$62,340",
        ),
        # the occupation the story aims at, not the teller's own
        (
            "I'm a plumber but want to become a dental hygienist. how much do they make?",
            "dental-hygienists",
            "",
            "$94,260",
        ),
    ],
)
def test_the_named_occupations_guide_answers(
    bls_engine, question: str, slug: str, section: str, fact: str
) -> None:  # type: ignore[no-untyped-def]
    a = bls_engine.ask(question)
    assert not a.refused, a.text
    assert a.sources[0].slug == slug
    assert section.lower() in a.sources[0].section.lower()
    assert fact.lower() in a.text.lower()


@pytest.mark.parametrize(
    "question",
    [
        "what do sommeliers earn?",
        "how much does a funeral director make a year?",
        "what's a sommelier's salary",
        "whats the job outlook for interior design",  # a field none names as a whole
        "ultrasound tech job outlook? is it growing",  # "it" is the ultrasound tech too
        # the asked subject is another occupation, whatever else the message names
        "whats the job outlook for respiratory therapists? deciding between that and dental hygiene",
        "how much do plumbing inspectors make? my uncle is a plumber",
        # a story told first, an occupation no ending marks, a choice against one without a guide
        "my plumber told me his cousin is an acupuncturist — how much do acupuncturists make?",
        "whats the job outlook for doulas? ive been an LPN for 3 yrs",
        # a story that names no guide lends none ("getting certified" reads like some guide)
        "Are doulas in demand? thinking of getting certified after having my 2nd baby",
        # a kind of worker set aside is named by no one ("not a nurse")
        "How much does an architect make? Not a nurse, just a regular licensed architect.",
        # the field its workers work in, a title of the handbook's index
        "is software engineering still growing?? everyone says plumbers are getting replaced by AI",
        "what's the median pay for a dialysis technician? or should i just be a dental hygienist",
        # one a guide lists among its Similar Occupations; the guide named only in a story after it
        "how much do dental assistants make? my hygienist says its a good start",
        "are electricians in demand? my dad is a plumber",
        # the guide found is the one the message sets aside
        "how much do dental lab techs earn, not the hygienists",
        "whats the pay for septic tank guys? not the plumbers",
        # the guide named only as the teller's job, beside the occupation asked
        "i work as a plumber, whats security guard pay like",
        "been a plumber 5 yrs, roofing pays more right? whats median pay for roofers",
        # the occupation the story aims at
        "I'm an LPN but want to be a paramedic. is that field growing?",
        "i work as a plumber but wanna go back to school to be a nutritonist/dietitian. is it growing?",
        # of several occupations a story names, the last is the one "that job" points at
        "my uncle is a plumber and says electricians are in demand. is that job growing?",
        # a kind of worker no ending marks, asked after a story told before a comma or a dash
        "I'm a receptionist at a law firm, how much do paralegals earn?",
        "I'm a plumber and want to go into administration - how much does a school principal get paid?",
        # a story telling of two jobs compares nothing ("more" is about the hiring)
        "been a plumber 3 yrs, thinking about being a mail carrier. whats the pay and are they hiring more?",
        # a story that compares is no comparison asked
        "how much do welders make? my cousin is a plumber and says welders make more than him lol",
    ],
)
def test_an_occupation_without_a_guide_is_declined(bls_engine, question: str) -> None:  # type: ignore[no-untyped-def]
    a = bls_engine.ask(question)
    assert a.refused and a.sources == ()
    assert "don't cover" in a.text and "$" not in a.text  # never another occupation's figures
    assert "4 career guides" in a.text or "Plumbers" in a.text  # says which guides exist


def test_the_headline_fact_asked_for_is_given_and_cited(bls_engine) -> None:  # type: ignore[no-untyped-def]
    # the schooling section talks around it; the Quick Facts table says it
    a = bls_engine.ask("I want to become an LPN. what kind of schooling is it, a full degree?")
    line = "Typical entry-level education for Licensed Practical and Licensed Vocational Nurses: "
    assert f"{line}Postsecondary nondegree award." in a.text
    cited = a.sources[int(a.text.rsplit("[", 1)[1].rstrip("]. ")) - 1]
    assert cited.section.startswith("Summary > Quick Facts") and "Entry-Level Education" in cited.text
    hourly = bls_engine.ask("how much do dental hygienists make an hour")
    assert "per hour" in hourly.text
    # a follow-up asking something else gets no pay line from the question before it
    history = [
        {"role": "user", "content": "what do dental hygienists earn?"},
        {"role": "assistant", "content": bls_engine.ask("what do dental hygienists earn?").text},
    ]
    assert "Median pay for" not in bls_engine.ask("do they need a license?", history).text


def test_two_questions_in_one_message_are_both_answered(bls_engine) -> None:  # type: ignore[no-untyped-def]
    a = bls_engine.ask("How much does a plumber make, and is the field growing?")
    assert not a.refused and "$62,970" in a.text and "4" in a.text
    assert {s.slug for s in a.sources} == {"plumbers-pipefitters-and-steamfitters"}


def test_a_follow_up_stays_with_the_occupation(bls_engine) -> None:  # type: ignore[no-untyped-def]
    history = [
        {"role": "user", "content": "what do dental hygienists earn?"},
        {"role": "assistant", "content": "…"},
    ]
    a = bls_engine.ask("do they need a license?", history)
    assert not a.refused and a.sources[0].slug == "dental-hygienists"


def test_plan_on_a_guide_without_a_ladder(bls_engine) -> None:  # type: ignore[no-untyped-def]
    plan = bls_engine.plan(
        "I finished high school and want to become a plumber", "plumbers-pipefitters-and-steamfitters"
    )
    assert plan.steps and plan.sources
    assert any("apprenticeship" in s.lower() for s in plan.steps)
    assert all(s.guide == "Plumbers, Pipefitters, and Steamfitters" for s in plan.sources)


# --------------------------------------------------------------------------- the web chat over several guides


@pytest.fixture(scope="module")
def bls_server(bls_engine, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from helpers import free_port

    from careerbot.web import CSS, build_app

    settings = replace(bls_engine.settings, feedback_file=tmp_path_factory.mktemp("fb") / "votes.jsonl")
    demo = build_app(bls_engine, settings)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def test_guide_picker_and_glance_per_guide(bls_server: str) -> None:
    import shutil as _shutil

    from playwright.sync_api import expect, sync_playwright
    from test_web import CHROMIUM_ARGS, TIMEOUT, ask, shot

    path = _shutil.which("chromium")
    assert path, "Debian's chromium is needed: apt-get install -y --no-install-recommends chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(bls_server)
        page.wait_for_selector("#cb-input textarea", timeout=TIMEOUT)
        glance = page.locator("#cb-outlook")
        expect(glance).to_contain_text("Pick a guide", timeout=TIMEOUT)  # all guides: no one guide's facts
        page.locator("#cb-guide input").click()
        page.get_by_role("option", name="Plumbers, Pipefitters, and Steamfitters").click()
        expect(glance).to_contain_text("$62,970", timeout=TIMEOUT)
        expect(glance).to_contain_text("Apprenticeship")
        assert page.locator("#cb-salary-chart").is_hidden()  # a page without salary levels: no chart
        assert page.locator("#cb-ladder").is_hidden()  # nor a career ladder
        answers = ask(page, "what do they earn?")  # the picked guide answers
        expect(answers.filter(has_text="$62,970")).to_have_count(1, timeout=TIMEOUT)
        shot(page, "guide-picker.png")
        browser.close()


def test_an_occupation_in_other_words_is_found_by_meaning(tmp_path: Path) -> None:
    from careerbot.engine import Engine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for slug, title, pay in (
        ("logging-workers", "Logging Workers", "$49,740"),
        ("bank-tellers", "Tellers", "$38,480"),
    ):
        (corpus / f"{slug}.md").write_text(
            f"# {title}\n\n## What They Do\n\n{title} do the work their title says.\n\n"
            f"## Pay\n\nThe median annual wage for {title.lower()} was {pay} in May 2024.\n",
            encoding="utf-8",
        )
    engine = Engine(Settings.from_env({}, corpus_dir=corpus, index_dir=tmp_path / "index"))
    a = engine.ask("how much do loggers make?")  # no guide says "logger"
    assert not a.refused and a.sources[0].slug == "logging-workers" and "$49,740" in a.text
    b = engine.ask("what do sommeliers earn?")
    assert b.refused and "sommeliers" in b.text and "$" not in b.text
