"""Run a question set (``eval/*.jsonl``) through the engine and score it."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .answer import Answer, Source
from .errors import EvalFileError
from .ingest import slugify

AskFn = Callable[[str, Sequence[dict[str, str]] | None], Answer]


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    question: str
    sections: tuple[str, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    history_questions: tuple[str, ...] = ()
    guide: str = ""  # the answering guide's file stem, in sets over several guides

    @property
    def out_of_scope(self) -> bool:
        return self.kind == "out_of_scope"


@dataclass(frozen=True)
class Outcome:
    case: Case
    answer: str
    cited: tuple[str, ...]
    refused: bool
    hit1: bool
    hit3: bool
    facts_found: int
    seconds: float

    @property
    def ok(self) -> bool:
        if self.case.out_of_scope:
            return self.refused
        return self.hit3 and self.facts_found == len(self.case.facts) and not self.refused


@dataclass(frozen=True)
class Report:
    metrics: dict[str, float]
    outcomes: list[Outcome] = field(default_factory=list)

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def to_json(self) -> str:
        return json.dumps(
            {
                "metrics": self.metrics,
                "misses": [
                    {**asdict(o.case), "answer": o.answer, "cited": o.cited, "refused": o.refused}
                    for o in self.misses()
                ],
            },
            indent=2,
            ensure_ascii=False,
        )

    def table(self) -> str:
        rows = [("metric", "value")] + [(k, _fmt(v)) for k, v in self.metrics.items()]
        width = max(len(r[0]) for r in rows)
        lines = [f"| {a.ljust(width)} | {b:>7} |" for a, b in rows]
        lines.insert(1, f"|{'-' * (width + 2)}|{'-' * 9}|")
        return "\n".join(lines)


def _fmt(v: float) -> str:
    if isinstance(v, int):  # counts
        return str(v)
    return f"{v:.3f}" if v < 10 else f"{v:.1f}"


FORMAT = (
    'expected JSON Lines, one object per line like {"question": "...", "sections": ["..."], '
    '"facts": [["..."]]} (see eval/dev.jsonl)'
)


def load_cases(path: Path) -> list[Case]:
    """Read a question set; each line is a JSON object in the dev-set format. A file that is
    missing, not text or not in that format raises ``EvalFileError`` naming the file (and line)
    and what is expected."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EvalFileError(f"Cannot read question set {path}: {exc.strerror}; {FORMAT}.") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:  # not UTF-8, or UTF-8 with NUL bytes: a binary file either way
        raise EvalFileError(f"{path} is not a text file; {FORMAT}.")
    cases = [_case(line, n, path) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not cases:
        raise EvalFileError(f"{path} holds no questions; {FORMAT}.")
    return cases


def _case(line: str, n: int, path: Path) -> Case:
    """One line of a question set as a ``Case``, or an ``EvalFileError`` saying what is wrong."""

    def bad(what: str) -> EvalFileError:
        return EvalFileError(f"{path}:{n}: {what}; {FORMAT}.")

    def texts(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)

    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise bad(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(row, dict):
        raise bad("not a JSON object")
    question = row.get("question")
    if not isinstance(question, str) or not question.strip():
        raise bad('"question" must be non-empty text')
    for key in ("sections", "history_questions"):
        if not texts(row.get(key, [])):
            raise bad(f'"{key}" must be a list of texts')
    facts = row.get("facts", [])
    if not isinstance(facts, list) or not all(texts(group) for group in facts):
        raise bad('"facts" must be a list of lists of texts (each list: ways to write one fact)')
    if not isinstance(row.get("kind", "fact"), str):
        raise bad('"kind" must be text')
    return Case(
        str(row.get("id", n)),
        row.get("kind", "fact"),
        question,
        tuple(row.get("sections", ())),
        tuple(tuple(group) for group in facts),
        tuple(row.get("history_questions", ())),
        str(row.get("guide") or ""),
    )


def _contains(text: str, options: Sequence[str]) -> bool:
    low = text.lower()
    return any(o.lower() in low for o in options)


def _same_guide(source: Source, stem: str) -> bool:
    """Whether ``source`` comes from the guide file ``stem`` (its slug, or its title spelled out)."""
    wanted = slugify(stem)
    return source.slug == wanted if source.slug else slugify(source.guide) == wanted


def run_case(ask: AskFn, case: Case) -> Outcome:
    history: list[dict[str, str]] = []
    for q in case.history_questions:
        prev = ask(q, list(history))
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": prev.text}]
    started = time.perf_counter()
    answer = ask(case.question, history or None)
    seconds = time.perf_counter() - started
    cited = tuple(s.section for s in answer.sources)
    hit = [
        _contains(s.section, case.sections) and (not case.guide or _same_guide(s, case.guide))
        for s in answer.sources
    ]
    facts = sum(_contains(answer.text, group) for group in case.facts)
    return Outcome(case, answer.text, cited, answer.refused, any(hit[:1]), any(hit[:3]), facts, seconds)


def evaluate(ask: AskFn, cases: Sequence[Case]) -> Report:
    """Score ``ask`` on ``cases``: hit@1/3, fact recall, refusals, latency, answer length."""
    outcomes = [run_case(ask, c) for c in cases]
    inside = [o for o in outcomes if not o.case.out_of_scope]
    outside = [o for o in outcomes if o.case.out_of_scope]
    total_facts = sum(len(o.case.facts) for o in inside)
    times = sorted(o.seconds for o in outcomes)
    words = [len(o.answer.split()) for o in inside if not o.refused]
    metrics: dict[str, Any] = {
        "questions": len(outcomes),
        "hit@1": sum(o.hit1 for o in inside) / len(inside) if inside else 0.0,
        "hit@3": sum(o.hit3 for o in inside) / len(inside) if inside else 0.0,
        "fact_recall": sum(o.facts_found for o in inside) / total_facts if total_facts else 1.0,
        "refusal_accuracy": sum(o.refused for o in outside) / len(outside) if outside else 1.0,
        "out_of_scope_refused": sum(o.refused for o in outside),
        "out_of_scope_total": len(outside),
        "false_refusals": sum(o.refused for o in inside),
        "false_refusal_rate": sum(o.refused for o in inside) / len(inside) if inside else 0.0,
        "median_words": statistics.median(words) if words else 0.0,
        "p50_ms": 1000 * times[len(times) // 2] if times else 0.0,
        "p95_ms": 1000 * times[min(len(times) - 1, int(len(times) * 0.95))] if times else 0.0,
    }
    return Report(metrics, outcomes)
