"""Published pages to Markdown: main content, every tab, tables as rows; all shared BLS pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerbot.htmlpage import page_to_markdown
from careerbot.ingest import PATH_SEP, load_guide

ROOT = Path(__file__).resolve().parents[1]
BLS = ROOT.parent / "shared" / "guides" / "bls"
BLS_PAGES = sorted(BLS.glob("*.html"))


def test_title_is_the_pages_own_heading(data_dir: Path) -> None:
    title, markdown = page_to_markdown((data_dir / "tabbed.html").read_text())
    assert title == "Sample Makers"  # h1, whitespace folded, no site suffix from <title>
    assert markdown.startswith("# Sample Makers")


def test_page_chrome_and_hidden_help_are_dropped(data_dir: Path) -> None:
    _, markdown = page_to_markdown((data_dir / "tabbed.html").read_text())
    for chrome in ("official website", "A-Z index", "PRINTER-FRIENDLY", "About this section", "Privacy",
                   "Pop-up help", "tracking", "1 Main St"):  # fmt: skip
        assert chrome not in markdown, chrome


def test_every_tab_becomes_a_section_named_by_its_tab(data_dir: Path) -> None:
    _, markdown = page_to_markdown((data_dir / "tabbed.html").read_text())
    heads = [ln for ln in markdown.splitlines() if ln.startswith("## ")]
    assert heads == ["## Summary", "## What They Do: What Sample Makers Do", "## Pay", "## Job Outlook"]
    assert "- Read drawings" in markdown and "Patience. Sample makers repeat work" in markdown


def test_tables_become_label_value_rows(data_dir: Path) -> None:
    _, markdown = page_to_markdown((data_dir / "tabbed.html").read_text())
    assert "### Quick Facts: Sample Makers" in markdown
    assert "2024 Median Pay: $51,230 per year; $24.63 per hour" in markdown  # a help link as row label
    assert "Manufacturing: $53,000" in markdown and "Source: a survey" in markdown
    assert "Sample makers: Change, 2024-34 (Percent): 5; Change, 2024-34 (Numeric): 1,200" in markdown


def test_load_guide_reads_a_tabbed_page(data_dir: Path) -> None:
    guide = load_guide(data_dir / "tabbed.html")
    assert guide.title == "Sample Makers" and guide.role == "Sample Makers"
    names = [s.name for s in guide.sections]
    assert f"Summary{PATH_SEP}Quick Facts: Sample Makers" in names
    facts = next(s for s in guide.sections if s.name.endswith("Quick Facts: Sample Makers"))
    assert facts.kind == "facts"


def test_not_html_at_all_gives_no_text() -> None:
    assert page_to_markdown("") == ("", "")


@pytest.mark.skipif(not BLS_PAGES, reason="../shared/guides/bls is not beside the checkout")
def test_every_shared_bls_page_ingests_with_its_tabs() -> None:
    assert len(BLS_PAGES) >= 300
    for page in BLS_PAGES:
        guide = load_guide(page)
        assert guide.title and "Statistics" not in guide.title and "  " not in guide.title, page.name
        assert "Occupational Outlook Handbook" not in guide.title, page.name
        for tab in ("What They Do", "How to Become One", "Pay", "Job Outlook"):
            body = " ".join(s.text for s in guide.sections if s.path[0].startswith(tab))
            assert len(body.split()) >= 20, f"{page.name}: {tab} is missing or empty"


HOSTILE_PAGE = """<html><head><title>Kite Makers | Site</title></head><body><main>
<h1>Kite Makers</h1>
<h2>What They Do</h2>
<p>Makers write &lt;img src=x onerror=alert(1)&gt; on the board.</p>
<p>Escaped twice: &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; and a;b.</p>
<p>&lt;pre&gt;</p>
<h2>Pay</h2>
<p># Not a heading, just a line that starts with a hash</p>
<p>```</p>
<p>&lt;!-- an opened comment</p>
<h2>Job Outlook</h2>
<ul><li>&lt;a href="javascript:alert(2)"&gt;click&lt;/a&gt;</li><li>![i](http://127.0.0.1:9/x.png)</li></ul>
</main></body></html>"""


def test_entity_encoded_tags_stay_literal_text(tmp_path: Path) -> None:
    page = tmp_path / "kite-makers.html"
    page.write_text(HOSTILE_PAGE)
    guide = load_guide(page)
    what = next(s for s in guide.sections if s.path == ("What They Do",))
    # the page showed these characters, so the section holds them: as text, never decoded twice
    assert "Makers write <img src=x onerror=alert(1)> on the board." in what.text
    assert "Escaped twice: &lt;b&gt;bold&lt;/b&gt; and a;b." in what.text
    outlook = next(s for s in guide.sections if s.path == ("Job Outlook",))
    assert outlook.text == '- <a href="javascript:alert(2)">click</a>\n- ![i](http://127.0.0.1:9/x.png)'


def test_page_text_that_looks_like_markdown_makes_no_structure(tmp_path: Path) -> None:
    page = tmp_path / "kite-makers.html"
    page.write_text(HOSTILE_PAGE)
    guide = load_guide(page)
    # "<pre>", "```" and "<!--" on the page are text: they do not swallow the headings after
    # them, and a "# …" line does not become a heading
    assert [s.path for s in guide.sections] == [("What They Do",), ("Pay",), ("Job Outlook",)]
    pay = next(s for s in guide.sections if s.path == ("Pay",))
    assert pay.text == "# Not a heading, just a line that starts with a hash\n```\n<!-- an opened comment"
    assert "<pre>" in guide.sections[0].text


def test_a_page_opening_with_hash_text_still_gets_its_title() -> None:
    title, markdown = page_to_markdown(
        "<html><body><p># hello</p><h1>Real Title</h1><p>Body.</p></body></html>"
    )
    assert title == "Real Title"
    assert markdown.startswith("# Real Title\n\n# hello")
