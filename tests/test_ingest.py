from pathlib import Path

import ftfy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from careerbot.errors import CorpusError
from careerbot.ingest import (
    _fix_lines,
    chunk_guide,
    corpus_fingerprint,
    is_heading,
    load_guide,
    repair_text,
    role_of,
    split_sentences,
    strip_boilerplate,
    units_of,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("60,000β€”95,000", "60,000—95,000"),  # em dash through Windows-1253
        ("πŸ“ˆ Market Demand", "📈 Market Demand"),  # 4-byte emoji, one byte via Windows-1252
        ("βœ… Pros", "✅ Pros"),
        ("Go to account β€Ί", "Go to account ›"),
        ("πŸ‡ΊπŸ‡Έ Annual", "🇺🇸 Annual"),  # flag: two regional indicators
        ("Plant’s", "Plant’s"),  # a real curly quote stays
        ("“quoted”", "“quoted”"),
        ("βέλτιστος", "βέλτιστος"),  # real Greek is not mojibake
        ("cafÃ©", "café"),  # plain Latin-1 mojibake, handled by ftfy
        ("❌ Cons", "❌ Cons"),
    ],
)
def test_repair_text(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed


def _scraped(text: str) -> str:
    """UTF-8 bytes read as Windows-1253, as 1252 where 1253 leaves a byte out (as scraped).

    A byte neither defines, like the 0x9D of "”", cannot be simulated, so "”" is not sampled.
    """
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1253"))
        except UnicodeDecodeError:
            out.append(bytes([b]).decode("cp1252"))
    return "".join(out)


@given(
    st.lists(
        st.sampled_from(["a", " ", "\n", "$95,000", "—", "–", "’", "“", "•", "é", "›", "📈", "✅", "🇺🇸", "€"])
    )
)
def test_scraped_mojibake_is_undone(parts: list[str]) -> None:
    # Words apart: ftfy reads some glued runs of real symbols ("é€—") as Latin-1 mojibake itself.
    text = " ".join(parts)
    assert repair_text(_scraped(text)) == text


@given(
    st.lists(
        st.sampled_from(
            [
                "ab",
                " ",
                "\n",
                "\r\n",
                "\r",
                "&amp;",
                "&lt;",
                "<p>",
                "café",
                "cafÃ©",
                "\x7f",
                "\x1b[31m",
                "\t",
                "ﬁ",
                "\u2028",
                "&",
                "\u00a0",
            ]
        )
    )
)
def test_plain_lines_skip_ftfy_without_changing_its_result(parts: list[str]) -> None:
    # Lines of plain ASCII bypass ftfy for speed; the result must be exactly ftfy's.
    text = "".join(parts)
    expected = ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False, normalization="NFC")
    assert _fix_lines(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Key Responsibilities", True),
        ("πŸ‡ΊπŸ‡Έ Annual Salary (US, USD)", True),
        ("Morning (9:00 AM - 12:00 PM)", True),
        ("Can Lead Technicians work remotely?", True),
        ("Experience: 0-2 years", False),  # a label, not a title
        ("7%", False),
        ("growth rate", False),
        ("They ensure that systems function.", False),
        ("  • Supervise technical staff", False),
    ],
)
def test_is_heading(line: str, expected: bool) -> None:
    assert is_heading(repair_text(line)) is expected


def test_role_of_title() -> None:
    assert role_of("Lead Technician Career Path Guide") == "Lead Technician"
    assert role_of("Potter Career Guide") == "Potter"


def test_boilerplate_rules_drop_share_and_paywall() -> None:
    blocks = [["Intro text."]] * 5 + [
        ["Share career guide"],
        ["Jobicy+ Subscription"],
        ["Plus"],
        ["USD $8/month"],
    ]
    kept = strip_boilerplate(blocks)
    assert kept == [["Intro text."]] * 5


@pytest.fixture(scope="module")
def guide():  # type: ignore[no-untyped-def]
    return load_guide(ROOT / "corpus" / "lead-technician.txt")


def test_guide_title_and_role(guide) -> None:  # type: ignore[no-untyped-def]
    assert guide.title == "Lead Technician Career Path Guide"
    assert guide.role == "Lead Technician"


@pytest.mark.parametrize(
    "path",
    [
        "Overview",
        "Market Demand",
        "Annual Salary (US, USD)",
        "Key Responsibilities",
        "Skills and Qualifications > Education Level",
        "Career Path Tiers > Senior Technician",
        "A Day in the Life > Morning (9:00 AM - 12:00 PM)",
        "Examples and Case Studies > Reducing Downtime through Preventative Maintenance in Automotive "
        "Assembly",
        "Pros & Cons for Lead Technician > Cons",
        "Frequently Asked Questions > Can Lead Technicians work remotely?",
        "Job Outlook & Related Roles",
    ],
)
def test_section_tree(guide, path: str) -> None:  # type: ignore[no-untyped-def]
    assert path in {s.name for s in guide.sections}


def test_every_faq_is_its_own_unit(guide) -> None:  # type: ignore[no-untyped-def]
    faqs = [s for s in guide.sections if s.path[0] == "Frequently Asked Questions"]
    assert len(faqs) == 10
    assert all(s.kind == "faq" and s.path[-1].endswith("?") and s.text for s in faqs)


def test_cleaned_text(guide) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(s.text for s in guide.sections)
    salary = next(s for s in guide.sections if s.name == "Annual Salary (US, USD)")
    assert "Range: 60,000—95,000" in salary.text
    assert "Entry-Level: $65,250" in salary.text  # label and value joined
    assert "Plant’s" in "".join(s.name for s in guide.sections)
    for junk in ("β€", "πŸ", "Jobicy", "USD $8/month", "Go to account", "Share career guide", "•"):
        assert junk not in text
    overview = next(s for s in guide.sections if s.name == "Overview")
    assert "Growth rate: 7%" in overview.text  # "7%" / "growth rate" widget
    demand = next(s for s in guide.sections if s.name == "Market Demand")
    assert demand.text.startswith("Market Demand: High")


def test_chunks_are_stable_and_unique(guide) -> None:  # type: ignore[no-untyped-def]
    a, b = chunk_guide(guide), chunk_guide(guide)
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)
    assert all(c.guide == guide.title and c.section and c.text for c in a)


def test_units_split_lists_labels_and_sentences() -> None:
    units = units_of("Intro sentence one. Intro two, e.g. this.\n- Item A\nMedian: $5")
    assert [(u.kind, u.text) for u in units] == [
        ("sent", "Intro sentence one."),
        ("sent", "Intro two, e.g. this."),
        ("item", "Item A"),
        ("kv", "Median: $5"),
    ]


def test_split_sentences_keeps_abbreviations() -> None:
    assert split_sentences("Source: U.S. Bureau of Labor. Next one.") == [
        "Source: U.S. Bureau of Labor.",
        "Next one.",
    ]


def test_plain_fixture_of_the_same_site(data_dir: Path) -> None:
    g = load_guide(data_dir / "baker.txt")
    names = [s.name for s in g.sections]
    assert g.title == "Baker Career Path Guide"
    assert names[:3] == ["Overview", "Market Demand", "Annual Salary (US, USD)"]
    assert "Frequently Asked Questions > Do bakers need a license?" in names
    text = "\n".join(s.text for s in g.sections)
    assert "Range: 30,000—45,000" in text and "Market Demand: Moderate" in text
    assert "Baker’s bench" in text
    assert "Jobicy" not in text and "USD $8" not in text and "Go to account" not in text


def test_markdown_guide(data_dir: Path) -> None:
    g = load_guide(data_dir / "mini-guide.md")
    names = [s.name for s in g.sections]
    assert g.title == "Wind Turbine Technician Career Guide"
    assert g.role == "Wind Turbine Technician"
    assert names == [
        "Overview",
        "Annual Salary",
        "Key Responsibilities",
        "Frequently Asked Questions > Is climbing required?",
        "Frequently Asked Questions > Do I need a degree?",
    ]
    assert next(s for s in g.sections if s.name == "Key Responsibilities").kind == "list"


def test_html_guide_drops_page_chrome(data_dir: Path) -> None:
    g = load_guide(data_dir / "pottery.html")
    assert g.title == "Potter Career Guide"
    assert [s.name for s in g.sections] == ["Overview", "Work Setting", "Tools"]
    text = "\n".join(s.text for s in g.sections)
    assert "- Kiln" in text
    assert "tracking" not in text and "Subscribe" not in text and "Home" not in text


def test_bad_guides_get_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("   \n")
    with pytest.raises(CorpusError, match="no readable text"):
        load_guide(tmp_path / "empty.txt")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(CorpusError, match="unsupported guide format"):
        load_guide(tmp_path / "notes.pdf")
    with pytest.raises(CorpusError, match="does not exist"):
        corpus_fingerprint(tmp_path / "missing")


def test_fingerprint_follows_content(fixture_corpus: Path) -> None:
    before = corpus_fingerprint(fixture_corpus)
    assert corpus_fingerprint(fixture_corpus) == before
    (fixture_corpus / "baker.txt").write_text("Baker Career Path Guide\n\nChanged.\n")
    assert corpus_fingerprint(fixture_corpus) != before


def test_binary_oversized_and_clashing_guides_are_named_before_any_embedding(tmp_path: Path) -> None:
    import os

    from careerbot.ingest import MAX_GUIDE_MB, guide_files, load_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "x.txt").write_bytes(os.urandom(100_000))  # random bytes named like a guide
    with pytest.raises(CorpusError, match=r"x\.txt looks like a binary file"):
        load_corpus(corpus)
    (corpus / "x.txt").unlink()
    big = corpus / "big.txt"
    with big.open("wb") as fh:  # sparse: the size is checked before anything is read
        fh.truncate(MAX_GUIDE_MB * 1_000_000 + 1)
    with pytest.raises(CorpusError, match=rf"big\.txt is .* at most {MAX_GUIDE_MB} MB"):
        load_corpus(corpus)
    big.unlink()
    (corpus / "dup.md").write_text("# Dup\n\nSome text about the job.\n")
    (corpus / "dup.html").write_text("<h1>Dup</h1><p>Other text about the job.</p>")
    with pytest.raises(CorpusError, match=r"dup\.html and dup\.md would be the same guide"):
        guide_files(corpus)


def test_unreadable_guides_and_folders_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permissions cannot be taken away from root (CI runs as root): the OS error is injected.
    from careerbot.ingest import guide_files, load_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "locked.md").write_text("# Locked\n\nText about the job.\n")

    def denied(self: Path, *args: object, **kwargs: object) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    with monkeypatch.context() as m:
        m.setattr(Path, "read_bytes", denied)
        with pytest.raises(CorpusError, match=r"locked\.md cannot be read \(Permission denied\); check its"):
            load_corpus(corpus)
    with monkeypatch.context() as m:
        m.setattr(Path, "iterdir", denied)
        with pytest.raises(CorpusError, match=r"cannot be read \(Permission denied\)"):
            guide_files(corpus)


def test_plain_text_without_headings_is_one_overview(tmp_path: Path) -> None:
    page = tmp_path / "flat.txt"
    page.write_text("just a few lines of text\nwith no title or headings at all\n")
    guide = load_guide(page)
    assert [s.path for s in guide.sections] == [("Overview",)]
