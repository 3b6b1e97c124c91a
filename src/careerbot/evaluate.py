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
from .errors import CorpusError
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


def load_cases(path: Path) -> list[Case]:
    """Read a question set; each line is a JSON object in the dev-set format."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(f"Cannot read question set {path}: {exc.strerror}.") from exc
    cases: list[Case] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(
                Case(
                    str(row.get("id", n)),
                    row.get("kind", "fact"),
                    row["question"],
                    tuple(row.get("sections", ())),
                    tuple(tuple(g) for g in row.get("facts", ())),
                    tuple(row.get("history_questions", ())),
                    str(row.get("guide") or ""),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(
                f"{path}:{n}: not a question row ({exc}); see eval/dev.jsonl for the format."
            ) from exc
    return cases


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
