"""The Gradio web chat: a thin face over ``Engine`` — chat with cited sources, suggested
questions, feedback, and a "guide at a glance" panel built from facts extracted at ingest.

Read top down: rendering (every guide or visitor text passes ``literal`` or ``composed``),
feedback, the glance and plan renderers, what the app shows (``Page``), what it does on each
event (``Handlers``), where things are (``_header``, ``_chat_column``, ``_glance_column``,
``_plan_tab``), and ``_wire``, which connects the two; ``build_app`` puts them together."""

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


# --------------------------------------------------------------------------- what the app shows


@dataclass(frozen=True)
class Page:
    """What the app shows, read once from the engine when the app is built."""

    titles: tuple[str, ...]  # every guide's title, in the searcher's order
    facts: "tuple[GuideFacts, ...]"  # the guides' extracted facts
    starters: tuple[str, ...]  # example questions under the empty chat

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
    return Page(tuple(searcher.guides), tuple(engine.facts()), tuple(starters))


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
        for partial in _chunks(answer.text):
            chat[-1] = {"role": "assistant", "content": composed(partial)}
            yield chat, turns, "", *no_suggestions
            time.sleep(STREAM_PAUSE)
        chat[-1] = {"role": "assistant", "content": composed(answer.text)}
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


# --------------------------------------------------------------------------- event wiring


def _wire(
    handlers: Handlers,
    turns: "gr.State",
    picker: "gr.Dropdown",
    chat: ChatView,
    glance: GlanceView,
    plan: PlanView,
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
    api(handlers.api_chat, api_name="chat", concurrency_id=ANSWERS)


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
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"), gr.Row(equal_height=False):
                chat = _chat_column(page)
                glance = _glance_column(page)
            plan = _plan_tab(page)
        _wire(handlers, turns, picker, chat, glance, plan)
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
