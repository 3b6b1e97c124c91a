"""Guide text is data, never markup: the escaping helpers (fast, rendered with markdown-it as a
stand-in for the browser's renderer) and the whole web app in a real browser over hostile guides."""

from __future__ import annotations

import html
import re
import shutil
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import free_port
from markdown_it import MarkdownIt

from careerbot.answer import Answer, Source
from careerbot.web import composed, literal, plan_download, sources_markdown

OUT = "http://127.0.0.1:9"  # a port nothing listens on: the fast tests only render
HOSTILE = [
    f"![c]({OUT}/img.png)",
    f"<img src={OUT}/raw.png onerror=alert(1)>",
    f"&lt;img src={OUT}/entity.png&gt;",
    "<a href='javascript:alert(2)'>x</a>",
    "[link](javascript:alert(3))",
    f"<{OUT}/angle>",
    f"{OUT}/bare.png www.example.com someone@example.com",
    "<script>alert(4)</script><iframe src=x></iframe>",
    "**bold** _em_ `code` ~~gone~~",
    "# heading",
    "| a | b |\n| --- | --- |\n| 1 | 2 |",
    "1. one\n- two\n> quoted\n---\n===",
    "$$E=mc^2$$ \\(x\\) \\",
    "[^1] [x]: http://127.0.0.1:9/ref",
    "&amp; &#60;b&#62; &copy;",
    string.punctuation,
]


def _render(markdown: str) -> str:
    """HTML as a CommonMark renderer with tables and strikethrough (as GFM) makes it."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _text(rendered: str) -> str:
    """The visible text of rendered HTML: tags out, entities decoded, hard breaks as newlines."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered.replace("<br />\n", "\n"))).strip()


def _tags(rendered: str) -> set[str]:
    return set(re.findall(r"<([a-z][a-z0-9]*)", rendered))


@pytest.mark.parametrize("text", HOSTILE)
def test_literal_renders_as_exactly_the_text(text: str) -> None:
    shown = literal(text)
    rendered = _render(shown)
    assert _tags(rendered) <= {"p", "br"}, rendered
    assert _text(rendered) == text.strip()
    # what GFM's bare autolinks start from ("http://", "www.", "name@host") cannot form either
    assert "://" not in shown and "www." not in shown and not re.search(r"(?<!\\)@", shown)


def test_literal_keeps_line_breaks_and_leaves_other_characters_alone() -> None:
    assert _render(literal("a\nb")) == "<p>a<br />\nb</p>\n"
    assert literal("Mid-Level › Senior €5 — é 📈") == "Mid\\-Level › Senior €5 — é 📈"


def test_composed_keeps_careerbots_formatting_and_escapes_the_rest() -> None:
    plan = (
        f"With about 3 years, you're at **Mid ![t]({OUT}/t.png) Tier** (2-5 years) [1].\n\n"
        "**Next steps**\n"
        "- Grow into **Senior <img src=x>** [2].\n"
        "- Build [a](javascript:alert(1)) and <b>x</b> [3].\n"
        "After the list & more `code`."
    )
    rendered = _render(composed(plan))
    assert _tags(rendered) <= {"p", "br", "strong", "ul", "li"}, rendered
    assert rendered.count("<strong>") == 3 and rendered.count("<li>") == 2
    assert "<li>Build [a](javascript:alert(1)) and &lt;b&gt;x&lt;/b&gt; [3].</li>" in rendered
    # a line after the list is a paragraph of its own, not part of the last item
    assert "</ul>\n<p>After the list &amp; more `code`.</p>" in rendered
    assert "Mid ![t](http://127.0.0.1:9/t.png) Tier" in _text(rendered)


def test_composed_without_bold_shows_a_guides_asterisks() -> None:
    rendered = _render(composed("- **not bold** item\nText **here**", bold=False))
    assert "<strong>" not in rendered and "**not bold**" in rendered and "**here**" in rendered


def test_a_grounded_answer_renders_as_before_when_the_guide_is_plain() -> None:
    text = "Key Responsibilities [1]:\n- Climb towers.\n- Replace parts.\n- …and 2 more in the guide"
    assert _render(composed(text)) == _render(text)


@dataclass
class _Plan:
    text: str
    sources: tuple[Source, ...]


def test_sources_and_plan_download_escape_guide_text() -> None:
    src = Source(
        f"Pay ![s]({OUT}/s.png) > <b>Level</b>",
        "Guide <img src=x>",
        f"- Item [l](javascript:alert(1))\nEntry: $40,000 <img src={OUT}/q.png>",
        0.9,
    )
    rendered = _render(sources_markdown(Answer("x [1]", (src,))))
    assert _tags(rendered) <= {"p", "br", "strong", "blockquote", "ul", "li"}, rendered
    shown = _text(rendered)
    assert src.breadcrumb in shown and "Item [l](javascript:alert(1))" in shown
    assert f"Entry: $40,000 <img src={OUT}/q.png>" in shown
    path = plan_download(_Plan(f"Grow into **Lead ![x]({OUT}/p.png)** [1].", (src,)), "I know <b>C</b>")
    saved = path.read_text()
    assert saved.startswith("# My career plan") and "## Sources" in saved
    rendered = _render(saved)
    assert _tags(rendered) <= {"h1", "h2", "p", "br", "strong", "blockquote"}, rendered
    shown = _text(rendered)
    assert f"Lead ![x]({OUT}/p.png)" in shown and "I know <b>C</b>" in shown and src.breadcrumb in shown


# --------------------------------------------------------------------------- hostile guides


def hostile_guides(out: str) -> dict[str, str]:
    """Three guides (Markdown, plain text, HTML) whose every part — title, headings, list items,
    tables, FAQ, ladder, skills — carries images and links to ``out``, tags raw and
    entity-encoded, ``javascript:`` links and LaTeX."""
    md = f"""# Kite Tester ![t]({out}/md-title.png) Career Guide

Kite testers fly <b>kites</b> and log results.
Read [the docs](javascript:alert(1)) or <img src={out}/md-overview.png>.

## Annual Salary

- Entry-Level: $40,000
- Senior <i>Level</i>: $70,000

## Career Path Tiers

### Junior ![j]({out}/md-tier.png) Tester

- Experience: 0-2 years

Junior testers fly small kites <img src={out}/md-tier-body.png> on calm days.

### Senior <img src={out}/md-tier2.png> Tester

- Experience: 2-5 years

Senior testers design test plans for new kites.

### Lead [boss](javascript:alert(2)) Tester

- Experience: 5+ years

Lead testers run the kite lab and lead a team of testers.

## Key Responsibilities

- Fly prototype kites ![r]({out}/md-item.png) in strong wind.
- Inspect <a href="{out}/md-link">string</a> tension on every kite.
- Check &lt;img src={out}/md-entity.png&gt; markings on the sail.
- Follow [safety rules](javascript:alert(3)) at all times.

## Job Outlook

- Growth rate: steady ![g]({out}/md-growth.png)
- Market demand: High <img src={out}/md-demand.png>

## Common Mistakes

- Flying <img src={out}/md-mistake.png> kites in thunderstorms.
- Skipping the [pre-flight check](javascript:alert(10)).

## Certifications

- Certified Kite Pilot ![c]({out}/md-cert.png)

## Skill Map

### Technical Skills

- Knot <img src={out}/md-skill.png> tying
- Wind ![w]({out}/md-skill2.png) reading

## Tools of the Trade

| Tool <img src={out}/md-table.png> | Use |
| --- | --- |
| Anemometer ![a]({out}/md-table2.png) | measures wind speed |

## Frequently Asked Questions

### Is kite testing <b>fun</b> ![q]({out}/md-faq.png)?

Yes. Testers say <script>alert(4)</script> it is
<iframe src={out}/md-frame></iframe> fun and $$E=mc^2$$ exciting.
"""
    txt = f"""Sail Rigger <img src={out}/txt-title.png> Career Guide

Sail riggers fit masts and sails on boats. See www.example.com or {out}/txt-bare.png for more.

Annual Salary

Entry-Level: $38,000
Senior-Level: $64,000

Key Responsibilities

• Splice ![s]({out}/txt-item.png) wire rope for the standing rigging.
• Tune <a href="javascript:alert(5)">rig</a> tension before every launch.
• Write &lt;img src={out}/txt-entity.png&gt; in the rigging log.

Frequently Asked Questions

Do sail riggers climb masts [often](javascript:alert(6))?

Yes, sail riggers climb masts <img src={out}/txt-faq.png> every week.
"""
    page = f"""<!doctype html><html><head><title>Glass Blowers : Example Site</title></head><body><main>
<h1>Glass Blowers &lt;img src={out}/html-title.png&gt;</h1>
<p>Glass blowers shape molten glass.
They mark &lt;img src={out}/html-entity.png&gt; and &amp;lt;b&amp;gt; on notes.</p>
<table><caption>Quick Facts: Glass Blowers</caption>
<tr><th>2024 Median Pay</th><td>$45,000 per year &lt;img src={out}/html-quick.png&gt;</td></tr>
<tr><th>Typical Entry-Level Education</th><td>![e]({out}/html-quick2.png) apprenticeship</td></tr></table>
<h2>Pay ![p]({out}/html-heading.png)</h2>
<table><caption>Median pay</caption>
<tr><th>Glass blowers &lt;img src={out}/html-table.png&gt;</th><td>$45,000 per year</td></tr>
<tr><th>All workers</th><td>$48,000 per year</td></tr></table>
<h2>Job Outlook</h2>
<ul><li>Demand grows &lt;a href="javascript:alert(7)"&gt;slowly&lt;/a&gt; in art studios.</li>
<li>Studios hire ![o]({out}/html-item.png) apprentices each year.</li></ul>
<p>A real <a href="javascript:alert(8)">scripted link</a>
and a real <img src="{out}/html-real.png"> are dropped.</p>
<h2>Frequently Asked Questions</h2>
<h3>Is glass blowing dangerous &lt;script&gt;alert(9)&lt;/script&gt;?</h3>
<p>It can be; glass blowers wear eye protection &lt;iframe src={out}/html-frame&gt;&lt;/iframe&gt; always.</p>
</main></body></html>
"""
    return {"kite-tester.md": md, "sail-rigger.txt": txt, "vase-glassblowers.html": page}


# --------------------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def outside() -> Iterator[tuple[str, list[str]]]:
    """A small HTTP server standing for the outside world; it notes every request it gets."""
    got: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            got.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", got
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def hostile_app(
    outside: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Any]]:
    """The real app over the hostile guides (real model, real index), on 127.0.0.1."""
    from careerbot.config import Settings
    from careerbot.engine import Engine
    from careerbot.web import CSS, build_app

    corpus = tmp_path_factory.mktemp("hostile-corpus")
    for name, text in hostile_guides(outside[0]).items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("hostile-index"))
    settings = replace(settings, feedback_file=tmp_path_factory.mktemp("fb") / "votes.jsonl")
    engine = Engine(settings)
    engine.searcher()
    demo = build_app(engine, settings)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    try:
        yield f"http://127.0.0.1:{port}/", engine
    finally:
        demo.close()


# Elements guide text must never become (careerbot's own bold, lists, ladder tables and plan
# checkboxes aside; the chat has no table of careerbot's, so one there came from a guide).
LIVE = (
    "img, a, script, iframe, frame, object, embed, video, audio, source, picture, form, math, "
    "svg image, b, i, u, code, pre, h1, h3, h4, .katex"
)
# The Markdown surfaces where guide text meets careerbot's formatting; on these no input either
# (the plan's "skills to build" checkboxes are careerbot's).
SURFACES = (
    "#cb-intro",
    "#cb-chat .message-content",
    "#cb-outlook",
    "#cb-ladder",
    "#cb-plan-ladder",
    "#cb-plan-out",
    "#cb-plan-gaps",
    "#cb-plan-sources",
)


@pytest.mark.slow
def test_hostile_guides_stay_text_on_every_surface(
    hostile_app: tuple[str, Any], outside: tuple[str, list[str]]
) -> None:
    from playwright.sync_api import expect, sync_playwright
    from test_web import CHROMIUM_ARGS, TIMEOUT, ask, shot

    url, engine = hostile_app
    out, outside_got = outside
    titles = list(engine.searcher().guides)
    kite, sail, vase = (next(t for t in titles if t.startswith(w)) for w in ("Kite", "Sail", "Glass"))
    path = shutil.which("chromium")
    assert path, "Debian's chromium is needed: apt-get install -y --no-install-recommends chromium"
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.wait_for_selector("#cb-input textarea", timeout=TIMEOUT)
        live: dict[str, int] = {}  # surface → elements made from guide text
        # The titles as written in the header, and the FAQ questions as starters, word for word.
        intro = page.locator("#cb-intro").inner_text()
        assert all(t in intro for t in titles), intro
        starters = [c.title for c in engine.searcher().chunks if c.kind == "faq"]
        starter = page.get_by_text(starters[0], exact=True).first
        starter.wait_for(timeout=TIMEOUT)
        live["starter questions"] = page.locator("#cb-chat").locator(LIVE).count()
        starter.click()
        page.get_by_text("Sources (").first.wait_for(timeout=TIMEOUT)

        def pick(choice: str) -> None:
            page.locator("#cb-guide input").click()
            option = page.get_by_role("option", name=choice, exact=True)
            option.wait_for(timeout=TIMEOUT)
            live["guide picker"] = (
                live.get("guide picker", 0) + page.get_by_role("listbox").locator(LIVE).count()
            )
            option.click()

        def ask_and_open(question: str) -> str:
            bots = ask(page, question)
            opener = page.get_by_text("Sources (")
            if opener.count():
                opener.last.click()
            return bots.last.inner_text()

        answers: list[str] = []
        asked = {
            kite: [
                "What are the key responsibilities of a kite tester?",
                "What does a kite tester earn?",
                "Is kite testing fun?",
                "What tools do kite testers use?",
                "What mistakes should kite testers avoid?",
            ],
            sail: [
                "What does a sail rigger do?",
                "Do sail riggers climb masts?",
                "What do sail riggers fit on boats?",
            ],
            vase: [
                "What is the job outlook for glass blowers?",
                "Is glass blowing dangerous?",
                "What is the median pay of glass blowers?",
                "Do glass blowers shape molten glass?",
            ],
        }
        glance: dict[str, str] = {}
        # what shows that the glance panel is the picked guide's: (text it has, text it lacks)
        shows = {
            kite: ("Career ladder", "Pick a guide"),
            sail: ("salary", "Career ladder"),
            vase: ("Median pay", "salary"),
        }
        for title, questions in asked.items():
            pick(title)
            panel = page.locator("#cb-glance")
            expect(panel).to_contain_text(shows[title][0], use_inner_text=True, timeout=TIMEOUT)
            expect(panel).not_to_contain_text(shows[title][1], use_inner_text=True, timeout=TIMEOUT)
            glance[title] = panel.inner_text()
            answers += [ask_and_open(q) for q in questions]
        suggestion = page.locator(".cb-suggestion:visible").first
        suggestion.wait_for(timeout=TIMEOUT)
        live["suggestions"] = page.locator(".cb-suggestion").locator(LIVE).count()
        before = page.locator('[data-testid="bot"]').count()
        suggestion.click()
        page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=\"bot\"]').length > n", arg=before, timeout=TIMEOUT
        )
        pick("All guides")
        answers.append(ask_and_open("How do I bake sourdough bread?"))  # the refusal names the guides
        chat = page.locator("#cb-chat").inner_text()
        shot(page, "hostile-chat.png")

        # The plan tab for the guide with a ladder, a skill map and mistakes.
        pick(kite)
        page.get_by_role("tab", name="My plan").click()
        page.locator("#cb-plan-tab label").filter(has_text="Knot <img").first.click()
        live["skill choices"] = page.locator("#cb-plan-tab label").locator(LIVE).count()
        page.fill("#cb-plan-text textarea", "I have 3 years as a kite tester and want to lead a team")
        page.click("#cb-plan-go")
        page.get_by_text("you are here").first.wait_for(timeout=TIMEOUT)
        page.get_by_role("button", name="Sources").last.click()
        with page.expect_download() as download:
            page.click("#cb-plan-dl")
        saved = Path(download.value.path()).read_text(encoding="utf-8")
        plan = {sel: page.locator(sel).inner_text() for sel in SURFACES[4:]}
        shot(page, "hostile-plan.png")

        for sel in SURFACES:
            live[sel] = page.locator(sel).locator(f"{LIVE}, input:not([type=checkbox])").count()
        live["chat tables"] = page.locator("#cb-chat .message-content table").count()
        leftovers = page.locator("#cb-chat .message-content").locator(LIVE).all_inner_texts()
        context.close()
        browser.close()

    # Nothing reached the outside, from any surface, and nothing ran.
    assert outside_got == []
    origin = url.rstrip("/")
    assert [u for u in requests if not u.startswith((origin, "data:", "blob:"))] == []
    assert dialogs == []
    assert live == dict.fromkeys(live, 0) and len(live) == len(SURFACES) + 5, (live, leftovers)
    # The hostile text is still there, as text: nothing passed by being dropped.
    for text in (
        f"![r]({out}/md-item.png)",
        f'<a href="{out}/md-link">string</a>',
        f"<script>alert(4)</script> it is <iframe src={out}/md-frame></iframe> fun and $$E=mc^2$$",
        f"| Tool <img src={out}/md-table.png> | Use |",
        '<a href="javascript:alert(5)">rig</a>',
        f"See www.example.com or {out}/txt-bare.png",
        f"<img src={out}/html-entity.png> and &lt;b&gt; on notes",
        '<a href="javascript:alert(7)">slowly</a>',
        f"<iframe src={out}/html-frame></iframe>",
        f"Pay ![p]({out}/html-heading.png)",
        kite,
        vase,
    ):
        assert text in chat, text
    assert all(t in answers[-1] for t in titles), answers[-1]
    assert f"Junior ![j]({out}/md-tier.png) Tester" in glance[kite]
    assert f"High <img src={out}/md-demand.png>" in glance[kite]
    assert f"$45,000 per year <img src={out}/html-quick.png>" in glance[vase]
    assert f"Senior <img src={out}/md-tier2.png> Tester ← you are here" in plan["#cb-plan-ladder"]
    assert "Lead [boss](javascript:alert(2)) Tester" in plan["#cb-plan-out"]
    assert f"Wind ![w]({out}/md-skill2.png) reading" in plan["#cb-plan-gaps"]
    assert f"Flying <img src={out}/md-mistake.png> kites" in plan["#cb-plan-out"]
    assert kite in plan["#cb-plan-sources"]
    # The downloaded plan is Markdown in which the guide's words stay words.
    rendered = _render(saved)
    assert "<img" not in rendered and "<a " not in rendered and "<script" not in rendered
    assert "Lead [boss](javascript:alert(2)) Tester" in _text(rendered)
