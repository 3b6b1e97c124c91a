"""Facts that are right: every shared BLS page's Quick Facts and Similar Occupations, as careerbot
extracts them, equal the page's own tables read straight from its HTML (lxml, not careerbot)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from careerbot.facts import GuideFacts, extract_facts, quick_figures
from careerbot.ingest import load_guide

ROOT = Path(__file__).resolve().parents[1]
BLS = ROOT.parent / "shared" / "guides" / "bls"
PAGES = sorted(BLS.glob("*.html")) if BLS.is_dir() else []
NO_SHARED = "../shared/guides/bls is not beside the checkout"

# Row labels of the BLS Quick Facts table → careerbot's QUICK_FACTS keys (read by the test's own
# words so a careerbot label pattern that misses a row shows up here).
ROWS = {
    "median pay": "median_pay",
    "entry-level education": "education",
    "work experience": "experience",
    "on-the-job training": "training",
    "number of jobs": "jobs",
    "job outlook": "outlook",
    "employment change": "change",
}
# A cell that sends the reader to another tab instead of giving the fact.
ELSEWHERE = "See How to Become One"


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


@dataclass
class PageTable:
    """One page's tables as the page itself shows them."""

    title: str
    quick: dict[str, str] = field(default_factory=dict)  # key → cell text ("" for an empty cell)
    has_quick: bool = False
    similar: tuple[str, ...] = ()


def read_page(path: Path) -> PageTable:
    """The Summary tab's Quick Facts rows (th label, td value) and the Similar Occupations names."""
    doc = lxml_html.parse(str(path)).getroot()
    page = PageTable(title=_text(doc.xpath("//h1")[0]))
    for table in doc.xpath('//table[@id="quickfacts"]'):
        page.has_quick = True
        for row in table.xpath(".//tr[th and td]"):
            label = _text(row.xpath("th")[0]).lower()
            key = next((k for words, k in ROWS.items() if words in label), None)
            assert key is not None, f"{path.name}: unknown Quick Facts row {label!r}"
            # Lines of a cell ("$62,970 per year<br>$30.27 per hour") are kept apart by "; " (each
            # <br> marked by a line separator first, as lxml text holds no control characters).
            td = row.xpath("td")[0]
            for br in td.iter("br"):
                br.tail = "\u2028" + (br.tail or "")
            lines = [" ".join(t.split()) for t in td.text_content().split("\u2028")]
            page.quick[key] = "; ".join(t for t in lines if t)
    names = doc.xpath('//table[@id="similar-occupations"]//tbody/tr/td[contains(@headers, "-0-1")]')
    page.similar = tuple(_text(td) for td in names)
    return page


@dataclass
class Expected:
    """The figures a page's table states, parsed by the test's own rules."""

    pay_year: int | None
    pay_hour: float | None
    pay_at_least: bool
    education: str | None
    experience: str | None
    training: str | None
    jobs: int | None
    growth_pct: float | None
    growth_words: str | None
    change: int | None


def _int(cell: str) -> int | None:
    return int(cell.replace(",", "").replace("−", "-")) if cell else None


def expected(quick: dict[str, str]) -> Expected:
    pay = quick.get("median_pay", "")
    year = re.search(r"\$([\d,]+) per year", pay)
    hour = re.search(r"\$([\d,]+\.\d\d) per hour", pay)
    outlook = re.fullmatch(r"(-?\d+)% \(([^)]+)\)", quick.get("outlook", ""))
    assert outlook or not quick.get("outlook"), quick.get("outlook")

    def cat(key: str) -> str | None:
        v = quick.get(key, "")
        return None if not v or v == ELSEWHERE else v

    return Expected(
        pay_year=int(year.group(1).replace(",", "")) if year else None,
        pay_hour=float(hour.group(1).replace(",", "")) if hour else None,
        pay_at_least="equal to or greater than" in pay,
        education=cat("education"),
        experience=cat("experience"),
        training=cat("training"),
        jobs=_int(quick.get("jobs", "")),
        growth_pct=float(outlook.group(1)) if outlook else None,
        growth_words=outlook.group(2) if outlook else None,
        change=_int(quick.get("change", "")),
    )


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[PageTable, GuideFacts]]:
    """Every page read both ways, once (ingesting 300 pages takes a few seconds)."""
    if not PAGES:
        pytest.skip(NO_SHARED)
    out: dict[str, tuple[PageTable, GuideFacts]] = {}
    for path in PAGES:
        guide = load_guide(path)
        facts = extract_facts(guide.title, [(s.name, s.text) for s in guide.sections])
        out[path.stem] = (read_page(path), facts)
    return out


def mismatches(page: PageTable, facts: GuideFacts) -> list[str]:
    """Each fact where careerbot and the page disagree, as "fact: got … want …"."""
    out: list[str] = []

    def check(fact: str, got: object, want: object) -> None:
        if got != want:
            out.append(f"{fact}: careerbot {got!r}, page {want!r}")

    q = quick_figures(facts)
    if not page.has_quick:  # Military Careers has no Quick Facts: nothing may be invented
        check("quick", facts.quick, {})
        check("figures", (q.pay_year, q.pay_hour, q.jobs, q.growth_pct, q.change), (None,) * 5)
    # as written: every non-empty cell word for word, an empty cell no entry at all
    written = {k: v for k, v in page.quick.items() if v}
    for key in ROWS.values():
        check(f"quick[{key!r}]", facts.quick.get(key), written.get(key))
        check(f"text[{key!r}]", q.text.get(key), written.get(key))
    want = expected(page.quick)
    for name, value in vars(want).items():
        check(name, getattr(q, name), value)
    # the growth figure the glance panel and older answers read
    check("growth_rate", facts.growth_rate, None if want.growth_pct is None else f"{want.growth_pct:g}%")
    check("similar", facts.similar, page.similar)
    return out


@pytest.mark.parametrize(
    "slug", [p.stem for p in PAGES] or [pytest.param("none", marks=pytest.mark.skip(NO_SHARED))]
)
def test_page_facts_equal_its_own_tables(
    slug: str, extracted: dict[str, tuple[PageTable, GuideFacts]]
) -> None:
    page, facts = extracted[slug]
    wrong = mismatches(page, facts)
    assert not wrong, f"{slug}.html ({page.title}):\n  " + "\n  ".join(wrong)


def test_the_shared_pages_have_their_tables(extracted: dict[str, tuple[PageTable, GuideFacts]]) -> None:
    """The independent reader reads what the pages hold (so the per-page test compares something)."""
    assert len(extracted) == 300
    with_quick = [p for p, _ in extracted.values() if p.has_quick]
    assert len(with_quick) == 299  # all but Military Careers
    assert all(len(p.quick) == 7 for p in with_quick)
    assert sum(1 for p, _ in extracted.values() if len(p.similar) >= 3) >= 290
    # the unusual cells this suite exists for are among them
    pays = [p.quick["median_pay"] for p in with_quick]
    assert "" in pays
    assert any("equal to or greater than" in v for v in pays)
    assert any("per hour" in v and "per year" not in v for v in pays)
    assert any(p.quick["education"] == ELSEWHERE for p in with_quick)
    assert any(p.quick["change"].startswith("-") for p in with_quick)


# --------------------------------------------------------------------------- unusual values


def _figures(**quick: str) -> Any:
    return quick_figures(GuideFacts(guide="G", quick=quick))


def test_hourly_only_pay_has_no_yearly_figure() -> None:
    q = _figures(median_pay="$23.33 per hour")
    assert (q.pay_year, q.pay_hour, q.pay_at_least) == (None, 23.33, False)
    assert q.text["median_pay"] == "$23.33 per hour"


def test_pay_at_or_above_the_top_figure_is_a_floor_kept_as_written() -> None:
    text = "This wage is equal to or greater than $239,200 per year or $115.00 per hour."
    q = _figures(median_pay=text)
    assert (q.pay_year, q.pay_hour, q.pay_at_least) == (239200, 115.0, True)
    assert q.text["median_pay"] == text


def test_year_and_hour_both_read() -> None:
    q = _figures(median_pay="$92,120 per year; $44.29 per hour")
    assert (q.pay_year, q.pay_hour, q.pay_at_least) == (92120, 44.29, False)


def test_empty_or_missing_facts_are_none() -> None:
    q = _figures()
    assert (q.pay_year, q.pay_hour, q.pay_at_least, q.education, q.jobs, q.growth_pct, q.change) == (
        None,
        None,
        False,
        None,
        None,
        None,
        None,
    )
    assert q.text == {}


def test_negative_change_and_decline() -> None:
    q = _figures(outlook="-12% (Decline)", change="-3,400", jobs="1,234,500")
    assert (q.growth_pct, q.growth_words, q.change, q.jobs) == (-12.0, "Decline", -3400, 1234500)


def test_see_how_to_become_one_is_no_value_but_kept_as_written() -> None:
    q = _figures(education=ELSEWHERE, experience="None", training=ELSEWHERE)
    assert (q.education, q.experience, q.training) == (None, "None", None)
    assert q.text["education"] == ELSEWHERE


def test_a_bare_salary_figure_is_yearly() -> None:
    """The shipped guide writes "Median Salary: $77,500" with no unit: a yearly salary."""
    q = _figures(median_pay="$77,500")
    assert (q.pay_year, q.pay_hour, q.pay_at_least) == (77500, None, False)


def test_a_figure_of_unclear_kind_is_not_guessed() -> None:
    q = _figures(jobs="about 57,000", change="n/a", outlook="Faster than average")
    assert (q.jobs, q.change, q.growth_pct, q.growth_words) == (None, None, None, None)
    assert q.text["outlook"] == "Faster than average"


def test_bare_figures_with_a_suffix_are_read_not_crashed_on() -> None:
    """ "+" and "k" after a bare figure (as salary sections write them) are part of the figure."""
    assert (_figures(median_pay="$95,000+").pay_year, _figures(median_pay="$95,000+").pay_at_least) == (
        95000,
        True,
    )
    assert _figures(median_pay="$45k").pay_year == 45000
    q = _figures(median_pay="$22.50+")
    assert (q.pay_year, q.pay_hour, q.pay_at_least) == (None, 22.5, True)


def test_a_blank_categorical_value_is_none() -> None:
    q = quick_figures(GuideFacts(guide="G", quick={"education": "  ", "training": "n/a"}))
    assert (q.education, q.training) == (None, None)
