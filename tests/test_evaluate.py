import json
from pathlib import Path

import pytest

from careerbot.answer import Answer, Source
from careerbot.errors import CorpusError
from careerbot.evaluate import evaluate, load_cases


def fake_ask(question: str, history=None) -> Answer:  # type: ignore[no-untyped-def]
    if "bread" in question:
        return Answer("Not covered.", (), True)
    if "top 10%" in question and history:
        return Answer("Top earners: $95,000+ [1]", (Source("Annual Salary (US, USD)", "G", "", 0.9),))
    return Answer(
        "Median: $77,500 [1]", (Source("Overview", "G", "", 0.9), Source("Annual Salary", "G", "", 0.8))
    )


def write(tmp_path: Path, rows: list[dict]) -> Path:  # type: ignore[type-arg]
    p = tmp_path / "set.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return p


def test_metrics(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "kind": "fact", "question": "median?", "sections": ["salary"], "facts": [["77,500"]]},
        {
            "id": "b",
            "kind": "fact",
            "question": "what?",
            "sections": ["overview"],
            "facts": [["nope"], ["77,500"]],
        },
        {"id": "c", "kind": "out_of_scope", "question": "bread?"},
        {"id": "d", "kind": "out_of_scope", "question": "cake?"},
        {
            "id": "e",
            "kind": "followup",
            "history_questions": ["earn?"],
            "question": "top 10%?",
            "sections": ["salary"],
            "facts": [["95,000"]],
        },
    ]
    report = evaluate(fake_ask, load_cases(write(tmp_path, rows)))
    m = report.metrics
    assert m["hit@1"] == pytest.approx(2 / 3)  # a cites Overview first
    assert m["hit@3"] == 1.0
    assert m["fact_recall"] == pytest.approx(3 / 4)
    assert m["refusal_accuracy"] == 0.5 and m["false_refusals"] == 0
    assert {o.case.id for o in report.misses()} == {"b", "d"}
    assert "| hit@1" in report.table()
    assert json.loads(report.to_json())["metrics"]["questions"] == 5


def test_bad_rows_name_the_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "x", "question": "ok"}\n{not json}\n')
    with pytest.raises(CorpusError, match=r"bad\.jsonl:2"):
        load_cases(p)
