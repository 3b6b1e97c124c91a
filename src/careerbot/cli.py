"""Command line: ``careerbot index | ask | chat | plan | compare | find | eval | serve``; a thin layer
over the library."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import click

from .config import Settings
from .errors import CareerbotError

if TYPE_CHECKING:  # the engine loads when a command needs it, keeping --help quick
    from .answer import Answer
    from .engine import Engine

P = ParamSpec("P")
R = TypeVar("R")


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Print careerbot errors as one line and exit 1, instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CareerbotError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            sys.exit(1)

    return wrapper


def _engine() -> Engine:
    from .engine import Engine

    return Engine(Settings.from_env())


def _print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(answer.text)
    if answer.notice:
        click.secho(answer.notice, fg="yellow", err=True)
    if answer.sources:
        click.echo("")
        for i, s in enumerate(answer.sources, 1):
            click.secho(f"[{i}] {s.breadcrumb}", dim=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="careerbot")
def main() -> None:
    """careerbot: answers about career guides, quoted and cited, offline."""
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    # An unreachable LLM is reported once, as the answer's notice, not as a log line too.
    logging.getLogger("careerbot.llm").setLevel(logging.ERROR)


@main.command()
@click.option(
    "--rebuild", is_flag=True, help="Delete the index and build it from scratch (else only changes)."
)
@friendly
def index(rebuild: bool) -> None:
    """Build the index from the guides (skipped when it is up to date)."""
    from .index import Store

    settings = Settings.from_env()
    store = Store(settings)
    if rebuild:
        store.remove()
    if not rebuild and store.is_fresh():
        click.echo(f"Index at {store.where} is up to date.")
        return
    report = store.build(progress=True, on_step=lambda m: click.echo(m, err=True), full=rebuild)
    click.echo(
        f"Indexed {report.chunks} sections ({report.units} units) in {report.seconds:.1f}s at {store.where}: "
        f"{report.summary()}."
    )


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer and sources as JSON.")
@click.option("--guide", default=None, help="Answer from this guide only (title, slug or role).")
@friendly
def ask(question: str, as_json: bool, guide: str | None) -> None:
    """Answer one QUESTION with numbered sources."""
    engine = _engine()
    if as_json or not engine.settings.llm:
        _print_answer(engine.ask(question, guide=guide), as_json)
        return
    _print_answer(_stream(engine, question, [], guide), False)


def _stream(engine: Engine, question: str, history: list[dict[str, str]], guide: str | None = None) -> Answer:
    """Show an LLM's words as they come (dimmed); return the final, checked answer."""
    from .answer import Answer

    shown = ""
    final: Answer | None = None
    for item in engine.stream(question, history, guide):
        if isinstance(item, Answer):
            final = item
        else:
            shown += item
            click.secho(item, dim=True, nl=False, err=True)
    if shown:
        click.echo("\n", err=True)
    if final is None:  # Engine.stream always ends with the answer
        raise RuntimeError("the answer stream ended without an answer")
    return final


@main.command()
@click.argument("occupations", nargs=-1, required=True)
@click.option(
    "--metric",
    type=click.Choice(["pay", "outlook", "education", "jobs"]),
    help="What decides the winner (default: pay and outlook both told).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@friendly
def compare(occupations: tuple[str, ...], metric: str | None, as_json: bool) -> None:
    """Compare 2–4 OCCUPATIONS side by side from their guides' headline facts."""
    _print_answer(_engine().compare(list(occupations), metric).answer, as_json)


@main.command()
@click.option("--max-education", help='At most this entry-level education ("high school", "associate").')
@click.option("--min-education", help='At least this entry-level education ("bachelor").')
@click.option("--min-pay", type=int, help="Minimum median pay per year, in dollars.")
@click.option("--max-pay", type=int, help="Maximum median pay per year, in dollars.")
@click.option("--min-growth", type=float, help="Minimum projected employment growth, in percent.")
@click.option("--no-experience", is_flag=True, help="No work experience in another occupation needed.")
@click.option(
    "--sort",
    type=click.Choice(["pay", "growth", "jobs", "change", "education"]),
    default="pay",
    show_default=True,
)
@click.option("--ascending", is_flag=True, help="Lowest first.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="How many to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@friendly
def find(
    max_education: str | None,
    min_education: str | None,
    min_pay: int | None,
    max_pay: int | None,
    min_growth: float | None,
    no_experience: bool,
    sort: str,
    ascending: bool,
    limit: int,
    as_json: bool,
) -> None:
    """List the occupations of all guides that pass the filters, sorted, each cited."""
    found = _engine().find(
        max_education=max_education,
        min_education=min_education,
        min_pay=min_pay,
        max_pay=max_pay,
        min_growth=min_growth,
        no_experience=no_experience,
        sort=sort,
        descending=not ascending,
        limit=limit,
    )
    _print_answer(found.answer, as_json)


@main.command(name="plan")
@click.argument("profile")
@click.option("--guide", default=None, help="Plan with this guide (title, slug or role).")
@friendly
def plan_(profile: str, guide: str | None) -> None:
    """A cited step-by-step plan from PROFILE ("I have 3 years as a technician and want to lead")."""
    result = _engine().plan(profile, guide)
    click.echo(result.text)
    click.echo("")
    for i, s in enumerate(result.sources, 1):
        click.secho(f"[{i}] {s.breadcrumb}", dim=True)


@main.command()
@friendly
def chat() -> None:
    """Interactive chat that remembers the conversation (empty line or Ctrl-D quits)."""
    engine = _engine()
    history: list[dict[str, str]] = []
    click.echo("Ask about the career guide. An empty line quits.")
    while True:
        try:
            question = click.prompt("you", default="", show_default=False, prompt_suffix="> ")
        except (EOFError, click.Abort):
            break
        if not question.strip():
            break
        try:
            answer = (
                _stream(engine, question, history) if engine.settings.llm else engine.ask(question, history)
            )
        except CareerbotError as exc:
            click.secho(str(exc), fg="yellow")
            continue
        _print_answer(answer, False)
        click.echo("")
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]


@main.command(name="eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print metrics and misses as JSON.")
@click.option("--misses/--no-misses", default=True, help="List the questions answered wrongly.")
@friendly
def eval_(file: Path, as_json: bool, misses: bool) -> None:
    """Score a question set (JSONL like eval/dev.jsonl): hit@k, facts, refusals, latency."""
    from .evaluate import evaluate, load_cases

    cases = load_cases(file)  # a bad file is named before anything loads
    engine = _engine()
    engine.warm_up()
    report = evaluate(engine.ask, cases)
    if as_json:
        click.echo(report.to_json())
        return
    click.echo(report.table())
    if misses and report.misses():
        click.echo("\nMisses:")
        for o in report.misses():
            click.echo(f"- {o.case.id} [{o.case.kind}] {o.case.question}")
            click.echo(f"    cited: {', '.join(o.cited[:3]) or '(none)'}{' (refused)' if o.refused else ''}")


@main.command()
@click.option("--host", default=None, help="Interface to bind (default 127.0.0.1 or GRADIO_SERVER_NAME).")
@click.option("--port", default=None, type=int, help="Port (default 7860 or GRADIO_SERVER_PORT).")
@friendly
def serve(host: str | None, port: int | None) -> None:
    """Start the web chat."""
    from .web import launch

    launch(host=host, port=port)


if __name__ == "__main__":  # pragma: no cover
    main()
