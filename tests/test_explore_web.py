"""The web face of the career explorer without a browser: answers with a table render it as a
real table of literal cells, and the Explore tab's handlers (compare, find, a row to the chat).
The real-browser test is ``test_web.py::test_explore_tab_and_a_chat_comparison_table``."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from careerbot import explore
from careerbot.answer import Answer, Source
from careerbot.config import Settings
from careerbot.explore import Comparison, Filters, Found, Occupation
from careerbot.facts import QuickFigures
from careerbot.web import (
    ANY,
    SORT_CHOICES,
    FeedbackLog,
    Handlers,
    Page,
    answer_markdown,
    build_app,
    chart_names,
    comparison_charts,
    composed,
    explore_filters,
    found_frame,
    found_styled,
    literal,
    table_markdown,
    table_parts,
)

HOSTILE = "<img src=http://127.0.0.1:9/x.png onerror=alert(1)> **b** | [l](javascript:alert(2)) $$x$$"


def _render(markdown: str) -> str:
    """HTML as a CommonMark renderer with GFM tables makes it (the browser's renderer's stand-in)."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _tags(rendered: str) -> set[str]:
    return set(re.findall(r"<([a-z][a-z0-9]*)", rendered))


def _cells(rendered: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", rendered)]


def _occupation(
    guide: str, pay: int | None, growth: float | None, education: str, experience: str = "None"
) -> Occupation:
    text = {"education": education, "experience": experience}
    if pay is not None:
        text["median_pay"] = f"${pay:,} per year"
    if growth is not None:
        text["outlook"] = f"{growth:g}% (As fast as average)"
    figures = QuickFigures(
        pay_year=pay,
        pay_hour=None if pay is None else round(pay / 2080, 2),
        education=education,
        experience=experience,
        growth_pct=growth,
        growth_words=None if growth is None else "As fast as average",
        jobs=100_000,
        text=text,
    )
    slug = re.sub(r"[^a-z]+", "-", guide.lower()).strip("-")
    return Occupation(guide, slug, figures, f"Summary > Quick Facts: {guide}")


OCCUPATIONS = (
    _occupation("Welders, Cutters, Solderers, and Brazers", 51_000, 2, "High school diploma or equivalent"),
    _occupation("Bakers", 36_650, 6, "No formal educational credential"),
    _occupation("Electricians", 62_350, 9, "High school diploma or equivalent"),
    _occupation("Dental Hygienists", 94_260, 7, "Associate's degree"),
    _occupation(f"Glass Blowers {HOSTILE}", None, None, "Apprenticeship", experience="Less than 5 years"),
)


def _source(o: Occupation) -> Source:
    return Source(o.section, o.guide, f"Median pay: {o.figures.text.get('median_pay', '')}", 0.0, slug=o.slug)


@dataclass
class _Engine:
    """Stands in for ``Engine``: the explorer's own functions over ``OCCUPATIONS``."""

    answer: Answer = field(default_factory=lambda: Answer("x"))
    asked: list[Any] = field(default_factory=list)

    def compare(self, names: Sequence[str], metric: str | None = None, question: str = "") -> Comparison:
        self.asked.append(list(names))
        occs = [o for n in names for o in OCCUPATIONS if o.slug == n]
        return explore.compare(occs, [_source(o) for o in occs], [], None, question)

    def find(self, filters: Filters) -> Found:
        self.asked.append(filters)
        return explore.find(OCCUPATIONS, filters, _source)

    def stream(self, message: str, history: list[Any], guide: str | None) -> Iterator[Any]:
        yield self.answer

    def related_questions(self, message: str, answer: Answer, n: int) -> list[str]:
        return []


def _handlers(tmp_path: Path, engine: _Engine | None = None) -> Handlers:
    titles = tuple(o.guide for o in OCCUPATIONS)
    page = Page(titles, (), ("Q?",), OCCUPATIONS)
    return Handlers(engine or _Engine(), page, FeedbackLog(tmp_path / "votes.jsonl"))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tables in answers


def test_a_table_renders_as_a_table_of_literal_cells() -> None:
    rows = [["", "Bakers", HOSTILE], ["Median pay", "$36,650 a year [1]", f"{HOSTILE}\nsecond line [2]"]]
    rendered = _render(table_markdown(rows))
    assert _tags(rendered) == {"table", "thead", "tbody", "tr", "th", "td"}, rendered
    assert _cells(rendered) == [
        "",
        "Bakers",
        HOSTILE,
        "Median pay",
        "$36,650 a year [1]",
        f"{HOSTILE} second line [2]",
    ]


def test_an_answer_with_a_table_shows_its_words_composed_and_its_table_as_a_table() -> None:
    table = (("", "Bakers", "Electricians"), ("Median pay", "$36,650 [1]", f"{HOSTILE} [2]"))
    text = f"**Electricians** earn more [2].\n\n{explore.markdown_table(table)}\n\nAnd <b>more</b>."
    answer = Answer(text, (), mode="compare", table=table)
    assert table_parts(answer) == ("**Electricians** earn more [2].", "And <b>more</b>.")
    rendered = _render(answer_markdown(answer))
    assert _tags(rendered) == {"p", "strong", "table", "thead", "tbody", "tr", "th", "td"}, rendered
    assert rendered.startswith("<p><strong>Electricians</strong> earn more [2].</p>\n<table>")
    assert rendered.endswith("</table>\n<p>And &lt;b&gt;more&lt;/b&gt;.</p>\n")
    assert _cells(rendered)[-1] == f"{HOSTILE} [2]"
    # without a table, exactly as before
    assert answer_markdown(Answer("Pay is **$1** [1].")) == composed("Pay is **$1** [1].")


def test_the_chat_streams_the_words_then_shows_the_whole_table(tmp_path: Path) -> None:
    table = (("", "Bakers", "Electricians"), ("Median pay", "$36,650 [1]", "$62,350 [2]"))
    answer = Answer(
        f"**Electricians** earn more: a median of $62,350 a year [2], against $36,650 a year for "
        f"Bakers [1].\n\n{explore.markdown_table(table)}",
        (_source(OCCUPATIONS[1]), _source(OCCUPATIONS[2])),
        mode="compare",
        table=table,
    )
    shown: list[str] = []  # the answer bubble at each update (the chat list is updated in place)
    for update in _handlers(tmp_path, _Engine(answer)).respond("who earns more?", [], []):
        if len(update[0]) > 1:
            shown.append(update[0][1]["content"])
    turns = update[1]
    assert all("---" not in s and "|" not in s for s in shown[:-1])  # no half table, no raw pipes
    assert len(shown) > 2 and shown[-1] == answer_markdown(answer)
    assert "<table>" in _render(shown[-1])
    assert turns[0]["answer"]["table"][1] == list(table[1])  # the turn keeps the table


# --------------------------------------------------------------------------- explore: compare


def test_compare_shows_the_table_sources_and_both_charts(tmp_path: Path) -> None:
    engine = _Engine()
    picked = ["Welders, Cutters, Solderers, and Brazers", "Bakers", f"Glass Blowers {HOSTILE}"]
    out, sources, pay, growth, about = _handlers(tmp_path, engine).compare_picked(picked)
    assert engine.asked == [[OCCUPATIONS[0].slug, OCCUPATIONS[1].slug, OCCUPATIONS[4].slug]]
    rendered = _render(out)
    assert "<table>" in rendered and "script" not in _tags(rendered) and "img" not in _tags(rendered)
    assert "$51,000 a year ($24.52 an hour) [1]" in _cells(rendered)
    assert f"Glass Blowers {HOSTILE}" in _cells(rendered)
    assert "[1]" in sources and "[3]" in sources and literal(f"Glass Blowers {HOSTILE}") in sources
    assert list(pay["value"]["median pay"]) == [51_000, 36_650] and pay["visible"] is True
    assert list(pay["value"]["occupation"]) == ["Welders", "Bakers"]  # short names, whole in the tooltip
    assert pay["caption"] == f"No yearly median pay in the guide for: Glass Blowers {HOSTILE}."
    assert list(growth["value"]["growth %"]) == [2, 6] and growth["y_lim"] == [0.0, None]
    assert about["value"] == "Welders, Cutters, Solderers, and Brazers"


@pytest.mark.parametrize("picked", [None, [], ["Bakers"]])
def test_compare_asks_for_two_to_four(tmp_path: Path, picked: list[str] | None) -> None:
    engine = _Engine()
    out, _, pay, growth, _ = _handlers(tmp_path, engine).compare_picked(picked)
    assert out == "Pick two to four occupations to compare." and engine.asked == []
    assert pay["visible"] is False and growth["visible"] is False


def test_charts_leave_out_what_a_guide_lacks_and_keep_names_apart() -> None:
    assert comparison_charts(OCCUPATIONS[4:]) == (None, None)
    assert chart_names(["Nurses, Registered", "Nurses, Practical"]) == [
        "Nurses, Registered",
        "Nurses, Practical",
    ]
    assert chart_names(["Bakers", "Electricians"]) == ["Bakers", "Electricians"]


# --------------------------------------------------------------------------- explore: find


def test_the_find_form_becomes_filters() -> None:
    f = explore_filters(
        ANY, "High school diploma or equivalent", 45_000.0, ANY, True, "Least schooling first", 9
    )
    assert f == Filters(
        max_education="High school diploma or equivalent",
        min_pay=45_000,
        no_experience=True,
        sort="education",
        descending=False,
        limit=9,
    )
    blank = explore_filters(None, None, None, None, False, None, 5)
    assert blank == Filters(limit=5) and set(SORT_CHOICES.values()) >= {("pay", True), ("growth", True)}


def test_find_lists_every_match_with_figures_and_its_cited_section(tmp_path: Path) -> None:
    engine = _Engine()
    lead, table, sources = _handlers(tmp_path, engine).find_matching(
        ANY, "High school diploma or equivalent", 45_000, ANY, False, "Median pay, highest first"
    )
    assert engine.asked[0].limit == len(OCCUPATIONS)  # the table holds all matches, not the first ten
    assert "2 of the 5 occupations" in lead and "<table>" not in _render(lead)
    frame = table["value"].data
    assert table["visible"] is True and list(frame["Occupation"]) == ["Electricians", OCCUPATIONS[0].guide]
    assert list(frame["Median pay ($ a year)"]) == [62_350, 51_000]  # numbers, so they sort as numbers
    assert list(frame["Cited section"]) == [
        "[1] Summary › Quick Facts: Electricians",
        f"[2] Summary › Quick Facts: {OCCUPATIONS[0].guide}",
    ]
    assert "**[1] Electricians › Summary › Quick Facts: Electricians**" in sources.replace("\\", "")


def test_find_shows_blanks_for_figures_a_guide_lacks() -> None:
    found = explore.find(OCCUPATIONS, Filters(limit=10), _source)
    frame = found_frame(found)
    glass = frame[frame["Occupation"] == OCCUPATIONS[4].guide].iloc[0]
    assert pd.isna(glass["Median pay ($ a year)"]) and glass["Work experience"] == "Less than 5 years"
    shown = found_styled(frame).to_html()
    assert "$94,260" in shown and "<NA>" not in shown and "nan" not in shown.lower()
    top = found_styled(frame, [0]).to_html()  # a guide's "$94,260 or more" stays a floor
    assert "$94,260 or more" in top and "$45.32 or more" in top and "$62,350 or more" not in top


def test_no_match_says_which_limit_emptied_the_list(tmp_path: Path) -> None:
    lead, table, sources = _handlers(tmp_path).find_matching(
        ANY, "High school diploma or equivalent", 500_000, ANY, False, None
    )
    assert table["visible"] is False and sources == ""
    text = html.unescape(lead).replace("\\", "")
    assert text.startswith("None of the 5 occupations in the guides need at most a high school diploma")
    assert "without the pay limit, 3 would match; without the education limit, none would" in text


# --------------------------------------------------------------------------- explore: to the chat


def test_a_row_or_a_pick_opens_the_chat_on_that_guide(tmp_path: Path) -> None:
    handlers = _handlers(tmp_path)
    frame = found_frame(explore.find(OCCUPATIONS, Filters(limit=10), _source))
    assert handlers.occupation_in_row(frame, 1)["value"] == frame.iloc[1, 0]
    assert "value" not in handlers.occupation_in_row(frame, 99)
    tabs, picker = handlers.open_in_chat("Bakers")
    assert tabs["selected"] == "chat" and picker["value"] == "Bakers"
    assert handlers.open_in_chat("Astronauts") == ({"__type__": "update"}, {"__type__": "update"})


@dataclass
class _Searcher:
    guides: list[str]
    chunks: tuple[Any, ...] = ()


@dataclass
class _BuildEngine:
    """What ``build_app`` reads of an engine."""

    settings: Settings
    occupations_: Sequence[Occupation]

    def searcher(self) -> _Searcher:
        return _Searcher([o.guide for o in self.occupations_] or ["Guide"])

    def facts(self) -> list[Any]:
        return []

    def occupations(self) -> list[Occupation]:
        return list(self.occupations_)


@pytest.mark.parametrize(
    ("occupations", "shown"), [(OCCUPATIONS[:2], True), (OCCUPATIONS[:1], False), ((), False)]
)
def test_the_explore_tab_shows_with_two_occupations_or_more(
    tmp_path: Path, occupations: Sequence[Occupation], shown: bool
) -> None:
    import gradio as gr

    settings = Settings.from_env({}, corpus_dir=tmp_path, index_dir=tmp_path / "index")
    demo = build_app(_BuildEngine(settings, occupations), settings)  # type: ignore[arg-type]
    tabs = [b for b in demo.blocks.values() if isinstance(b, gr.Tab)]
    assert [t.id for t in tabs] == (["chat", "explore", "plan"] if shown else ["chat", "plan"])
    if shown:
        found = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "cb-found")
        assert found.datatype[0] == "str"  # guide titles are text in the table, never markup
