"""The Gradio web chat: a thin face over ``Engine`` — chat with cited sources, suggested
questions, feedback, a "guide at a glance" panel built from facts extracted at ingest, and an
Explore tab (compare occupations, find the ones that fit) over every guide's headline facts.

Read top down: rendering (every guide or visitor text passes ``literal`` or ``composed``; an
answer's table is a real table of ``literal`` cells), feedback, the glance, plan and explore
renderers, what the app shows (``Page``), what it does on each event (``Handlers``), where things
are (``_header``, ``_chat_column``, ``_glance_column``, ``_explore_tab``, ``_plan_tab``), and
``_wire``, which connects the two; ``build_app`` puts them together."""

import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .answer import Answer
from .config import Settings
from .errors import CareerbotError, ConfigError, IndexNotReadyError, QuestionError

# Names only the type checker sees (gradio, the engine and what it reads load when the app is
# built), so annotations naming them are strings: this module is read without
# ``from __future__ import annotations`` because Gradio reads its handlers' annotations.
if TYPE_CHECKING:
    import gradio as gr
    from gradio.components import Component

    from .engine import Engine
    from .explore import Filters, Found, Occupation, SortKey
    from .facts import GuideFacts
    from .guidance import CareerPlan

log = logging.getLogger(__name__)

STREAM_WORDS = 4  # words per streamed update
STREAM_PAUSE = 0.015  # seconds between updates: enough to read as typing, not to slow anyone
CONCURRENCY = 4  # answers computed at once; Gradio's default of 1 would make users wait on each other
# Every event that computes an answer shares one concurrency group: Gradio otherwise gives each
# event its own limit, and the chat, its suggestion buttons, its examples, the plan and the API
# would run 4 each at once.
ANSWERS = "answers"
MAX_SUGGESTIONS = 3
# No LaTeX on surfaces that show guide text: a guide's "$$…$$" is data, not a formula to typeset.
NO_MATH: list[dict[str, str | bool]] = []
_PUNCT = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character
_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_BULLET = re.compile(r"[-*] +")
_BOLD = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")

CSS = """
.cb-sources blockquote { margin: 0.2em 0 0.8em; }
#cb-glance { min-width: 280px; }
footer { display: none !important; }
"""


SORRY = "Sorry, something went wrong on my side. Please try again."


def user_message(exc: CareerbotError) -> str:
    """What a visitor may see of an error: their own input problems in full, the rest in general
    words (no paths, settings or server addresses)."""
    if isinstance(exc, QuestionError):
        return str(exc)
    if isinstance(exc, IndexNotReadyError):
        # Only without any loaded index (a running app answers from its copy during builds), so
        # nothing fixes itself: name the fix (the engine's own message holds paths and addresses).
        if "Chroma server" in str(exc):
            return "The guide's database server cannot be reached; start it (`chroma run`) on the server."
        if "--rebuild" in str(exc):
            return (
                "The guide index cannot be read; run `careerbot index --rebuild` on the server to rebuild it."
            )
        return (
            "The guide index is not built yet: run `careerbot index` on the server (if one is already "
            "running, answers start as soon as it finishes, without a restart)."
        )
    return SORRY


# --------------------------------------------------------------------------- rendering


def literal(text: str) -> str:
    """Text that is data — a guide's words, a visitor's message — for a Markdown surface: shown
    exactly as written, never as markup.

    Every ASCII punctuation character is backslash-escaped, so no Markdown construct can form
    (emphasis, headings, lists, tables, links, images, autolinks such as ``http://…`` or
    ``www.…``); ``<``, ``>`` and ``&`` become HTML entities, so no tag or entity can either. Line
    breaks stay line breaks.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _PUNCT.sub(lambda m: _ENTITY.get(m.group(), "\\" + m.group()), text).replace("\n", "  \n")


def composed(text: str, bold: bool = True) -> str:
    """Text careerbot composed around the guide words it quotes (an answer, a plan, a source
    passage) for a Markdown surface: careerbot's own formatting stays, all else is ``literal``.

    careerbot's formatting is a ``- `` bullet at the start of a line (``* `` too, as a language
    model may write it), ``**bold**`` spans when ``bold`` (a source passage is all guide text, so
    it passes False) and line breaks; the ``[n]`` markers show as written. A guide's own ``**``
    pair in an answer can read as bold, never as anything else.
    """
    out: list[str] = []
    in_list = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        bullet = _BULLET.match(line)
        body = line[bullet.end() :] if bullet else line
        parts = _BOLD.split(body) if bold else [body]
        shown = "".join(f"**{literal(p)}**" if i % 2 else literal(p) for i, p in enumerate(parts))
        if in_list and not bullet and line.strip():
            out.append("")  # a blank line ends the list: the line is not part of the last item
        out.append(f"- {shown}" if bullet else shown)
        in_list = bool(bullet)
    return "  \n".join(out)


def _literal_cell(cell: str) -> str:
    return literal(re.sub(r"\s*[\r\n]+\s*", " ", cell))


def table_markdown(rows: Sequence[Sequence[str]]) -> str:
    """A Markdown pipe table of ``rows`` (the first is the header) whose every cell is ``literal``:
    a cell's ``|`` stays an escaped pipe inside its cell, a line break becomes a space."""
    from .explore import markdown_table

    return markdown_table(rows, _literal_cell)


def table_parts(answer: Answer) -> tuple[str, str]:
    """An answer's text before and after its table (``Answer.table``, written into the text as
    ``explore.markdown_table``); ("text", "") for an answer without one."""
    from .explore import markdown_table

    if not answer.table:
        return answer.text, ""
    before, found, after = answer.text.partition(markdown_table(answer.table))
    if not found:  # the text holds no copy of the table: show all of it, then the table
        return answer.text, ""
    return before.strip(), after.strip()


def answer_markdown(answer: Answer) -> str:
    """An answer for a Markdown surface: its words ``composed`` and its table, if any, as a real
    table of ``literal`` cells (a pipe table in ``composed`` text would show as raw pipes)."""
    if not answer.table:
        return composed(answer.text)
    before, after = table_parts(answer)
    blocks = [composed(before), table_markdown(answer.table), composed(after)]
    return "\n\n".join(b for b in blocks if b)


def sources_markdown(answer: Answer) -> str:
    """Each [n] with its breadcrumb and the quoted passage, for the foldable Sources block."""
    parts = []
    for i, s in enumerate(answer.sources, 1):
        passage = "\n".join(ln.strip() for ln in s.text.splitlines() if ln.strip())
        quote = "\n".join(f"> {ln}" for ln in composed(passage, bold=False).split("\n"))
        parts.append(f"**[{i}] {literal(s.breadcrumb)}**\n\n{quote}")
    return "\n\n".join(parts)


def api_payload(answer: Answer) -> dict[str, Any]:
    """The documented shape the ``/chat`` API returns."""
    return answer.to_dict()


def _chunks(text: str) -> Iterator[str]:
    words = re.split(r"(\s+)", text)
    for end in range(STREAM_WORDS * 2, len(words) + STREAM_WORDS * 2, STREAM_WORDS * 2):
        yield "".join(words[:end])


# --------------------------------------------------------------------------- feedback


class FeedbackLog:
    """Appends one JSON line per vote; safe across the server's worker threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, question: str, answer: dict[str, Any], vote: str) -> None:
        row = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "question": question,
            "answer": answer.get("text", ""),
            "sources": [s["section"] for s in answer.get("sources", [])],
            "vote": vote,
        }
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- glance

ALL_GUIDES = "All guides"


def glance_parts(facts: "Sequence[GuideFacts]") -> tuple[Any, str, str]:
    """(salary table for the chart or None, career-ladder Markdown, key-facts Markdown) of the
    first guide in ``facts``; what a guide lacks is left out."""
    import pandas as pd

    from .facts import QUICK_FACTS

    f = facts[0] if facts else None
    chart = None
    ladder = ""
    outlook = ""
    if f is None:
        return chart, ladder, outlook
    levels = [s for s in f.salary if s.label.lower() not in {"median"}]
    if len(levels) >= 2:
        chart = pd.DataFrame(
            {
                "level": [s.label for s in levels],
                "salary": [s.amount for s in levels],
                "text": [s.text for s in levels],
            }
        )
    if f.tiers:
        rows = "\n".join(f"| {literal(t.name)} | {literal(t.years)} |" for t in f.tiers)
        ladder = f"**Career ladder**\n\n| tier | experience |\n| --- | --- |\n{rows}"
        if f.progression_roles:
            ladder += "\n\nBeyond the top tier: " + ", ".join(literal(r) for r in f.progression_roles)
    key_facts = [(name, f.quick[key]) for key, (_, name) in QUICK_FACTS.items() if f.quick.get(key)]
    if f.growth_rate and "outlook" not in f.quick:
        key_facts.append(("Growth rate", f.growth_rate))
    if f.market_demand:
        key_facts.append(("Market demand", f.market_demand))
    if f.salary_range:
        key_facts.append(("Salary range", f"{f.salary_range} USD"))
    if key_facts:
        outlook = "\n".join(f"- **{literal(a)}:** {literal(b)}" for a, b in key_facts)
    return chart, ladder, outlook


# --------------------------------------------------------------------------- plan tab

EDUCATION_CHOICES = [
    "High school diploma or GED",
    "Vocational or trade program",
    "Associate degree",
    "Bachelor's degree",
    "Apprenticeship",
]
GOAL_CHOICES = ["Lead a team", "Move into management", "Earn more", "Not sure yet"]


def profile_sentence(
    years: float | None, education: str | None, skills: Sequence[str], goal: str | None
) -> str:
    """The form's answers as the free-text profile the planner reads."""
    parts = []
    if years is not None:
        parts.append(f"I have {years:g} years of experience in this field.")
    if education:
        parts.append(f"My education: {education}.")
    if skills:
        parts.append(f"I know {', '.join(skills)}.")
    if goal and goal != "Not sure yet":
        parts.append(f"I want to {goal.lower()}.")
    return " ".join(parts) or "I am thinking about this career."


def ladder_with_position(plan: "CareerPlan", facts: "GuideFacts | None") -> str:
    """The career ladder with the person's tier highlighted."""
    if facts is None or not facts.tiers:
        return ""
    rows = []
    for t in facts.tiers:
        here = plan.tier is not None and t.name == plan.tier.name
        name = f"**{literal(t.name)}** ← you are here" if here else literal(t.name)
        rows.append(f"| {name} | {literal(t.years)} |")
    return "**Your place on the ladder**\n\n| tier | experience |\n| --- | --- |\n" + "\n".join(rows)


def plan_download(plan: "CareerPlan", profile: str) -> Path:
    """The plan as a Markdown file with its sources, for the download button; what came from the
    guide or the person is escaped as on screen, so no Markdown viewer makes it markup."""
    import tempfile

    refs = "  \n".join(literal(f"[{i}] {s.breadcrumb}") for i, s in enumerate(plan.sources, 1))
    body = f"# My career plan\n\n> {literal(profile)}\n\n{composed(plan.text)}\n\n## Sources\n\n{refs}\n"
    folder = Path(tempfile.mkdtemp(prefix="careerbot-plan-"))
    path = folder / "career-plan.md"
    path.write_text(body, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- explore tab

ANY = "Any"
# The find form's orders: what the person reads → (``Filters.sort``, ``Filters.descending``).
SORT_CHOICES: "dict[str, tuple[SortKey, bool]]" = {
    "Median pay, highest first": ("pay", True),
    "Projected growth, fastest first": ("growth", True),
    "Number of jobs, most first": ("jobs", True),
    "New jobs by the projection's end, most first": ("change", True),
    "Least schooling first": ("education", False),
}
# The found table: numbers as numbers, so a click on a header sorts them as numbers; (name,
# type, width in pixels), wide enough that no header wraps letter by letter.
FOUND_COLUMNS = (
    ("Occupation", "str", 230),
    ("Median pay ($ a year)", "number", 110),
    ("Median pay ($ an hour)", "number", 110),
    ("Entry-level education", "str", 190),
    ("Work experience", "str", 120),
    ("Projected growth (%)", "number", 110),
    ("Job outlook", "str", 160),
    ("Jobs", "number", 110),
    ("Cited section", "str", 260),
)
_MARK = re.compile(r"\[(\d+)\]\s*$")


def chart_names(titles: Sequence[str]) -> list[str]:
    """Bar labels: each title up to its first comma ("Welders, Cutters, …" → "Welders"), unless
    that would make two labels alike; the tooltip shows the whole title."""
    short = [t.split(",")[0].strip() or t for t in titles]
    return short if len(set(short)) == len(short) else list(titles)


def comparison_charts(occupations: "Sequence[Occupation]") -> tuple[Any, Any]:
    """(median pay, projected growth) of ``occupations`` as tables for the bar charts, each None
    when no occupation gives the figure; a figure a guide lacks is left out, never guessed (an
    hourly-only pay has no bar on the yearly chart)."""
    import pandas as pd

    from .explore import pay_text

    names = dict(zip([o.slug for o in occupations], chart_names([o.guide for o in occupations]), strict=True))
    pay = [o for o in occupations if o.figures.pay_year is not None]
    growth = [o for o in occupations if o.figures.growth_pct is not None]
    pay_df = (
        pd.DataFrame(
            {
                "occupation": [names[o.slug] for o in pay],
                "median pay": [o.figures.pay_year for o in pay],
                "guide": [o.guide for o in pay],
                "as written": [pay_text(o.figures) for o in pay],
            }
        )
        if pay
        else None
    )
    growth_df = (
        pd.DataFrame(
            {
                "occupation": [names[o.slug] for o in growth],
                "growth %": [o.figures.growth_pct for o in growth],
                "guide": [o.guide for o in growth],
                "as written": [o.figures.text.get("outlook", "") for o in growth],
            }
        )
        if growth
        else None
    )
    return pay_df, growth_df


def _lacking(occupations: "Sequence[Occupation]", chart: Any, what: str) -> str:
    """The chart's caption: which occupations have no bar, and why."""
    shown = set() if chart is None else set(chart["guide"])
    gone = [o.guide for o in occupations if o.guide not in shown]
    return f"No {what} in the guide for: {', '.join(gone)}." if gone else ""


def explore_filters(
    at_least: str | None,
    at_most: str | None,
    min_pay: float | None,
    outlook: str | None,
    no_experience: bool,
    sort: str | None,
    limit: int,
) -> "Filters":
    """The find form's answers as ``Filters`` ("Any" and blanks set no limit)."""
    from .explore import Filters

    key, descending = SORT_CHOICES.get(sort or "", ("pay", True))
    return Filters(
        min_education=at_least if at_least and at_least != ANY else None,
        max_education=at_most if at_most and at_most != ANY else None,
        min_pay=round(min_pay) if min_pay else None,
        min_outlook=outlook if outlook and outlook != ANY else None,
        no_experience=bool(no_experience),
        sort=key,
        descending=descending,
        limit=max(1, limit),
    )


def found_frame(found: "Found") -> Any:
    """Every match of ``found`` as a table row: its figures (numbers where the guide gives a plain
    figure, else blank) and the section they stand in, with the [n] of ``found.answer``'s source."""
    import pandas as pd

    from .ingest import PATH_SEP

    rows: list[list[Any]] = []
    # the answer's table lists the same occupations in the same order (the form asks for all)
    cells = [r[1] for r in found.answer.table[1:]]
    for i, o in enumerate(found.matches):
        f = o.figures
        m = _MARK.search(cells[i]) if i < len(cells) else None
        n = int(m.group(1)) if m else 0
        # the section path alone: the guide's name is the row's first cell
        crumb = " › ".join(o.section.split(PATH_SEP))
        rows.append(
            [
                o.guide,
                f.pay_year,
                f.pay_hour,
                f.education or f.text.get("education", ""),
                f.experience or f.text.get("experience", ""),
                f.growth_pct,
                f.growth_words or "",
                f.jobs,
                f"[{n}] {crumb}" if n else crumb,
            ]
        )
    frame = pd.DataFrame(rows, columns=[name for name, *_ in FOUND_COLUMNS])
    for name, kind, _ in FOUND_COLUMNS:
        if kind == "number":  # blanks stay blank (not 0) and the column stays numeric
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("Float64")
    return frame


def found_styled(frame: Any, at_least: Sequence[int] = ()) -> Any:
    """``found_frame``'s table as shown: dollars with separators, "or more" on the pay of the rows
    ``at_least`` (a guide's "$239,200 or more"), blanks for figures a guide lacks; the cells keep
    their numbers, so sorting by a column sorts by value."""
    money = {"Median pay ($ a year)": "${:,.0f}", "Median pay ($ an hour)": "${:,.2f}"}
    number = {"Projected growth (%)": "{:g}%", "Jobs": "{:,.0f}"}
    styled = frame.style.format({**money, **number}, na_rep="")
    for column, shown in money.items():
        if at_least:
            styled = styled.format(shown + " or more", subset=(list(at_least), column), na_rep="")
    return styled


def found_lead(found: "Found") -> str:
    """What the find form found, in words (``composed``): the answer's sentence and its note on
    occupations left out; with no match, which limit emptied the list, one by one."""
    before, after = table_parts(found.answer)
    text = "\n\n".join(p for p in (before, after) if p)
    if not found.matches and found.relaxed:
        each = "; ".join(
            f"without the {name} limit, {f'{count} would match' if count else 'none would'}"
            for name, count in sorted(found.relaxed.items(), key=lambda kv: -kv[1])
        )
        text += f"\n\nDropping one limit at a time: {each}."
    return composed(text)


# --------------------------------------------------------------------------- what the app shows


@dataclass(frozen=True)
class Page:
    """What the app shows, read once from the engine when the app is built."""

    titles: tuple[str, ...]  # every guide's title, in the searcher's order
    facts: "tuple[GuideFacts, ...]"  # the guides' extracted facts
    starters: tuple[str, ...]  # example questions under the empty chat
    occupations: "tuple[Occupation, ...]" = ()  # the guides' occupations with headline facts

    @property
    def explorable(self) -> bool:
        """At least two occupations with headline facts: the Explore tab shows."""
        return len(self.occupations) >= 2

    @property
    def occupation_titles(self) -> list[str]:
        """The occupations as the Explore pickers list them, A to Z."""
        return sorted(o.guide for o in self.occupations)

    @property
    def by_title(self) -> "dict[str, GuideFacts]":
        """Each guide's facts by its title."""
        return {f.guide: f for f in self.facts}

    @property
    def many(self) -> bool:
        """Several guides: the guide picker shows and the glance waits for a pick."""
        return len(self.titles) > 1

    @property
    def first(self) -> "list[GuideFacts]":
        """The facts the glance shows before any pick: the first guide's."""
        by_title = self.by_title
        if self.titles and self.titles[0] in by_title:
            return [by_title[self.titles[0]]]
        return list(self.facts[:1])

    @property
    def guides(self) -> str:
        """The guides as the intro names them."""
        return ", ".join(self.titles) if len(self.titles) <= 4 else f"{len(self.titles)} career guides"

    @property
    def skill_choices(self) -> list[str]:
        """The plan form's skill boxes: the first guide's skill map."""
        return [item for f in self.facts[:1] for items in f.skill_map.values() for item in items]


def read_page(engine: "Engine") -> Page:
    """The ``Page`` of ``engine``'s loaded guides."""
    searcher = engine.searcher()
    starters = [c.title for c in searcher.chunks if c.kind == "faq"][:5]
    if not starters:  # guides without an FAQ: the questions people ask most
        starters = ["What does this job pay?", "What education do I need?", "Is this field growing?"]
    return Page(tuple(searcher.guides), tuple(engine.facts()), tuple(starters), tuple(engine.occupations()))


# --------------------------------------------------------------------------- handlers


class Handlers:
    """What the app does on each event, apart from where it is shown. Each method's name is its
    (private) Gradio endpoint's name; the answering ones run in the ``ANSWERS`` group."""

    def __init__(self, engine: "Engine", page: Page, feedback: FeedbackLog) -> None:
        self.engine = engine
        self.page = page
        self.by_title = page.by_title
        self.feedback = feedback

    def glance_for(self, choice: str | None) -> tuple[Any, ...]:
        """The glance panel for the picked guide (title), or a hint when all guides are searched."""
        import gradio as gr

        f = self.by_title.get(choice or "")
        if f is None and self.page.many:
            hint = "Pick a guide above to see its key facts."
            return gr.update(visible=False), gr.update(value=hint, visible=True), gr.update(visible=False)
        chart, ladder, outlook = glance_parts([f] if f else self.page.first)
        return (
            gr.update(value=chart, visible=chart is not None),
            gr.update(value=outlook, visible=bool(outlook)),
            gr.update(value=ladder, visible=bool(ladder)),
        )

    def respond(
        self,
        message: str,
        chat: list[dict[str, Any]],
        turns: list[dict[str, Any]],
        choice: str | None = None,
    ) -> Iterator[Any]:
        """Stream one answer; ``turns`` keeps the raw questions, answers and sources."""
        import gradio as gr

        chat = list(chat or [])
        turns = list(turns or [])
        # A lone surrogate cannot travel back to the browser: the message would vanish unanswered.
        message = (message or "").encode("utf-8", "replace").decode("utf-8")
        chat.append({"role": "user", "content": literal(message)})
        no_suggestions = [gr.update(visible=False)] * MAX_SUGGESTIONS
        yield chat, turns, "", *no_suggestions
        history = [m for t in turns for m in (t["user"], t["assistant"])]
        chat.append({"role": "assistant", "content": ""})
        answer: Answer | None = None
        words = ""  # an LLM's words so far, shown as they arrive
        try:
            guide = choice if choice in self.by_title or choice in self.page.titles else None
            for item in self.engine.stream(message, history, guide):
                if isinstance(item, Answer):
                    answer = item
                else:  # an LLM's words as they arrive; replaced by the checked answer below
                    words += item
                    chat[-1] = {"role": "assistant", "content": composed(words)}
                    yield chat, turns, "", *no_suggestions
            if answer is None:  # Engine.stream always ends with the Answer; be loud if not
                raise RuntimeError("the engine's stream ended without an answer")
        except CareerbotError as exc:
            chat.pop()
            chat.append({"role": "assistant", "content": literal(user_message(exc))})
            yield chat, turns, "", *no_suggestions
            return
        except Exception:  # the server keeps going; the person gets a short message
            log.exception("answering failed")
            chat.pop()
            chat.append({"role": "assistant", "content": SORRY})
            yield chat, turns, "", *no_suggestions
            return
        # the words before a table stream in; the table comes whole (half a table is raw pipes)
        for partial in _chunks(table_parts(answer)[0]):
            chat[-1] = {"role": "assistant", "content": composed(partial)}
            yield chat, turns, "", *no_suggestions
            time.sleep(STREAM_PAUSE)
        chat[-1] = {"role": "assistant", "content": answer_markdown(answer)}
        chat.extend(_after_answer(answer))
        turns.append(
            {
                "user": {"role": "user", "content": message},
                "assistant": {"role": "assistant", "content": answer.text},
                "answer": api_payload(answer),
                "index": len(chat) - 1,
            }
        )
        related = [] if answer.refused else self.engine.related_questions(message, answer, MAX_SUGGESTIONS)
        buttons = [gr.update(value=q, visible=True) for q in related]
        buttons += [gr.update(visible=False)] * (MAX_SUGGESTIONS - len(buttons))
        yield chat, turns, "", *buttons

    def vote(self, turns: list[dict[str, Any]], index: int, liked: bool) -> None:
        """Record a thumbs up or down on the chat message at ``index``."""
        import gradio as gr

        # The vote belongs to the turn whose messages end at or after the clicked one.
        turn = next((t for t in turns or [] if t["index"] >= index), None)
        if turn is None:
            return
        self.feedback.record(turn["user"]["content"], turn["answer"], "up" if liked else "down")
        gr.Info("Thanks — your feedback was saved.")

    def make_my_plan(
        self,
        text: str,
        years: float | None,
        education: str | None,
        skills: list[str],
        goal: str | None,
        choice: str | None = None,
    ) -> tuple[Any, ...]:
        """The plan tab's outputs: ladder, plan, skills to build, sources, download."""
        import gradio as gr

        profile = (text or "").strip() or profile_sentence(years, education, skills, goal)
        guide = choice if choice in self.by_title else None
        try:
            plan = self.engine.plan(profile, guide)
        except CareerbotError as exc:
            return literal(user_message(exc)), "", "", "", gr.update(visible=False)
        path = plan_download(plan, profile)
        facts = self.by_title.get(guide or "") or (self.page.facts[0] if self.page.facts else None)
        return (
            ladder_with_position(plan, facts),
            composed(plan.text),
            "**Skills to build**\n\n" + "\n".join(f"- [ ] {literal(g)}" for g in plan.skill_gaps)
            if plan.skill_gaps
            else "",
            sources_markdown(Answer(plan.text, plan.sources)),
            gr.update(value=str(path), visible=True),
        )

    # -- the Explore tab
    def compare_picked(self, titles: list[str] | None) -> tuple[Any, ...]:
        """The compare outputs for the picked occupations (titles): the comparison's sentence and
        table, its sources, the median-pay and growth charts, and the 'chat about' pick."""
        import gradio as gr

        picked = [o for t in titles or [] for o in self.page.occupations if o.guide == t]
        hidden = gr.update(visible=False)
        if not 2 <= len(picked) <= 4:
            return "Pick two to four occupations to compare.", "", hidden, hidden, gr.update()
        try:
            comparison = self.engine.compare([o.slug for o in picked], question=" vs ".join(titles or []))
        except CareerbotError as exc:
            return literal(user_message(exc)), "", hidden, hidden, gr.update()
        shown = comparison.occupations
        pay, growth = comparison_charts(shown)
        # bars from zero (a cut axis makes a small gap look huge); below it when one declines
        low = min([0.0, *([] if growth is None else growth["growth %"])])
        return (
            answer_markdown(comparison.answer),
            sources_markdown(comparison.answer),
            gr.update(value=pay, visible=pay is not None, caption=_lacking(shown, pay, "yearly median pay")),
            gr.update(
                value=growth,
                visible=growth is not None,
                caption=_lacking(shown, growth, "projected growth"),
                y_lim=[low, None],
            ),
            gr.update(value=shown[0].guide) if shown else gr.update(),
        )

    def find_matching(
        self,
        at_least: str | None,
        at_most: str | None,
        min_pay: float | None,
        outlook: str | None,
        no_experience: bool,
        sort: str | None,
    ) -> tuple[Any, ...]:
        """The find outputs for the form: what was found in words, the table of matches (hidden
        when none) and its sources."""
        import gradio as gr

        filters = explore_filters(
            at_least, at_most, min_pay, outlook, no_experience, sort, len(self.page.occupations)
        )
        try:
            found = self.engine.find(filters)
        except CareerbotError as exc:
            return literal(user_message(exc)), gr.update(visible=False), ""
        floors = [i for i, o in enumerate(found.matches) if o.figures.pay_at_least]
        shown = gr.update(value=found_styled(found_frame(found), floors), visible=bool(found.matches))
        return found_lead(found), shown, sources_markdown(found.answer)

    def occupation_in_row(self, frame: Any, row: int) -> Any:
        """The 'chat about' pick set to the occupation of the found table's ``row``."""
        import gradio as gr

        try:
            title = str(frame.iloc[row, 0])
        except (AttributeError, IndexError):
            return gr.update()
        return gr.update(value=title) if title in self.page.occupation_titles else gr.update()

    def open_in_chat(self, title: str | None) -> tuple[Any, ...]:
        """The Chat tab, with its guide picker set to ``title``'s guide: (tabs, picker)."""
        import gradio as gr

        if not title or title not in self.page.titles:
            return gr.update(), gr.update()
        return gr.update(selected="chat"), gr.update(value=title)

    def api_chat(self, message: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """Answer ``message`` (with optional history); returns text, refused, mode and sources."""
        try:
            if not isinstance(message, str):
                raise QuestionError("The question must be text.")
            return api_payload(self.engine.ask(message, history or []))
        except CareerbotError as exc:
            return {"text": user_message(exc), "refused": True, "mode": "error", "notice": "", "sources": []}
        except Exception:  # never a 500 with a traceback; the log has the details
            log.exception("API answer failed")
            return {"text": SORRY, "refused": True, "mode": "error", "notice": "", "sources": []}


def _after_answer(answer: Answer) -> list[dict[str, Any]]:
    """The chat messages that follow an answer's text: its notice, then its foldable sources."""
    extra: list[dict[str, Any]] = []
    if answer.notice:
        extra.append({"role": "assistant", "content": f"_{literal(answer.notice)}_"})
    if answer.sources:
        extra.append(
            {
                "role": "assistant",
                "content": sources_markdown(answer),
                "metadata": {"title": f"Sources ({len(answer.sources)})", "status": "done"},
            }
        )
    return extra


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class ChatView:
    chatbot: "gr.Chatbot"
    suggestions: "list[gr.Button]"
    box: "gr.Textbox"
    clear: "gr.Button"


@dataclass(frozen=True)
class GlanceView:
    chart: "gr.BarPlot"
    outlook: "gr.Markdown"
    ladder: "gr.Markdown"


@dataclass(frozen=True)
class PlanView:
    inputs: "list[Component]"  # free text, years, education, skills, goal
    go: "gr.Button"
    outputs: "list[Component]"  # ladder, plan, skills to build, sources, download


@dataclass(frozen=True)
class ExploreView:
    picked: "gr.Dropdown"  # the occupations to compare
    compare: "gr.Button"
    compared: "list[Component]"  # sentence and table, sources, pay chart, growth chart
    form: "list[Component]"  # education at least, at most, minimum pay, outlook, no experience, sort
    find: "gr.Button"
    found: "list[Component]"  # what was found in words, the table, sources
    table: "gr.Dataframe"  # the found table (in ``found`` too), whose rows pick what to chat about
    about: "gr.Dropdown"  # the occupation to chat about
    ask: "gr.Button"


def _header(page: Page) -> "tuple[gr.State, gr.Dropdown]":
    """The intro line, the chat's state and the guide picker: (turns state, picker)."""
    import gradio as gr

    gr.Markdown(
        f"## careerbot\nAsk about **{literal(page.guides)}**. Every answer quotes the guide and "
        "names its sections; if the guide doesn't cover something, careerbot says so.",
        latex_delimiters=NO_MATH,
        elem_id="cb-intro",
    )
    turns = gr.State([])
    picker = gr.Dropdown(
        [ALL_GUIDES, *page.titles],
        value=ALL_GUIDES,
        label="Guide",
        info="Ask one guide, or all of them (the occupation you name picks the guide).",
        filterable=True,
        visible=page.many,
        elem_id="cb-guide",
    )
    return turns, picker


def _chat_column(page: Page) -> ChatView:
    """The chat, its suggested follow-ups, the question box and 'New chat'."""
    import gradio as gr

    with gr.Column(scale=3, min_width=320):
        chatbot = gr.Chatbot(
            label="Chat",
            height=520,
            sanitize_html=True,
            render_markdown=True,
            latex_delimiters=NO_MATH,
            feedback_options=("Like", "Dislike"),
            placeholder="Try one of the questions below, or ask your own.",
            examples=[{"text": q} for q in page.starters],
            elem_id="cb-chat",
            elem_classes=["cb-sources"],
        )
        with gr.Row():
            suggestions = [
                gr.Button(visible=False, size="sm", variant="secondary", elem_classes=["cb-suggestion"])
                for _ in range(MAX_SUGGESTIONS)
            ]
        with gr.Row():
            box = gr.Textbox(
                placeholder="e.g. What does this job pay? Do I need a degree?",
                show_label=False,
                scale=5,
                autofocus=True,
                submit_btn=True,
                elem_id="cb-input",
                max_lines=6,
            )
            clear = gr.Button("New chat", scale=1, min_width=90, elem_id="cb-clear")
    return ChatView(chatbot, suggestions, box, clear)


def _glance_column(page: Page) -> GlanceView:
    """'Guide at a glance': salary chart, key facts and career ladder of one guide; with several
    guides, a hint until one is picked."""
    import gradio as gr

    chart_df, ladder_md, outlook_md = glance_parts(page.first)
    many = page.many
    with gr.Column(scale=2, min_width=280, elem_id="cb-glance"):
        gr.Markdown("### Guide at a glance")
        chart = gr.BarPlot(
            chart_df,
            x="level",
            y="salary",
            title="Annual salary (USD)",
            sort=None,
            height=240,
            tooltip=["level", "text"],
            visible=chart_df is not None and not many,
            elem_id="cb-salary-chart",
        )
        outlook = gr.Markdown(
            outlook_md if not many else "Pick a guide above to see its key facts.",
            visible=bool(outlook_md) or many,
            elem_id="cb-outlook",
            latex_delimiters=NO_MATH,
        )
        ladder = gr.Markdown(
            ladder_md, visible=bool(ladder_md) and not many, elem_id="cb-ladder", latex_delimiters=NO_MATH
        )
    return GlanceView(chart, outlook, ladder)


def _plan_tab(page: Page) -> PlanView:
    """The 'My plan' tab: where the person stands (own words or a form), and the cited plan."""
    import gradio as gr

    with gr.Tab("My plan", id="plan", elem_id="cb-plan-tab"):
        gr.Markdown(
            "Tell careerbot where you stand — in your own words or with the form — and get a "
            "step-by-step plan from the guide, every step cited."
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=300):
                text = gr.Textbox(
                    label="In your own words",
                    placeholder="e.g. I have 3 years in the field, an associate degree, "
                    "and I want to lead a team.",
                    lines=3,
                    elem_id="cb-plan-text",
                )
                gr.Markdown("…or fill in the form:")
                years = gr.Number(label="Years of experience", value=None, minimum=0, maximum=60, precision=1)
                education = gr.Dropdown(EDUCATION_CHOICES, label="Education", value=None)
                skills = gr.CheckboxGroup(page.skill_choices, label="Skills you already have")
                goal = gr.Radio(GOAL_CHOICES, label="Goal", value=None)
                go = gr.Button("Make my plan", variant="primary", elem_id="cb-plan-go")
            with gr.Column(scale=3, min_width=300):
                ladder = gr.Markdown(elem_id="cb-plan-ladder", latex_delimiters=NO_MATH)
                plan = gr.Markdown(elem_id="cb-plan-out", latex_delimiters=NO_MATH)
                gaps = gr.Markdown(elem_id="cb-plan-gaps", latex_delimiters=NO_MATH)
                with gr.Accordion("Sources", open=False):
                    sources = gr.Markdown(elem_id="cb-plan-sources", latex_delimiters=NO_MATH)
                download = gr.DownloadButton("Download plan (Markdown)", visible=False, elem_id="cb-plan-dl")
    return PlanView([text, years, education, skills, goal], go, [ladder, plan, gaps, sources, download])


def _explore_tab(page: Page) -> ExploreView:
    """The 'Explore' tab: compare occupations side by side (table and charts), find the ones
    that fit (filters and a sortable table), and take one of them to the chat."""
    import gradio as gr

    from .explore import EDUCATION_LEVELS, GROWTH_WORDS

    titles = page.occupation_titles
    levels = [ANY, *(name for name, _ in EDUCATION_LEVELS)]
    with gr.Tab("Explore", id="explore", elem_id="cb-explore-tab"):
        gr.Markdown(
            f"Compare occupations or find the ones that fit, from the headline facts of "
            f"{len(titles)} guides; every figure names the guide section it comes from.",
            latex_delimiters=NO_MATH,
        )
        with gr.Accordion("Compare", open=True):
            with gr.Row(equal_height=False):
                picked = gr.Dropdown(
                    titles,
                    value=None,
                    multiselect=True,
                    max_choices=4,
                    filterable=True,
                    label="Occupations to compare (2–4)",
                    scale=5,
                    elem_id="cb-compare-pick",
                )
                compare = gr.Button("Compare", variant="primary", scale=1, elem_id="cb-compare-go")
            compared = gr.Markdown(elem_id="cb-compare-out", latex_delimiters=NO_MATH)
            with gr.Row(equal_height=True):
                charts = [
                    gr.BarPlot(
                        None,
                        x="occupation",
                        y=y,
                        title=title,
                        y_title=y_title,
                        sort="-y",
                        y_lim=[0, None],
                        height=260,
                        tooltip=["guide", "as written"],
                        visible=False,
                        elem_id=elem_id,
                    )
                    for y, title, y_title, elem_id in (
                        ("median pay", "Median pay", "USD a year", "cb-pay-chart"),
                        ("growth %", "Projected growth", "% over ten years", "cb-growth-chart"),
                    )
                ]
            with gr.Accordion("Sources", open=False):
                compare_sources = gr.Markdown(elem_id="cb-compare-sources", latex_delimiters=NO_MATH)
        with gr.Accordion("Find occupations that fit", open=True):
            with gr.Row():
                at_least = gr.Dropdown(levels, value=ANY, label="Education at least", elem_id="cb-edu-min")
                at_most = gr.Dropdown(levels, value=ANY, label="Education at most", elem_id="cb-edu-max")
                min_pay = gr.Number(
                    None, label="Median pay at least ($ a year)", minimum=0, step=5000, elem_id="cb-min-pay"
                )
            with gr.Row():
                outlook = gr.Dropdown(
                    [ANY, *GROWTH_WORDS], value=ANY, label="Job outlook at least", elem_id="cb-outlook-min"
                )
                sort = gr.Dropdown(list(SORT_CHOICES), value=next(iter(SORT_CHOICES)), label="Sort by")
                no_experience = gr.Checkbox(label="No work experience needed", elem_id="cb-no-exp")
            find = gr.Button("Find", variant="primary", elem_id="cb-find-go")
            lead = gr.Markdown(elem_id="cb-find-out", latex_delimiters=NO_MATH)
            table = gr.Dataframe(
                headers=[name for name, *_ in FOUND_COLUMNS],
                datatype=[kind for _, kind, _ in FOUND_COLUMNS],  # type: ignore[misc]
                column_widths=[width for *_, width in FOUND_COLUMNS],
                interactive=False,
                wrap=True,
                max_height=420,
                pinned_columns=1,
                visible=False,
                elem_id="cb-found",
            )
            with gr.Accordion("Sources", open=False):
                find_sources = gr.Markdown(elem_id="cb-find-sources", latex_delimiters=NO_MATH)
        with gr.Row(equal_height=False):
            about = gr.Dropdown(
                [t for t in titles if t in page.titles],
                value=None,
                label="Chat about",
                info="Pick one, or click a row of the table above.",
                filterable=True,
                scale=5,
                elem_id="cb-about",
            )
            ask = gr.Button("Ask about it in the chat", scale=1, elem_id="cb-about-go")
    return ExploreView(
        picked,
        compare,
        [compared, compare_sources, *charts],
        [at_least, at_most, min_pay, outlook, no_experience, sort],
        find,
        [lead, table, find_sources],
        table,
        about,
        ask,
    )


# --------------------------------------------------------------------------- event wiring


def _wire(
    handlers: Handlers,
    turns: "gr.State",
    picker: "gr.Dropdown",
    chat: ChatView,
    glance: GlanceView,
    plan: PlanView,
    tabs: "gr.Tabs",
    explore: ExploreView | None,
) -> None:
    """Connect the events to the handlers. Every endpoint but ``/chat`` is private; whatever
    computes an answer shares the ``ANSWERS`` concurrency group."""
    import gradio as gr
    from gradio.events import api  # gr.api; gradio's __all__ leaves it out, so typed from its module

    respond = handlers.respond
    outputs = [chat.chatbot, turns, chat.box, *chat.suggestions]
    chat.box.submit(
        respond,
        [chat.box, chat.chatbot, turns, picker],
        outputs,
        api_visibility="private",
        concurrency_id=ANSWERS,
    )
    for button in chat.suggestions:
        button.click(
            respond,
            [button, chat.chatbot, turns, picker],
            outputs,
            api_visibility="private",
            concurrency_id=ANSWERS,
        )
    picker.change(
        handlers.glance_for, [picker], [glance.chart, glance.outlook, glance.ladder], api_visibility="private"
    )

    # Gradio hands event data to a parameter annotated with its type; these two unpack it.
    def on_example(
        messages: list[dict[str, Any]], state: list[dict[str, Any]], choice: str | None, ev: gr.SelectData
    ) -> Iterator[Any]:
        yield from respond(ev.value["text"], messages, state, choice)

    def vote(state: list[dict[str, Any]], data: gr.LikeData) -> None:
        index = data.index if isinstance(data.index, int) else data.index[0]
        handlers.vote(state, index, data.liked is True or data.liked == "Like")

    chat.chatbot.example_select(
        on_example, [chat.chatbot, turns, picker], outputs, api_visibility="private", concurrency_id=ANSWERS
    )
    chat.chatbot.like(vote, [turns], None, api_visibility="private")
    chat.clear.click(
        lambda: ([], [], "", *[gr.update(visible=False)] * MAX_SUGGESTIONS),
        None,
        outputs,
        api_visibility="private",
    )
    plan.go.click(
        handlers.make_my_plan,
        [*plan.inputs, picker],
        plan.outputs,
        api_visibility="private",
        concurrency_id=ANSWERS,
    )
    if explore is not None:
        _wire_explore(handlers, tabs, picker, explore)
    api(handlers.api_chat, api_name="chat", concurrency_id=ANSWERS)


def _wire_explore(handlers: Handlers, tabs: "gr.Tabs", picker: "gr.Dropdown", explore: ExploreView) -> None:
    """The Explore tab's events: compare, find, a found row picked, and off to the chat."""
    import gradio as gr

    explore.compare.click(
        handlers.compare_picked,
        [explore.picked],
        [*explore.compared, explore.about],
        api_visibility="private",
        concurrency_id=ANSWERS,
    )
    explore.find.click(
        handlers.find_matching,
        explore.form,
        explore.found,
        api_visibility="private",
        concurrency_id=ANSWERS,
    )
    table = explore.table

    def on_row(frame: Any, ev: gr.SelectData) -> Any:
        return handlers.occupation_in_row(frame, ev.index[0] if isinstance(ev.index, list) else ev.index)

    table.select(on_row, [table], [explore.about], api_visibility="private")
    # the picker's own change event then shows that guide's glance panel
    explore.ask.click(handlers.open_in_chat, [explore.about], [tabs, picker], api_visibility="private")


# --------------------------------------------------------------------------- app


def build_app(engine: "Engine | None" = None, settings: Settings | None = None) -> "gr.Blocks":
    """The Gradio Blocks app. Loads the model and index (building it if needed) before serving."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    from .engine import Engine

    settings = settings or (engine.settings if engine is not None else Settings.from_env())
    engine = engine or Engine(settings)
    page = read_page(engine)
    handlers = Handlers(engine, page, FeedbackLog(settings.feedback_file))
    demo = gr.Blocks(title="careerbot", fill_width=False)  # (its untyped __enter__ returns it)
    with demo:
        turns, picker = _header(page)
        with gr.Tabs() as tabs:
            with gr.Tab("Chat", id="chat"), gr.Row(equal_height=False):
                chat = _chat_column(page)
                glance = _glance_column(page)
            explore = _explore_tab(page) if page.explorable else None
            plan = _plan_tab(page)
        _wire(handlers, turns, picker, chat, glance, plan, tabs, explore)
    # api_open=False: Gradio's REST route (/gradio_api/run/chat) would otherwise run calls at once,
    # past the queue and both of its bounds.
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=settings.queue_size, api_open=False)
    return demo


def launch_options(settings: Settings, host: str | None = None, port: int | None = None) -> dict[str, Any]:
    """How the app is served: 127.0.0.1:7860 unless told otherwise (flags, then
    GRADIO_SERVER_NAME/PORT), never shared, no tracebacks to visitors, optional basic auth, and
    every request passing ``guard.RequestGuard`` (bounded bodies, no uploads, quick 'queue full')."""
    from starlette.middleware import Middleware

    from .guard import RequestGuard

    auth = None
    if settings.auth:
        user, _, password = settings.auth.partition(":")
        if not user or not password:
            raise ConfigError("CAREERBOT_AUTH must look like 'user:password'.")
        auth = (user, password)
    max_body = int(settings.max_request_mb * 1_000_000)
    return {
        "auth": auth,
        "server_name": host or os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        "server_port": port or int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
        "share": False,
        "show_error": False,
        "css": CSS,
        "max_file_size": max_body,  # Gradio's own bound on uploads, which the guard refuses anyway
        "app_kwargs": {"middleware": [Middleware(RequestGuard, max_body=max_body)]},
    }


def main() -> None:
    """``python app.py``: serve, or print one line saying what to fix (exit status 1)."""
    import sys

    try:
        launch()
    except CareerbotError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def launch(host: str | None = None, port: int | None = None, engine: "Engine | None" = None) -> None:
    """Build the app (loading or building the index first) and serve it."""
    settings = engine.settings if engine is not None else Settings.from_env()
    options = launch_options(settings, host, port)  # a bad setting fails before anything loads
    build_app(engine, settings).launch(**options)
