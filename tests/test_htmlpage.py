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
