"""The web chat end to end: a real server on 127.0.0.1, Debian's chromium driven by Playwright,
and gradio_client against the /chat API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import free_port

from careerbot.answer import Answer, Source
from careerbot.web import SORRY, FeedbackLog, Handlers, Page, composed, glance_parts, literal

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "test-output"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT = 30_000  # ms; the first answer of a session may still be loading the model


def test_literal_escapes_html_and_markdown() -> None:
    shown = literal("<img src=x onerror=alert(1)> **bold** [link](http://x)")
    assert "<" not in shown and "**" not in shown and "](" not in shown
    assert "&lt;img" in shown


def test_glance_parts_without_facts_is_empty() -> None:
    assert glance_parts([]) == (None, "", "")


class _Engine:
    """Stands in for ``Engine``: one cited answer, or an internal failure."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def stream(self, message: str, history: list[Any], guide: str | None) -> Iterator[Any]:
        if self.fail:
            raise RuntimeError("/srv/careerbot/index is unreadable")
        yield Answer("Pay is **$89,750** [1].", (Source("Salary", "Guide", "Senior: $89,750", 1.0),))

    def related_questions(self, message: str, answer: Answer, n: int) -> list[str]:
        return ["What about juniors?"]


def _handlers(tmp_path: Path, fail: bool = False) -> Handlers:
    return Handlers(_Engine(fail), Page(("Guide",), (), ("Q?",)), FeedbackLog(tmp_path / "votes.jsonl"))


def test_respond_shows_the_visitor_literally_and_the_answer_with_its_sources(tmp_path: Path) -> None:
    *_, (chat, turns, box, *buttons) = _handlers(tmp_path).respond("<b>pay?</b>", [], [])
    assert chat[0]["content"] == literal("<b>pay?</b>") and box == ""
    assert chat[1]["content"] == composed("Pay is **$89,750** [1].")  # the bold stays, the rest is text
    assert chat[2]["metadata"]["title"] == "Sources (1)" and literal("Senior: $89,750") in chat[2]["content"]
    assert turns[0]["index"] == 2 and turns[0]["answer"]["sources"][0]["section"] == "Salary"
    assert buttons[0]["value"] == "What about juniors?" and buttons[1]["visible"] is False


def test_respond_keeps_internal_errors_from_the_visitor(tmp_path: Path) -> None:
    *_, (chat, turns, *_rest) = _handlers(tmp_path, fail=True).respond("pay?", [], [])
    assert chat[-1]["content"] == SORRY and turns == []


@pytest.mark.parametrize("auth", ["no-colon", ":password-only", "user-only:"])
def test_app_py_with_a_malformed_auth_prints_one_line(auth: str) -> None:
    """``python app.py`` (``web.main``) in a real process: exit status 1, one line, no traceback."""
    env = {**os.environ, "CAREERBOT_AUTH": auth, "GRADIO_SERVER_PORT": str(free_port())}
    done = subprocess.run(
        [sys.executable, str(ROOT / "app.py")], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stdout == ""
    assert done.stderr.splitlines() == ["Error: CAREERBOT_AUTH must look like 'user:password'."]


# --------------------------------------------------------------------------- server


@pytest.fixture(scope="module")
def feedback_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feedback") / "votes.jsonl"


@pytest.fixture(scope="module")
def server(engine: Any, real_settings: Any, feedback_file: Path) -> Iterator[str]:
    from careerbot.web import build_app, launch_options

    settings = replace(real_settings, feedback_file=feedback_file)
    demo = build_app(engine, settings)
    port = free_port()
    # Served as `python app.py` serves it: the browser goes through the same request guard.
    demo.launch(**launch_options(settings, "127.0.0.1", port), prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    assert path, "Debian's chromium is needed: apt-get install -y --no-install-recommends chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.dialogs: list[str] = []  # type: ignore[attr-defined, misc]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    pg.goto(server)
    pg.wait_for_selector("#cb-input textarea", timeout=TIMEOUT)
    yield pg
    context.close()


def ask(page: Any, question: str) -> Any:
    """Type a question, press Enter, and return the locator of the newest answer."""
    before = page.locator('[data-testid="bot"]').count()
    page.fill("#cb-input textarea", question)
    page.press("#cb-input textarea", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"bot\"]').length > n", arg=before, timeout=TIMEOUT
    )
    page.wait_for_function("() => !document.querySelector('.generating, .pending')", timeout=TIMEOUT)
    return page.locator('[data-testid="bot"]')


def shot(page: Any, name: str) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / name
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.slow
def test_answer_with_citation_and_source_passage(page: Any) -> None:
    ask(page, "What does a lead technician earn?")
    page.get_by_text("$89,750").first.wait_for(timeout=TIMEOUT)
    assert page.get_by_text("[1]").count() >= 1
    from playwright.sync_api import expect

    # The sources block starts folded (its content not rendered) and opens with an animation;
    # Playwright counts clipped content as visible, so wait until the quoted passage lies wholly
    # inside the viewport before the screenshot.
    crumb = page.get_by_text("› Annual Salary (US, USD)")
    passage = page.locator('[data-testid="bot"] blockquote').last
    sources = page.get_by_text("Sources (").first
    sources.wait_for(timeout=TIMEOUT)
    assert crumb.count() == 0
    sources.click()
    expect(crumb).to_be_in_viewport(ratio=1, timeout=TIMEOUT)
    expect(passage).to_be_in_viewport(ratio=1, timeout=TIMEOUT)
    assert "Senior-Level: $89,750" in passage.inner_text()
    path = shot(page, "chat-salary.png")
    readme_shot = ROOT / "docs" / "screenshot-chat.png"
    # The README's screenshot is refreshed only on request, so a test run leaves the tree clean.
    if os.environ.get("CAREERBOT_UPDATE_SCREENSHOT") or not readme_shot.exists():
        readme_shot.parent.mkdir(exist_ok=True)
        shutil.copy(path, readme_shot)


@pytest.mark.slow
def test_follow_up_uses_history(page: Any) -> None:
    # asked alone, "How much experience does it require?" quotes another tier (test_engine.py)
    ask(page, "Tell me about the Senior Technician tier.")
    page.get_by_text("5-8 years").first.wait_for(timeout=TIMEOUT)
    before = page.locator('[data-testid="bot"]').count()
    ask(page, "How much experience does it require?")
    page.wait_for_function(
        # the new answer (before its sources bubble, whose quotes are folded away)
        "n => { const bots = document.querySelectorAll('[data-testid=\"bot\"]');"
        " return bots.length > n + 1 && bots[bots.length - 2].innerText.includes('5-8'); }",
        arg=before,
        timeout=TIMEOUT,
    )


@pytest.mark.slow
def test_suggested_and_starter_questions_are_clickable(page: Any) -> None:
    starter = page.get_by_text("Is certification necessary to advance as a Lead Technician?").first
    starter.click()
    page.get_by_text("greatly enhance job prospects").first.wait_for(timeout=TIMEOUT)
    suggestion = page.locator(".cb-suggestion:visible").first
    suggestion.wait_for(timeout=TIMEOUT)
    before = page.locator('[data-testid="bot"]').count()
    suggestion.click()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"bot\"]').length > n", arg=before, timeout=TIMEOUT
    )
    shot(page, "suggestion.png")


@pytest.mark.slow
def test_thumbs_down_writes_one_feedback_line(page: Any, feedback_file: Path) -> None:
    before = feedback_file.read_text().count("\n") if feedback_file.exists() else 0
    ask(page, "Is the job stressful?")
    page.get_by_text("Moderate to High").first.wait_for(timeout=TIMEOUT)
    page.locator('button[aria-label="Dislike"]').last.click()
    page.get_by_text("your feedback was saved").first.wait_for(timeout=TIMEOUT)
    lines = feedback_file.read_text().splitlines()
    assert len(lines) == before + 1
    row = json.loads(lines[-1])
    assert row["vote"] == "down" and row["question"] == "Is the job stressful?"
    assert row["sources"] and "Stress" in row["sources"][0] and row["time"]


@pytest.mark.slow
def test_glance_panel_shows_salary_chart_and_ladder(page: Any) -> None:
    chart = page.locator("#cb-salary-chart")
    chart.wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        "() => document.querySelector('#cb-salary-chart canvas, #cb-salary-chart svg')", timeout=TIMEOUT
    )
    ladder = page.locator("#cb-ladder")
    assert "Senior Technician" in ladder.inner_text() and "5-8 years" in ladder.inner_text()
    assert "7%" in page.locator("#cb-outlook").inner_text()
    shot(page, "glance.png")


@pytest.mark.slow
def test_refusal_is_a_friendly_reply(page: Any) -> None:
    bots = ask(page, "How do I bake sourdough bread?")
    page.get_by_text("doesn't cover that").first.wait_for(timeout=TIMEOUT)
    assert "salary" in bots.last.inner_text()
    assert page.get_by_text("Sources (").count() == 0


@pytest.mark.slow
def test_user_text_is_shown_literally_and_never_runs(page: Any) -> None:
    attack = "<img src=x onerror=alert(1)> <script>alert(2)</script> **not bold**"
    ask(page, attack)
    user = page.locator('[data-testid="user"]').last
    assert user.inner_text().strip() == attack
    assert user.locator("img, script, strong").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_lone_surrogate_typed_in_the_chat_is_answered(page: Any) -> None:
    # page.fill() cannot type a lone surrogate; set the box the way a paste would, in the page
    before = page.locator('[data-testid="bot"]').count()
    page.evaluate(
        """() => { const box = document.querySelector('#cb-input textarea');
        box.value = 'What does a lead technician earn? \\ud800';
        box.dispatchEvent(new Event('input', {bubbles: true})); }"""
    )
    page.press("#cb-input textarea", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"bot\"]').length > n", arg=before, timeout=TIMEOUT
    )
    page.get_by_text("$77,500").first.wait_for(timeout=TIMEOUT)  # answered, not vanished
    assert "What does a lead technician earn?" in page.locator('[data-testid="user"]').last.inner_text()


@pytest.mark.slow
def test_a_chat_too_long_for_one_request_says_so(page: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web chat sends its whole conversation with each question; past the guard's bound the
    person sees the guard's message (a bound of 40 values makes the third question one too many)."""
    from careerbot import guard

    monkeypatch.setattr(guard, "MAX_VALUES", 40)
    ask(page, "What does a lead technician earn?")
    ask(page, "Can I work remotely?")
    page.fill("#cb-input textarea", "What certifications help?")
    page.press("#cb-input textarea", "Enter")
    page.get_by_text(guard.TOO_MANY).first.wait_for(timeout=TIMEOUT)
    assert page.locator('[data-testid="user"]').count() == 2  # the third was not taken


@pytest.mark.slow
def test_phone_viewport(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    pg.goto(server)
    pg.wait_for_selector("#cb-input textarea", timeout=TIMEOUT)
    assert pg.locator("#cb-input textarea").is_visible()
    width = pg.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 400  # nothing forces sideways scrolling
    shot(pg, "phone.png")
    context.close()


@pytest.mark.slow
def test_chat_api_with_gradio_client(server: str) -> None:
    from gradio_client import Client

    client = Client(server, verbose=False)
    result = client.predict("What does a lead technician earn?", None, api_name="/chat")
    assert "$77,500" in result["text"] and result["refused"] is False
    assert result["sources"][0]["section"] == "Annual Salary (US, USD)" and result["sources"][0]["n"] == 1
    follow = client.predict(
        "And at the senior level?",
        [{"role": "user", "content": "What does a lead technician earn?"}],
        api_name="/chat",
    )
    assert "$89,750" in follow["text"]
    empty = client.predict("   ", None, api_name="/chat")
    assert empty["refused"] is True and "Please type a question" in empty["text"]


@pytest.mark.slow
def test_my_plan_tab(page: Any) -> None:
    page.get_by_role("tab", name="My plan").click()
    page.fill("#cb-plan-text textarea", "I have 3 years as a technician and want to lead a team")
    page.click("#cb-plan-go")
    page.get_by_text("you are here").first.wait_for(timeout=TIMEOUT)
    ladder = page.locator("#cb-plan-ladder").inner_text()
    assert "Mid-Level Technician ← you are here" in ladder
    out = page.locator("#cb-plan-out").inner_text()
    assert "Senior Technician" in out and "$89,750" in out and "[1]" in out
    assert page.locator("#cb-plan-gaps input[type=checkbox]").count() >= 1
    with page.expect_download() as download:
        page.click("#cb-plan-dl")
    saved = Path(download.value.path()).read_text()
    assert saved.startswith("# My career plan") and "## Sources" in saved
    shot(page, "my-plan.png")


def test_form_answers_become_a_profile() -> None:
    from careerbot.web import profile_sentence

    text = profile_sentence(6, "Associate degree", ["Project Coordination"], "Lead a team")
    assert text == (
        "I have 6 years of experience in this field. My education: Associate degree. "
        "I know Project Coordination. I want to lead a team."
    )
    assert profile_sentence(None, None, [], "Not sure yet") == "I am thinking about this career."


# --------------------------------------------------------------------------- explorer

BLS = ROOT.parent / "shared" / "guides" / "bls"
EXPLORE_PAGES = (
    "welders-cutters-solderers-and-brazers",
    "bakers",
    "electricians",
    "plumbers-pipefitters-and-steamfitters",
    "dental-hygienists",
)


@pytest.fixture(scope="module")
def explore_server(tmp_path_factory: pytest.TempPathFactory, feedback_file: Path) -> Iterator[str]:
    """The app over the shipped guide and five real published pages (the Explore tab shows)."""
    if not BLS.is_dir():
        pytest.skip("../shared/guides/bls is not beside the checkout")
    from careerbot.config import Settings
    from careerbot.engine import Engine
    from careerbot.web import build_app, launch_options

    corpus = tmp_path_factory.mktemp("explore-corpus")
    shutil.copy(ROOT / "corpus" / "lead-technician.txt", corpus)
    for name in EXPLORE_PAGES:
        shutil.copy(BLS / f"{name}.html", corpus)
    settings = Settings.from_env(
        {}, corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("explore-index"), feedback_file=feedback_file
    )
    demo = build_app(Engine(settings), settings)
    port = free_port()
    demo.launch(**launch_options(settings, "127.0.0.1", port), prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def _choose(page: Any, dropdown: str, text: str) -> None:
    """Pick the option starting with ``text`` in a (searchable) dropdown."""
    box = page.locator(f"{dropdown} input").first
    box.click()
    box.fill(text)
    page.get_by_role("option", name=text).first.click()


@pytest.mark.slow
def test_explore_tab_and_a_chat_comparison_table(browser: Any, explore_server: str) -> None:
    """Compare two occupations (table and both charts), find by filters (rows), take a row to
    the chat, and a comparison asked in the chat shows as a real table."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(explore_server)
    pg.wait_for_selector("#cb-input textarea", timeout=TIMEOUT)
    pg.get_by_role("tab", name="Explore").click()

    _choose(pg, "#cb-compare-pick", "Electricians")
    _choose(pg, "#cb-compare-pick", "Bakers")
    pg.click("#cb-compare-go")
    table = pg.locator("#cb-compare-out table")
    table.wait_for(timeout=TIMEOUT)
    assert table.locator("th").all_inner_texts()[1:] == ["Electricians", "Bakers"]
    assert "$62,350 a year ($29.98 an hour) [1]" in table.inner_text() and "$36,650" in table.inner_text()
    for chart in ("#cb-pay-chart", "#cb-growth-chart"):
        pg.wait_for_function(f"() => document.querySelector('{chart} canvas, {chart} svg')", timeout=TIMEOUT)
    expect(pg.locator("#cb-about input")).to_have_value("Electricians", timeout=TIMEOUT)

    _choose(pg, "#cb-edu-max", "High school")
    pg.fill("#cb-min-pay input", "45000")
    pg.click("#cb-find-go")
    expect(pg.locator("#cb-find-out")).to_contain_text(
        "3 of the 6 occupations in the guides need at most a high school diploma or equivalent to start "
        "and pay a median of at least $45,000 a year",
        timeout=TIMEOUT,
    )
    found = pg.locator("#cb-found")
    expect(found).to_contain_text("Plumbers, Pipefitters, and Steamfitters", timeout=TIMEOUT)
    text = found.inner_text()
    assert "Electricians" in text and "$62,970" in text
    assert "Bakers" not in text and "Dental Hygienists" not in text  # too little pay, too much school
    assert "[1] Summary › Quick Facts: Plumbers, Pipefitters, and Steamfitters" in text
    shot(pg, "explore.png")

    found.locator('[data-testid^="cell-"]', has_text="Welders, Cutters, Solderers, and Brazers").first.click()
    expect(pg.locator("#cb-about input")).to_have_value(
        "Welders, Cutters, Solderers, and Brazers", timeout=TIMEOUT
    )
    pg.click("#cb-about-go")
    expect(pg.locator("#cb-input textarea")).to_be_visible(timeout=TIMEOUT)
    expect(pg.locator("#cb-guide input")).to_have_value("Welders, Cutters, Solderers, and Brazers")

    _choose(pg, "#cb-guide", "All guides")
    bots = ask(pg, "who earns more, a welder or a baker?")
    answer = bots.nth(bots.count() - 2)  # the answer, before its sources bubble
    answer.locator("table").wait_for(timeout=TIMEOUT)
    assert answer.locator("th").all_inner_texts()[1:] == [
        "Welders, Cutters, Solderers, and Brazers",
        "Bakers",
    ]
    assert "|" not in answer.inner_text() and "$51,000 a year" in answer.locator("td").all_inner_texts()[1]
    assert dialogs == []
    shot(pg, "chat-compare.png")
    context.close()


@pytest.mark.slow
def test_explore_tab_shows_hostile_guide_text_as_text(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Two hostile guides with headline facts (test_hostile.py's HTML guide and a twin): their
    titles and figures stay text in the Explore tab's picker, comparison, charts and table."""
    from playwright.sync_api import expect
    from test_hostile import LIVE, hostile_guides

    from careerbot.config import Settings
    from careerbot.engine import Engine
    from careerbot.web import build_app, launch_options

    out = "http://127.0.0.1:9"  # nothing listens: any request to it is counted, none answered
    glass = hostile_guides(out)["vase-glassblowers.html"]
    corpus = tmp_path_factory.mktemp("hostile-explore")
    (corpus / "vase-glassblowers.html").write_text(glass, encoding="utf-8")
    kiln = glass.replace("Glass Blowers", "Kiln Tenders").replace("lass blowers", "kiln tenders")
    (corpus / "kiln-tenders.html").write_text(kiln, encoding="utf-8")
    settings = Settings.from_env(
        {}, corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("hostile-explore-index")
    )
    engine = Engine(settings)
    titles = sorted(o.guide for o in engine.occupations())
    assert len(titles) == 2 and all(f"<img src={out}/html-title.png>" in t for t in titles), titles
    demo = build_app(engine, settings)
    port = free_port()
    demo.launch(**launch_options(settings, "127.0.0.1", port), prevent_thread_lock=True, quiet=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        pg.goto(f"http://127.0.0.1:{port}/")
        pg.wait_for_selector("#cb-input textarea", timeout=TIMEOUT)
        pg.get_by_role("tab", name="Explore").click()
        live: dict[str, int] = {}
        for title in titles:
            pg.locator("#cb-compare-pick input").click()
            option = pg.get_by_role("option", name=title, exact=True)
            option.wait_for(timeout=TIMEOUT)
            live["picker"] = live.get("picker", 0) + pg.get_by_role("listbox").locator(LIVE).count()
            option.click()
        pg.click("#cb-compare-go")
        table = pg.locator("#cb-compare-out table")
        table.wait_for(timeout=TIMEOUT)
        assert table.locator("th").all_inner_texts()[1:] == titles
        pg.wait_for_function("() => document.querySelector('#cb-pay-chart canvas, #cb-pay-chart svg')")
        pg.click("#cb-find-go")
        found = pg.locator("#cb-found")
        expect(found).to_contain_text(titles[0], timeout=TIMEOUT)
        assert titles[1] in found.inner_text()
        for surface in (
            "#cb-compare-out",
            "#cb-compare-sources",
            "#cb-pay-chart",
            "#cb-find-out",
            "#cb-found",
        ):
            # (a chart's empty <form class="vega-bindings"> is Vega's own, made from no text)
            made = pg.locator(surface).locator(LIVE).count()
            live[surface] = made - pg.locator(surface).locator("form.vega-bindings:empty").count()
        shot(pg, "hostile-explore.png")
    finally:
        context.close()
        demo.close()
    assert live == dict.fromkeys(live, 0), live
    assert [r for r in requests if r.startswith(out)] == [] and dialogs == []
