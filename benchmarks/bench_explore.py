"""Score comparison and find questions against the truth the question writer computed.

    .venv/bin/python benchmarks/bench_explore.py --corpus CORPUS --index INDEX SET.jsonl [...]

``CORPUS`` may join folders with ``:`` (``corpus:../shared/guides/bls``). Set files are JSONL:

- ``kind: compare`` — ``guides`` (file stems), ``metric``, ``winner`` (stem or null), ``facts``
  (groups of alternatives: each figure as written); ``compare_missing`` adds ``missing`` (names
  no guide covers, which the answer must name);
- ``kind: find`` — ``expect`` (stems in the order asked; ``[]`` = no match), optionally
  ``expect_count`` (how many match in all), ``facts``.

Per set it prints: routed (answered by the explorer, not the section search), right occupations
(every guide compared cited / the listed guides equal ``expect`` in order), right winner, fact
recall, missing named, every figure in a cited source, and ask() p50/p95. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _figures_cited(text: str, sources: list[Any]) -> bool:
    """Every $-figure and percentage of a table row stands in a source that row cites."""
    for line in text.splitlines():
        marks = re.findall(r"\[(\d+)\]", line)
        if not line.startswith("|") or not marks:
            continue
        cited = " ".join(sources[int(n) - 1].text for n in marks if int(n) <= len(sources))
        for figure in re.findall(r"\$[\d,]+(?:\.\d\d)?|-?\d+%", line):
            if figure not in cited:
                return False
    return True


def score(engine: Any, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of one set (see the module docstring)."""
    rows: list[dict[str, Any]] = []
    times: list[float] = []
    for case in cases:
        started = time.perf_counter()
        a = engine.ask(case["question"])
        times.append(time.perf_counter() - started)
        low = a.text.lower()
        cited = [s.slug for s in a.sources]
        facts = case.get("facts") or []
        row = {
            "id": case.get("id", ""),
            "kind": case["kind"],
            "routed": a.mode in ("compare", "find"),
            "facts": sum(any(alt.lower() in low for alt in group) for group in facts) / len(facts)
            if facts
            else 1.0,
            "cited_ok": _figures_cited(a.text, list(a.sources)),
        }
        if case["kind"].startswith("compare"):
            row["right"] = set(case["guides"]) <= set(cited)
            winner = case.get("winner")
            bold = re.search(r"\*\*(.+?)\*\*", a.text)
            title = {s.slug: s.guide for s in a.sources}.get(winner or "")
            row["winner"] = (bold is not None and title == bold.group(1)) if winner else bold is None
            missing = case.get("missing") or []
            row["missing"] = all(m.lower() in low for m in missing) if missing else None
        else:
            expect = case.get("expect") or []
            row["right"] = cited[: len(expect)] == expect if expect else low.startswith("none")
            if case.get("expect_count"):
                row["right"] = row["right"] and str(case["expect_count"]) in a.text.split(";")[0]
        rows.append(row)
        if os.environ.get("BENCH_MISSES") and not (row["right"] and row["facts"] == 1.0):
            print(f"MISS {row} {case['question']!r}\n   {a.text[:300]!r}", file=sys.stderr)
    n = len(rows)
    ms = sorted(t * 1000 for t in times)
    missing = [r["missing"] for r in rows if r.get("missing") is not None]
    judged = [r for r in rows if "winner" in r]
    return {
        "questions": n,
        "routed": round(sum(r["routed"] for r in rows) / n, 3),
        "right occupations": round(sum(r["right"] for r in rows) / n, 3),
        "right winner": round(sum(r["winner"] for r in judged) / len(judged), 3) if judged else "—",
        "fact recall": round(sum(r["facts"] for r in rows) / n, 3),
        "missing named": f"{sum(missing)} of {len(missing)}" if missing else "—",
        "figures in cited source": round(sum(r["cited_ok"] for r in rows) / n, 3),
        "p50 ms": round(statistics.median(ms), 1),
        "p95 ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--index", required=True, type=Path)
    args = parser.parse_args()
    from careerbot import Settings
    from careerbot.engine import Engine

    engine = Engine(Settings.from_env(corpus_dir=Path(args.corpus), index_dir=args.index))
    engine.warm_up()
    engine.ask("who earns more, a welder or a baker?")  # first-use costs (names by meaning) once
    results = []
    for path in args.sets:
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        results.append({"set": path.stem, **score(engine, cases)})
    cols = list(results[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in results:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
